// Exactly-once barrier handling for one task (Flink's SingleCheckpointBarrierHandler): one checkpoint at
// a time. `aligned`: a channel is blocked from its barrier n until n arrived on all open channels.
// `alternating` (unaligned checkpoints enabled): each barrier's options decide — unaligned checkpoints
// trigger on the first barrier and capture in-flight data, aligned ones with a timeout switch to
// unaligned when it passes. Assumes newer checkpoints have higher ids; what to do in each phase is the
// state's (barrier-state.ts).
import { asBarrierState } from './aligned-state-adapter';
import { alignmentTimer, type AlignmentTimer } from './alignment-timer';
import { alternatingStates } from './alternating-state-factory';
import type { BarrierState, BarrierStateController } from './barrier-state';
import { ChannelState, type CheckpointableInputs } from './channel-state';
import { ChannelStatePersisters } from './channel-state-persister';
import { barrierOf, isTimeoutable } from './checkpoint-options';
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
import { WaitingForFirstBarrier } from './waiting-for-first-barrier';


/**
 * Follows apache/flink flink-runtime/src/main/java/org/apache/flink/streaming/runtime/io/checkpointing/
 * SingleCheckpointBarrierHandler.java (the `aligned` and `alternating` factories; before 2.0 in
 * flink-streaming-java): processBarrier, processBarrierAnnouncement, checkNewCheckpoint,
 * registerAlignmentTimer, markCheckpointAlignedAndTransformState, processCancellationBarrier,
 * abortInternal, processEndOfPartition and ControllerImpl.isTimedOut keep Flink's names and conditions.
 */
export class SingleCheckpointBarrierHandler implements CheckpointBarrierHandler {
  readonly mode = 'exactly-once' as const;
  private readonly ended = new Set<ChannelIndex>();
  private readonly persisters: ChannelStatePersisters;
  private readonly channelState: ChannelState;
  private numOpenChannels: number;
  private state: BarrierState;
  /** Highest checkpoint id seen; with the next field, Flink's way to ignore stale barriers and markers. */
  private currentCheckpointId: CheckpointId = -1;
  private lastCancelledOrCompletedCheckpointId: CheckpointId = -1;
  /** The barrier (or announced barrier) that started the pending checkpoint: its options and start. */
  private pendingCheckpointBarrier: CheckpointBarrier | null = null;
  /** Channels that delivered the pending checkpoint's barrier or ended during its alignment. */
  private readonly alignedChannels = new Set<ChannelIndex>();
  private targetChannelCount = 0;
  private timer: AlignmentTimer | null = null;
  /** The manual clock: the last `advance-time`. */
  private nowMs = 0;
  /** The unaligned checkpoint whose input channel state the channels capture (triggered, barriers not all in). */
  private capturing: CheckpointId | null = null;
  private recorder = new OutcomeRecorder();
  private readonly controller: BarrierStateController = {
    allBarriersReceived: () => this.alignedChannels.size === this.targetChannelCount,
    pendingCheckpointBarrier: () => (this.isCheckpointPending() ? this.pendingCheckpointBarrier : null),
    triggerGlobalCheckpoint: (barrier) => this.recorder.triggered(barrier),
    isTimedOut: (barrier) => {
      const timeout = barrier.options.alignedCheckpointTimeoutMs ?? Infinity;
      return isTimeoutable(barrier.options) && barrier.checkpointId <= this.currentCheckpointId && timeout < this.nowMs - barrier.timestamp;
    },
  };
  /** What the states ask of the input channels (Flink's CheckpointableInput). */
  private readonly inputs: CheckpointableInputs = {
    convertToPriorityEvent: (channel, checkpointId) => this.recorder.prioritized({ channel, checkpointId }),
    checkpointStarted: (barrier) => {
      this.persisters.startPersisting(barrier.checkpointId);
      this.capturing = barrier.checkpointId;
    },
    checkpointStopped: (checkpointId) => {
      this.persisters.stopPersisting(checkpointId);
      if (this.capturing !== null && this.capturing <= checkpointId) {
        this.recorder.inputCaptureFinished(this.capturing);
        this.capturing = null;
      }
    },
  };

  constructor(
    readonly numberOfChannels: number,
    private readonly checkpointsAfterTasksFinish = true,
    /** Flink's `alternating` factory (unaligned checkpoints enabled) rather than `aligned`. */
    readonly alternating = false,
  ) {
    requireChannelCount(numberOfChannels);
    this.numOpenChannels = numberOfChannels;
    this.persisters = new ChannelStatePersisters(numberOfChannels);
    this.channelState = new ChannelState(this.inputs);
    this.state = alternating
      ? alternatingStates.waitingForFirstBarrier(this.channelState)
      : asBarrierState(new WaitingForFirstBarrier(this.channelState));
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
    switch (input.kind) {
      case 'data':
        this.recorder.captured(this.persisters.maybePersist(input.channel));
        break;
      case 'barrier':
        this.persisters.checkForBarrier(input.channel, input.checkpointId);
        this.processBarrier(barrierOf(input), input.channel);
        break;
      case 'announcement':
        this.processBarrierAnnouncement(barrierOf(input), input.channel);
        break;
      case 'cancellation-marker':
        this.processCancellationBarrier(input.checkpointId);
        break;
      case 'end-of-partition':
        this.processEndOfPartition(input.channel);
        break;
      case 'advance-time':
        this.nowMs = input.toMs;
        this.fireAlignmentTimerIfDue();
        break;
    }
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
    return this.timer?.fireAtMs ?? null;
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

  private processBarrier(barrier: CheckpointBarrier, channel: ChannelIndex): void {
    const barrierId = barrier.checkpointId;
    // A barrier of a checkpoint already completed, aborted or subsumed: Flink resumes the channel and ignores it.
    if (this.currentCheckpointId > barrierId || (this.currentCheckpointId === barrierId && !this.isCheckpointPending())) return;
    this.checkNewCheckpoint(barrier);
    this.markCheckpointAlignedAndTransformState(channel, (state) => state.barrierReceived(this.controller, channel, barrier));
  }

  /** Flink's processBarrierAnnouncement: an announcement may start (or subsume into) a checkpoint, never align it. */
  private processBarrierAnnouncement(barrier: CheckpointBarrier, channel: ChannelIndex): void {
    this.checkNewCheckpoint(barrier);
    const barrierId = barrier.checkpointId;
    if (this.currentCheckpointId > barrierId || (this.currentCheckpointId === barrierId && !this.isCheckpointPending())) return;
    this.state = this.state.announcementReceived(this.controller, channel, barrierId);
  }

  private checkNewCheckpoint(barrier: CheckpointBarrier): void {
    const barrierId = barrier.checkpointId;
    if (this.currentCheckpointId >= barrierId) return;
    if (this.isCheckpointPending()) this.abortInternal(this.currentCheckpointId, 'CHECKPOINT_DECLINED_SUBSUMED');
    this.currentCheckpointId = barrierId;
    this.pendingCheckpointBarrier = barrier;
    this.alignedChannels.clear();
    this.targetChannelCount = this.numOpenChannels;
    // Flink's registerAlignmentTimer: measured from the checkpoint's start, the barrier's timestamp.
    if (this.alternating && isTimeoutable(barrier.options)) this.timer = alignmentTimer(barrier, this.nowMs);
  }

  private markCheckpointAlignedAndTransformState(channel: ChannelIndex, transform: (state: BarrierState) => BarrierState): void {
    this.alignedChannels.add(channel);
    if (this.alignedChannels.size === 1) this.recorder.started(this.currentCheckpointId);
    this.state = transform(this.state);
    if (this.alignedChannels.size === this.targetChannelCount) {
      this.alignedChannels.clear();
      this.lastCancelledOrCompletedCheckpointId = this.currentCheckpointId;
      this.timer = null;
    }
  }

  /**
   * The timer's callback in Flink's registerAlignmentTimer: if its checkpoint is still the one being
   * aligned, the state switches to unaligned (prioritizing announced barriers, or triggering at once).
   */
  private fireAlignmentTimerIfDue(): void {
    const timer = this.timer;
    if (timer === null || timer.fireAtMs > this.nowMs) return;
    this.timer = null;
    if (this.currentCheckpointId === timer.barrier.checkpointId && this.isCheckpointPending() && this.numOpenChannels > 0) {
      this.state = this.state.alignedCheckpointTimeout(this.controller, timer.barrier);
    }
  }

  private processCancellationBarrier(cancelledId: CheckpointId): void {
    if (cancelledId > this.currentCheckpointId || (cancelledId === this.currentCheckpointId && this.alignedChannels.size > 0)) {
      this.abortInternal(cancelledId, 'CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER');
    }
  }

  /**
   * Flink's abortInternal. Moving currentCheckpointId up to `cancelledId` makes every later barrier
   * or marker of it stale. A pending older checkpoint is unblocked without being reported, as in Flink,
   * unless it was already triggered unaligned: then its input capture is cut short, which in Flink fails
   * its allBarriersReceivedFuture and so the task's checkpoint; here it is reported aborted too.
   */
  private abortInternal(cancelledId: CheckpointId, reason: CheckpointAbortReason): void {
    const cutShort = this.capturing;
    this.currentCheckpointId = Math.max(cancelledId, this.currentCheckpointId);
    this.lastCancelledOrCompletedCheckpointId = Math.max(this.lastCancelledOrCompletedCheckpointId, cancelledId);
    this.pendingCheckpointBarrier = null;
    this.alignedChannels.clear();
    this.targetChannelCount = 0;
    this.timer = null;
    this.state = this.state.abort(cancelledId);
    if (this.capturing !== null) throw new Error(`Checkpoint ${this.capturing} still capturing after abort of ${cancelledId}`);
    if (cutShort !== null && cutShort !== cancelledId) this.recorder.aborted(cutShort, reason);
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
