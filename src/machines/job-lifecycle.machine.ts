// Job lifecycle: Flink's JobStatus for one streaming job (CREATED, RUNNING, RESTARTING, FAILING, FAILED, CANCELLING,
// CANCELED, FINISHED, SUSPENDED). Full restarts only; the restart strategy decides; side effects are provided actions.
import { assertEvent, assign, raise, setup, type SnapshotFrom } from 'xstate';
import type { Clock } from '../engine/ports';
import type { RestartBackoffTimeStrategy } from '../engine/failover';

export type JobStatus =
  | 'CREATED'
  | 'RUNNING'
  | 'RESTARTING'
  | 'FAILING'
  | 'FAILED'
  | 'CANCELLING'
  | 'CANCELED'
  | 'FINISHED'
  | 'SUSPENDED';

export interface JobLifecycleInput {
  readonly restartStrategy: RestartBackoffTimeStrategy;
  /** The same clock the actor is created with, for failure and status timestamps. */
  readonly clock: Pick<Clock, 'now'>;
}

export interface JobLifecycleContext extends JobLifecycleInput {
  /** Flink's `numRestarts` metric; also the attempt number of the current deployment. */
  readonly numRestarts: number;
  /** The failure that caused the latest restart or the job failure. */
  readonly failureCause: unknown;
  /** The backoff the restart strategy chose for the pending restart. */
  readonly restartBackoffMs: number;
}

export type JobLifecycleEvent =
  /** Schedule the job; `restore` when it starts from a savepoint or retained checkpoint. */
  | { type: 'START'; restore?: boolean }
  | { type: 'TASK_FAILED'; cause: unknown }
  /** Answer to each cancelAllTasks: no task is running any more (sent at once if none was). */
  | { type: 'ALL_TASKS_TERMINATED' }
  | { type: 'ALL_TASKS_FINISHED' }
  | { type: 'CANCEL' }
  /** The job master stops (leadership lost, page unloading): tasks stop, checkpoints stay for recovery. */
  | { type: 'SUSPEND' }
  /** Internal: the restart strategy's verdict on a TASK_FAILED (Flink's FailureHandlingResult). */
  | { type: 'FAILURE_HANDLED'; cause: unknown; canRestart: boolean; restartBackoffMs: number };

export interface JobStatusReport {
  readonly status: JobStatus;
  readonly timestampMs: number;
  /** Set for RESTARTING, FAILING and FAILED. */
  readonly cause?: unknown;
  /** Restarts so far (Flink's numRestarts) and, for RESTARTING, the backoff before redeploying. */
  readonly numRestarts: number;
  readonly restartBackoffMs: number;
}

export interface DeployTasksParams {
  readonly attempt: number;
  /** Restore from the latest completed checkpoint (or the savepoint given at START). */
  readonly restore: boolean;
}

const report = (status: JobStatus, withCause = false) => ({
  type: 'reportJobStatus' as const,
  params: ({ context }: { context: JobLifecycleContext }): JobStatusReport =>
    withCause
      ? { status, timestampMs: context.clock.now(), cause: context.failureCause, numRestarts: context.numRestarts, restartBackoffMs: context.restartBackoffMs }
      : { status, timestampMs: context.clock.now(), numRestarts: context.numRestarts, restartBackoffMs: context.restartBackoffMs },
});

export const jobLifecycleMachine = setup({
  types: {
    context: {} as JobLifecycleContext,
    events: {} as JobLifecycleEvent,
    input: {} as JobLifecycleInput,
  },
  actions: {
    cancelAllTasks: () => {},
    deployTasks: (_, _params: DeployTasksParams) => {},
    startCheckpointScheduler: () => {},
    stopCheckpointScheduler: () => {},
    reportJobStatus: (_, _params: JobStatusReport) => {},
    // Flink's ExecutionFailureHandler: notify the strategy, then ask canRestart() and getBackoffTime().
    // The verdict is raised so the guard sees it within the same macrostep; no other event slips in between.
    handleTaskFailure: raise(({ context, event }) => {
      assertEvent(event, 'TASK_FAILED');
      const strategy = context.restartStrategy;
      strategy.notifyFailure(event.cause, context.clock.now());
      const canRestart = strategy.canRestart();
      const restartBackoffMs = canRestart ? strategy.getBackoffTime() : 0;
      return { type: 'FAILURE_HANDLED' as const, cause: event.cause, canRestart, restartBackoffMs };
    }),
    recordRestart: assign(({ context, event }) => {
      assertEvent(event, 'FAILURE_HANDLED');
      return {
        numRestarts: context.numRestarts + 1,
        failureCause: event.cause,
        restartBackoffMs: event.restartBackoffMs,
      };
    }),
    recordFailure: assign(({ event }) => {
      assertEvent(event, 'FAILURE_HANDLED');
      return { failureCause: event.cause };
    }),
  },
  guards: {
    canRestart: ({ event }) => event.type === 'FAILURE_HANDLED' && event.canRestart,
  },
  delays: {
    restartBackoff: ({ context }) => context.restartBackoffMs,
  },
}).createMachine({
  id: 'jobLifecycle',
  context: ({ input }) => ({ ...input, numRestarts: 0, failureCause: undefined, restartBackoffMs: 0 }),
  initial: 'CREATED',
  on: {
    // Flink: suspend() moves any non-terminal job to SUSPENDED; checkpoints are kept for the next leader.
    SUSPEND: '.SUSPENDED',
  },
  states: {
    CREATED: {
      description: 'The job was submitted; nothing is deployed yet.',
      entry: report('CREATED'),
      on: {
        START: {
          target: 'RUNNING',
          actions: {
            type: 'deployTasks',
            params: ({ event }) => ({ attempt: 0, restore: event.restore === true }),
          },
        },
        CANCEL: 'CANCELLING',
      },
    },
    RUNNING: {
      description: 'Tasks are deployed and run; the checkpoint scheduler runs exactly while the job is RUNNING.',
      // CheckpointCoordinatorDeActivator: the scheduler runs exactly while the job is RUNNING. Flink's
      // stopCheckpointScheduler also aborts pending checkpoints (CHECKPOINT_COORDINATOR_SUSPEND).
      entry: [report('RUNNING'), 'startCheckpointScheduler'],
      exit: ['stopCheckpointScheduler'],
      on: {
        TASK_FAILED: { actions: 'handleTaskFailure' },
        FAILURE_HANDLED: [
          { guard: 'canRestart', target: 'RESTARTING', actions: 'recordRestart' },
          { target: 'FAILING', actions: 'recordFailure' },
        ],
        CANCEL: 'CANCELLING',
        ALL_TASKS_FINISHED: 'FINISHED',
      },
    },
    RESTARTING: {
      // DefaultScheduler.restartTasksWithDelay: cancel the tasks and wait the backoff concurrently; redeploy
      // once both are done (cancelFuture.thenRunAsync(restartTasks) scheduled after the backoff).
      type: 'parallel',
      description: 'A task failed and the restart strategy allows a restart: the tasks are cancelled while the backoff runs, then every task is redeployed from the latest completed checkpoint.',
      entry: [report('RESTARTING', true), 'cancelAllTasks'],
      states: {
        backoff: {
          description: "The restart strategy's delay.",
          initial: 'waiting',
          states: {
            waiting: { description: 'Waiting for the restart delay to pass.', after: { restartBackoff: 'elapsed' } },
            elapsed: { description: 'The restart delay has passed.', type: 'final' },
          },
        },
        tasks: {
          description: 'Cancelling the tasks of the failed attempt.',
          initial: 'cancelling',
          states: {
            cancelling: { description: 'Tasks of the failed attempt are being cancelled.', on: { ALL_TASKS_TERMINATED: 'terminated' } },
            terminated: { description: 'Every task of the failed attempt has terminated.', type: 'final' },
          },
        },
      },
      onDone: {
        target: 'RUNNING',
        actions: { type: 'deployTasks', params: ({ context }) => ({ attempt: context.numRestarts, restore: true }) },
      },
      on: {
        // A failure while restarting belongs to tasks already being cancelled: Flink ignores it (adaptive
        // scheduler's Restarting.handleGlobalFailure "don't do anything"; Execution.processFail on a
        // CANCELING execution completes the cancellation). It neither counts nor resets the backoff.
        TASK_FAILED: {},
        CANCEL: 'CANCELLING',
      },
    },
    FAILING: {
      description: 'A failure the restart strategy does not allow to restart from: the tasks are cancelled, then the job is FAILED.',
      entry: [report('FAILING', true), 'cancelAllTasks'],
      on: {
        ALL_TASKS_TERMINATED: 'FAILED',
        // Adaptive scheduler's Failing: cancel() goes to Canceling; further failures change nothing.
        CANCEL: 'CANCELLING',
        TASK_FAILED: {},
      },
    },
    CANCELLING: {
      description: 'The job was cancelled: its tasks are being cancelled.',
      entry: [report('CANCELLING'), 'cancelAllTasks'],
      on: { ALL_TASKS_TERMINATED: 'CANCELED', TASK_FAILED: {}, CANCEL: {} },
    },
    FAILED: { description: 'Terminal: the job failed and will not restart.', type: 'final', entry: report('FAILED', true) },
    CANCELED: { description: 'Terminal: the job was cancelled.', type: 'final', entry: report('CANCELED') },
    FINISHED: { description: 'Terminal: every task finished (input drained, or stopped with a savepoint).', type: 'final', entry: report('FINISHED') },
    SUSPENDED: { description: 'Terminal for this JobManager: the job was suspended; its checkpoints are kept.', type: 'final', entry: [report('SUSPENDED'), 'cancelAllTasks'] },
  },
});

export type JobLifecycleSnapshot = SnapshotFrom<typeof jobLifecycleMachine>;

/** The JobStatus of a snapshot (RESTARTING has parallel sub-states, so its value is an object). */
export function jobStatusOf(snapshot: JobLifecycleSnapshot): JobStatus {
  const value = snapshot.value;
  return (typeof value === 'string' ? value : Object.keys(value)[0]) as JobStatus;
}
