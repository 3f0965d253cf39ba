// Turning a scenario name and run options into a job: environment settings, the built job graph and
// its validated configuration. Shared by the batch runner (CLI, tests) and the live run (page).
import { StreamExecutionEnvironment, type ConfigurationMap } from '../../engine/graph/stream-execution-environment';
import { parseJobConfiguration, type JobConfiguration } from '../../engine/config';
import type { JobGraph } from '../../engine/graph/job-graph';
import { findScenario, type Scenario, type ScenarioParameters } from '../../scenarios';
import type { BuiltScenario } from '../../scenarios/scenario';

export interface ScenarioJobOptions {
  readonly scenario: string;
  readonly parallelism: number;
  readonly maxParallelism?: number;
  /** 0 = checkpointing disabled (Flink's default: no interval). */
  readonly checkpointIntervalMs: number;
  readonly mode: 'exactly-once' | 'at-least-once';
  readonly keys: number;
  readonly recordsPerSecond: number;
  /** See ScenarioParameters.rounds. */
  readonly rounds?: number;
  /** See ScenarioParameters.unbounded: input that never runs dry (the page's default job). */
  readonly unbounded?: boolean;
  /** See ScenarioParameters.bounded: sources that end, so the job finishes (FLIP-147). */
  readonly bounded?: boolean;
  /** Further Flink options (e.g. restart-strategy.*). */
  readonly configuration?: ConfigurationMap;
}

export interface ScenarioJob {
  readonly scenario: Scenario;
  readonly parameters: ScenarioParameters;
  readonly built: BuiltScenario;
  readonly jobGraph: JobGraph;
  readonly configuration: JobConfiguration;
}

export function prepareScenarioJob(options: ScenarioJobOptions): ScenarioJob {
  const scenario = findScenario(options.scenario);
  const parameters: ScenarioParameters = {
    keys: options.keys,
    recordsPerSecond: options.recordsPerSecond,
    mode: options.mode,
    ...(options.rounds === undefined ? {} : { rounds: options.rounds }),
    ...(options.unbounded ? { unbounded: true } : {}),
    ...(options.bounded ? { bounded: true } : {}),
  };
  if (parameters.bounded && parameters.unbounded) throw new Error('A job cannot be both bounded (sources that end) and unbounded (input that never ends)');
  const environment = new StreamExecutionEnvironment(null, { ...options.configuration });
  environment.setParallelism(options.parallelism);
  if (options.maxParallelism !== undefined) environment.setMaxParallelism(options.maxParallelism);
  if (options.checkpointIntervalMs > 0) {
    environment.enableCheckpointing(options.checkpointIntervalMs, options.mode === 'exactly-once' ? 'EXACTLY_ONCE' : 'AT_LEAST_ONCE');
  } else {
    environment.configure({ 'execution.checkpointing.mode': options.mode === 'exactly-once' ? 'EXACTLY_ONCE' : 'AT_LEAST_ONCE' });
  }
  const built = scenario.build(environment, parameters);
  const jobGraph = environment.getJobGraph(scenario.name);
  const configuration = parseJobConfiguration({ ...environment.configuration, 'pipeline.max-parallelism': jobGraph.maxParallelism });
  return { scenario, parameters, built, jobGraph, configuration };
}
