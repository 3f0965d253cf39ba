// What the space-time view draws: one lane per subtask over clock time, the barriers crossing between
// lanes, each subtask's local snapshot as a dot, each checkpoint as the cut through its dots, restarts
// as shaded intervals and restores as jumps back to a cut. Plain data, no Svelte, no DOM.
import type { CheckpointId, OperatorUid, TaskId, VertexId } from '../../engine/ids';

/** Flink's Web UI statuses, coloured from palette.ts. */
export type CutStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface SpaceTimeLane {
  readonly taskId: TaskId;
  readonly vertexId: VertexId;
  /** Row from the top: sources first, in deployment order. */
  readonly index: number;
}

/** Where checkpoint `checkpointId`'s barrier reached one subtask. */
export interface BarrierMark {
  readonly checkpointId: CheckpointId;
  readonly taskId: TaskId;
  /** First and last `barrier-received` over its input channels; null for a source (its barrier is injected). */
  readonly firstArrivalAt: number | null;
  readonly lastArrivalAt: number | null;
  /** When it sent the barrier on downstream (`barrier-emitted`); a source's injection time. */
  readonly emittedAt: number | null;
}

/** One barrier travelling one channel: sent by `from` at `sentAt`, received by `to` at `arrivedAt`. */
export interface BarrierHop {
  readonly checkpointId: CheckpointId;
  readonly from: TaskId;
  readonly to: TaskId;
  readonly channel: number;
  readonly sentAt: number;
  readonly arrivedAt: number;
}

/** A subtask's local snapshot of one checkpoint (the moment its synchronous part ended). */
export interface SnapshotDot {
  readonly checkpointId: CheckpointId;
  readonly taskId: TaskId;
  readonly time: number;
  /** From its acknowledgement; null until acknowledged. */
  readonly stateSizeBytes: number | null;
  readonly checkpointedSizeBytes: number | null;
}

/** A checkpoint as a cut: its snapshot dots in lane order, and what the completed checkpoint holds. */
export interface CheckpointCut {
  readonly checkpointId: CheckpointId;
  readonly isSavepoint: boolean;
  readonly status: CutStatus;
  readonly triggeredAt: number;
  /** Completed, aborted or expired at; null while in progress. */
  readonly endedAt: number | null;
  /** One per subtask that took its snapshot, in lane order: a completed cut has one for every lane. */
  readonly points: readonly SnapshotDot[];
  readonly stateSizeBytes: number | null;
  readonly checkpointedSizeBytes: number | null;
  /** Source uid → partition → next offset to read, as stored; empty unless completed. */
  readonly sourceOffsets: Readonly<Record<OperatorUid, Readonly<Record<string, number>>>>;
  readonly failureReason: string | null;
  /** Some deployment restored this checkpoint. */
  readonly restored: boolean;
}

/** The job was not running: from RESTARTING (or FAILING) until RUNNING again (null: still). */
export interface RestartShade {
  readonly startAt: number;
  readonly endAt: number | null;
  /** The attempt the restart deploys (`job-restarting`), null if not announced. */
  readonly attempt: number | null;
  readonly cause: string | null;
}

/** A deployment that restored a checkpoint: at `at` every lane jumps back to that checkpoint's cut. */
export interface RestoreJump {
  readonly at: number;
  readonly attempt: number;
  readonly restoredCheckpointId: CheckpointId;
  /** The cut's latest snapshot time; null when its cut is not in the stream (a savepoint from elsewhere). */
  readonly cutAt: number | null;
  readonly isSavepoint: boolean;
}

export interface SpaceTimeView {
  readonly lanes: readonly SpaceTimeLane[];
  /** Clock time drawn, [start, end]; end is `now` (or the latest event). */
  readonly extent: { readonly start: number; readonly end: number };
  readonly marks: readonly BarrierMark[];
  readonly hops: readonly BarrierHop[];
  readonly snapshots: readonly SnapshotDot[];
  /** Oldest first: the newest `maxCheckpoints`, plus those a kept restore jumps to. */
  readonly cuts: readonly CheckpointCut[];
  readonly restarts: readonly RestartShade[];
  readonly restores: readonly RestoreJump[];
  /** Checkpoints dropped to stay bounded (their cuts, marks and dots are gone). */
  readonly hiddenCheckpoints: number;
}
