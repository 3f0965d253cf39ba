// One checkpoint's lifecycle (Flink's PendingCheckpoint, from trigger to CompletedCheckpoint or abort) as an
// XState machine the coordinator spawns per checkpoint: `pending` until every task acknowledged,
// `finalizing` while the `_metadata` is written (an invoked actor), then `completed`, `aborted` or
// `expired`. It tells its coordinator the outcome; the bookkeeping that follows (the completed checkpoint
// store, shared state registry, failure manager, events and notifications) stays with the coordinator.
//
// The metadata writer is a callback actor, not a promise: a promise settles in a microtask, which would
// escape the deterministic runtime's virtual time; the storage's callback runs at the moment the write ends.
import { assign, fromCallback, sendParent, setup } from 'xstate';
import type { CheckpointId, TaskId } from '../engine/ids';
import type { Clock } from '../engine/ports/clock';
import type { CheckpointStorage } from '../engine/ports/checkpoint-storage';
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import type { OperatorLayout, PendingCheckpoint } from '../engine/checkpoint/pending-checkpoint';
import type { SubtaskCheckpointMetrics, TaskStateSnapshot } from '../engine/checkpoint/task-state';
import type { CheckpointStatistics } from '../engine/checkpoint/checkpoint-stats';
import { CHECKPOINT_EXPIRED_MESSAGE } from '../engine/checkpoint/checkpoint-stats-fold';

export interface PendingCheckpointInput {
  /** The acknowledgements so far and the tasks still to acknowledge (the engine's PendingCheckpoint). */
  readonly pending: PendingCheckpoint;
  /** Which operators the metadata lists, with their parallelism. */
  readonly operators: readonly OperatorLayout[];
  readonly storage: Pick<CheckpointStorage, 'writeMetadata'>;
  readonly clock: Clock;
  /** `execution.checkpointing.timeout`, counted from the trigger. */
  readonly timeoutMs: number;
}

export type PendingCheckpointEvent =
  | { type: 'ACKNOWLEDGE'; taskId: TaskId; state: TaskStateSnapshot; metrics: SubtaskCheckpointMetrics }
  /** The coordinator aborts it (declined, subsumed, coordinator suspended): Flink's abortPendingCheckpoint. */
  | { type: 'ABORT'; reason: string; message: string }
  | { type: 'METADATA_WRITTEN'; metadata: CheckpointMetadata }
  | { type: 'METADATA_FAILED'; error: string };

/** What a spawned checkpoint tells its coordinator when it ends. */
export type PendingCheckpointOutcome =
  | { type: 'CHECKPOINT_COMPLETED'; checkpointId: CheckpointId; metadata: CheckpointMetadata }
  /** Aborted or expired; `reason` is Flink's CheckpointFailureReason (CHECKPOINT_EXPIRED when it expired). */
  | { type: 'CHECKPOINT_FAILED'; checkpointId: CheckpointId; reason: string; message: string };

interface PendingCheckpointContext extends PendingCheckpointInput {
  readonly checkpointId: CheckpointId;
  metadata: CheckpointMetadata | null;
  failure: { readonly reason: string; readonly message: string } | null;
}

/** The state keys, as the page lights them: `pendingCheckpoint.<state>`. */
export type PendingCheckpointState = 'pending' | 'finalizing' | 'completed' | 'aborted' | 'expired';

/** Writes the `_metadata` file and reports back when the storage says it is written (or failed). */
export const writeMetadataActor = fromCallback<PendingCheckpointEvent, { storage: Pick<CheckpointStorage, 'writeMetadata'>; metadata: CheckpointMetadata }>(
  ({ input, sendBack }) => {
    let stopped = false;
    input.storage.writeMetadata(input.metadata, (written) => {
      if (stopped) return; // aborted or expired meanwhile: nobody waits for this write any more
      sendBack(written.ok ? { type: 'METADATA_WRITTEN', metadata: input.metadata } : { type: 'METADATA_FAILED', error: written.error });
    });
    return () => {
      stopped = true;
    };
  },
);

export const pendingCheckpointMachine = setup({
  types: {
    input: {} as PendingCheckpointInput,
    context: {} as PendingCheckpointContext,
    events: {} as PendingCheckpointEvent,
  },
  actors: { writeMetadata: writeMetadataActor },
  delays: {
    /** Flink's CheckpointCanceller: the timeout runs from the trigger, through finalization too. */
    untilExpiry: ({ context }) => Math.max(0, context.pending.triggerTimestamp + context.timeoutMs - context.clock.now()),
  },
  guards: {
    fullyAcknowledged: ({ context }) => context.pending.isFullyAcknowledged(),
  },
  actions: {
    /** PendingCheckpoint.acknowledgeTask: a duplicate or unknown task changes nothing. */
    acknowledge: ({ context, event }) => {
      if (event.type === 'ACKNOWLEDGE') context.pending.acknowledgeTask(event.taskId, event.state, event.metrics);
    },
    recordAbort: assign({ failure: ({ event }) => (event.type === 'ABORT' ? { reason: event.reason, message: event.message } : null) }),
    recordFinalizeFailure: assign({ failure: ({ event }) => (event.type === 'METADATA_FAILED' ? { reason: 'FINALIZE_CHECKPOINT_FAILURE', message: event.error } : null) }),
    recordExpiry: assign({ failure: () => ({ reason: 'CHECKPOINT_EXPIRED', message: CHECKPOINT_EXPIRED_MESSAGE }) }),
    recordMetadata: assign({ metadata: ({ event }) => (event.type === 'METADATA_WRITTEN' ? event.metadata : null) }),
    reportCompleted: sendParent(({ context }): PendingCheckpointOutcome => ({ type: 'CHECKPOINT_COMPLETED', checkpointId: context.checkpointId, metadata: context.metadata! })),
    reportFailed: sendParent(
      ({ context }): PendingCheckpointOutcome => ({ type: 'CHECKPOINT_FAILED', checkpointId: context.checkpointId, reason: context.failure!.reason, message: context.failure!.message }),
    ),
  },
}).createMachine({
  id: 'pendingCheckpoint',
  description: "One checkpoint from trigger to completion or abort (Flink's PendingCheckpoint).",
  context: ({ input }) => ({ ...input, checkpointId: input.pending.checkpointId, metadata: null, failure: null }),
  initial: 'pending',
  states: {
    pending: {
      description: 'Triggered: the barriers flow and the coordinator waits for every task to acknowledge.',
      always: { guard: 'fullyAcknowledged', target: 'finalizing' },
      after: { untilExpiry: { target: 'expired', actions: 'recordExpiry' } },
      on: {
        ACKNOWLEDGE: { actions: 'acknowledge' },
        ABORT: { target: 'aborted', actions: 'recordAbort' },
      },
    },
    finalizing: {
      description: "Fully acknowledged: the checkpoint's _metadata is written, last (Flink's finalizeCheckpoint).",
      invoke: {
        src: 'writeMetadata',
        input: ({ context }) => ({ storage: context.storage, metadata: context.pending.toMetadata(context.operators, context.clock.now()) }),
      },
      after: { untilExpiry: { target: 'expired', actions: 'recordExpiry' } },
      on: {
        METADATA_WRITTEN: { target: 'completed', actions: 'recordMetadata' },
        METADATA_FAILED: { target: 'aborted', actions: 'recordFinalizeFailure' },
        ABORT: { target: 'aborted', actions: 'recordAbort' },
      },
    },
    completed: {
      description: 'A CompletedCheckpoint: added to the store, the tasks are notified and commit.',
      type: 'final',
      entry: 'reportCompleted',
    },
    aborted: {
      description: 'Aborted: declined by a task, subsumed, the coordinator suspended, or the metadata not written.',
      type: 'final',
      entry: 'reportFailed',
    },
    expired: {
      description: 'Expired before completing (execution.checkpointing.timeout).',
      type: 'final',
      entry: 'reportFailed',
    },
  },
});

/**
 * Which state a checkpoint's machine is in, from the statistics alone (what the page has): in progress and
 * acknowledged by every subtask is `finalizing`, a failure with the expiry message `expired`.
 */
export function pendingCheckpointStateOf(statistics: Pick<CheckpointStatistics, 'status' | 'num_subtasks' | 'num_acknowledged_subtasks' | 'failure_message'>): PendingCheckpointState {
  if (statistics.status === 'COMPLETED') return 'completed';
  if (statistics.status === 'FAILED') return statistics.failure_message === CHECKPOINT_EXPIRED_MESSAGE ? 'expired' : 'aborted';
  return statistics.num_acknowledged_subtasks >= statistics.num_subtasks ? 'finalizing' : 'pending';
}
