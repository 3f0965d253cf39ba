// Everything the engine does is also an event: typed, JSON-serialisable, stamped with the clock's
// time. The UI is a function of this stream (plus task samples, ./samples.ts); the CLI writes it as
// JSON Lines (docs/events.md).
//
// Contract for the live picture (issue 7): every field is emitted by both runtimes (the engine code is
// shared). Optional only where absence means something: `cause` of a status change without a failure,
// `restoredFrom` of a fresh start's `job-deployed`.
import type { AttemptNumber, CheckpointId, OperatorUid, TaskId, VertexId } from './ids';
import type { CheckpointType, ExecutionState } from './task/messages';

interface Stamped {
  /** Clock time in ms. */
  readonly time: number;
}

/** An operator of a deployed vertex; `chained` operators run inside the head's task (Flink's operator chain). */
export interface DeployedOperator {
  readonly uid: OperatorUid;
  readonly name: string;
  readonly role: 'source' | 'keyed' | 'operator' | 'sink';
  /** False for the chain's head, true for the operators chained behind it. */
  readonly chained: boolean;
}

export interface DeployedVertex {
  readonly vertexId: VertexId;
  readonly name: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly operators: readonly DeployedOperator[];
}

export interface DeployedSubtask {
  readonly taskId: TaskId;
  readonly vertexId: VertexId;
  readonly subtaskIndex: number;
  /** The key groups this subtask owns (inclusive), for keyed vertices; null otherwise. */
  readonly keyGroups: { readonly start: number; readonly end: number } | null;
}

/** One FIFO channel: sender subtask → receiver subtask; `channel` is the receiver's input channel index. */
export interface DeployedChannel {
  readonly from: TaskId;
  readonly to: TaskId;
  readonly channel: number;
  readonly partitioner: 'forward' | 'rebalance' | 'hash';
}

/** What a per-subtask acknowledgement reports (Flink's `SubtaskStateStats` / `CheckpointMetrics`). */
export interface AcknowledgementMetrics {
  readonly syncDurationMs: number;
  readonly asyncDurationMs: number;
  readonly alignmentDurationMs: number;
  /** Trigger → first barrier seen by this subtask (for sources: trigger → the task's snapshot start). */
  readonly startDelayMs: number;
  /** Bytes this checkpoint uploaded for the subtask (incremental: only new pieces). */
  readonly checkpointedSizeBytes: number;
  /** Full state size of the subtask in this checkpoint. */
  readonly stateSizeBytes: number;
  /** Bytes processed during alignment (Flink's `processedData`). */
  readonly processedDataBytes: number;
  /** In-flight bytes persisted as channel state (0 for aligned checkpoints; Flink's `persistedData`). */
  readonly persistedDataBytes: number;
  readonly unaligned: boolean;
}

export type EngineEvent = Stamped &
  (
    | { readonly type: 'job-status-changed'; readonly status: string; readonly previous: string; readonly cause?: string }
    | {
        /** The job master deployed attempt `attempt`: the whole topology, as the picture draws it (issue 7). */
        readonly type: 'job-deployed';
        readonly attempt: AttemptNumber;
        /** The checkpoint or savepoint this attempt restores, or null for a fresh start. */
        readonly restoredCheckpointId: CheckpointId | null;
        /** The restored snapshot as Flink's statistics name it (`latest.restored`); absent for a fresh start. */
        readonly restoredFrom?: { readonly isSavepoint: boolean; readonly externalPath: string };
        readonly vertices: readonly DeployedVertex[];
        readonly subtasks: readonly DeployedSubtask[];
        readonly channels: readonly DeployedChannel[];
      }
    | { readonly type: 'task-state-changed'; readonly taskId: TaskId; readonly attempt: AttemptNumber; readonly state: ExecutionState }
    | {
        /** The sender put `count` records on the channel (batched per network buffer). */
        readonly type: 'records-moved';
        readonly from: TaskId;
        readonly to: TaskId;
        readonly channel: number;
        readonly count: number;
        readonly sizeBytes: number;
        readonly attempt: AttemptNumber;
        /**
         * The buffer's checkpoint epoch: one more than the last barrier the sender put on this channel before it
         * (so under backpressure a barrier waiting behind older buffers stays behind them). Always set by the engine;
         * optional so hand-written events may leave it out.
         */
        readonly epoch?: CheckpointId;
      }
    | {
        /** The receiver took `count` records from input channel `channel` to process them (issue 7). */
        readonly type: 'records-consumed';
        readonly taskId: TaskId;
        readonly attempt: AttemptNumber;
        readonly channel: number;
        readonly count: number;
      }
    | {
        /** A source read offsets [fromOffset, toOffset) of one partition (issue 7). */
        readonly type: 'source-read';
        readonly taskId: TaskId;
        readonly attempt: AttemptNumber;
        /** The source operator's uid. */
        readonly source: OperatorUid;
        readonly partition: number;
        readonly fromOffset: number;
        readonly toOffset: number;
      }
    | { readonly type: 'barrier-emitted'; readonly taskId: TaskId; readonly checkpointId: CheckpointId; readonly attempt: AttemptNumber }
    | { readonly type: 'barrier-received'; readonly taskId: TaskId; readonly checkpointId: CheckpointId; readonly channel: number; readonly attempt: AttemptNumber }
    | {
        /**
         * An unaligned barrier went ahead of buffered records (issue 9): in the task's output backlog to one
         * consumer (side output: `to` is the consumer, `channel` its input channel), or in one of the task's input
         * channels (side input). The overtaken records become the checkpoint's channel state; they still flow on.
         */
        readonly type: 'barrier-overtook';
        readonly taskId: TaskId;
        readonly attempt: AttemptNumber;
        readonly checkpointId: CheckpointId;
        readonly side: 'output' | 'input';
        readonly channel: number;
        readonly to?: TaskId;
        readonly records: number;
        readonly sizeBytes: number;
      }
    | {
        /** An aligned checkpoint whose alignment timed out (or met an unaligned barrier) is taken unaligned from here on (issue 9). */
        readonly type: 'checkpoint-switched-to-unaligned';
        readonly taskId: TaskId;
        readonly attempt: AttemptNumber;
        readonly checkpointId: CheckpointId;
      }
    | {
        /**
         * Channel state of the restored unaligned checkpoint was put back before any new input (issue 9): into an
         * input channel of the task (side input), or first into its output to `to`'s input channel `channel` (side output).
         */
        readonly type: 'channel-state-restored';
        readonly taskId: TaskId;
        readonly attempt: AttemptNumber;
        readonly checkpointId: CheckpointId;
        readonly side: 'output' | 'input';
        readonly channel: number;
        readonly to?: TaskId;
        readonly records: number;
      }
    | { readonly type: 'channel-blocked'; readonly taskId: TaskId; readonly channel: number; readonly checkpointId: CheckpointId; readonly attempt: AttemptNumber }
    | { readonly type: 'channel-unblocked'; readonly taskId: TaskId; readonly channel: number; readonly checkpointId: CheckpointId; readonly attempt: AttemptNumber }
    | {
        readonly type: 'alignment-done';
        readonly taskId: TaskId;
        readonly checkpointId: CheckpointId;
        readonly alignmentDurationMs: number;
        readonly attempt: AttemptNumber;
      }
    | { readonly type: 'snapshot-sync-done'; readonly taskId: TaskId; readonly checkpointId: CheckpointId; readonly syncDurationMs: number; readonly attempt: AttemptNumber }
    | {
        readonly type: 'snapshot-async-done';
        readonly taskId: TaskId;
        readonly checkpointId: CheckpointId;
        readonly asyncDurationMs: number;
        readonly stateSizeBytes: number;
        readonly attempt: AttemptNumber;
      }
    | {
        readonly type: 'snapshot-failed';
        readonly taskId: TaskId;
        readonly checkpointId: CheckpointId;
        readonly phase: 'sync' | 'async';
        readonly message: string;
        readonly attempt: AttemptNumber;
      }
    | { readonly type: 'checkpoint-declined'; readonly taskId: TaskId; readonly checkpointId: CheckpointId; readonly reason: string; readonly attempt: AttemptNumber }
    | ({
        readonly type: 'checkpoint-acknowledged';
        readonly taskId: TaskId;
        readonly checkpointId: CheckpointId;
        readonly attempt: AttemptNumber;
      } & AcknowledgementMetrics)
    | {
        readonly type: 'checkpoint-triggered';
        readonly checkpointId: CheckpointId;
        readonly isSavepoint: boolean;
        /** Flink's RestAPICheckpointType: SYNC_SAVEPOINT is stop-with-savepoint's savepoint. */
        readonly checkpointType: CheckpointType;
      }
    | {
        readonly type: 'checkpoint-completed';
        readonly checkpointId: CheckpointId;
        readonly isSavepoint: boolean;
        /** Flink's `end_to_end_duration`: trigger → the latest acknowledgement (the metadata write follows it). */
        readonly endToEndDurationMs: number;
        readonly stateSizeBytes: number;
        /** Bytes this checkpoint uploaded (incremental: only new pieces), summed over its acknowledgements. */
        readonly checkpointedSizeBytes: number;
        /** Source operator uid → partition → the next offset to read, as stored in this checkpoint (issue 7). */
        readonly sourceOffsets: Readonly<Record<OperatorUid, Readonly<Record<string, number>>>>;
        /** Flink's `external_path` of the completed checkpoint. */
        readonly externalPath: string;
      }
    | {
        readonly type: 'checkpoint-aborted';
        readonly checkpointId: CheckpointId;
        /** Flink's CheckpointFailureReason, e.g. CHECKPOINT_DECLINED. */
        readonly reason: string;
        /** Flink's `failure_message`: what went wrong, in words. */
        readonly message: string;
      }
    | { readonly type: 'checkpoint-expired'; readonly checkpointId: CheckpointId }
    | { readonly type: 'checkpoint-discarded'; readonly checkpointId: CheckpointId }
    | { readonly type: 'task-failed'; readonly taskId: TaskId; readonly attempt: AttemptNumber; readonly cause: string }
    | { readonly type: 'job-restarting'; readonly attempt: AttemptNumber; readonly backoffMs: number }
    | { readonly type: 'task-restored'; readonly taskId: TaskId; readonly checkpointId: CheckpointId | null; readonly attempt: AttemptNumber }
    | { readonly type: 'source-rewound'; readonly taskId: TaskId; readonly offsets: Readonly<Record<string, number>>; readonly attempt: AttemptNumber; readonly source: OperatorUid }
    | {
        readonly type: 'sink-committed';
        readonly taskId: TaskId;
        readonly transactionId: string;
        readonly records: number;
        readonly attempt: AttemptNumber;
        /**
         * The checkpoint that pre-committed it (its snapshot holds the transaction; the id `transactionId` ends in):
         * its completion — or, when it was aborted, a later checkpoint's, or the restore of one that holds it — commits it.
         */
        readonly checkpointId: CheckpointId;
        /** The committed records themselves, as written, so the ledger needs no side channel. */
        readonly committed: readonly unknown[];
      }
    | {
        readonly type: 'sink-aborted';
        readonly taskId: TaskId;
        readonly transactionId: string;
        readonly records: number;
        readonly attempt: AttemptNumber;
      }
    | {
        /** An at-least-once sink wrote records straight to the external system (issue 7). */
        readonly type: 'sink-written';
        readonly taskId: TaskId;
        readonly attempt: AttemptNumber;
        readonly written: readonly unknown[];
      }
    | { readonly type: 'fault-injected'; readonly fault: string }
  );

export type EngineEventType = EngineEvent['type'];

/** Where events go: the simulator's log, the Worker runtime's batched stream. */
export type EventSink = (event: EngineEvent) => void;

/** Build an event without repeating `time` at every call site. */
export type EventBody = EngineEvent extends infer E ? (E extends Stamped ? Omit<E, 'time'> : never) : never;

/** The event of one type, e.g. `EventOf<'records-moved'>`. */
export type EventOf<T extends EngineEventType> = Extract<EngineEvent, { type: T }>;
