// No orphaned blobs and no dangling handles (fast-check over seeds, random faults plus a failed upload,
// incremental checkpoints on and off): once the job is cancelled and every write and discard has landed,
// storage holds exactly the metadata of the retained checkpoints and the blobs their metadata names.
// A failing seed is printed by fast-check; pin it in `PINNED` as a regression.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runScenario, type RunScenarioOptions } from './run-scenario';
import { stateObjectsOfCheckpoint } from '../../engine/checkpoint/shared-state-registry';
import { seededRandom } from '../../engine/ports/random';
import { findScenario } from '../../scenarios';
import { randomFaultPlan, type Fault } from './fault-plan';
import { prepareScenarioJob } from './scenario-job';
import { Simulation } from './simulation';

const PROPERTY_SEED = 20261128;
const RUNS = 30;
/** Cheap runs (a few seconds of a small job each); many, as the races they look for are narrow. */
const SLOW_STORAGE_RUNS = 100;
/** Time for in-flight uploads, acknowledgements and discards to land after cancelling. */
const QUIESCE_MS = 60_000;
/** [seed, parallelism, incremental, failed checkpoint] that once failed. */
const PINNED: Array<[number, number, boolean, number]> = [];

const base = (scenario: string, seed: number, parallelism: number, incremental: boolean, faults: readonly Fault[]): RunScenarioOptions => ({
  scenario,
  parallelism,
  checkpointIntervalMs: 200,
  mode: 'exactly-once',
  seed,
  keys: 60,
  recordsPerSecond: 40,
  randomFaults: true,
  faults,
  recordEvents: false,
  configuration: { 'execution.checkpointing.incremental': incremental },
});

/** Cancels the job, lets every write, acknowledgement and discard land, then compares storage with the store. */
function expectNoOrphansAndNoDanglingHandles(simulation: Simulation, label: string): void {
  simulation.jobMaster.cancel();
  simulation.runUntil(simulation.now + QUIESCE_MS);
  expect(['CANCELED', 'FAILED', 'FINISHED'], label).toContain(simulation.jobMaster.status);
  const store = simulation.jobMaster.store;
  const retained = [...store.retained(), ...store.savepoints()];
  const referenced = new Set(retained.flatMap((metadata) => stateObjectsOfCheckpoint(metadata).map((reference) => reference.storageKey)));
  const inventory = simulation.memoryStorage.inventory();
  const stored = new Set(inventory.blobs);
  expect([...stored].filter((key) => !referenced.has(key)), `orphaned blobs, ${label}`).toEqual([]);
  expect([...referenced].filter((key) => !stored.has(key)), `dangling handles, ${label}`).toEqual([]);
  expect([...inventory.checkpoints].sort((a, b) => a - b), label).toEqual(retained.map((m) => m.checkpointId).sort((a, b) => a - b));
}

describe.each(['running-sum', 'order-totals'])('checkpoint storage of %s after the job quiesced', (scenario) => {
  const keyedUid = findScenario(scenario).statefulOperatorUid;

  it('holds exactly the retained checkpoints and the blobs they name, whatever faults are injected', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 12 }),
        (seed, parallelism, incremental, failedCheckpoint) => {
          const failUpload: Fault = { kind: 'fail-snapshot', uid: keyedUid, subtask: seed % parallelism, checkpointId: failedCheckpoint };
          const result = runScenario(base(scenario, seed, parallelism, incremental, [failUpload]));
          const label = `seed ${seed}, parallelism ${parallelism}, incremental ${incremental}, faults ${JSON.stringify(result.faults)}`;
          expect(result.problems, label).toEqual([]);
          expect(result.simulation.jobMaster.store.retained().length, label).toBeGreaterThan(0);
          expectNoOrphansAndNoDanglingHandles(result.simulation, label);
        },
      ),
      { seed: PROPERTY_SEED, numRuns: RUNS, examples: PINNED },
    );
  });

  it('holds no orphan either when uploads are slow enough to outlive aborts, restarts and cancellation', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 500, max: 6_000 }),
        fc.record({ fixedMs: fc.integer({ min: 1, max: 40 }), bytesPerMs: fc.constantFrom(5, 20, 200) }),
        fc.constantFrom('60 ms', '1 s'),
        fc.constantFrom(0, 1_000),
        (seed, parallelism, incremental, failedCheckpoint, cancelAtMs, storageLatency, timeout, tolerable) => {
          const { jobGraph, configuration } = prepareScenarioJob({
            ...base(scenario, seed, parallelism, incremental, []),
            keys: 1_000,
            recordsPerSecond: 40,
            // A short timeout lets slow uploads expire; tolerated, the tasks go on and acknowledge after the abort.
            configuration: {
              'execution.checkpointing.incremental': incremental,
              'execution.checkpointing.timeout': timeout,
              'execution.checkpointing.tolerable-failed-checkpoints': tolerable,
            },
          });
          const targets = jobGraph.vertices.flatMap((v) => v.operators.map((node) => ({ uid: node.uid, parallelism: v.parallelism })));
          const keyed = targets.filter((target) => target.uid === keyedUid);
          const faults = [
            ...randomFaultPlan(seededRandom(seed ^ 0x5eed), targets, keyed, 6_000, 200),
            { kind: 'fail-snapshot', uid: keyedUid, subtask: seed % parallelism, checkpointId: failedCheckpoint } as const,
          ];
          // Slow storage: a subtask's snapshot (1–3 KB here) takes tens to hundreds of milliseconds, so uploads
          // outlive the aborts, expiries, restarts and cancellations that happen meanwhile.
          const simulation = new Simulation({ seed, jobGraph, configuration, faults, storageLatency });
          simulation.start();
          simulation.runUntil(cancelAtMs);
          const label = `seed ${seed}, parallelism ${parallelism}, incremental ${incremental}, cancel at ${cancelAtMs}, timeout ${timeout}, tolerable ${tolerable}, storage ${JSON.stringify(storageLatency)}`;
          expectNoOrphansAndNoDanglingHandles(simulation, `${label}, faults ${JSON.stringify(faults)}`);
        },
      ),
      { seed: PROPERTY_SEED + 1, numRuns: SLOW_STORAGE_RUNS },
    );
  });
});

it('shares pieces between retained checkpoints when incremental, and never when full', () => {
  const sharing = (incremental: boolean) => {
    const result = runScenario({ ...base('running-sum', 5, 2, incremental, []), randomFaults: false, configuration: { 'execution.checkpointing.incremental': incremental, 'execution.checkpointing.num-retained': 3 } });
    const retained = result.simulation.jobMaster.store.retained();
    const owners = new Map<string, number>();
    for (const metadata of retained) for (const { storageKey } of stateObjectsOfCheckpoint(metadata)) owners.set(storageKey, (owners.get(storageKey) ?? 0) + 1);
    return { retained: retained.length, shared: [...owners.values()].filter((count) => count > 1).length };
  };
  expect(sharing(false)).toEqual({ retained: 3, shared: 0 });
  const incremental = sharing(true);
  expect(incremental.retained).toBe(3);
  expect(incremental.shared).toBeGreaterThan(0);
});
