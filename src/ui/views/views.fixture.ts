// Event logs of real deterministic runs for the view folds' tests: the running-sum job at parallelism 2,
// checkpoint every 500 ms, sum#0 killed at 1,300 ms (restored from checkpoint 2), in both modes.
import type { EngineEvent } from '../../engine/events';
import { parseFault } from '../../runtime/sim/fault-plan';
import { runScenario, type RunScenarioResult } from '../../runtime/sim/run-scenario';

const runs = new Map<string, RunScenarioResult>();

export const KILL_AT_MS = 1300;

export function killedRun(mode: 'exactly-once' | 'at-least-once' = 'exactly-once'): RunScenarioResult {
  let run = runs.get(mode);
  if (!run) {
    run = runScenario({
      scenario: 'running-sum',
      parallelism: 2,
      checkpointIntervalMs: 500,
      mode,
      seed: 3,
      keys: 100,
      recordsPerSecond: 50,
      faults: [parseFault(`kill:sum#0@${KILL_AT_MS}`)],
    });
    runs.set(mode, run);
  }
  return run;
}

/** The events up to and including clock time `time`. */
export function eventsUntil(events: readonly EngineEvent[], time: number): EngineEvent[] {
  return events.filter((event) => event.time <= time);
}
