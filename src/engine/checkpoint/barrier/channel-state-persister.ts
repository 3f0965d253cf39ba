// Which unaligned checkpoint each input channel is capturing in-flight data for (Flink's
// ChannelStatePersister, one per channel): from the checkpoint's start until that channel's barrier.
// Flink runs it as buffers arrive from the network; here it runs as the task reads them, which is the
// same order for a channel (a barrier moved ahead of its data is the task's to capture, see `prioritized`).
import type { ChannelIndex, CheckpointId } from './types';

type CheckpointStatus = 'COMPLETED' | 'BARRIER_PENDING' | 'BARRIER_RECEIVED';

class ChannelStatePersister {
  private status: CheckpointStatus = 'COMPLETED';
  private lastSeenBarrier: CheckpointId = -1;

  /** Flink's startPersisting: capture for `barrierId` unless this channel already delivered that barrier. */
  startPersisting(barrierId: CheckpointId): void {
    if (this.status === 'BARRIER_RECEIVED' && this.lastSeenBarrier > barrierId) {
      throw new Error(`Checkpoint ${barrierId} started after barrier ${this.lastSeenBarrier} was read (CHECKPOINT_SUBSUMED)`);
    }
    if (this.lastSeenBarrier < barrierId) {
      this.status = 'BARRIER_PENDING';
      this.lastSeenBarrier = barrierId;
    }
  }

  /** Flink's stopPersisting. */
  stopPersisting(checkpointId: CheckpointId): void {
    if (checkpointId >= this.lastSeenBarrier) {
      this.status = 'COMPLETED';
      this.lastSeenBarrier = checkpointId;
    }
  }

  /** Flink's checkForBarrier: a barrier of the current or a newer checkpoint ends the capture on this channel. */
  checkForBarrier(barrierId: CheckpointId): void {
    const expected = this.status === 'COMPLETED' ? this.lastSeenBarrier + 1 : this.lastSeenBarrier;
    if (barrierId >= expected) {
      this.status = 'BARRIER_RECEIVED';
      this.lastSeenBarrier = barrierId;
    }
  }

  /** Flink's maybePersist: the checkpoint a buffer read now belongs to as channel state, or null. */
  maybePersist(): CheckpointId | null {
    return this.status === 'BARRIER_PENDING' ? this.lastSeenBarrier : null;
  }
}

/** The persisters of all of a task's input channels. */
export class ChannelStatePersisters {
  private readonly persisters: ChannelStatePersister[];

  constructor(numberOfChannels: number) {
    this.persisters = Array.from({ length: numberOfChannels }, () => new ChannelStatePersister());
  }

  startPersisting(checkpointId: CheckpointId): void {
    for (const persister of this.persisters) persister.startPersisting(checkpointId);
  }

  stopPersisting(checkpointId: CheckpointId): void {
    for (const persister of this.persisters) persister.stopPersisting(checkpointId);
  }

  checkForBarrier(channel: ChannelIndex, checkpointId: CheckpointId): void {
    this.persister(channel).checkForBarrier(checkpointId);
  }

  maybePersist(channel: ChannelIndex): CheckpointId | null {
    return this.persister(channel).maybePersist();
  }

  private persister(channel: ChannelIndex): ChannelStatePersister {
    const persister = this.persisters[channel];
    if (persister === undefined) throw new RangeError(`No channel ${channel}`);
    return persister;
  }
}
