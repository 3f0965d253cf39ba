// The Worker runtime in real Chromium: one Web Worker per subtask, records flowing over MessagePorts.
// The committed output must match the deterministic runtime's for the same input, with and without a
// killed worker, at several parallelisms.
import { afterEach, expect, it } from 'vitest';
import { until, untilCheckpointsComplete } from '../../../tests/support/until';
import { MemoryCheckpointStorage } from '../../storage/memory-checkpoint-storage';
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

function startJob(scenario: ScenarioJobOptions): WorkerJob {
  const job = new WorkerJob({ jobId: `test-${Math.random()}`, scenario, storage: new MemoryCheckpointStorage(realClock, { fixedMs: 1, bytesPerMs: 1e6 }), databaseName: null });
  jobs.push(job);
  job.start();
  return job;
}


it.each([2, 3])('commits the same output on Workers as the deterministic runtime at parallelism %i', async (parallelism) => {
  const scenario: ScenarioJobOptions = { scenario: 'running-sum', parallelism, checkpointIntervalMs: 100, mode: 'exactly-once', keys: 60, recordsPerSecond: 2000 };
  const job = startJob(scenario);
  await until(() => job.output().length >= 300, '300 committed records');
  await untilCheckpointsComplete(checkpoints(job), 2);
  const deterministic = runScenario({ ...scenario, seed: 1 });
  expect(job.job.scenario.checkExactlyOnce(job.output(), job.job.parameters)).toEqual([]);
  const sortByKey = (records: readonly unknown[]) => [...(records as Array<{ key: string; value: number }>)].sort((a, b) => a.key.localeCompare(b.key) || a.value - b.value);
  expect(sortByKey(job.output())).toEqual(sortByKey(deterministic.output));
});

it('keeps committed output exactly-once when a worker is killed mid-run', async () => {
  const scenario: ScenarioJobOptions = { scenario: 'order-totals', parallelism: 2, checkpointIntervalMs: 100, mode: 'exactly-once', keys: 80, recordsPerSecond: 400 };
  const job = startJob({ ...scenario, configuration: { 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.delay': '50 ms', 'restart-strategy.fixed-delay.attempts': 5 } });
  const statusChanges: unknown[] = [];
  job.events.subscribe((events) => statusChanges.push(...events.filter((e) => e.type === 'job-status-changed' || e.type === 'task-failed')));
  await until(() => job.jobMaster.store.latest() !== null, 'a completed checkpoint');
  expect(job.kill('totals#1')).toBe(true);
  await until(() => job.jobMaster.numRestarts === 1 && job.jobMaster.status === 'RUNNING', 'the restart');
  await until(() => job.output().length >= 80 * 6, 'all output committed');
  await untilCheckpointsComplete(checkpoints(job), 2);
  expect(job.job.scenario.checkExactlyOnce(job.output(), job.job.parameters)).toEqual([]);
  expect(job.jobMaster.stats.statistics().counts.restored, JSON.stringify(statusChanges)).toBe(1);
});
