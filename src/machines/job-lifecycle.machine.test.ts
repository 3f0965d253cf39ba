import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import { parseJobConfiguration, type RawJobConfiguration } from '../engine/config';
import { createRestartStrategy, type RestartBackoffTimeStrategy } from '../engine/failover';
import { seededRandom } from '../engine/ports';
import {
  jobLifecycleMachine,
  jobStatusOf,
  type DeployTasksParams,
  type JobStatusReport,
} from './job-lifecycle.machine';

/** A job whose side effects are recorded in order, driven by xstate's SimulatedClock. */
function startJob(restartStrategy: RestartBackoffTimeStrategy) {
  const clock = new SimulatedClock();
  const effects: string[] = [];
  const reports: JobStatusReport[] = [];
  const deployments: DeployTasksParams[] = [];
  const machine = jobLifecycleMachine.provide({
    actions: {
      cancelAllTasks: () => effects.push('cancelAllTasks'),
      deployTasks: (_, params) => {
        effects.push('deployTasks');
        deployments.push(params);
      },
      startCheckpointScheduler: () => effects.push('startCheckpointScheduler'),
      stopCheckpointScheduler: () => effects.push('stopCheckpointScheduler'),
      reportJobStatus: (_, report) => reports.push(report),
    },
  });
  const actor = createActor(machine, { clock, input: { restartStrategy, clock } }).start();
  const status = () => jobStatusOf(actor.getSnapshot());
  const statuses = () => reports.map((report) => report.status);
  return { actor, clock, effects, reports, deployments, status, statuses };
}

function strategyFor(raw: RawJobConfiguration) {
  return createRestartStrategy(parseJobConfiguration(raw), seededRandom(42));
}

const fixedDelay = (attempts: number, delay = '1 s') =>
  strategyFor({
    'restart-strategy.type': 'fixed-delay',
    'restart-strategy.fixed-delay.attempts': attempts,
    'restart-strategy.fixed-delay.delay': delay,
  });

describe('job lifecycle machine', () => {
  it('is CREATED until started, then deploys fresh tasks and starts the checkpoint scheduler', () => {
    const job = startJob(fixedDelay(1));
    expect(job.status()).toBe('CREATED');
    job.actor.send({ type: 'START' });
    expect(job.status()).toBe('RUNNING');
    expect(job.deployments).toEqual([{ attempt: 0, restore: false }]);
    expect(job.effects).toEqual(['deployTasks', 'startCheckpointScheduler']);
    expect(job.statuses()).toEqual(['CREATED', 'RUNNING']);
  });

  it('deploys with restore when started from a savepoint', () => {
    const job = startJob(fixedDelay(1));
    job.actor.send({ type: 'START', restore: true });
    expect(job.deployments).toEqual([{ attempt: 0, restore: true }]);
  });

  it('restarts a failed job after the backoff, restoring the latest completed checkpoint', () => {
    const job = startJob(fixedDelay(3, '2 s'));
    job.actor.send({ type: 'START' });
    job.clock.increment(5_000);
    const cause = new Error('subtask 1 of Sum lost its worker');
    job.actor.send({ type: 'TASK_FAILED', cause });

    expect(job.status()).toBe('RESTARTING');
    expect(job.actor.getSnapshot().context.numRestarts).toBe(1);
    expect(job.effects.slice(2)).toEqual(['stopCheckpointScheduler', 'cancelAllTasks']);
    expect(job.reports.at(-1)).toEqual({ status: 'RESTARTING', timestampMs: 5_000, cause, numRestarts: 1, restartBackoffMs: 2_000 });

    job.actor.send({ type: 'ALL_TASKS_TERMINATED' });
    job.clock.increment(1_999);
    expect(job.status()).toBe('RESTARTING');
    job.clock.increment(1);
    expect(job.status()).toBe('RUNNING');
    expect(job.deployments).toEqual([
      { attempt: 0, restore: false },
      { attempt: 1, restore: true },
    ]);
    expect(job.effects.slice(-2)).toEqual(['deployTasks', 'startCheckpointScheduler']);
    expect(job.reports.at(-1)).toEqual({ status: 'RUNNING', timestampMs: 7_000, numRestarts: 1, restartBackoffMs: 2_000 });
  });

  it('waits for the cancelled tasks to terminate even when the backoff has elapsed', () => {
    const job = startJob(fixedDelay(3, '1 s'));
    job.actor.send({ type: 'START' });
    job.actor.send({ type: 'TASK_FAILED', cause: 'boom' });
    job.clock.increment(10_000);
    expect(job.status()).toBe('RESTARTING');
    expect(job.deployments).toHaveLength(1);
    job.actor.send({ type: 'ALL_TASKS_TERMINATED' });
    expect(job.status()).toBe('RUNNING');
    expect(job.deployments.at(-1)).toEqual({ attempt: 1, restore: true });
  });

  it('fails the job once failures exceed the fixed-delay attempts', () => {
    const job = startJob(fixedDelay(2, '1 s'));
    job.actor.send({ type: 'START' });
    for (let restart = 1; restart <= 2; restart++) {
      job.actor.send({ type: 'TASK_FAILED', cause: `failure ${restart}` });
      job.actor.send({ type: 'ALL_TASKS_TERMINATED' });
      job.clock.increment(1_000);
      expect(job.status()).toBe('RUNNING');
    }
    job.actor.send({ type: 'TASK_FAILED', cause: 'failure 3' });
    expect(job.status()).toBe('FAILING');
    expect(job.actor.getSnapshot().context.numRestarts).toBe(2);
    expect(job.effects.slice(-2)).toEqual(['stopCheckpointScheduler', 'cancelAllTasks']);

    job.actor.send({ type: 'ALL_TASKS_TERMINATED' });
    expect(job.status()).toBe('FAILED');
    expect(job.actor.getSnapshot().status).toBe('done');
    expect(job.reports.at(-1)).toMatchObject({ status: 'FAILED', cause: 'failure 3' });
    expect(job.statuses()).toEqual([
      'CREATED', 'RUNNING', 'RESTARTING', 'RUNNING', 'RESTARTING', 'RUNNING', 'FAILING', 'FAILED',
    ]);
  });

  it('fails on the first failure when restarts are disabled (checkpointing off, no strategy)', () => {
    const job = startJob(strategyFor({}));
    job.actor.send({ type: 'START' });
    job.actor.send({ type: 'TASK_FAILED', cause: 'boom' });
    job.actor.send({ type: 'ALL_TASKS_TERMINATED' });
    expect(job.statuses()).toEqual(['CREATED', 'RUNNING', 'FAILING', 'FAILED']);
    expect(job.actor.getSnapshot().context.numRestarts).toBe(0);
  });

  it('is cancelled through CANCELLING once all tasks have terminated', () => {
    const job = startJob(fixedDelay(1));
    job.actor.send({ type: 'START' });
    job.actor.send({ type: 'CANCEL' });
    expect(job.status()).toBe('CANCELLING');
    expect(job.effects.slice(-2)).toEqual(['stopCheckpointScheduler', 'cancelAllTasks']);
    job.actor.send({ type: 'TASK_FAILED', cause: 'killed while cancelling' });
    expect(job.status()).toBe('CANCELLING');
    job.actor.send({ type: 'ALL_TASKS_TERMINATED' });
    expect(job.status()).toBe('CANCELED');
    expect(job.actor.getSnapshot().status).toBe('done');
  });

  it('cancels a restarting job without redeploying when the backoff would have elapsed', () => {
    const job = startJob(fixedDelay(1, '1 s'));
    job.actor.send({ type: 'START' });
    job.actor.send({ type: 'TASK_FAILED', cause: 'boom' });
    job.actor.send({ type: 'CANCEL' });
    job.clock.increment(5_000);
    expect(job.status()).toBe('CANCELLING');
    job.actor.send({ type: 'ALL_TASKS_TERMINATED' });
    expect(job.status()).toBe('CANCELED');
    expect(job.deployments).toHaveLength(1);
  });

  it('ignores a failure while RESTARTING: it neither counts as an attempt nor moves the backoff', () => {
    // One attempt only: were the second failure counted, the job would fail instead of restarting.
    const job = startJob(fixedDelay(1, '1 s'));
    job.actor.send({ type: 'START' });
    job.actor.send({ type: 'TASK_FAILED', cause: 'first' });
    job.clock.increment(500);
    job.actor.send({ type: 'TASK_FAILED', cause: 'second, from a task being cancelled' });
    expect(job.status()).toBe('RESTARTING');
    expect(job.actor.getSnapshot().context.numRestarts).toBe(1);
    job.actor.send({ type: 'ALL_TASKS_TERMINATED' });
    job.clock.increment(500);
    expect(job.status()).toBe('RUNNING');
    expect(job.actor.getSnapshot().context.failureCause).toBe('first');
  });

  it('waits longer after each failure with exponential-delay', () => {
    const job = startJob(
      strategyFor({
        'restart-strategy.type': 'exponential-delay',
        'restart-strategy.exponential-delay.jitter-factor': 0,
        'restart-strategy.exponential-delay.backoff-multiplier': 2,
      }),
    );
    job.actor.send({ type: 'START' });
    const waits: number[] = [];
    for (let failure = 0; failure < 3; failure++) {
      job.actor.send({ type: 'TASK_FAILED', cause: failure });
      job.actor.send({ type: 'ALL_TASKS_TERMINATED' });
      const failedAt = job.clock.now();
      while (job.status() === 'RESTARTING') job.clock.increment(100);
      waits.push(job.clock.now() - failedAt);
      job.clock.increment(10); // the job runs a little before failing again
    }
    expect(waits).toEqual([1_000, 2_000, 4_000]);
  });

  it('restarts at once when a task fails at the instant of the redeploy: Flink merges it into that attempt', () => {
    const job = startJob(
      strategyFor({
        'restart-strategy.type': 'exponential-delay',
        'restart-strategy.exponential-delay.jitter-factor': 0,
      }),
    );
    job.actor.send({ type: 'START' });
    job.actor.send({ type: 'TASK_FAILED', cause: 'first' });
    job.actor.send({ type: 'ALL_TASKS_TERMINATED' });
    job.clock.increment(1_000);
    expect(job.status()).toBe('RUNNING');
    job.actor.send({ type: 'TASK_FAILED', cause: 'same millisecond' });
    expect(job.actor.getSnapshot().context.restartBackoffMs).toBe(0);
  });

  it('finishes when all tasks finish', () => {
    const job = startJob(fixedDelay(1));
    job.actor.send({ type: 'START' });
    job.actor.send({ type: 'ALL_TASKS_FINISHED' });
    expect(job.status()).toBe('FINISHED');
    expect(job.effects.slice(-1)).toEqual(['stopCheckpointScheduler']);
  });

  it('is SUSPENDED from any non-terminal status, stopping tasks and the checkpoint scheduler', () => {
    const job = startJob(fixedDelay(1));
    job.actor.send({ type: 'START' });
    job.actor.send({ type: 'SUSPEND' });
    expect(job.status()).toBe('SUSPENDED');
    expect(job.effects.slice(-2)).toEqual(['stopCheckpointScheduler', 'cancelAllTasks']);
    expect(job.actor.getSnapshot().status).toBe('done');

    const restarting = startJob(fixedDelay(1));
    restarting.actor.send({ type: 'START' });
    restarting.actor.send({ type: 'TASK_FAILED', cause: 'boom' });
    restarting.actor.send({ type: 'SUSPEND' });
    restarting.clock.increment(60_000);
    expect(restarting.status()).toBe('SUSPENDED');
    expect(restarting.deployments).toHaveLength(1);
  });

  it('can be cancelled while FAILING, as Flink lets cancel() override a failing job', () => {
    const job = startJob(strategyFor({ 'restart-strategy.type': 'none' }));
    job.actor.send({ type: 'START' });
    job.actor.send({ type: 'TASK_FAILED', cause: 'boom' });
    job.actor.send({ type: 'CANCEL' });
    job.actor.send({ type: 'ALL_TASKS_TERMINATED' });
    expect(job.statuses().slice(-3)).toEqual(['FAILING', 'CANCELLING', 'CANCELED']);
  });
});
