// Aligned checkpoints, no barrier of a pending checkpoint seen yet; no channel is blocked.
// Guarantee: the first barrier blocks its channel (or triggers at once if it is the only open one).
import type { AlignedStateKind, BarrierHandlerController, BarrierHandlerState } from './barrier-handler-state';
import { blockAndTriggerIfAligned } from './aligned-transitions';
import { ChannelState } from './channel-state';
import { CollectingBarriers } from './collecting-barriers';
import type { ChannelIndex, CheckpointId } from './types';

export class WaitingForFirstBarrier implements BarrierHandlerState {
  readonly kind: AlignedStateKind = 'WaitingForFirstBarrier';

  constructor(private readonly state: ChannelState) {
    if (state.hasBlockedChannels) {
      throw new Error(`WaitingForFirstBarrier with blocked channels ${state.blockedChannels().join(', ')}`);
    }
  }

  barrierReceived(controller: BarrierHandlerController, channel: ChannelIndex, checkpointId: CheckpointId): BarrierHandlerState {
    if (blockAndTriggerIfAligned(this.state, controller, channel, checkpointId)) return this;
    return new CollectingBarriers(this.state);
  }

  /**
   * Impossible: the handler forwards end of partition only while a checkpoint is pending, and a
   * pending checkpoint means CollectingBarriers. (Flink's version records the finished channel and
   * stays; it is unreachable there too.)
   */
  endOfPartitionReceived(_controller: BarrierHandlerController, channel: ChannelIndex): BarrierHandlerState {
    throw new Error(`WaitingForFirstBarrier: end of partition on channel ${channel} with no checkpoint pending`);
  }

  abort(_checkpointId: CheckpointId): BarrierHandlerState {
    return this;
  }
}
