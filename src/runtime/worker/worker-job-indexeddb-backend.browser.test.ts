// The indexeddb state backend on Workers in real Chromium: keyed state in IndexedDB chunks (one per key group)
// with a bounded cache, and the same committed output as the deterministic runtime with the hashmap backend.
import { afterEach, expect, it } from 'vitest';
import { until, untilCheckpointsComplete } from '../../../tests/support/until';
import { MemoryCheckpointStorage } from '../../storage/memory-checkpoint-storage';
import { IndexedDbKeyGroupStores, workingStateDatabaseName } from '../../storage/indexeddb-key-group-store';
import { realClock } from './real-clock';
import { WorkerJob } from './worker-job';
import { runScenario } from '../sim/run-scenario';
import type { ScenarioJobOptions } from '../sim/scenario-job';

const jobs: WorkerJob[] = [];
afterEach(() => {
  for (const job of jobs.splice(0)) job.stop();
});

/** Completed checkpoints of a Worker job, for waits that make sure committed output is final. */
const checkpoints = (job: WorkerJob) => ({ latestCheckpointId: () => job.jobMaster.store.latest()?.checkpointId ?? 0 });

it('runs running-sum with its keyed state in IndexedDB chunks and commits the hashmap backend output', async () => {
  // Parallelism 1 owns all 128 key groups, twice the resident bound set here: key groups are evicted to IndexedDB and reloaded.
  const scenario: ScenarioJobOptions = { scenario: 'running-sum', parallelism: 1, checkpointIntervalMs: 100, mode: 'exactly-once', keys: 300, recordsPerSecond: 3000 };
  const jobId = `test-indexeddb-${Math.random()}`;
  const job = new WorkerJob({
    jobId,
    scenario: { ...scenario, configuration: { 'state.backend.type': 'indexeddb', 'state.backend.indexeddb.cache.key-groups': 64 } },
    storage: new MemoryCheckpointStorage(realClock, { fixedMs: 1, bytesPerMs: 1e6 }),
    databaseName: null,
  });
  jobs.push(job);
  job.start();
  const deterministic = runScenario({ ...scenario, seed: 1 });
  await until(() => job.output().length >= deterministic.output.length, `${deterministic.output.length} committed records`);
  await untilCheckpointsComplete(checkpoints(job), 2);
  expect(job.job.scenario.checkExactlyOnce(job.output(), job.job.parameters)).toEqual([]);
  const sortByKey = (records: readonly unknown[]) => [...(records as Array<{ key: string; value: number }>)].sort((a, b) => a.key.localeCompare(b.key) || a.value - b.value);
  expect(sortByKey(job.output())).toEqual(sortByKey(deterministic.output));
  const stores = await IndexedDbKeyGroupStores.open(workingStateDatabaseName(null));
  try {
    const chunks = await stores.countChunks(jobId);
    expect(chunks).toBeGreaterThan(0);
    expect(chunks).toBeLessThanOrEqual(128);
  } finally {
    stores.close();
  }
});
