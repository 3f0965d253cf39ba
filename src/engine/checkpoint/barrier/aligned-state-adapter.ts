// Drives an aligned state (WaitingForFirstBarrier / CollectingBarriers, which see checkpoint ids only)
// as a full BarrierState: the barrier it triggers with is the one read, or the pending one when an end
// of partition completes the alignment. Announcements are ignored and the alignment never times out,
// as in Flink's AbstractAlignedBarrierHandlerState (no timer is set without `alternating`).
import type { BarrierHandlerController, BarrierHandlerState } from './barrier-handler-state';
import type { BarrierState, BarrierStateController } from './barrier-state';
import type { ChannelIndex, CheckpointBarrier, CheckpointId } from './types';

function alignedController(controller: BarrierStateController, barrier: CheckpointBarrier | null): BarrierHandlerController {
  return {
    allBarriersReceived: () => controller.allBarriersReceived(),
    pendingCheckpointId: () => controller.pendingCheckpointBarrier()?.checkpointId ?? null,
    triggerGlobalCheckpoint: (checkpointId) => {
      if (barrier === null || barrier.checkpointId !== checkpointId) throw new Error(`Triggered ${checkpointId} without its barrier`);
      controller.triggerGlobalCheckpoint(barrier);
    },
  };
}

class AlignedBarrierState implements BarrierState {
  constructor(private readonly aligned: BarrierHandlerState) {}

  get kind() {
    return this.aligned.kind;
  }

  alignedCheckpointTimeout(): BarrierState {
    throw new Error('Alignment should not be timed out if we are not alternating');
  }

  announcementReceived(): BarrierState {
    return this;
  }

  barrierReceived(controller: BarrierStateController, channel: ChannelIndex, barrier: CheckpointBarrier): BarrierState {
    return this.next(this.aligned.barrierReceived(alignedController(controller, barrier), channel, barrier.checkpointId));
  }

  abort(checkpointId: CheckpointId): BarrierState {
    return this.next(this.aligned.abort(checkpointId));
  }

  endOfPartitionReceived(controller: BarrierStateController, channel: ChannelIndex): BarrierState {
    return this.next(this.aligned.endOfPartitionReceived(alignedController(controller, controller.pendingCheckpointBarrier()), channel));
  }

  private next(state: BarrierHandlerState): BarrierState {
    return state === this.aligned ? this : new AlignedBarrierState(state);
  }
}

export function asBarrierState(aligned: BarrierHandlerState): BarrierState {
  return new AlignedBarrierState(aligned);
}
