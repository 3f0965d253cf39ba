// A task's input: one FIFO queue per channel, read round robin, skipping blocked channels (aligned
// checkpoints). Each channel holds at most the credits it granted; a consumed buffer returns one credit.
import type { ChannelElement } from './messages';
import type { NetworkLimits } from './network-limits';

export interface ChannelSource {
  readonly producerTaskId: string;
  readonly producerOutput: number;
  readonly subpartition: number;
}

export interface PolledElement {
  readonly channel: number;
  readonly element: ChannelElement;
}

export class InputGate {
  readonly #queues: ChannelElement[][];
  readonly #bufferedCounts: number[];
  #next = 0;
  /** Credits owed to producers, returned in one message per channel at the end of a step. */
  readonly #creditsToReturn: number[];

  constructor(
    readonly channels: readonly ChannelSource[],
    private readonly limits: NetworkLimits,
  ) {
    this.#queues = channels.map(() => []);
    this.#bufferedCounts = channels.map(() => 0);
    this.#creditsToReturn = channels.map(() => 0);
  }

  get numberOfChannels(): number {
    return this.channels.length;
  }

  receive(channel: number, element: ChannelElement): void {
    const queue = this.#queues[channel];
    if (!queue) throw new Error(`No input channel ${channel}`);
    if (element.kind === 'buffer') {
      this.#bufferedCounts[channel]! += 1;
      // Invariant of credit-based flow control: a producer never sends more buffers than credited.
      if (this.#bufferedCounts[channel]! > this.limits.buffersPerChannel) {
        throw new Error(`Channel ${channel} received more buffers than it granted credit for`);
      }
    }
    queue.push(element);
  }

  /** The next element from an unblocked channel, round robin; null when none is available. */
  poll(isBlocked: (channel: number) => boolean): PolledElement | null {
    const count = this.#queues.length;
    for (let i = 0; i < count; i++) {
      const channel = (this.#next + i) % count;
      const queue = this.#queues[channel]!;
      if (queue.length === 0 || isBlocked(channel)) continue;
      const element = queue.shift()!;
      if (element.kind === 'buffer') {
        this.#bufferedCounts[channel]! -= 1;
        this.#creditsToReturn[channel]! += 1;
      }
      this.#next = (channel + 1) % count;
      return { channel, element };
    }
    return null;
  }

  hasAvailable(isBlocked: (channel: number) => boolean): boolean {
    return this.#queues.some((queue, channel) => queue.length > 0 && !isBlocked(channel));
  }

  /** Bytes waiting in the given channels (for alignment_buffered). */
  bufferedBytes(channels: readonly number[]): number {
    let bytes = 0;
    for (const channel of channels) for (const element of this.#queues[channel] ?? []) if (element.kind === 'buffer') bytes += element.sizeBytes;
    return bytes;
  }

  /** Records waiting in each channel, by channel index (for samples). */
  queuedRecords(): number[] {
    return this.#queues.map((queue) => queue.reduce((sum, element) => sum + (element.kind === 'buffer' ? element.records.length : 0), 0));
  }

  takeCreditsToReturn(): Array<{ channel: number; credits: number }> {
    const result: Array<{ channel: number; credits: number }> = [];
    this.#creditsToReturn.forEach((credits, channel) => {
      if (credits > 0) result.push({ channel, credits });
      this.#creditsToReturn[channel] = 0;
    });
    return result;
  }
}
