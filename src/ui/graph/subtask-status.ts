// What one subtask is doing for the picture: its execution state, whether it is down, the alignment it
// waits in, and its latest snapshot's phases (sync → async → acknowledged, or failed) with their times.
import type { CheckpointId } from '../../engine/ids';
import type { ExecutionState } from '../../engine/task/messages';
import type { AlignmentView, SnapshotView } from './job-graph-view';

export interface MotionTimes {
  /** How long the sync flash lasts (ms of clock time). */
  readonly flashMs: number;
  /** How long the acknowledgement's envelope travels to the coordinator. */
  readonly envelopeMs: number;
  /** Assumed async duration before the subtask has reported one. */
  readonly defaultAsyncMs: number;
}

interface Alignment {
  readonly checkpointId: CheckpointId;
  readonly startedAt: number;
  readonly received: Set<number>;
  readonly blocked: Set<number>;
}

interface Snapshot {
  readonly checkpointId: CheckpointId;
  syncAt: number | null;
  asyncDoneAt: number | null;
  ackAt: number | null;
  failure: string | null;
}

/** What the stream said of a checkpoint being unaligned at this subtask (it may say so before the snapshot starts). */
interface Unaligned {
  readonly checkpointId: CheckpointId;
  /** When its aligned checkpoint switched to unaligned (the alignment timed out), or null: unaligned from the start. */
  switchedAt: number | null;
  /** Records its barrier overtook, in and out: the snapshot's channel state. */
  inFlightRecords: number;
}

export class SubtaskStatus {
  state: ExecutionState = 'CREATED';
  down: 'killed' | 'failed' | null = null;
  downCause: string | null = null;
  /** The newest barrier it emitted (or the newest checkpoint id known when its attempt began). */
  lastBarrier: CheckpointId = 0;
  slowdown = 1;
  #alignment: Alignment | null = null;
  #snapshot: Snapshot | null = null;
  #lastAsyncMs: number | null = null;
  #unaligned: Unaligned | null = null;

  /** A new attempt: alive again, nothing pending; checkpoint ids go on from `lastCheckpoint`. */
  redeploy(lastCheckpoint: CheckpointId): void {
    this.state = 'CREATED';
    this.down = null;
    this.downCause = null;
    this.lastBarrier = lastCheckpoint;
    this.#alignment = null;
    this.#snapshot = null;
    this.#unaligned = null;
  }

  takeDown(kind: 'killed' | 'failed', cause: string): void {
    if (this.down === 'killed') return;
    this.down = kind;
    this.downCause = cause;
    this.#alignment = null;
  }

  barrierReceived(checkpointId: CheckpointId, channel: number, time: number): void {
    // A barrier of a checkpoint it already snapshotted (unaligned: the first barrier triggers it) ends no alignment.
    if (checkpointId <= this.lastBarrier && this.#alignment?.checkpointId !== checkpointId) return;
    if (!this.#alignment || this.#alignment.checkpointId < checkpointId) {
      this.#alignment = { checkpointId, startedAt: time, received: new Set(), blocked: new Set() };
    }
    if (this.#alignment.checkpointId === checkpointId) this.#alignment.received.add(channel);
  }

  channelBlocked(channel: number): void {
    this.#alignment?.blocked.add(channel);
  }

  channelUnblocked(channel: number): void {
    this.#alignment?.blocked.delete(channel);
  }

  alignmentDone(checkpointId: CheckpointId): void {
    if (this.#alignment && this.#alignment.checkpointId <= checkpointId) this.#alignment = null;
  }

  barrierEmitted(checkpointId: CheckpointId): void {
    this.lastBarrier = Math.max(this.lastBarrier, checkpointId);
    this.alignmentDone(checkpointId);
    if (!this.#snapshot || this.#snapshot.checkpointId < checkpointId) {
      this.#snapshot = { checkpointId, syncAt: null, asyncDoneAt: null, ackAt: null, failure: null };
    }
  }

  syncDone(checkpointId: CheckpointId, time: number): void {
    const snapshot = this.#snapshotOf(checkpointId);
    snapshot.syncAt = time;
  }

  asyncDone(checkpointId: CheckpointId, time: number, asyncDurationMs: number): void {
    const snapshot = this.#snapshotOf(checkpointId);
    snapshot.syncAt ??= time - asyncDurationMs;
    snapshot.asyncDoneAt = time;
    this.#lastAsyncMs = asyncDurationMs;
  }

  acknowledged(checkpointId: CheckpointId, time: number, unaligned = false): void {
    const snapshot = this.#snapshotOf(checkpointId);
    snapshot.asyncDoneAt ??= time;
    snapshot.ackAt = time;
    if (unaligned) this.#unalignedOf(checkpointId);
  }

  /** Its alignment of `checkpointId` timed out: the checkpoint goes on unaligned (Flink's alternating handler). */
  switchedToUnaligned(checkpointId: CheckpointId, time: number): void {
    this.#unalignedOf(checkpointId).switchedAt ??= time;
  }

  /** Its unaligned barrier `checkpointId` overtook `records` records (input or output): channel state. */
  overtook(checkpointId: CheckpointId, records: number): void {
    this.#unalignedOf(checkpointId).inFlightRecords += records;
  }

  #unalignedOf(checkpointId: CheckpointId): Unaligned {
    if (!this.#unaligned || this.#unaligned.checkpointId < checkpointId) this.#unaligned = { checkpointId, switchedAt: null, inFlightRecords: 0 };
    return this.#unaligned;
  }

  snapshotFailed(checkpointId: CheckpointId, message: string): void {
    this.#snapshotOf(checkpointId).failure = message;
  }

  #snapshotOf(checkpointId: CheckpointId): Snapshot {
    if (!this.#snapshot || this.#snapshot.checkpointId !== checkpointId) {
      this.#snapshot = { checkpointId, syncAt: null, asyncDoneAt: null, ackAt: null, failure: null };
    }
    return this.#snapshot;
  }

  alignmentView(now: number, inputChannels: number): AlignmentView | null {
    const alignment = this.#alignment;
    if (!alignment || this.down) return null;
    return {
      checkpointId: alignment.checkpointId,
      startedAt: alignment.startedAt,
      waitedMs: Math.max(0, now - alignment.startedAt),
      receivedChannels: [...alignment.received].sort((a, b) => a - b),
      blockedChannels: [...alignment.blocked].sort((a, b) => a - b),
      fraction: inputChannels > 0 ? Math.min(1, alignment.received.size / inputChannels) : 1,
    };
  }

  snapshotView(now: number, times: MotionTimes): SnapshotView | null {
    const snapshot = this.#snapshot;
    if (!snapshot) return null;
    const { syncAt, asyncDoneAt, ackAt, failure } = snapshot;
    const phase = failure !== null ? 'failed' : ackAt !== null ? 'acknowledged' : syncAt !== null ? 'async' : 'sync';
    const expectedAsyncMs = this.#lastAsyncMs ?? times.defaultAsyncMs;
    const asyncProgress =
      asyncDoneAt !== null || ackAt !== null ? 1 : syncAt === null ? 0 : expectedAsyncMs <= 0 ? 0.95 : Math.min(0.95, Math.max(0, (now - syncAt) / expectedAsyncMs));
    const syncFlash = syncAt === null || times.flashMs <= 0 ? 0 : Math.max(0, 1 - Math.max(0, now - syncAt) / times.flashMs);
    const envelope = ackAt === null || times.envelopeMs <= 0 || now - ackAt >= times.envelopeMs ? null : Math.max(0, (now - ackAt) / times.envelopeMs);
    const unaligned = this.#unaligned?.checkpointId === snapshot.checkpointId ? this.#unaligned : null;
    return {
      checkpointId: snapshot.checkpointId,
      phase,
      syncFlash,
      asyncProgress,
      envelope,
      failure,
      unaligned: unaligned && { switched: unaligned.switchedAt !== null, inFlightRecords: unaligned.inFlightRecords },
    };
  }
}
