// Exactly-once and tidy storage across the configuration space, not just the defaults: incremental or
// full snapshots, both state backends, 1–3 concurrent checkpoints, 1–2 retained, savepoints during the
// run, short timeouts (expiry), random fault plans. After the job is cancelled and has settled, storage
// holds exactly the blobs and metadata of the savepoints and — when checkpoints are retained on
// cancellation — of the retained checkpoints.
import { expect, it } from 'vitest';
import fc from 'fast-check';
import { runScenario } from './run-scenario';
import { stateObjectsOfCheckpoint } from '../../engine/checkpoint/shared-state-registry';
import type { Simulation } from './simulation';

const PROPERTY_SEED = 20261128;

const configurationArbitrary = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  scenario: fc.constantFrom('running-sum', 'order-totals'),
  parallelism: fc.integer({ min: 1, max: 4 }),
  incremental: fc.boolean(),
  backend: fc.constantFrom('hashmap', 'indexeddb'),
  maxConcurrent: fc.integer({ min: 1, max: 3 }),
  retained: fc.integer({ min: 1, max: 2 }),
  savepointEveryMs: fc.option(fc.integer({ min: 150, max: 600 }), { nil: null }),
  timeout: fc.constantFrom('80 ms', '10 min'),
  retention: fc.constantFrom('NO_EXTERNALIZED_CHECKPOINTS', 'RETAIN_ON_CANCELLATION'),
});

it('commits exactly-once and leaves storage tidy across configurations and random faults', () => {
  fc.assert(
    fc.property(configurationArbitrary, (c) => {
      let simulation: Simulation | null = null;
      const result = runScenario({
        scenario: c.scenario,
        parallelism: c.parallelism,
        checkpointIntervalMs: 150,
        mode: 'exactly-once',
        seed: c.seed,
        keys: 24,
        recordsPerSecond: 40,
        randomFaults: true,
        recordEvents: false,
        configuration: {
          'execution.checkpointing.incremental': c.incremental,
          'state.backend.type': c.backend,
          'execution.checkpointing.max-concurrent-checkpoints': c.maxConcurrent,
          'execution.checkpointing.num-retained': c.retained,
          'execution.checkpointing.timeout': c.timeout,
          'execution.checkpointing.tolerable-failed-checkpoints': 1000,
          'execution.checkpointing.externalized-checkpoint-retention': c.retention,
        },
        ...(c.backend === 'indexeddb' ? { maxResidentKeyGroups: 3 } : {}),
        onStart: (started) => {
          simulation = started;
          if (c.savepointEveryMs !== null) {
            for (let t = 97; t < 4000; t += c.savepointEveryMs) started.scheduler.schedule(t, () => started.jobMaster.triggerSavepoint());
          }
        },
      });
      const label = JSON.stringify({ ...c, faults: result.faults });
      expect(result.problems, label).toEqual([]);

      const sim = simulation as unknown as Simulation;
      sim.jobMaster.cancel();
      sim.runUntil(sim.now + 60_000);
      // Flink deletes checkpoints that are not externalized when the job ends; savepoints always stay.
      if (c.retention === 'NO_EXTERNALIZED_CHECKPOINTS') expect(sim.jobMaster.store.retained(), label).toEqual([]);
      else expect(sim.jobMaster.store.retained().length, label).toBeGreaterThan(0);
      const kept = [...sim.jobMaster.store.retained(), ...sim.jobMaster.store.savepoints()];
      const referenced = new Set(kept.flatMap((metadata) => stateObjectsOfCheckpoint(metadata).map((object) => object.storageKey)));
      const inventory = sim.memoryStorage.inventory();
      expect(inventory.blobs.filter((key) => !referenced.has(key)), `orphans: ${label}`).toEqual([]);
      expect([...referenced].filter((key) => !inventory.blobs.includes(key)), `dangling: ${label}`).toEqual([]);
      expect([...inventory.checkpoints].sort((a, b) => a - b), label).toEqual(kept.map((m) => m.checkpointId).sort((a, b) => a - b));
    }),
    { seed: PROPERTY_SEED, numRuns: 60 },
  );
});
