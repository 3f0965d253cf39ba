// Everything the engine does is also an event: typed, JSON-serialisable, stamped with the clock's
// time. The UI is a function of this stream; the CLI writes it as JSON Lines (docs/events.md).
import type { AttemptNumber, CheckpointId, TaskId } from './ids';
import type { ExecutionState } from './task/messages';

interface Stamped {
  /** Clock time in ms. */
  readonly time: number;
}

export type EngineEvent = Stamped &
  (
    | { readonly type: 'job-status-changed'; readonly status: string; readonly previous: string; readonly cause?: string }
    | { readonly type: 'task-state-changed'; readonly taskId: TaskId; readonly attempt: AttemptNumber; readonly state: ExecutionState }
    | {
        readonly type: 'records-moved';
        readonly from: TaskId;
        readonly to: TaskId;
        readonly channel: number;
        readonly count: number;
        readonly sizeBytes: number;
      }
    | { readonly type: 'barrier-emitted'; readonly taskId: TaskId; readonly checkpointId: CheckpointId }
    | { readonly type: 'barrier-received'; readonly taskId: TaskId; readonly checkpointId: CheckpointId; readonly channel: number }
    | { readonly type: 'channel-blocked'; readonly taskId: TaskId; readonly channel: number; readonly checkpointId: CheckpointId }
    | { readonly type: 'channel-unblocked'; readonly taskId: TaskId; readonly channel: number }
    | { readonly type: 'alignment-done'; readonly taskId: TaskId; readonly checkpointId: CheckpointId; readonly alignmentDurationMs: number }
    | { readonly type: 'snapshot-sync-done'; readonly taskId: TaskId; readonly checkpointId: CheckpointId; readonly syncDurationMs: number }
    | {
        readonly type: 'snapshot-async-done';
        readonly taskId: TaskId;
        readonly checkpointId: CheckpointId;
        readonly asyncDurationMs: number;
        readonly stateSizeBytes: number;
      }
    | { readonly type: 'snapshot-failed'; readonly taskId: TaskId; readonly checkpointId: CheckpointId; readonly phase: 'sync' | 'async'; readonly message: string }
    | { readonly type: 'checkpoint-declined'; readonly taskId: TaskId; readonly checkpointId: CheckpointId; readonly reason: string }
    | { readonly type: 'checkpoint-acknowledged'; readonly taskId: TaskId; readonly checkpointId: CheckpointId }
    | { readonly type: 'checkpoint-triggered'; readonly checkpointId: CheckpointId; readonly isSavepoint: boolean }
    | { readonly type: 'checkpoint-completed'; readonly checkpointId: CheckpointId; readonly isSavepoint: boolean; readonly endToEndDurationMs: number; readonly stateSizeBytes: number }
    | { readonly type: 'checkpoint-aborted'; readonly checkpointId: CheckpointId; readonly reason: string }
    | { readonly type: 'checkpoint-expired'; readonly checkpointId: CheckpointId }
    | { readonly type: 'checkpoint-discarded'; readonly checkpointId: CheckpointId }
    | { readonly type: 'task-failed'; readonly taskId: TaskId; readonly attempt: AttemptNumber; readonly cause: string }
    | { readonly type: 'job-restarting'; readonly attempt: AttemptNumber; readonly backoffMs: number }
    | { readonly type: 'task-restored'; readonly taskId: TaskId; readonly checkpointId: CheckpointId | null }
    | { readonly type: 'source-rewound'; readonly taskId: TaskId; readonly offsets: Readonly<Record<string, number>> }
    | { readonly type: 'sink-committed'; readonly taskId: TaskId; readonly transactionId: string; readonly records: number }
    | { readonly type: 'sink-aborted'; readonly taskId: TaskId; readonly transactionId: string; readonly records: number }
    | { readonly type: 'fault-injected'; readonly fault: string }
  );

export type EngineEventType = EngineEvent['type'];

/** Where events go: the simulator's log, the Worker runtime's batched stream. */
export type EventSink = (event: EngineEvent) => void;

/** Build an event without repeating `time` at every call site. */
export type EventBody = EngineEvent extends infer E ? (E extends Stamped ? Omit<E, 'time'> : never) : never;
