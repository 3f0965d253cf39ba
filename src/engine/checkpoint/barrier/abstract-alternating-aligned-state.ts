// What the two aligned states of an alternating handler share (Flink's
// AbstractAlternatingAlignedBarrierHandlerState): block each channel on its aligned barrier; once all
// are in, trigger aligned; if the alignment has timed out, or a barrier arrives already unaligned
// (its upstream timed out), switch to unaligned. Announcements are remembered until their barrier comes.
import type { AlternatingStates, BarrierState, BarrierStateController, BarrierStateKind } from './barrier-state';
import type { ChannelState } from './channel-state';
import { asUnaligned, isUnalignedCheckpoint } from './checkpoint-options';
import type { ChannelIndex, CheckpointBarrier, CheckpointId } from './types';

export abstract class AbstractAlternatingAlignedState implements BarrierState {
  abstract readonly kind: BarrierStateKind;

  constructor(
    protected readonly state: ChannelState,
    protected readonly states: AlternatingStates,
  ) {}

  abstract alignedCheckpointTimeout(controller: BarrierStateController, barrier: CheckpointBarrier): BarrierState;

  abstract endOfPartitionReceived(controller: BarrierStateController, channel: ChannelIndex): BarrierState;

  /** The state after an aligned barrier that neither completed nor timed out the alignment. */
  protected abstract transitionAfterBarrierReceived(): BarrierState;

  announcementReceived(_controller: BarrierStateController, channel: ChannelIndex, checkpointId: CheckpointId): BarrierState {
    this.state.addSeenAnnouncement(channel, checkpointId);
    return this;
  }

  barrierReceived(controller: BarrierStateController, channel: ChannelIndex, barrier: CheckpointBarrier): BarrierState {
    if (isUnalignedCheckpoint(barrier.options)) {
      return this.alignedCheckpointTimeout(controller, barrier).barrierReceived(controller, channel, barrier);
    }
    this.state.removeSeenAnnouncement(channel);
    this.state.blockChannel(channel);
    if (controller.allBarriersReceived()) {
      controller.triggerGlobalCheckpoint(barrier);
      return this.finishCheckpoint();
    }
    if (controller.isTimedOut(barrier)) {
      // Flink passes the barrier on as unaligned: the channel stays blocked (it delivered an aligned barrier).
      return this.alignedCheckpointTimeout(controller, barrier).barrierReceived(controller, channel, asUnaligned(barrier));
    }
    return this.transitionAfterBarrierReceived();
  }

  abort(_checkpointId: CheckpointId): BarrierState {
    return this.finishCheckpoint();
  }

  protected finishCheckpoint(): BarrierState {
    this.state.unblockAllChannels();
    return this.states.waitingForFirstBarrier(this.state.emptyState());
  }
}
