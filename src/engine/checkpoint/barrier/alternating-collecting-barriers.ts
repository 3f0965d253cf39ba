// Alternating handler, aligned, at least one aligned barrier read: its channels are blocked.
// Guarantee: a timeout triggers the checkpoint unaligned at once and goes on collecting unaligned;
// the channels blocked so far stay blocked until every barrier is in (the network blocked them).
import { AbstractAlternatingAlignedState } from './abstract-alternating-aligned-state';
import type { BarrierState, BarrierStateController, BarrierStateKind } from './barrier-state';
import { asUnaligned, isUnalignedCheckpoint } from './checkpoint-options';
import type { ChannelIndex, CheckpointBarrier } from './types';

/** Follows Flink's AlternatingCollectingBarriers. */
export class AlternatingCollectingBarriers extends AbstractAlternatingAlignedState {
  readonly kind: BarrierStateKind = 'AlternatingCollectingBarriers';

  alignedCheckpointTimeout(controller: BarrierStateController, barrier: CheckpointBarrier): BarrierState {
    this.state.prioritizeAllAnnouncements();
    const unaligned = asUnaligned(barrier);
    this.state.inputs.checkpointStarted(unaligned);
    controller.triggerGlobalCheckpoint(unaligned);
    return this.states.collectingBarriersUnaligned(this.state);
  }

  endOfPartitionReceived(controller: BarrierStateController, channel: ChannelIndex): BarrierState {
    this.state.channelFinished(channel);
    const pending = controller.pendingCheckpointBarrier();
    if (pending === null) throw new Error('AlternatingCollectingBarriers: at least one barrier received, yet none is pending');
    if (isUnalignedCheckpoint(pending.options)) throw new Error('AlternatingCollectingBarriers: the pending barrier is unaligned');
    if (controller.allBarriersReceived()) {
      controller.triggerGlobalCheckpoint(pending);
      return this.finishCheckpoint();
    }
    if (controller.isTimedOut(pending)) {
      return this.alignedCheckpointTimeout(controller, pending).endOfPartitionReceived(controller, channel);
    }
    return this;
  }

  protected transitionAfterBarrierReceived(): BarrierState {
    return this;
  }
}
