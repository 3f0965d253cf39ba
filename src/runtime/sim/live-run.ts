// A scenario on the deterministic runtime, advanced by the caller (the page advances it by elapsed
// real time each frame). Same building blocks as runScenario, without running to the end.
import type { EventSink } from '../../engine/events';
import type { ScenarioParameters } from '../../scenarios';
import { prepareScenarioJob } from './scenario-job';
import { Simulation } from './simulation';
import type { Fault } from './fault-plan';

export interface LiveRunOptions {
  readonly scenario: string;
  readonly parallelism: number;
  readonly checkpointIntervalMs: number;
  readonly mode: 'exactly-once' | 'at-least-once';
  readonly seed: number;
  readonly keys: number;
  readonly recordsPerSecond: number;
  readonly faults?: readonly Fault[];
  readonly onEvent?: EventSink;
}

export interface LiveRun {
  readonly simulation: Simulation;
  readonly parameters: ScenarioParameters;
  /** Committed output so far, in commit order. */
  output(): readonly unknown[];
  /** Run the next `virtualMs` of virtual time. */
  advance(virtualMs: number): void;
}

export function runScenarioLive(options: LiveRunOptions): LiveRun {
  const { parameters, built, jobGraph, configuration, scenario } = prepareScenarioJob(options);
  const simulation = new Simulation({
    seed: options.seed,
    jobId: scenario.name,
    jobGraph,
    configuration,
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  simulation.start();
  return {
    simulation,
    parameters,
    output: () => simulation.external.output(built.outputName).records(),
    advance: (virtualMs) => simulation.runUntil(simulation.now + Math.max(0, virtualMs)),
  };
}
