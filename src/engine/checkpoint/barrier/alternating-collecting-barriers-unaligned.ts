// Alternating handler, unaligned checkpoint triggered, waiting for the remaining barriers while the
// channels capture what they read before them. Guarantee: the last barrier (or end of partition)
// stops the capture and unblocks every channel an aligned barrier blocked.
import type { AlternatingStates, BarrierState, BarrierStateController, BarrierStateKind } from './barrier-state';
import type { ChannelState } from './channel-state';
import { isUnalignedCheckpoint } from './checkpoint-options';
import type { ChannelIndex, CheckpointBarrier, CheckpointId } from './types';

/** Follows Flink's AlternatingCollectingBarriersUnaligned with `alternating` true. */
export class AlternatingCollectingBarriersUnaligned implements BarrierState {
  readonly kind: BarrierStateKind = 'AlternatingCollectingBarriersUnaligned';

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
    // An aligned barrier: the credit-based network blocked its channel, so book it as blocked.
    if (!isUnalignedCheckpoint(barrier.options)) this.state.blockChannel(channel);
    if (controller.allBarriersReceived()) return this.finishCheckpoint(barrier.checkpointId);
    return this;
  }

  abort(checkpointId: CheckpointId): BarrierState {
    return this.finishCheckpoint(checkpointId);
  }

  endOfPartitionReceived(controller: BarrierStateController, channel: ChannelIndex): BarrierState {
    this.state.channelFinished(channel);
    if (!controller.allBarriersReceived()) return this;
    const pending = controller.pendingCheckpointBarrier();
    if (pending === null) throw new Error('AlternatingCollectingBarriersUnaligned: all barriers received, yet none is pending');
    return this.finishCheckpoint(pending.checkpointId);
  }

  private finishCheckpoint(checkpointId: CheckpointId): BarrierState {
    this.state.inputs.checkpointStopped(checkpointId);
    this.state.unblockAllChannels();
    return this.states.waitingForFirstBarrier(this.state.emptyState());
  }
}
