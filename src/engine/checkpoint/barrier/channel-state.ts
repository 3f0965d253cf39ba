// Which input channels are blocked for the checkpoint in progress and which announced a barrier not
// yet read (Flink's ChannelState). Only the BarrierHandlerStates change it; the handler reads it to
// answer isBlocked(). What the states ask of the inputs goes through the CheckpointableInputs port.
import type { ChannelIndex, CheckpointBarrier, CheckpointId } from './types';

/** Flink's CheckpointableInput, as the barrier states use it, for all of the task's input channels at once. */
export interface CheckpointableInputs {
  /** Flink's convertToPriorityEvent: move the announced barrier to the head of its channel. */
  convertToPriorityEvent(channel: ChannelIndex, checkpointId: CheckpointId): void;
  /** Flink's checkpointStarted: an unaligned checkpoint started; channels capture what comes before its barrier. */
  checkpointStarted(barrier: CheckpointBarrier): void;
  /** Flink's checkpointStopped: stop capturing for this checkpoint (and any older one). */
  checkpointStopped(checkpointId: CheckpointId): void;
}

const NO_INPUTS: CheckpointableInputs = {
  convertToPriorityEvent: () => {},
  checkpointStarted: () => {},
  checkpointStopped: () => {},
};

export class ChannelState {
  private readonly blocked = new Set<ChannelIndex>();
  /** Flink's sequenceNumberInAnnouncedChannels: announced barriers not yet read, by channel. */
  private readonly announced = new Map<ChannelIndex, CheckpointId>();

  constructor(readonly inputs: CheckpointableInputs = NO_INPUTS) {}

  /** Flink's blockChannel: the channel delivered its barrier, so the task stops reading it. */
  blockChannel(channel: ChannelIndex): void {
    if (this.blocked.has(channel)) throw new Error(`Channel ${channel} is already blocked`);
    this.blocked.add(channel);
  }

  /** Flink's channelFinished: an ended channel is no longer blocked, nor waited on for an announced barrier. */
  channelFinished(channel: ChannelIndex): void {
    this.blocked.delete(channel);
    this.announced.delete(channel);
  }

  /** Flink's unblockAllChannels: resume consumption of every blocked channel. */
  unblockAllChannels(): void {
    this.blocked.clear();
  }

  /** Flink's addSeenAnnouncement. */
  addSeenAnnouncement(channel: ChannelIndex, checkpointId: CheckpointId): void {
    this.announced.set(channel, checkpointId);
  }

  /** Flink's removeSeenAnnouncement: the announced barrier itself was read. */
  removeSeenAnnouncement(channel: ChannelIndex): void {
    this.announced.delete(channel);
  }

  /** Flink's prioritizeAllAnnouncements: every announced barrier not yet read overtakes its channel's data (by channel). */
  prioritizeAllAnnouncements(): void {
    for (const [channel, checkpointId] of [...this.announced].sort(([a], [b]) => a - b)) {
      this.inputs.convertToPriorityEvent(channel, checkpointId);
    }
    this.announced.clear();
  }

  /** Flink's emptyState: what a new WaitingForFirstBarrier starts from (nothing blocked, no announcement). */
  emptyState(): ChannelState {
    if (this.hasBlockedChannels) throw new Error(`An empty channel state with blocked channels ${this.blockedChannels().join(', ')}`);
    this.announced.clear();
    return this;
  }

  isBlocked(channel: ChannelIndex): boolean {
    return this.blocked.has(channel);
  }

  blockedChannels(): ChannelIndex[] {
    return [...this.blocked].sort((a, b) => a - b);
  }

  get hasBlockedChannels(): boolean {
    return this.blocked.size > 0;
  }
}
