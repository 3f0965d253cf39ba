// Aligned checkpoints, at least one barrier of the pending checkpoint seen: channels that delivered
// it are blocked. Guarantee: the last barrier (or the last open channel ending) triggers and unblocks.
// The state to go back to is passed in by WaitingForFirstBarrier, so this module does not import it
// (Flink's AbstractAlignedBarrierHandlerState constructs WaitingForFirstBarrier directly).
import type { AlignedStateKind, BarrierHandlerController, BarrierHandlerState } from './barrier-handler-state';
import { blockAndTriggerIfAligned, triggerGlobalCheckpoint } from './aligned-transitions';
import type { ChannelState } from './channel-state';
import type { ChannelIndex, CheckpointId } from './types';

/** Makes the WaitingForFirstBarrier to return to once the alignment is over (triggered or aborted). */
export type WaitingForFirstBarrierFactory = (state: ChannelState) => BarrierHandlerState;

export class CollectingBarriers implements BarrierHandlerState {
  readonly kind: AlignedStateKind = 'CollectingBarriers';

  constructor(
    private readonly state: ChannelState,
    private readonly waitingForFirstBarrier: WaitingForFirstBarrierFactory,
  ) {}

  barrierReceived(controller: BarrierHandlerController, channel: ChannelIndex, checkpointId: CheckpointId): BarrierHandlerState {
    if (blockAndTriggerIfAligned(this.state, controller, channel, checkpointId)) return this.waitingForFirstBarrier(this.state);
    return this;
  }

  /**
   * Flink's CollectingBarriers.endOfPartitionReceived: the channel is finished (ChannelState.channelFinished
   * takes it out of the blocked set, whether or not its barrier came first); if that was the last channel
   * the pending checkpoint waited for, it triggers and every channel is unblocked.
   */
  endOfPartitionReceived(controller: BarrierHandlerController, channel: ChannelIndex): BarrierHandlerState {
    this.state.channelFinished(channel);
    if (!controller.allBarriersReceived()) return this;
    const pending = controller.pendingCheckpointId();
    if (pending === null) throw new Error('CollectingBarriers: alignment complete with no pending checkpoint');
    triggerGlobalCheckpoint(this.state, controller, pending);
    return this.waitingForFirstBarrier(this.state);
  }

  abort(_checkpointId: CheckpointId): BarrierHandlerState {
    this.state.unblockAllChannels();
    return this.waitingForFirstBarrier(this.state);
  }
}
