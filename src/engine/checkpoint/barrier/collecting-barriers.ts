// Aligned checkpoints, at least one barrier of the pending checkpoint seen: channels that delivered
// it are blocked. Guarantee: the last barrier (or the last open channel ending) triggers and unblocks.
import type { AlignedStateKind, BarrierHandlerController, BarrierHandlerState } from './barrier-handler-state';
import { blockAndTriggerIfAligned, triggerGlobalCheckpoint } from './aligned-transitions';
import type { ChannelState } from './channel-state';
import type { ChannelIndex, CheckpointId } from './types';
import { WaitingForFirstBarrier } from './waiting-for-first-barrier';

export class CollectingBarriers implements BarrierHandlerState {
  readonly kind: AlignedStateKind = 'CollectingBarriers';

  constructor(private readonly state: ChannelState) {}

  barrierReceived(controller: BarrierHandlerController, channel: ChannelIndex, checkpointId: CheckpointId): BarrierHandlerState {
    if (blockAndTriggerIfAligned(this.state, controller, channel, checkpointId)) return new WaitingForFirstBarrier(this.state);
    return this;
  }

  endOfPartitionReceived(controller: BarrierHandlerController, channel: ChannelIndex): BarrierHandlerState {
    this.state.channelFinished(channel);
    if (!controller.allBarriersReceived()) return this;
    const pending = controller.pendingCheckpointId();
    if (pending === null) throw new Error('CollectingBarriers: alignment complete with no pending checkpoint');
    triggerGlobalCheckpoint(this.state, controller, pending);
    return new WaitingForFirstBarrier(this.state);
  }

  abort(_checkpointId: CheckpointId): BarrierHandlerState {
    this.state.unblockAllChannels();
    return new WaitingForFirstBarrier(this.state);
  }
}
