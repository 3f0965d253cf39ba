// At-least-once barrier tracking (Flink's CheckpointBarrierTracker): counts barriers per checkpoint
// and triggers once all open channels delivered one, never blocking, so records after a barrier may
// be processed before the snapshot. A newer barrier does not abort older checkpoints. Assumes newer
// checkpoints have higher ids; tracks at most MAX_CHECKPOINTS_TO_TRACK incomplete checkpoints.
import { CheckpointBarrierCount } from './checkpoint-barrier-count';
import { barrierOf } from './checkpoint-options';

import { requireChannelCount, requireCheckpointId, requireReadable } from './input-preconditions';
import { OutcomeRecorder } from './outcome-recorder';
import type {
  BarrierHandlerInput,
  BarrierHandlerKind,
  BarrierHandlerOutcome,
  ChannelIndex,
  CheckpointAbortReason,
  CheckpointBarrier,
  CheckpointBarrierHandler,
  CheckpointId,
} from './types';

/** Flink's CheckpointBarrierTracker.MAX_CHECKPOINTS_TO_TRACK: beyond it the oldest is dropped silently. */
export const MAX_CHECKPOINTS_TO_TRACK = 50;

const NOT_BLOCKED = { isBlocked: () => false };

/**
 * Follows apache/flink flink-runtime/src/main/java/org/apache/flink/streaming/runtime/io/checkpointing/
 * CheckpointBarrierTracker.java: processBarrier, processCancellationBarrier, processEndOfPartition and
 * checkAlignmentOnEndOfPartitionIfEnabled keep Flink's names, conditions and silent drops.
 */
export class CheckpointBarrierTracker implements CheckpointBarrierHandler {
  readonly mode = 'at-least-once' as const;
  readonly kind: BarrierHandlerKind = 'CheckpointBarrierTracker';
  private readonly ended = new Set<ChannelIndex>();
  private numOpenChannels: number;
  /** Checkpoints with some but not all barriers in, oldest first (Flink's ArrayDeque). */
  private readonly pendingCheckpoints: CheckpointBarrierCount[] = [];
  private latestPendingCheckpointId: CheckpointId = -1;
  private highestSeenCheckpointId: CheckpointId = -1;
  private recorder = new OutcomeRecorder();
  private nowMs = 0;

  constructor(
    readonly numberOfChannels: number,
    private readonly checkpointsAfterTasksFinish = true,
  ) {
    requireChannelCount(numberOfChannels);
    this.numOpenChannels = numberOfChannels;
  }

  get latestCheckpointId(): CheckpointId {
    return this.highestSeenCheckpointId;
  }

  process(input: BarrierHandlerInput): BarrierHandlerOutcome {
    requireReadable(input, { ...NOT_BLOCKED, numberOfChannels: this.numberOfChannels, isEnded: (channel) => this.ended.has(channel) }, this.nowMs);
    this.recorder = new OutcomeRecorder();
    if (input.kind === 'advance-time') this.nowMs = input.toMs;
    // Announcements are ignored, as Flink's CheckpointBarrierTracker.processBarrierAnnouncement does.
    if (input.kind === 'barrier') this.processBarrier(barrierOf(input), input.channel);
    else if (input.kind === 'cancellation-marker') this.processCancellationBarrier(input.checkpointId, input.channel);
    else if (input.kind === 'end-of-partition') this.processEndOfPartition(input.channel);
    return this.recorder.finish([]);
  }

  /**
   * Marks `checkpointId` aborted (its remaining barriers are still counted, then dropped) or, if no
   * barrier of it arrived yet, makes its future barriers stale. A finished or dropped one: no change.
   */
  abort(checkpointId: CheckpointId, reason: CheckpointAbortReason): BarrierHandlerOutcome {
    requireCheckpointId(checkpointId);
    this.recorder = new OutcomeRecorder();
    // Compared with the highest id seen too: the single-channel fast path leaves latestPendingCheckpointId behind.
    const seenBefore = this.highestSeenCheckpointId;
    this.highestSeenCheckpointId = Math.max(this.highestSeenCheckpointId, checkpointId);
    const pending = this.pendingCheckpoints.find((count) => count.checkpointId === checkpointId);
    if (pending !== undefined) {
      if (pending.markAborted()) this.recorder.aborted(checkpointId, reason);
    } else if (checkpointId > this.latestPendingCheckpointId && checkpointId > seenBefore) {
      this.latestPendingCheckpointId = checkpointId;
      this.recorder.aborted(checkpointId, reason);
    }
    return this.recorder.finish([]);
  }

  /** The tracker never sets a timer (Flink's CheckpointBarrierTracker ignores announcements and timeouts). */
  nextTimerMs(): number | null {
    return null;
  }

  isBlocked(_channel: ChannelIndex): boolean {
    return false;
  }

  blockedChannels(): ChannelIndex[] {
    return [];
  }

  openChannels(): ChannelIndex[] {
    return Array.from({ length: this.numberOfChannels }, (_, channel) => channel).filter((channel) => !this.ended.has(channel));
  }

  pendingCheckpointIds(): CheckpointId[] {
    return this.pendingCheckpoints.map((count) => count.checkpointId);
  }

  private processBarrier(barrier: CheckpointBarrier, channel: ChannelIndex): void {
    const barrierId = barrier.checkpointId;
    this.highestSeenCheckpointId = Math.max(this.highestSeenCheckpointId, barrierId);
    // Fast path for a single open channel, only for new checkpoints: an older pending one must still
    // be completed by this barrier (Flink's testNoFastPathWithChannelFinishedDuringCheckpoints).
    if (barrierId > this.latestPendingCheckpointId && this.numOpenChannels === 1) {
      this.recorder.started(barrierId);
      this.recorder.triggered(barrier);
      return;
    }
    const position = this.pendingCheckpoints.findIndex((count) => count.checkpointId === barrierId);
    const barrierCount = this.pendingCheckpoints[position];
    if (barrierCount !== undefined) {
      if (barrierCount.markChannelAligned(channel) === barrierCount.targetChannelCount) {
        this.completeUpTo(position, barrier);
      }
    } else if (barrierId > this.latestPendingCheckpointId) {
      // Only a newer checkpoint can still succeed; a barrier of an older unknown one is stale.
      this.recorder.started(barrierId);
      this.latestPendingCheckpointId = barrierId;
      this.pendingCheckpoints.push(new CheckpointBarrierCount(barrierId, channel, this.numOpenChannels, barrier));
      if (this.pendingCheckpoints.length > MAX_CHECKPOINTS_TO_TRACK) this.pendingCheckpoints.shift();
    }
  }

  /**
   * Removes the checkpoint at `position` and every older one (now subsumed, not reported), then triggers
   * it with the barrier that completed it (or its first one, when an end of partition did).
   */
  private completeUpTo(position: number, lastBarrier?: CheckpointBarrier): void {
    const removed = this.pendingCheckpoints.splice(0, position + 1);
    const completed = removed[removed.length - 1];
    if (completed !== undefined && !completed.isAborted) this.recorder.triggered(lastBarrier ?? completed.barrier);
  }

  private processCancellationBarrier(checkpointId: CheckpointId, channel: ChannelIndex): void {
    this.highestSeenCheckpointId = Math.max(this.highestSeenCheckpointId, checkpointId);
    if (checkpointId > this.latestPendingCheckpointId && this.numOpenChannels === 1) {
      this.recorder.aborted(checkpointId, 'CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER');
      return;
    }
    // Abort every older checkpoint on the way to this one.
    let first = this.pendingCheckpoints[0];
    while (first !== undefined && first.checkpointId < checkpointId) {
      this.pendingCheckpoints.shift();
      if (first.markAborted()) this.recorder.aborted(first.checkpointId, 'CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER');
      first = this.pendingCheckpoints[0];
    }
    if (first !== undefined && first.checkpointId === checkpointId) {
      if (first.markAborted()) this.recorder.aborted(checkpointId, 'CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER');
      // Keep counting, to drop the entry once all its barriers (or markers) are in.
      if (first.markChannelAligned(channel) === first.targetChannelCount) this.pendingCheckpoints.shift();
    } else if (checkpointId > this.latestPendingCheckpointId) {
      this.recorder.aborted(checkpointId, 'CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER');
      this.latestPendingCheckpointId = checkpointId;
      const abortedMarker = new CheckpointBarrierCount(checkpointId, channel, this.numOpenChannels);
      abortedMarker.markAborted();
      this.pendingCheckpoints.unshift(abortedMarker);
    }
    // Otherwise a trailing marker of a checkpoint already cancelled: ignored.
  }

  private processEndOfPartition(channel: ChannelIndex): void {
    this.ended.add(channel);
    this.numOpenChannels--;
    if (!this.checkpointsAfterTasksFinish) {
      for (const barrierCount of this.pendingCheckpoints.splice(0)) {
        if (barrierCount.markAborted()) this.recorder.aborted(barrierCount.checkpointId, 'CHECKPOINT_DECLINED_INPUT_END_OF_STREAM');
      }
      return;
    }
    // Flink's checkAlignmentOnEndOfPartitionIfEnabled: the newest checkpoint that waited only for this channel completes.
    for (let position = this.pendingCheckpoints.length - 1; position >= 0; position--) {
      const barrierCount = this.pendingCheckpoints[position];
      if (barrierCount !== undefined && barrierCount.markChannelAligned(channel) === barrierCount.targetChannelCount) {
        this.completeUpTo(position);
        return;
      }
    }
  }
}
