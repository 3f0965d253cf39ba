// One checkpoint the at-least-once tracker is counting barriers for (Flink's CheckpointBarrierCount).
// An aborted entry is kept until all its barriers are in, so that late ones are recognised as such.
import type { ChannelIndex, CheckpointBarrier, CheckpointId } from './types';

export class CheckpointBarrierCount {
  private readonly alignedChannels = new Set<ChannelIndex>();
  private abortedFlag = false;

  constructor(
    readonly checkpointId: CheckpointId,
    firstChannel: ChannelIndex,
    readonly targetChannelCount: number,
    /** The first barrier counted: what an end of partition that completes the count triggers with. */
    readonly barrier: CheckpointBarrier = { checkpointId, timestamp: 0, options: { checkpointType: 'CHECKPOINT' } },
  ) {
    this.alignedChannels.add(firstChannel);
  }

  /** Counts `channel` once; returns how many channels have now delivered the barrier (or ended). */
  markChannelAligned(channel: ChannelIndex): number {
    this.alignedChannels.add(channel);
    return this.alignedChannels.size;
  }

  get isAborted(): boolean {
    return this.abortedFlag;
  }

  /** Returns true the first time only, so that each checkpoint is reported aborted once. */
  markAborted(): boolean {
    const firstAbort = !this.abortedFlag;
    this.abortedFlag = true;
    return firstAbort;
  }
}
