// A scenario on the deterministic runtime, advanced by the caller (the page's session advances it by
// elapsed real time each frame, or one action at a time). Same building blocks as runScenario, without
// running to the end.
import type { EventSink } from '../../engine/events';
import type { ScenarioParameters } from '../../scenarios';
import { prepareScenarioJob, type ScenarioJob, type ScenarioJobOptions } from './scenario-job';
import { Simulation } from './simulation';
import type { Fault } from './fault-plan';

export interface LiveRunOptions extends ScenarioJobOptions {
  readonly seed: number;
  readonly faults?: readonly Fault[];
  readonly onEvent?: EventSink;
  /** One-way message latency and its seeded jitter in virtual ms (default 1 and 1); the page slows its network so hops can be seen. */
  readonly networkLatencyMs?: number;
  readonly networkJitterMs?: number;
}

export interface LiveRun {
  readonly simulation: Simulation;
  readonly job: ScenarioJob;
  readonly parameters: ScenarioParameters;
  /** Committed output so far, in commit order. */
  output(): readonly unknown[];
  /** Run the next `virtualMs` of virtual time. */
  advance(virtualMs: number): void;
  /** Run the next action of the scheduler, if one is due by `limit`; false when there was none. */
  runNextAction(limit?: number): boolean;
}

export function runScenarioLive(options: LiveRunOptions): LiveRun {
  const job = prepareScenarioJob(options);
  const { parameters, built, jobGraph, configuration, scenario } = job;
  const simulation = new Simulation({
    seed: options.seed,
    jobId: scenario.name,
    jobGraph,
    configuration,
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.networkLatencyMs === undefined ? {} : { networkLatencyMs: options.networkLatencyMs }),
    ...(options.networkJitterMs === undefined ? {} : { networkJitterMs: options.networkJitterMs }),
  });
  simulation.start();
  return {
    simulation,
    job,
    parameters,
    output: () => simulation.external.output(built.outputName).records(),
    advance: (virtualMs) => simulation.runUntil(simulation.now + Math.max(0, virtualMs)),
    runNextAction: (limit) => simulation.scheduler.runNext(limit),
  };
}
