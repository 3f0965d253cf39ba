// Alternating handler, aligned, no barrier of the pending checkpoint read yet (announcements maybe).
// Guarantee: a timeout here prioritizes the announced barriers and waits for the first one unaligned.
import { AbstractAlternatingAlignedState } from './abstract-alternating-aligned-state';
import type { BarrierState, BarrierStateController, BarrierStateKind } from './barrier-state';
import type { ChannelIndex, CheckpointBarrier } from './types';

/** Follows Flink's AlternatingWaitingForFirstBarrier. */
export class AlternatingWaitingForFirstBarrier extends AbstractAlternatingAlignedState {
  readonly kind: BarrierStateKind = 'AlternatingWaitingForFirstBarrier';

  alignedCheckpointTimeout(_controller: BarrierStateController, _barrier: CheckpointBarrier): BarrierState {
    this.state.prioritizeAllAnnouncements();
    return this.states.waitingForFirstBarrierUnaligned(this.state);
  }

  /** Reached when an announcement started the checkpoint and a channel ends before any barrier (FLINK-24068). */
  endOfPartitionReceived(_controller: BarrierStateController, channel: ChannelIndex): BarrierState {
    this.state.channelFinished(channel);
    return this;
  }

  protected transitionAfterBarrierReceived(): BarrierState {
    return this.states.collectingBarriers(this.state);
  }
}
