// The space-time fold: per checkpoint, where its barrier reached each subtask and when each subtask took
// its local snapshot (the cut), plus restarts and restores — folded from events only. Bounded: the newest
// `maxCheckpoints` checkpoints (and any a kept restore jumps to), the newest `maxRestarts` restarts and restores.
import type { EngineEvent, EventOf } from '../../engine/events';
import { parseTaskId, type CheckpointId, type TaskId } from '../../engine/ids';
import type { EventFold } from '../model/event-fold';
import { TopologyFold } from '../model/topology';
import type { BarrierHop, BarrierMark, CheckpointCut, CutStatus, RestartShade, RestoreJump, SnapshotDot, SpaceTimeView } from './space-time-view';

export interface SpaceTimeFoldOptions {
  /** Checkpoints kept (a job runs forever); older ones drop out of the picture. Default 30. */
  readonly maxCheckpoints?: number;
  /** Restart intervals and restore jumps kept each. Default 10. */
  readonly maxRestarts?: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
interface CheckpointTrack {
  cut: Mutable<Omit<CheckpointCut, 'points'>>;
  marks: Map<TaskId, Mutable<BarrierMark>>;
  hops: BarrierHop[];
  dots: Map<TaskId, Mutable<SnapshotDot>>;
}

/** Job statuses that stop the tasks, and those that end such an interval. */
const STOPPED = new Set(['RESTARTING', 'FAILING']);
const ENDS_STOP = new Set(['RUNNING', 'FAILED', 'CANCELED', 'FINISHED', 'SUSPENDED']);

export class SpaceTimeFold implements EventFold<SpaceTimeView> {
  private readonly topology = new TopologyFold();
  private readonly tracks = new Map<CheckpointId, CheckpointTrack>();
  private readonly restarts: Mutable<RestartShade>[] = [];
  private readonly restores: RestoreJump[] = [];
  private readonly maxCheckpoints: number;
  private readonly maxRestarts: number;
  private hidden = 0;
  private firstTime: number | null = null;
  private lastTime = 0;
  private body: Omit<SpaceTimeView, 'extent'> | null = null;
  /** The view last handed out and the body it was made from: unchanged events and time hand out the same object. */
  private shown: SpaceTimeView | null = null;
  private shownBody: Omit<SpaceTimeView, 'extent'> | null = null;

  constructor(options: SpaceTimeFoldOptions = {}) {
    this.maxCheckpoints = Math.max(1, options.maxCheckpoints ?? 30);
    this.maxRestarts = Math.max(1, options.maxRestarts ?? 10);
  }

  apply(event: EngineEvent): void {
    this.topology.apply(event);
    this.firstTime ??= event.time;
    this.lastTime = Math.max(this.lastTime, event.time);
    if (this.change(event)) this.body = null;
  }

  /** Applies `event`; true if the picture (other than its end time) changed. */
  private change(event: EngineEvent): boolean {
    switch (event.type) {
      case 'job-deployed':
        return this.deploy(event);
      case 'checkpoint-triggered':
        this.track(event.checkpointId, event.time).cut.isSavepoint = event.isSavepoint;
        return true;
      case 'barrier-emitted':
        this.mark(event.checkpointId, event.taskId, event.time).emittedAt ??= event.time;
        return true;
      case 'barrier-received':
        return this.receive(event);
      case 'snapshot-sync-done':
        this.dot(event.checkpointId, event.taskId, event.time);
        return true;
      case 'checkpoint-acknowledged': {
        const dot = this.dot(event.checkpointId, event.taskId, event.time);
        dot.stateSizeBytes = event.stateSizeBytes;
        dot.checkpointedSizeBytes = event.checkpointedSizeBytes;
        return true;
      }
      case 'checkpoint-completed': {
        const { cut } = this.track(event.checkpointId, event.time);
        Object.assign(cut, { status: 'COMPLETED', endedAt: event.time, stateSizeBytes: event.stateSizeBytes, checkpointedSizeBytes: event.checkpointedSizeBytes, sourceOffsets: event.sourceOffsets });
        return true;
      }
      case 'checkpoint-aborted':
        return this.fail(event.checkpointId, event.time, event.reason);
      case 'checkpoint-expired':
        return this.fail(event.checkpointId, event.time, 'CHECKPOINT_EXPIRED');
      case 'job-status-changed':
        return this.status(event);
      case 'job-restarting': {
        const open = this.restarts.at(-1);
        if (open && open.endAt === null) open.attempt = event.attempt;
        return open !== undefined;
      }
      default:
        return false;
    }
  }

  private deploy(event: EventOf<'job-deployed'>): boolean {
    if (event.restoredCheckpointId === null) return true;
    const track = this.tracks.get(event.restoredCheckpointId);
    if (track) track.cut.restored = true;
    const cutAt = track && track.dots.size > 0 ? Math.max(...[...track.dots.values()].map((dot) => dot.time)) : null;
    this.restores.push({ at: event.time, attempt: event.attempt, restoredCheckpointId: event.restoredCheckpointId, cutAt, isSavepoint: event.restoredFrom?.isSavepoint ?? track?.cut.isSavepoint ?? false });
    if (this.restores.length > this.maxRestarts) this.restores.shift();
    return true;
  }

  private receive(event: EventOf<'barrier-received'>): boolean {
    const mark = this.mark(event.checkpointId, event.taskId, event.time);
    mark.firstArrivalAt ??= event.time;
    mark.lastArrivalAt = event.time;
    const from = this.topology.senderOf(event.taskId, event.channel);
    const sentAt = from === null ? null : this.tracks.get(event.checkpointId)?.marks.get(from)?.emittedAt;
    if (from !== null && sentAt != null) {
      this.tracks.get(event.checkpointId)!.hops.push({ checkpointId: event.checkpointId, from, to: event.taskId, channel: event.channel, sentAt, arrivedAt: event.time });
    }
    return true;
  }

  private fail(checkpointId: CheckpointId, time: number, reason: string): boolean {
    const { cut } = this.track(checkpointId, time);
    if (cut.status === 'COMPLETED') return false;
    Object.assign(cut, { status: 'FAILED' satisfies CutStatus, endedAt: time, failureReason: reason });
    return true;
  }

  private status(event: EventOf<'job-status-changed'>): boolean {
    const open = this.restarts.at(-1);
    if (open && open.endAt === null) {
      if (!ENDS_STOP.has(event.status)) return false;
      open.endAt = event.time;
      return true;
    }
    if (!STOPPED.has(event.status)) return false;
    this.restarts.push({ startAt: event.time, endAt: null, attempt: null, cause: event.cause ?? null });
    if (this.restarts.length > this.maxRestarts) this.restarts.shift();
    return true;
  }

  private track(checkpointId: CheckpointId, time: number): CheckpointTrack {
    let track = this.tracks.get(checkpointId);
    if (track) return track;
    track = {
      cut: { checkpointId, isSavepoint: false, status: 'IN_PROGRESS', triggeredAt: time, endedAt: null, stateSizeBytes: null, checkpointedSizeBytes: null, sourceOffsets: {}, failureReason: null, restored: false },
      marks: new Map(),
      hops: [],
      dots: new Map(),
    };
    this.tracks.set(checkpointId, track);
    this.bound();
    return track;
  }

  /** Drops the oldest checkpoints beyond `maxCheckpoints`, never one a kept restore jumps to. */
  private bound(): void {
    const pinned = new Set(this.restores.map((restore) => restore.restoredCheckpointId));
    let excess = this.tracks.size - this.maxCheckpoints;
    for (const checkpointId of [...this.tracks.keys()].sort((a, b) => a - b)) {
      if (excess <= 0) return;
      if (pinned.has(checkpointId)) continue;
      this.tracks.delete(checkpointId);
      this.hidden += 1;
      excess -= 1;
    }
  }

  private mark(checkpointId: CheckpointId, taskId: TaskId, time: number): Mutable<BarrierMark> {
    const { marks } = this.track(checkpointId, time);
    let mark = marks.get(taskId);
    if (!mark) marks.set(taskId, (mark = { checkpointId, taskId, firstArrivalAt: null, lastArrivalAt: null, emittedAt: null }));
    return mark;
  }

  private dot(checkpointId: CheckpointId, taskId: TaskId, time: number): Mutable<SnapshotDot> {
    const { dots } = this.track(checkpointId, time);
    let dot = dots.get(taskId);
    if (!dot) dots.set(taskId, (dot = { checkpointId, taskId, time, stateSizeBytes: null, checkpointedSizeBytes: null }));
    return dot;
  }

  view(now: number): SpaceTimeView {
    const body = (this.body ??= this.draw());
    const start = this.start(body);
    const end = Math.max(now, this.lastTime, start + 1);
    if (this.shown && this.shownBody === body && this.shown.extent.start === start && this.shown.extent.end === end) return this.shown;
    this.shownBody = body;
    return (this.shown = { ...body, extent: { start, end } });
  }

  /** The run's first moment while nothing was dropped; else the oldest thing still kept. */
  private start(body: Omit<SpaceTimeView, 'extent'>): number {
    const first = this.firstTime ?? 0;
    if (this.hidden === 0) return first;
    const times = [...body.cuts.map((cut) => cut.triggeredAt), ...body.restarts.map((shade) => shade.startAt)];
    return times.length ? Math.min(...times) : first;
  }

  private draw(): Omit<SpaceTimeView, 'extent'> {
    const laneIds = this.topology.subtasks();
    const laneOf = new Map(laneIds.map((taskId, index) => [taskId, index]));
    const byLane = <T extends { taskId: TaskId }>(items: Iterable<T>) => [...items].sort((a, b) => (laneOf.get(a.taskId) ?? Infinity) - (laneOf.get(b.taskId) ?? Infinity));
    const tracks = [...this.tracks.values()].sort((a, b) => a.cut.checkpointId - b.cut.checkpointId);
    const cuts = tracks.map((track): CheckpointCut => ({ ...track.cut, points: byLane([...track.dots.values()].map((dot) => ({ ...dot }))) }));
    return {
      lanes: laneIds.map((taskId, index) => ({ taskId, vertexId: parseTaskId(taskId).vertexId, index })),
      marks: tracks.flatMap((track) => byLane([...track.marks.values()].map((mark) => ({ ...mark })))),
      hops: tracks.flatMap((track) => track.hops),
      snapshots: cuts.flatMap((cut) => cut.points),
      cuts,
      restarts: this.restarts.map((shade) => ({ ...shade })),
      restores: [...this.restores],
      hiddenCheckpoints: this.hidden,
    };
  }
}
