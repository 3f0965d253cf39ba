// The snapshot shelf: one frame per checkpoint, one cell per subtask filling as that subtask aligns,
// snapshots and acknowledges — statuses as Flink's Web UI names them (IN_PROGRESS, COMPLETED, FAILED),
// retention as the completed-checkpoint store decides it (retained, subsumed by a newer one, discarded).
// Folded from events only; bounded to the newest frames (plus the retained and the restored one).
import type { EngineEvent } from '../../engine/events';
import type { CheckpointId, TaskId } from '../../engine/ids';
import type { EventFold } from '../model/event-fold';
import { TopologyFold } from '../model/topology';

export type CheckpointStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
/** What the completed-checkpoint store did with it: kept, dropped for a newer one (subsumed), or deleted otherwise. */
export type Retention = 'in-progress' | 'retained' | 'subsumed' | 'discarded' | 'failed';
/** The per-checkpoint lifecycle (pending → finalizing → completed | aborted | expired), as the events show it. */
export type CheckpointLifecycle = 'pending' | 'finalizing' | 'completed' | 'aborted' | 'expired';
/** Where one subtask is in this checkpoint, in Flink's order. */
export type CellState = 'waiting' | 'aligning' | 'syncing' | 'uploading' | 'acknowledged' | 'failed';

export interface ShelfCell {
  readonly taskId: TaskId;
  readonly state: CellState;
  readonly acknowledgedAt: number | null;
  readonly startDelayMs: number | null;
  readonly alignmentDurationMs: number | null;
  readonly syncDurationMs: number | null;
  readonly asyncDurationMs: number | null;
  /** Bytes uploaded for this checkpoint (incremental: only the new pieces). */
  readonly checkpointedSizeBytes: number | null;
  /** Full state size; full − checkpointed is shared with earlier checkpoints. */
  readonly stateSizeBytes: number | null;
  readonly failure: string | null;
  /** Taken unaligned (its acknowledgement says so, or its barrier overtook records). */
  readonly unaligned: boolean;
  /** In-flight records its barrier overtook, persisted as channel state (input and output), and their bytes. */
  readonly channelStateRecords: number;
  readonly channelStateBytes: number;
}

export interface CheckpointFrame {
  readonly checkpointId: CheckpointId;
  readonly isSavepoint: boolean;
  readonly status: CheckpointStatus;
  readonly retention: Retention;
  readonly lifecycle: CheckpointLifecycle;
  readonly triggeredAt: number;
  readonly endedAt: number | null;
  readonly endToEndDurationMs: number | null;
  readonly stateSizeBytes: number | null;
  readonly checkpointedSizeBytes: number | null;
  readonly failureReason: string | null;
  readonly acknowledged: number;
  readonly cells: readonly ShelfCell[];
  /** The job's latest (re)deployment restored this checkpoint. */
  readonly restored: boolean;
}

export interface SnapshotShelfView {
  /** Oldest first: the newest `maxFrames`, plus older retained or restored ones. */
  readonly frames: readonly CheckpointFrame[];
  /** Frames in progress (the coordinator's pending checkpoints), oldest first. */
  readonly pending: readonly CheckpointFrame[];
  /** The coordinator's cards: the pending checkpoints, and those that ended within `recentMs` (so the end is seen). */
  readonly cards: readonly CheckpointFrame[];
  readonly counts: { readonly completed: number; readonly failed: number; readonly inProgress: number; readonly hidden: number };
  readonly restoredCheckpointId: CheckpointId | null;
}

type MutableCell = { -readonly [K in keyof ShelfCell]: ShelfCell[K] };
type MutableFrame = { -readonly [K in keyof CheckpointFrame]: CheckpointFrame[K] } & { cellMap: Map<TaskId, MutableCell> };


export class SnapshotShelfFold implements EventFold<SnapshotShelfView> {
  private readonly topology = new TopologyFold();
  private readonly frames = new Map<CheckpointId, MutableFrame>();
  private lastCompleted: { checkpointId: CheckpointId; time: number } | null = null;
  private restoredCheckpointId: CheckpointId | null = null;
  private counts = { completed: 0, failed: 0 };
  private readonly maxFrames: number;
  private readonly recentMs: number;
  private readonly keptFrames: number;
  /** Frames as drawn since the last change: a frame with no checkpoint event copies nothing. */
  private readonly frozen = new Map<MutableFrame, CheckpointFrame>();
  private shown: SnapshotShelfView | null = null;

  /** `keptFrames`: frames kept at most (a job runs forever), the restored one always among them. */
  constructor(options: { maxFrames?: number; recentMs?: number; keptFrames?: number } = {}) {
    this.maxFrames = options.maxFrames ?? 10;
    this.recentMs = options.recentMs ?? 400;
    this.keptFrames = Math.max(1, options.keptFrames ?? 200);
  }

  apply(event: EngineEvent): void {
    this.topology.apply(event);
    if (!DATA_EVENTS.has(event.type)) {
      this.frozen.clear();
      this.shown = null;
    }
    switch (event.type) {
      case 'checkpoint-triggered':
        return this.trigger(event.checkpointId, event.isSavepoint, event.time);
      case 'barrier-received':
        return this.cell(event.checkpointId, event.taskId, (cell) => {
          if (cell.state === 'waiting') cell.state = 'aligning';
        });
      case 'barrier-overtook':
        return this.cell(event.checkpointId, event.taskId, (cell) => {
          cell.unaligned = true;
          cell.channelStateRecords += event.records;
          cell.channelStateBytes += event.sizeBytes;
        });
      case 'alignment-done':
        return this.cell(event.checkpointId, event.taskId, (cell) => {
          cell.alignmentDurationMs = event.alignmentDurationMs;
          if (cell.state === 'waiting' || cell.state === 'aligning') cell.state = 'syncing';
        });
      case 'barrier-emitted':
        return this.cell(event.checkpointId, event.taskId, (cell) => {
          if (cell.state === 'waiting' || cell.state === 'aligning') cell.state = 'syncing';
        });
      case 'snapshot-sync-done':
        return this.cell(event.checkpointId, event.taskId, (cell) => {
          cell.syncDurationMs = event.syncDurationMs;
          if (cell.state !== 'acknowledged' && cell.state !== 'failed') cell.state = 'uploading';
        });
      case 'snapshot-async-done':
        return this.cell(event.checkpointId, event.taskId, (cell) => {
          cell.asyncDurationMs = event.asyncDurationMs;
          cell.stateSizeBytes ??= event.stateSizeBytes;
        });
      case 'checkpoint-acknowledged':
        return this.acknowledge(event);
      case 'snapshot-failed':
        return this.cell(event.checkpointId, event.taskId, (cell) => {
          cell.state = 'failed';
          cell.failure = event.message;
        });
      case 'checkpoint-declined':
        return this.cell(event.checkpointId, event.taskId, (cell) => {
          cell.state = 'failed';
          cell.failure = event.reason;
        });
      case 'checkpoint-completed':
        return this.complete(event);
      case 'checkpoint-aborted':
        return this.fail(event.checkpointId, event.time, event.reason, 'aborted');
      case 'checkpoint-expired':
        return this.fail(event.checkpointId, event.time, 'CHECKPOINT_EXPIRED', 'expired');
      case 'checkpoint-discarded': {
        const frame = this.frames.get(event.checkpointId);
        if (!frame) return;
        // Subsumed: discarded at the moment a newer checkpoint completed (num-retained reached).
        const subsumed = this.lastCompleted !== null && this.lastCompleted.time === event.time && this.lastCompleted.checkpointId > event.checkpointId;
        frame.retention = subsumed ? 'subsumed' : 'discarded';
        return;
      }
      case 'job-deployed':
        if (event.restoredCheckpointId === null) return;
        this.restoredCheckpointId = event.restoredCheckpointId;
        // A snapshot this run never took (a savepoint or retained checkpoint it started from): a frame of its own.
        if (!this.frames.has(event.restoredCheckpointId)) this.restoredElsewhere(event.restoredCheckpointId, event.restoredFrom?.isSavepoint ?? false, event.time);
        return;
      case 'task-restored':
        if (event.checkpointId !== null) this.restoredCheckpointId = event.checkpointId;
        return;
      default:
        return;
    }
  }

  /** The same view object until a checkpoint event or the cards' time window changes it. */
  view(now = Infinity): SnapshotShelfView {
    const all = [...this.frames.values()];
    const cards = all.filter((f) => f.status === 'IN_PROGRESS' || (f.endedAt !== null && now - f.endedAt <= this.recentMs)).slice(-6).map((f) => this.frozenOf(f));
    if (this.shown && sameItems(this.shown.cards, cards)) return this.shown;
    const newest = new Set(all.slice(-this.maxFrames));
    const shown = all.filter((f) => newest.has(f) || f.retention === 'retained' || f.checkpointId === this.restoredCheckpointId);
    const frames = shown.map((f) => this.frozenOf(f));
    const inProgress = all.filter((f) => f.status === 'IN_PROGRESS');
    this.shown = {
      frames,
      pending: frames.filter((f) => f.status === 'IN_PROGRESS'),
      cards,
      counts: { ...this.counts, inProgress: inProgress.length, hidden: Math.max(0, all.length - frames.length) },
      restoredCheckpointId: this.restoredCheckpointId,
    };
    return this.shown;
  }

  private frozenOf(frame: MutableFrame): CheckpointFrame {
    let frozen = this.frozen.get(frame);
    if (!frozen) this.frozen.set(frame, (frozen = this.freeze(frame)));
    return frozen;
  }

  private trigger(checkpointId: CheckpointId, isSavepoint: boolean, time: number): void {
    const cellMap = new Map<TaskId, MutableCell>();
    for (const taskId of this.topology.subtasks()) cellMap.set(taskId, emptyCell(taskId));
    this.frames.set(checkpointId, {
      checkpointId,
      isSavepoint,
      status: 'IN_PROGRESS',
      retention: 'in-progress',
      lifecycle: 'pending',
      triggeredAt: time,
      endedAt: null,
      endToEndDurationMs: null,
      stateSizeBytes: null,
      checkpointedSizeBytes: null,
      failureReason: null,
      acknowledged: 0,
      cells: [],
      restored: false,
      cellMap,
    });
    this.forgetOldFrames();
  }

  /**
   * Past `keptFrames`, the oldest ended frame that is no longer retained goes; failing one (savepoints stay
   * retained, a checkpoint's end may never come on a lost Worker), the oldest frame but the restored one.
   */
  private forgetOldFrames(): void {
    while (this.frames.size > this.keptFrames) {
      const all = [...this.frames.values()];
      const oldest =
        all.find((f) => f.retention !== 'retained' && f.status !== 'IN_PROGRESS' && f.checkpointId !== this.restoredCheckpointId) ??
        all.find((f) => f.checkpointId !== this.restoredCheckpointId);
      if (!oldest) return;
      this.frames.delete(oldest.checkpointId);
    }
  }

  private restoredElsewhere(checkpointId: CheckpointId, isSavepoint: boolean, time: number): void {
    this.trigger(checkpointId, isSavepoint, time);
    const frame = this.frames.get(checkpointId)!;
    frame.cellMap.clear();
    Object.assign(frame, { status: 'COMPLETED', retention: 'retained', lifecycle: 'completed', endedAt: time });
    // Oldest first: it predates every checkpoint of this run.
    const rest = [...this.frames.entries()].filter(([id]) => id !== checkpointId);
    this.frames.clear();
    this.frames.set(checkpointId, frame);
    for (const [id, other] of rest) this.frames.set(id, other);
  }

  private cell(checkpointId: CheckpointId, taskId: TaskId, update: (cell: MutableCell) => void): void {
    const frame = this.frames.get(checkpointId);
    if (!frame) return;
    let cell = frame.cellMap.get(taskId);
    if (!cell) frame.cellMap.set(taskId, (cell = emptyCell(taskId)));
    update(cell);
  }

  private acknowledge(event: Extract<EngineEvent, { type: 'checkpoint-acknowledged' }>): void {
    this.cell(event.checkpointId, event.taskId, (cell) => {
      if (cell.state === 'acknowledged') return;
      cell.state = 'acknowledged';
      cell.acknowledgedAt = event.time;
      cell.startDelayMs = event.startDelayMs ?? cell.startDelayMs;
      cell.alignmentDurationMs = event.alignmentDurationMs ?? cell.alignmentDurationMs;
      cell.syncDurationMs = event.syncDurationMs ?? cell.syncDurationMs;
      cell.asyncDurationMs = event.asyncDurationMs ?? cell.asyncDurationMs;
      cell.stateSizeBytes = event.stateSizeBytes ?? cell.stateSizeBytes;
      cell.checkpointedSizeBytes = event.checkpointedSizeBytes ?? cell.stateSizeBytes;
      if (event.unaligned) cell.unaligned = true;
      // Flink's persistedData is what the acknowledgement reports; the overtakes' bytes before it are the same data.
      if (event.persistedDataBytes > 0) cell.channelStateBytes = event.persistedDataBytes;
    });
    const frame = this.frames.get(event.checkpointId);
    if (!frame) return;
    frame.acknowledged = [...frame.cellMap.values()].filter((c) => c.state === 'acknowledged').length;
    // Every subtask acknowledged: the coordinator finalizes (writes the metadata) before completing.
    if (frame.lifecycle === 'pending' && frame.acknowledged === frame.cellMap.size) frame.lifecycle = 'finalizing';
  }

  private complete(event: Extract<EngineEvent, { type: 'checkpoint-completed' }>): void {
    const frame = this.frames.get(event.checkpointId);
    this.lastCompleted = { checkpointId: event.checkpointId, time: event.time };
    this.counts.completed++;
    if (!frame) return;
    frame.status = 'COMPLETED';
    frame.retention = 'retained';
    frame.lifecycle = 'completed';
    frame.endedAt = event.time;
    frame.endToEndDurationMs = event.endToEndDurationMs;
    frame.stateSizeBytes = event.stateSizeBytes;
    const cells = [...frame.cellMap.values()];
    frame.checkpointedSizeBytes = event.checkpointedSizeBytes ?? (cells.every((c) => c.checkpointedSizeBytes !== null) ? cells.reduce((sum, c) => sum + c.checkpointedSizeBytes!, 0) : null);
  }

  private fail(checkpointId: CheckpointId, time: number, reason: string, lifecycle: 'aborted' | 'expired'): void {
    const frame = this.frames.get(checkpointId);
    if (!frame || frame.status !== 'IN_PROGRESS') return;
    this.counts.failed++;
    frame.status = 'FAILED';
    frame.retention = 'failed';
    frame.lifecycle = lifecycle;
    frame.endedAt = time;
    frame.failureReason = reason;
  }

  private freeze(frame: MutableFrame): CheckpointFrame {
    const { cellMap, ...rest } = frame;
    return { ...rest, cells: [...cellMap.values()].map((c) => ({ ...c })), restored: frame.checkpointId === this.restoredCheckpointId };
  }
}

/** Events that never touch a checkpoint's frame (the topology learns tasks from them only before a deployment is known). */
const DATA_EVENTS = new Set<EngineEvent['type']>(['records-moved', 'records-consumed', 'source-read', 'sink-written']);

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function emptyCell(taskId: TaskId): MutableCell {
  return {
    taskId,
    state: 'waiting',
    acknowledgedAt: null,
    startDelayMs: null,
    alignmentDurationMs: null,
    syncDurationMs: null,
    asyncDurationMs: null,
    checkpointedSizeBytes: null,
    stateSizeBytes: null,
    failure: null,
    unaligned: false,
    channelStateRecords: 0,
    channelStateBytes: 0,
  };
}
