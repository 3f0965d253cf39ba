// Alternating handler, unaligned (timed out before any barrier, or the checkpoint is unaligned from the
// start), no barrier read yet. Guarantee: the first barrier triggers the checkpoint unaligned at once.
import type { AlternatingStates, BarrierState, BarrierStateController, BarrierStateKind } from './barrier-state';
import type { ChannelState } from './channel-state';
import { asUnaligned, isUnalignedCheckpoint } from './checkpoint-options';
import type { ChannelIndex, CheckpointBarrier, CheckpointId } from './types';

/**
 * Follows Flink's AlternatingWaitingForFirstBarrierUnaligned with `alternating` true (the strictly
 * unaligned handler, which Flink builds only in tests, is not modelled: an alternating handler fed
 * unaligned barriers behaves the same but for the state it returns to).
 */
export class AlternatingWaitingForFirstBarrierUnaligned implements BarrierState {
  readonly kind: BarrierStateKind = 'AlternatingWaitingForFirstBarrierUnaligned';

  constructor(
    private readonly state: ChannelState,
    private readonly states: AlternatingStates,
  ) {}

  /** Already unaligned: nothing to switch. */
  alignedCheckpointTimeout(): BarrierState {
    return this;
  }

  announcementReceived(_controller: BarrierStateController, channel: ChannelIndex, checkpointId: CheckpointId): BarrierState {
    this.state.inputs.convertToPriorityEvent(channel, checkpointId);
    return this;
  }

  barrierReceived(controller: BarrierStateController, channel: ChannelIndex, barrier: CheckpointBarrier): BarrierState {
    // An aligned barrier read out of order: the credit-based network blocked its channel, so book it as blocked.
    if (!isUnalignedCheckpoint(barrier.options)) this.state.blockChannel(channel);
    const unaligned = asUnaligned(barrier);
    this.state.inputs.checkpointStarted(unaligned);
    controller.triggerGlobalCheckpoint(unaligned);
    if (controller.allBarriersReceived()) {
      this.state.inputs.checkpointStopped(unaligned.checkpointId);
      return this.stopCheckpoint();
    }
    return this.states.collectingBarriersUnaligned(this.state);
  }

  abort(_checkpointId: CheckpointId): BarrierState {
    return this.stopCheckpoint();
  }

  endOfPartitionReceived(_controller: BarrierStateController, channel: ChannelIndex): BarrierState {
    this.state.channelFinished(channel);
    return this;
  }

  private stopCheckpoint(): BarrierState {
    this.state.unblockAllChannels();
    return this.states.waitingForFirstBarrier(this.state.emptyState());
  }
}
