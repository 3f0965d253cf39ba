// Aligned checkpoints, no barrier of a pending checkpoint seen yet; no channel is blocked.
// Guarantee: the first barrier blocks its channel (or triggers at once if it is the only open one).
import type { AlignedStateKind, BarrierHandlerController, BarrierHandlerState } from './barrier-handler-state';
import { blockAndTriggerIfAligned } from './aligned-transitions';
import type { ChannelState } from './channel-state';
import { CollectingBarriers } from './collecting-barriers';
import type { ChannelIndex, CheckpointId } from './types';

const waitingForFirstBarrier = (state: ChannelState): BarrierHandlerState => new WaitingForFirstBarrier(state);

export class WaitingForFirstBarrier implements BarrierHandlerState {
  readonly kind: AlignedStateKind = 'WaitingForFirstBarrier';

  constructor(private readonly state: ChannelState) {
    if (state.hasBlockedChannels) {
      throw new Error(`WaitingForFirstBarrier with blocked channels ${state.blockedChannels().join(', ')}`);
    }
  }

  barrierReceived(controller: BarrierHandlerController, channel: ChannelIndex, checkpointId: CheckpointId): BarrierHandlerState {
    if (blockAndTriggerIfAligned(this.state, controller, channel, checkpointId)) return this;
    return new CollectingBarriers(this.state, waitingForFirstBarrier);
  }

  /**
   * Flink's WaitingForFirstBarrier.endOfPartitionReceived: the channel is finished and, with no
   * checkpoint pending, nothing else happens. The handler forwards an end of partition only while a
   * checkpoint is pending, which means CollectingBarriers, so this is not reached (nor in Flink).
   */
  endOfPartitionReceived(_controller: BarrierHandlerController, channel: ChannelIndex): BarrierHandlerState {
    this.state.channelFinished(channel);
    return this;
  }

  abort(_checkpointId: CheckpointId): BarrierHandlerState {
    return this;
  }
}
