// Which input channels are blocked for the aligned checkpoint in progress (Flink's ChannelState).
// Only the aligned BarrierHandlerStates change it; the handler reads it to answer isBlocked().
import type { ChannelIndex } from './types';

export class ChannelState {
  private readonly blocked = new Set<ChannelIndex>();

  /** Flink's blockChannel: the channel delivered its barrier, so the task stops reading it. */
  blockChannel(channel: ChannelIndex): void {
    if (this.blocked.has(channel)) throw new Error(`Channel ${channel} is already blocked`);
    this.blocked.add(channel);
  }

  /** Flink's channelFinished: an ended channel is no longer blocked. */
  channelFinished(channel: ChannelIndex): void {
    this.blocked.delete(channel);
  }

  /** Flink's unblockAllChannels: resume consumption of every blocked channel. */
  unblockAllChannels(): void {
    this.blocked.clear();
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
