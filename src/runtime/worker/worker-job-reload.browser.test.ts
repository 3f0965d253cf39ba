// Durability on the Worker runtime with IndexedDB: a page reload (every worker and the job master gone,
// a new job over the same database) resumes from the latest completed checkpoint, and the committed
// output — in the external system, which outlives the page — stays exactly-once.
import { afterEach, expect, it } from 'vitest';
import { until, untilCheckpointsComplete } from '../../../tests/support/until';
import { IndexedDbCheckpointStorage } from '../../storage/indexeddb-checkpoint-storage';
import { InMemoryExternalSystems } from '../../engine/connectors/external-systems';
import { latestCompletedCheckpoint, WorkerJob } from './worker-job';
import type { ScenarioJobOptions } from '../sim/scenario-job';

const databases: string[] = [];
const jobs: WorkerJob[] = [];
afterEach(async () => {
  for (const job of jobs.splice(0)) job.stop();
  for (const name of databases.splice(0)) await new Promise((resolve) => Object.assign(indexedDB.deleteDatabase(name), { onsuccess: resolve, onerror: resolve, onblocked: resolve }));
});

/** Completed checkpoints of a Worker job, for waits that make sure committed output is final. */
const checkpoints = (job: WorkerJob) => ({ latestCheckpointId: () => job.jobMaster.store.latest()?.checkpointId ?? 0 });

it('resumes after a reload from the latest completed checkpoint in IndexedDB, exactly-once', async () => {
  const databaseName = `reload-test-${Date.now()}`;
  databases.push(databaseName);
  const scenario: ScenarioJobOptions = { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 100, mode: 'exactly-once', keys: 100, recordsPerSecond: 40 };
  // 500 records at 2 × 40/s take about 6 s of real time: the reload below lands mid-run even when start-up is slow.
  const external = new InMemoryExternalSystems();

  const firstStorage = await IndexedDbCheckpointStorage.open(databaseName);
  const first = new WorkerJob({ jobId: 'running-sum', scenario, storage: firstStorage, databaseName, external });
  jobs.push(first);
  first.start();
  await until(() => (first.jobMaster.store.latest()?.checkpointId ?? 0) >= 3 && first.output().length > 0, 'three checkpoints');
  // The reload: workers terminated, the job master gone; only IndexedDB and the external output remain.
  first.stop();
  firstStorage.close();
  const committedBeforeReload = first.output().length;
  expect(committedBeforeReload).toBeLessThan(500);

  const storage = await IndexedDbCheckpointStorage.open(databaseName);
  const latest = await latestCompletedCheckpoint(storage, 'running-sum');
  expect(latest?.checkpointId).toBeGreaterThanOrEqual(3);
  await storage.cleanupOrphans('running-sum');
  const resumed = new WorkerJob({ jobId: 'running-sum', scenario, storage, databaseName, external, initialCheckpoint: latest! });
  jobs.push(resumed);
  resumed.start();
  await until(() => resumed.output().length >= 500, 'all 500 records committed');
  await untilCheckpointsComplete(checkpoints(resumed), 2);

  expect(resumed.job.scenario.checkExactlyOnce(resumed.output(), resumed.job.parameters)).toEqual([]);
  const statistics = resumed.jobMaster.stats.statistics();
  expect(statistics.counts.restored).toBe(1);
  expect(statistics.latest.restored?.id).toBe(latest!.checkpointId);
  expect(statistics.history.every((checkpoint) => checkpoint.id > latest!.checkpointId)).toBe(true);
});
