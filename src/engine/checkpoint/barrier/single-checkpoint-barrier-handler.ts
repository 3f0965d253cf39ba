// Exactly-once barrier alignment for one task (Flink's SingleCheckpointBarrierHandler, aligned): one
// checkpoint at a time; a channel is blocked from its barrier n until n arrived on all open channels.
// Assumes newer checkpoints have higher ids; what to do in each phase is the BarrierHandlerState's.
import type { BarrierHandlerController, BarrierHandlerState } from './barrier-handler-state';
import { ChannelState } from './channel-state';
import { DEFAULT_CHECKPOINT_OPTIONS } from './checkpoint-options';
import { requireChannelCount, requireCheckpointId, requireReadable } from './input-preconditions';
import { OutcomeRecorder } from './outcome-recorder';
import type {
  BarrierHandlerInput,
  BarrierHandlerKind,
  BarrierHandlerOutcome,
  ChannelIndex,
  CheckpointAbortReason,
  CheckpointBarrierHandler,
  CheckpointId,
} from './types';
import { WaitingForFirstBarrier } from './waiting-for-first-barrier';

/**
 * Follows apache/flink flink-runtime/src/main/java/org/apache/flink/streaming/runtime/io/checkpointing/
 * SingleCheckpointBarrierHandler.java (the `aligned` factory; before 2.0 in flink-streaming-java):
 * processBarrier, checkNewCheckpoint, markCheckpointAlignedAndTransformState, processCancellationBarrier,
 * abortInternal and processEndOfPartition keep Flink's names and conditions.
 */
export class SingleCheckpointBarrierHandler implements CheckpointBarrierHandler {
  readonly mode = 'exactly-once' as const;
  private readonly channelState = new ChannelState();
  private readonly ended = new Set<ChannelIndex>();
  private numOpenChannels: number;
  private state: BarrierHandlerState = new WaitingForFirstBarrier(this.channelState);
  /** Highest checkpoint id seen; with the next field, Flink's way to ignore stale barriers and markers. */
  private currentCheckpointId: CheckpointId = -1;
  private lastCancelledOrCompletedCheckpointId: CheckpointId = -1;
  /** Channels that delivered the pending checkpoint's barrier or ended during its alignment. */
  private readonly alignedChannels = new Set<ChannelIndex>();
  private targetChannelCount = 0;
  private recorder = new OutcomeRecorder();
  private nowMs = 0;
  private readonly controller: BarrierHandlerController = {
    allBarriersReceived: () => this.alignedChannels.size === this.targetChannelCount,
    pendingCheckpointId: () => (this.isCheckpointPending() ? this.currentCheckpointId : null),
    triggerGlobalCheckpoint: (checkpointId) => this.recorder.triggered({ checkpointId, timestamp: 0, options: DEFAULT_CHECKPOINT_OPTIONS }),
  };

  constructor(
    readonly numberOfChannels: number,
    private readonly checkpointsAfterTasksFinish = true,
    readonly alternating = false,
  ) {
    requireChannelCount(numberOfChannels);
    this.numOpenChannels = numberOfChannels;
  }

  get kind(): BarrierHandlerKind {
    return this.state.kind;
  }

  get latestCheckpointId(): CheckpointId {
    return this.currentCheckpointId;
  }

  process(input: BarrierHandlerInput): BarrierHandlerOutcome {
    requireReadable(input, this.channelView, this.nowMs);
    this.recorder = new OutcomeRecorder();
    if (input.kind === 'advance-time') this.nowMs = input.toMs;
    if (input.kind === 'barrier') this.processBarrier(input.checkpointId, input.channel);
    else if (input.kind === 'cancellation-marker') this.processCancellationBarrier(input.checkpointId);
    else if (input.kind === 'end-of-partition') this.processEndOfPartition(input.channel);
    return this.recorder.finish(this.channelState.blockedChannels());
  }

  /** Aborts `checkpointId` unless its alignment is already over (triggered, aborted or subsumed). */
  abort(checkpointId: CheckpointId, reason: CheckpointAbortReason): BarrierHandlerOutcome {
    requireCheckpointId(checkpointId);
    this.recorder = new OutcomeRecorder();
    if (checkpointId > this.currentCheckpointId || (checkpointId === this.currentCheckpointId && this.isCheckpointPending())) {
      this.abortInternal(checkpointId, reason);
    }
    return this.recorder.finish(this.channelState.blockedChannels());
  }

  nextTimerMs(): number | null {
    return null;
  }

  isBlocked(channel: ChannelIndex): boolean {
    return this.channelState.isBlocked(channel);
  }

  blockedChannels(): ChannelIndex[] {
    return this.channelState.blockedChannels();
  }

  openChannels(): ChannelIndex[] {
    return Array.from({ length: this.numberOfChannels }, (_, channel) => channel).filter((channel) => !this.ended.has(channel));
  }

  pendingCheckpointIds(): CheckpointId[] {
    return this.isCheckpointPending() ? [this.currentCheckpointId] : [];
  }

  private get channelView() {
    return {
      numberOfChannels: this.numberOfChannels,
      isEnded: (channel: ChannelIndex) => this.ended.has(channel),
      isBlocked: (channel: ChannelIndex) => this.channelState.isBlocked(channel),
    };
  }

  private processBarrier(barrierId: CheckpointId, channel: ChannelIndex): void {
    // A barrier of a checkpoint already completed, aborted or subsumed: Flink resumes the channel and ignores it.
    if (this.currentCheckpointId > barrierId || (this.currentCheckpointId === barrierId && !this.isCheckpointPending())) return;
    this.checkNewCheckpoint(barrierId);
    this.markCheckpointAlignedAndTransformState(channel, (state) => state.barrierReceived(this.controller, channel, barrierId));
  }

  private checkNewCheckpoint(barrierId: CheckpointId): void {
    if (this.currentCheckpointId >= barrierId) return;
    if (this.isCheckpointPending()) this.abortInternal(this.currentCheckpointId, 'CHECKPOINT_DECLINED_SUBSUMED');
    this.currentCheckpointId = barrierId;
    this.alignedChannels.clear();
    this.targetChannelCount = this.numOpenChannels;
  }

  private markCheckpointAlignedAndTransformState(
    channel: ChannelIndex,
    transform: (state: BarrierHandlerState) => BarrierHandlerState,
  ): void {
    this.alignedChannels.add(channel);
    if (this.alignedChannels.size === 1) this.recorder.started(this.currentCheckpointId);
    this.state = transform(this.state);
    if (this.alignedChannels.size === this.targetChannelCount) {
      this.alignedChannels.clear();
      this.lastCancelledOrCompletedCheckpointId = this.currentCheckpointId;
    }
  }

  private processCancellationBarrier(cancelledId: CheckpointId): void {
    if (cancelledId > this.currentCheckpointId || (cancelledId === this.currentCheckpointId && this.alignedChannels.size > 0)) {
      this.abortInternal(cancelledId, 'CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER');
    }
  }

  /**
   * Flink's abortInternal. Moving currentCheckpointId up to `cancelledId` makes every later barrier
   * or marker of it stale. A pending older checkpoint is unblocked without being reported, as in Flink.
   */
  private abortInternal(cancelledId: CheckpointId, reason: CheckpointAbortReason): void {
    this.currentCheckpointId = Math.max(cancelledId, this.currentCheckpointId);
    this.lastCancelledOrCompletedCheckpointId = Math.max(this.lastCancelledOrCompletedCheckpointId, cancelledId);
    this.alignedChannels.clear();
    this.targetChannelCount = 0;
    this.state = this.state.abort(cancelledId);
    this.recorder.aborted(cancelledId, reason);
  }

  /**
   * Flink's processEndOfPartition(InputChannelInfo). The channel may be blocked (its barrier came
   * first): it is accepted all the same. With checkpoints after tasks finish (FLIP-147), the channel
   * joins alignedChannels, a set, so a channel that delivered both the barrier and its end counts once
   * (AlignedCheckpointsTest.testDeduplicateChannelsWithBothBarrierAndEndOfPartition), and the state's
   * endOfPartitionReceived takes it out of the blocked set (ChannelState.channelFinished). If it was the
   * last channel missing, markCheckpointAlignedAndTransformState completes the alignment: when every
   * channel ends, the pending checkpoint is triggered, not aborted. Without FLIP-147 the pending
   * checkpoint is aborted with CHECKPOINT_DECLINED_INPUT_END_OF_STREAM, which unblocks every channel.
   */
  private processEndOfPartition(channel: ChannelIndex): void {
    this.ended.add(channel);
    this.numOpenChannels--;
    if (!this.checkpointsAfterTasksFinish) {
      if (this.isCheckpointPending()) this.abortInternal(this.currentCheckpointId, 'CHECKPOINT_DECLINED_INPUT_END_OF_STREAM');
      return;
    }
    if (!this.isCheckpointPending()) return;
    this.markCheckpointAlignedAndTransformState(channel, (state) => state.endOfPartitionReceived(this.controller, channel));
  }

  private isCheckpointPending(): boolean {
    return this.currentCheckpointId !== this.lastCancelledOrCompletedCheckpointId && this.currentCheckpointId >= 0;
  }
}
