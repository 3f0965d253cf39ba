// Test fixture: a real deterministic run of running-sum with a kill, its events and every round of
// samples the deterministic session took (each SAMPLE_PERIOD_MS of virtual time), in delivery order.
import type { EngineEvent } from '../../engine/events';
import type { TaskSample } from '../../engine/samples';
import { SimulationSession } from '../../runtime/sim/simulation-session';

export interface InspectedRun {
  readonly events: readonly EngineEvent[];
  readonly samples: readonly TaskSample[];
  /** Events and samples interleaved as the session delivered them (what the page's timeline folds). */
  readonly delivered: ReadonlyArray<{ readonly event: EngineEvent } | { readonly sample: TaskSample }>;
  readonly now: number;
}

export function inspectedRun(untilMs = 6000, killAtMs: number | null = 1500, keys = 12): InspectedRun {
  const session = new SimulationSession({
    job: {
      scenario: 'running-sum',
      parallelism: 2,
      checkpointIntervalMs: 400,
      mode: 'exactly-once',
      keys,
      recordsPerSecond: 20,
      seed: 7,
      ...(killAtMs === null ? {} : { faults: [{ kind: 'kill' as const, uid: 'sum', subtask: 1, atMs: killAtMs }] }),
    },
    frames: null,
  });
  const events: EngineEvent[] = [];
  const samples: TaskSample[] = [];
  const delivered: Array<{ event: EngineEvent } | { sample: TaskSample }> = [];
  session.subscribeEvents((batch) => {
    events.push(...batch);
    for (const event of batch) delivered.push({ event });
  });
  session.subscribeSamples((batch) => {
    samples.push(...batch);
    for (const sample of batch) delivered.push({ sample });
  });
  session.advance(untilMs);
  const now = session.now();
  session.close();
  return { events, samples, delivered, now };
}
