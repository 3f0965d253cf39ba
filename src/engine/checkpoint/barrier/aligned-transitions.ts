// The transitions both aligned states share (Flink's AbstractAlignedBarrierHandlerState): block the
// channel a barrier came from; once all barriers are in, trigger and unblock every channel.
import type { BarrierHandlerController } from './barrier-handler-state';
import type { ChannelState } from './channel-state';
import type { ChannelIndex, CheckpointId } from './types';

/** Blocks `channel`; returns true when this barrier completed the alignment (then all are unblocked). */
export function blockAndTriggerIfAligned(
  state: ChannelState,
  controller: BarrierHandlerController,
  channel: ChannelIndex,
  checkpointId: CheckpointId,
): boolean {
  state.blockChannel(channel);
  if (!controller.allBarriersReceived()) return false;
  triggerGlobalCheckpoint(state, controller, checkpointId);
  return true;
}

/** Flink's AbstractAlignedBarrierHandlerState.triggerGlobalCheckpoint. */
export function triggerGlobalCheckpoint(
  state: ChannelState,
  controller: BarrierHandlerController,
  checkpointId: CheckpointId,
): void {
  controller.triggerGlobalCheckpoint(checkpointId);
  state.unblockAllChannels();
}
