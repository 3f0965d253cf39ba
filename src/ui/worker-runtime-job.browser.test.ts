// The page's fault controls on real Web Workers: during a restart every fault is refused with the reason
// and changes nothing; the slowdown shown is the cluster's (it outlives a restart); "Fail next upload" on a
// source fails its next snapshot and the notice says so once it happened; every restart is explained.
import { afterEach, expect, it } from 'vitest';
import { until } from '../../tests/support/until';
import { realClock } from '../runtime/worker/real-clock';
import { MemoryCheckpointStorage } from '../storage/memory-checkpoint-storage';
import { DEFAULT_JOB } from './live-job.svelte';
import { WorkerRuntimeJob } from './worker-runtime-job.svelte';

const jobs: WorkerRuntimeJob[] = [];
afterEach(() => {
  for (const job of jobs.splice(0)) job.stop();
});

function startJob(): WorkerRuntimeJob {
  const job = new WorkerRuntimeJob({
    jobId: `faults-${Math.random()}`,
    scenario: {
      ...DEFAULT_JOB,
      recordsPerSecond: 100,
      checkpointIntervalMs: 200,
      mode: 'exactly-once',
      configuration: { 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.delay': '50 ms', 'restart-strategy.fixed-delay.attempts': 10 },
    },
    storage: new MemoryCheckpointStorage(realClock, { fixedMs: 1, bytesPerMs: 1e6 }),
    databaseName: null,
    storageLabel: 'in memory',
  });
  jobs.push(job);
  job.start();
  return job;
}

const REFUSED = 'The job is RESTARTING, so sum#1 is not running; faults can be injected once it is RUNNING again.';

it('refuses faults during a restart, keeps the slowdown the cluster keeps, and fails a source’s next upload', async () => {
  const job = startJob();
  const { view, faults } = job;
  // The job's own state, not the view's (refreshed once a frame, so it may still show the time before a kill).
  const runningAgain = (taskId: string) => () => faults.refusal(taskId) === null;
  await until(() => runningAgain('sum#1')() && view.counts.completed > 0, 'a completed checkpoint');

  faults.kill('sum#1');
  expect(view.notice).toBe('Terminated the Worker of sum#1.');
  // The loss is noticed at once, so the job is RESTARTING right away: nothing else may reach sum#1 now.
  faults.toggleSlow('sum#1');
  expect(view.notice).toBe(REFUSED);
  faults.kill('sum#1');
  expect(view.notice).toBe(REFUSED);
  await until(runningAgain('sum#1'), 'sum#1 running again');
  expect(view.slowdowns['sum#1']).toBe(1);
  // Events reach the view through the ordering window, a little after the job master's status.
  await until(() => view.restarts.length === 1, 'the restart explained');
  expect(view.restarts.map((restart) => [restart.injected, restart.reason])).toEqual([[true, 'sum#1 was killed (its Worker terminated)']]);

  faults.toggleSlow('sum#1');
  expect(view.notice).toBe('sum#1 now runs 10× slower: watch backpressure and alignment grow.');
  await until(() => view.slowdowns['sum#1'] === 10, 'the slowdown shown');

  faults.failNextUpload('numbers#0');
  expect(view.notice).toBe('The next snapshot upload of numbers#0 will fail.');
  // A checkpoint pending at the kill was aborted by the restart (Checkpoint Coordinator is suspending): the one that
  // failed as injected is the one whose upload failed.
  const injected = () => view.history.find((checkpoint) => checkpoint.status === 'FAILED' && checkpoint.failure_message?.startsWith('Injected failure: upload'));
  await until(() => injected() !== undefined, 'the failed checkpoint');
  const failed = injected()!;
  expect(failed).toMatchObject({ failure_message: `Injected failure: upload of checkpoint ${failed.id} by numbers#0 failed` });
  await until(() => view.notice !== 'The next snapshot upload of numbers#0 will fail.', 'the notice to change');
  expect(view.notice).toBe(`The snapshot upload of numbers#0 for checkpoint ${failed.id} failed, as injected: numbers#0 declined the checkpoint.`);
  await until(() => view.restarts.length === 2 && runningAgain('sum#1')(), 'the second restart');
  expect(view.restarts[1]).toMatchObject({ injected: true, reason: `checkpoint ${failed.id} failed (a snapshot upload failed) and execution.checkpointing.tolerable-failed-checkpoints tolerates none` });
  // The Worker of sum#1 was replaced, and still runs slowed: the button keeps saying "Unslow".
  expect(view.slowdowns['sum#1']).toBe(10);
  faults.toggleSlow('sum#1');
  expect(view.notice).toBe('sum#1 runs at normal speed again.');

  await until(() => view.verdict.kind !== 'filling', 'all output committed');
  expect(view.verdict).toEqual({ kind: 'verified' });
});
