// The page's fault controls on the deterministic replay, stepped in virtual time: faults apply only to a
// RUNNING subtask and say why not during a restart, the slowdown shown is the simulation's own, an upload
// failure injected into a source fails its next snapshot, and every restart is explained.
import { expect, it } from 'vitest';
import { DEFAULT_JOB, SimulatedRuntimeJob } from './live-job.svelte';

/** Virtual time the replay may run while waiting for one condition (it is deterministic: a bound, not a wait). */
const MAX_VIRTUAL_MS = 60_000;
/** The CLI's 1 ms network: the job master learns of a task's state as the task reports it, within the 10 ms steps. */
const FAST_NETWORK_JOB = { ...DEFAULT_JOB, networkLatencyMs: 1, networkJitterMs: 1 };

function stepUntil(job: SimulatedRuntimeJob, condition: () => boolean, what: string): void {
  for (let elapsed = 0; !condition(); elapsed += 10) {
    if (elapsed > MAX_VIRTUAL_MS) throw new Error(`No ${what} within ${MAX_VIRTUAL_MS} ms of virtual time`);
    job.advance(10);
  }
}

it('refuses faults while the job restarts, keeps the slowdown where the simulation keeps it, and explains each restart', () => {
  const job = new SimulatedRuntimeJob(FAST_NETWORK_JOB, { frames: null });
  const { view, faults } = job;
  stepUntil(job, () => view.status === 'RUNNING' && view.counts.completed > 0, 'completed checkpoint');

  faults.kill('sum#1');
  expect(view.notice).toBe('Killed sum#1.');
  stepUntil(job, () => view.status === 'RESTARTING', 'restart');
  faults.toggleSlow('sum#1');
  expect(view.notice).toBe('The job is RESTARTING, so sum#1 is not running; faults can be injected once it is RUNNING again.');
  faults.kill('sum#1');
  expect(view.notice).toBe('The job is RESTARTING, so sum#1 is not running; faults can be injected once it is RUNNING again.');
  job.advance(10);
  expect(view.slowdowns['sum#1']).toBe(1);
  expect(view.restarts.map((restart) => [restart.injected, restart.reason])).toEqual([[true, 'sum#1 was killed (its Worker terminated)']]);

  stepUntil(job, () => view.status === 'RUNNING' && view.taskStates['sum#1'] === 'RUNNING', 'sum#1 running again');
  faults.toggleSlow('sum#1');
  expect(view.notice).toBe('sum#1 now runs 10× slower: watch backpressure and alignment grow.');
  job.advance(10);
  expect(view.slowdowns['sum#1']).toBe(10);
});

it('fails the next snapshot upload of a source, fails its checkpoint over, and clears the notice once it happened', () => {
  const job = new SimulatedRuntimeJob(FAST_NETWORK_JOB, { frames: null });
  const { view, faults } = job;
  stepUntil(job, () => view.status === 'RUNNING' && view.counts.completed > 0, 'completed checkpoint');

  faults.failNextUpload('numbers#0');
  expect(view.notice).toBe('The next snapshot upload of numbers#0 will fail.');
  stepUntil(job, () => view.counts.failed === 1, 'failed checkpoint');
  expect(view.notice).toMatch(/^The snapshot upload of numbers#0 for checkpoint \d+ failed, as injected: numbers#0 declined the checkpoint\.$/);
  const failed = view.history.find((checkpoint) => checkpoint.status === 'FAILED');
  expect(failed).toMatchObject({ failure_message: `Injected failure: upload of checkpoint ${failed!.id} by numbers#0 failed` });
  stepUntil(job, () => view.restarts.length === 1, 'restart');
  expect(view.restarts[0]).toMatchObject({ injected: true, reason: expect.stringMatching(/^checkpoint \d+ failed \(a snapshot upload failed\)/) });
  stepUntil(job, () => view.verdict.kind !== 'filling', 'all output committed');
  expect(view.verdict).toEqual({ kind: 'verified' });
});
