// A task's input: one FIFO queue per channel, read round robin, skipping blocked channels (aligned
// checkpoints). Each channel holds at most the credits it granted; a consumed buffer returns one credit.
// Priority events (an unaligned barrier, an announcement) go ahead of the data queued in their channel
// and are read first, as Flink's SingleInputGate reads channels with priority events first; restored
// channel state is read before anything else and was never credited (Flink's RecoveredInputChannel).
import type { ChannelStateBuffer } from '../checkpoint/channel/channel-state-writer';
import { isTimeoutable, isUnalignedCheckpoint } from '../checkpoint/barrier';
import type { CheckpointId } from '../ids';
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
  /** For a priority barrier: copies of the buffers queued before it when it arrived, or when it was prioritized. */
  readonly overtaken?: readonly ChannelStateBuffer[];
  /** Restored input channel state: no credit is returned for it. */
  readonly recovered?: true;
}

/** Flink's PrioritizedDeque, per channel: `priority` elements at the head, in the order they came. */
class ChannelQueue {
  readonly elements: ChannelElement[] = [];
  priority = 0;
  /** Restored buffers, read before any element. */
  readonly recovered: ChannelElement[] = [];

  addPriority(element: ChannelElement): ChannelStateBuffer[] {
    this.elements.splice(this.priority, 0, element);
    this.priority += 1;
    return buffersIn(this.elements, this.priority, this.elements.length);
  }

  shift(): ChannelElement {
    if (this.priority > 0) this.priority -= 1;
    return this.elements.shift()!;
  }
}

function buffersIn(elements: readonly ChannelElement[], start: number, end: number): ChannelStateBuffer[] {
  const buffers: ChannelStateBuffer[] = [];
  for (let i = start; i < end; i++) {
    const element = elements[i]!;
    if (element.kind === 'buffer') buffers.push({ records: element.records, sizeBytes: element.sizeBytes });
  }
  return buffers;
}

/** Flink's data type with priority: an unaligned barrier (sent or converted as PRIORITIZED_EVENT_BUFFER). */
function hasPriority(element: ChannelElement): boolean {
  return element.kind === 'barrier' && isUnalignedCheckpoint(element.options);
}

export class InputGate {
  readonly #queues: ChannelQueue[];
  readonly #bufferedCounts: number[];
  #next = 0;
  /** Credits owed to producers, returned in one message per channel at the end of a step. */
  readonly #creditsToReturn: number[];
  /** What each priority barrier overtook, handed over when it is read. */
  readonly #overtaken = new WeakMap<ChannelElement, readonly ChannelStateBuffer[]>();
  /** Restored buffers not yet read, over all channels. */
  #recovered = 0;

  constructor(
    readonly channels: readonly ChannelSource[],
    private readonly limits: NetworkLimits,
  ) {
    this.#queues = channels.map(() => new ChannelQueue());
    this.#bufferedCounts = channels.map(() => 0);
    this.#creditsToReturn = channels.map(() => 0);
  }

  get numberOfChannels(): number {
    return this.channels.length;
  }

  /**
   * Queues an element. A priority barrier goes ahead of the queued data and returns copies of the buffers it
   * overtook; a timeoutable aligned barrier is queued with an announcement ahead of the data (Flink's
   * RemoteInputChannel.onBuffer: requiresAnnouncement). Anything else returns no buffers.
   */
  receive(channel: number, element: ChannelElement): readonly ChannelStateBuffer[] {
    const queue = this.queue(channel);
    if (element.kind === 'buffer') {
      this.#bufferedCounts[channel]! += 1;
      // Invariant of credit-based flow control: a producer never sends more buffers than credited.
      if (this.#bufferedCounts[channel]! > this.limits.buffersPerChannel) {
        throw new Error(`Channel ${channel} received more buffers than it granted credit for`);
      }
    }
    if (hasPriority(element)) {
      const overtaken = queue.addPriority(element);
      this.#overtaken.set(element, overtaken);
      return overtaken;
    }
    queue.elements.push(element);
    if (element.kind === 'barrier' && isTimeoutable(element.options)) {
      const { checkpointId, timestamp, options } = element;
      queue.addPriority({ kind: 'announcement', checkpointId, timestamp, options });
    }
    return [];
  }

  /**
   * Flink's convertToPriorityEvent: the queued barrier of `checkpointId` moves ahead of the data before it;
   * returns copies of the buffers it overtook (the caller's to capture: reading it later hands over none).
   * Null if it is not queued behind data.
   */
  prioritize(channel: number, checkpointId: CheckpointId): readonly ChannelStateBuffer[] | null {
    const queue = this.queue(channel);
    const index = queue.elements.findIndex((element, i) => i >= queue.priority && element.kind === 'barrier' && element.checkpointId === checkpointId);
    if (index < 0) return null;
    const barrier = queue.elements[index]!;
    const overtaken = buffersIn(queue.elements, queue.priority, index);
    queue.elements.splice(index, 1);
    queue.elements.splice(queue.priority, 0, barrier);
    queue.priority += 1;
    return overtaken;
  }

  /** Restored input channel state (Flink's RecoveredInputChannel): read before anything else, never credited. */
  restore(channel: number, buffers: readonly ChannelStateBuffer[]): void {
    const queue = this.queue(channel);
    for (const { records, sizeBytes } of buffers) queue.recovered.push({ kind: 'buffer', records, sizeBytes });
    this.#recovered += buffers.length;
  }

  /** True while restored input channel state is left to read. */
  get isRecovering(): boolean {
    return this.#recovered > 0;
  }

  /**
   * The next element from an unblocked channel: restored state first, then priority events, then round robin;
   * null when none is available.
   */
  poll(isBlocked: (channel: number) => boolean): PolledElement | null {
    const count = this.#queues.length;
    if (this.isRecovering) return this.pollRecovered(isBlocked);
    for (let i = 0; i < count; i++) {
      const channel = (this.#next + i) % count;
      const queue = this.#queues[channel]!;
      if (queue.priority === 0 || isBlocked(channel)) continue;
      return this.take(channel, queue.shift());
    }
    for (let i = 0; i < count; i++) {
      const channel = (this.#next + i) % count;
      const queue = this.#queues[channel]!;
      if (queue.elements.length === 0 || isBlocked(channel)) continue;
      this.#next = (channel + 1) % count;
      return this.take(channel, queue.shift());
    }
    return null;
  }

  hasAvailable(isBlocked: (channel: number) => boolean): boolean {
    if (this.isRecovering) return this.#queues.some((queue, channel) => queue.recovered.length > 0 && !isBlocked(channel));
    return this.#queues.some((queue, channel) => queue.elements.length > 0 && !isBlocked(channel));
  }

  /** Bytes waiting in the given channels (for alignment_buffered). */
  bufferedBytes(channels: readonly number[]): number {
    let bytes = 0;
    for (const channel of channels) for (const element of this.#queues[channel]?.elements ?? []) if (element.kind === 'buffer') bytes += element.sizeBytes;
    return bytes;
  }

  /** Records waiting in each channel, restored ones included, by channel index (for samples). */
  queuedRecords(): number[] {
    const records = (elements: readonly ChannelElement[]) => elements.reduce((sum, element) => sum + (element.kind === 'buffer' ? element.records.length : 0), 0);
    return this.#queues.map((queue) => records(queue.recovered) + records(queue.elements));
  }

  takeCreditsToReturn(): Array<{ channel: number; credits: number }> {
    const result: Array<{ channel: number; credits: number }> = [];
    this.#creditsToReturn.forEach((credits, channel) => {
      if (credits > 0) result.push({ channel, credits });
      this.#creditsToReturn[channel] = 0;
    });
    return result;
  }

  private pollRecovered(isBlocked: (channel: number) => boolean): PolledElement | null {
    const count = this.#queues.length;
    for (let i = 0; i < count; i++) {
      const channel = (this.#next + i) % count;
      const queue = this.#queues[channel]!;
      if (queue.recovered.length === 0 || isBlocked(channel)) continue;
      this.#next = (channel + 1) % count;
      this.#recovered -= 1;
      return { channel, element: queue.recovered.shift()!, recovered: true };
    }
    return null;
  }

  private take(channel: number, element: ChannelElement): PolledElement {
    if (element.kind === 'buffer') {
      this.#bufferedCounts[channel]! -= 1;
      this.#creditsToReturn[channel]! += 1;
    }
    const overtaken = this.#overtaken.get(element);
    return overtaken ? { channel, element, overtaken } : { channel, element };
  }

  private queue(channel: number): ChannelQueue {
    const queue = this.#queues[channel];
    if (!queue) throw new Error(`No input channel ${channel}`);
    return queue;
  }
}
