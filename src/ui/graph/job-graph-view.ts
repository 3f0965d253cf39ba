// What the job graph draws at one moment: operators as columns, subtasks as boxes, one lane per channel
// holding a FIFO of record batches and barriers. Plain data, produced by JobGraphFold.view(now); no pixels.
import type { DeployedChannel, DeployedSubtask, DeployedVertex } from '../../engine/events';
import type { CheckpointId, TaskId } from '../../engine/ids';
import type { ExecutionState } from '../../engine/task/messages';
import type { BackPressureLevel } from '../../engine/samples';

export interface JobGraphView {
  /** The clock time this view is for (ms). */
  readonly now: number;
  readonly attempt: number;
  readonly restoredCheckpointId: CheckpointId | null;
  /** Columns left to right by topological depth; a column may hold several vertices. */
  readonly columns: readonly (readonly VertexView[])[];
  readonly lanes: readonly LaneView[];
  /** True while some lane shows fewer dots than it holds record batches (dots stand for batches). */
  readonly sampled: boolean;
  /** At most this many items (dots and barriers) are drawn per lane. */
  readonly maxDrawnItemsPerLane: number;
  /** Epochs present on the lanes, ascending (for the legend). */
  readonly epochs: readonly number[];
  /** False until the stream held a `job-deployed` event: the topology was inferred from task events. */
  readonly deployed: boolean;
}

/** A deployed vertex (job-deployed's) with where it is drawn and its subtasks' views. */
export interface VertexView extends DeployedVertex {
  readonly isSource: boolean;
  readonly depth: number;
  readonly subtasks: readonly SubtaskView[];
}

/** A deployed subtask (job-deployed's) with what it is doing now. */
export interface SubtaskView extends DeployedSubtask {
  /** Flink's ExecutionState as last reported (a killed task reports nothing: see `down`). */
  readonly state: ExecutionState;
  /** Why the subtask is out: its worker was killed, or its code threw; null while it lives. */
  readonly down: 'killed' | 'failed' | null;
  readonly downCause: string | null;
  /** The checkpoint whose barrier it has not passed yet: records it sends now have this epoch. */
  readonly epoch: CheckpointId;
  readonly alignment: AlignmentView | null;
  readonly snapshot: SnapshotView | null;
  /** From samples: the slowdown in effect (1 = normal). */
  readonly slowdown: number;
  /** From the latest sample of the current attempt: where its time goes; null until one came. */
  readonly time: SubtaskTimeView | null;
  /** Its input channels (receiver's channel index order). */
  readonly inputChannels: number;
}

/** A sample's busy / backpressured / idle ms per second (docs/events.md, "Samples") and Flink's level for it. */
export interface SubtaskTimeView {
  readonly busyTimeMsPerSecond: number;
  readonly backPressuredTimeMsPerSecond: number;
  readonly idleTimeMsPerSecond: number;
  readonly backPressure: BackPressureLevel;
}

/** Between the first barrier of a checkpoint and `alignment-done`: which channels delivered it. */
export interface AlignmentView {
  readonly checkpointId: CheckpointId;
  readonly startedAt: number;
  readonly waitedMs: number;
  readonly receivedChannels: readonly number[];
  readonly blockedChannels: readonly number[];
  /** receivedChannels / inputChannels: how full the alignment ring is. */
  readonly fraction: number;
}

export type SnapshotPhase = 'sync' | 'async' | 'acknowledged' | 'failed';

/** The subtask's latest snapshot: sync flash, async arc, the acknowledgement's envelope. */
export interface SnapshotView {
  readonly checkpointId: CheckpointId;
  readonly phase: SnapshotPhase;
  /** 1 right after the synchronous part, fading to 0 over the flash time; 0 afterwards. */
  readonly syncFlash: number;
  /** 0 → 1 while the asynchronous upload runs (estimated from the last one), 1 when done. */
  readonly asyncProgress: number;
  /** 0 → 1 while the acknowledgement travels to the coordinator; null when not travelling. */
  readonly envelope: number | null;
  readonly failure: string | null;
  /** Taken unaligned (FLIP-76), as far as the stream said so yet; null: aligned (or not known to be unaligned). */
  readonly unaligned: UnalignedSnapshotView | null;
}

export interface UnalignedSnapshotView {
  /** Began aligned and switched once alignment outlasted execution.checkpointing.aligned-checkpoint-timeout. */
  readonly switched: boolean;
  /** Records its barrier overtook, in its input channels and its output: persisted as channel state. */
  readonly inFlightRecords: number;
}

export interface LaneView {
  /** `numbers#0->sum#1`, the test contract's `data-channel`. */
  readonly id: string;
  readonly from: TaskId;
  readonly to: TaskId;
  readonly channel: number;
  readonly partitioner: DeployedChannel['partitioner'];
  readonly blocked: boolean;
  readonly blockedBy: CheckpointId | null;
  /** Records on the lane not yet consumed by the receiver (sent − consumed). */
  readonly queued: number;
  /** Of those, records that reached the receiver's input queue (the rest are in flight). */
  readonly arrived: number;
  /** The receiver's own count from its latest sample, or null without samples. */
  readonly sampledQueue: number | null;
  /** Network latency added to this channel from outside (a slow link), ms; 0 when none. */
  readonly delayMs: number;
  /** Items to draw, head (nearest the receiver) first: delivered ones, then at most maxDrawnItemsPerLane on the lane. */
  readonly items: readonly LaneItemView[];
  /** A barrier that just overtook this lane's queued records (unaligned checkpoint), while it is drawn; else null. */
  readonly leap: LeapView | null;
}

/** An unaligned barrier's leap over the records queued on a lane, drawn for a moment after the receiver took it. */
export interface LeapView {
  readonly checkpointId: CheckpointId;
  readonly records: number;
  /** 0 when the receiver took the barrier → 1 when the leap is no longer drawn. */
  readonly age: number;
}

interface LaneItemBase {
  /** Stable across views while the item lives (for keyed rendering). */
  readonly key: string;
  /** 0 at the sender → 1 at the receiver, from the time it was sent (travel time is a constant). */
  readonly progress: number;
  /** Items ahead of it on the lane: where it stacks in the input queue (0 = at the gate). */
  readonly slot: number;
  readonly arrived: boolean;
  /**
   * Already consumed (a barrier: received) by the receiver, drawn until the picture's travel time is
   * over; not counted in the lane's queue. Always ahead of the items still on the lane.
   */
  readonly delivered: boolean;
}

export interface RecordItemView extends LaneItemBase {
  readonly kind: 'records';
  readonly epoch: CheckpointId;
  readonly count: number;
  /** Number of sent batches this dot stands for (1 unless the lane is sampled). */
  readonly batches: number;
  /** The checkpoint whose channel state holds these records (an unaligned barrier overtook them), or null. */
  readonly captured: CheckpointId | null;
  /** Whose channel state holds them: the receiver's input channel, or the sender's output; null when not captured. */
  readonly capturedSide: 'input' | 'output' | null;
  /** Put back from a restored checkpoint's channel state, flowing in before any new input. */
  readonly restored: boolean;
}

export interface BarrierItemView extends LaneItemBase {
  readonly kind: 'barrier';
  readonly checkpointId: CheckpointId;
}

export type LaneItemView = RecordItemView | BarrierItemView;
