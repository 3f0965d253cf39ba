// The typed messages that cross the Transport: data plane (channel elements, credits) between tasks,
// control plane (trigger, notify, ack, decline, failure) between tasks and the job master.
import type { AttemptNumber, CheckpointId, TaskId } from '../ids';
import type { SubtaskCheckpointMetrics, TaskStateSnapshot } from '../checkpoint/task-state';

/** Version of the message schema; the Worker runtime rejects messages of another version. */
export const MESSAGE_VERSION = 1;

/**
 * Flink's SnapshotType as CheckpointOptions carries it (and as the REST API's checkpoint_type names it):
 * SYNC_SAVEPOINT is stop-with-savepoint's — after its snapshot a task processes nothing until the savepoint
 * completes (then it finishes) or is aborted (then it resumes): StreamTask's synchronous savepoint.
 */
export type CheckpointType = 'CHECKPOINT' | 'SAVEPOINT' | 'SYNC_SAVEPOINT';

/** Flink's CheckpointOptions.AlignmentType. Absent in older messages and traces: ALIGNED. */
export type AlignmentType = 'ALIGNED' | 'UNALIGNED' | 'FORCED_ALIGNED' | 'AT_LEAST_ONCE';
export interface CheckpointOptions {
  readonly checkpointType: CheckpointType;
  readonly alignment?: AlignmentType;
  /** Flink's alignedCheckpointTimeout (ms from the checkpoint's start, i.e. the barrier's timestamp);
   *  only for ALIGNED barriers of a job with unaligned checkpoints and a timeout > 0. Absent: none. */
  readonly alignedCheckpointTimeoutMs?: number;
}

/** What travels in one channel, in order. Only buffers of records need credit (as in Flink). */
export type ChannelElement =
  | { readonly kind: 'buffer'; readonly records: readonly unknown[]; readonly sizeBytes: number }
  | { readonly kind: 'barrier'; readonly checkpointId: CheckpointId; readonly timestamp: number; readonly options: CheckpointOptions }
  | { readonly kind: 'cancellation-marker'; readonly checkpointId: CheckpointId }
  /** Flink's EventAnnouncement of a barrier: a priority event sent ahead of queued data when an
   *  aligned-with-timeout barrier is enqueued, so the receiver can start its timer before the barrier arrives. */
  | { readonly kind: 'announcement'; readonly checkpointId: CheckpointId; readonly timestamp: number; readonly options: CheckpointOptions }
  | { readonly kind: 'end-of-partition' };

export type TaskMessage =
  | { readonly type: 'channel'; readonly attempt: AttemptNumber; readonly channel: number; readonly element: ChannelElement }
  | { readonly type: 'credit'; readonly attempt: AttemptNumber; readonly output: number; readonly subpartition: number; readonly credits: number }
  | {
      readonly type: 'trigger-checkpoint';
      readonly attempt: AttemptNumber;
      readonly checkpointId: CheckpointId;
      readonly timestamp: number;
      readonly options: CheckpointOptions;
    }
  | { readonly type: 'notify-checkpoint-complete'; readonly attempt: AttemptNumber; readonly checkpointId: CheckpointId }
  | { readonly type: 'notify-checkpoint-aborted'; readonly attempt: AttemptNumber; readonly checkpointId: CheckpointId };

/** Flink's ExecutionState, as reported by a task. */
export type ExecutionState =
  | 'CREATED'
  | 'DEPLOYING'
  | 'INITIALIZING'
  | 'RUNNING'
  | 'FINISHED'
  | 'CANCELING'
  | 'CANCELED'
  | 'FAILED';

export type JobMasterMessage =
  | {
      readonly type: 'acknowledge-checkpoint';
      readonly taskId: TaskId;
      readonly attempt: AttemptNumber;
      readonly checkpointId: CheckpointId;
      readonly subtaskState: TaskStateSnapshot;
      readonly metrics: SubtaskCheckpointMetrics;
    }
  | {
      readonly type: 'decline-checkpoint';
      readonly taskId: TaskId;
      readonly attempt: AttemptNumber;
      readonly checkpointId: CheckpointId;
      readonly reason: string;
      readonly message: string;
    }
  | { readonly type: 'task-state'; readonly taskId: TaskId; readonly attempt: AttemptNumber; readonly state: ExecutionState }
  /**
   * Flink's TaskManagerActions#notifyEndOfData (FLIP-147): the task's input ended, its operators finished and its
   * output partitions ended; it stays RUNNING until a checkpoint taken after this completes (its final checkpoint).
   */
  | { readonly type: 'end-of-data'; readonly taskId: TaskId; readonly attempt: AttemptNumber }
  | { readonly type: 'task-failed'; readonly taskId: TaskId; readonly attempt: AttemptNumber; readonly cause: string };

/** The Transport port, as a task sees it. */
export interface TaskTransport {
  sendToTask(target: TaskId, message: TaskMessage): void;
  sendToJobMaster(message: JobMasterMessage): void;
}
