// One subpartition of a result partition (Flink's PipelinedSubpartition): records fill a buffer, finished
// buffers wait in the backlog for the consumer's credit, events need no credit but keep their place.
// A priority event (an unaligned barrier) goes ahead of everything but earlier priority events, and the
// buffers it overtakes are handed back as output channel state; they are still sent, after it. A timeoutable
// aligned barrier keeps its place until it is sent or its timeout makes it a priority one.
import type { CheckpointId } from '../ids';
import type { ChannelStateBuffer, OutputDataFuture } from '../checkpoint/channel/channel-state-writer';
import type { ChannelElement } from './messages';
import type { NetworkLimits } from './network-limits';

export interface SubpartitionTarget {
  readonly taskId: string;
  readonly channel: number;
}

type BarrierElement = Extract<ChannelElement, { kind: 'barrier' }>;

/** A timeoutable barrier in the backlog and the channel state its checkpoint waits for (Flink's channelStateFuture). */
interface TimeoutableBarrier {
  readonly element: BarrierElement;
  readonly future: OutputDataFuture;
}

export class PipelinedSubpartition {
  credits: number;
  #current: unknown[] = [];
  #currentBytes = 0;
  readonly backlog: ChannelElement[] = [];
  /** How many elements at the head of the backlog are priority events (Flink's PrioritizedDeque). */
  #priorityElements = 0;
  /** The epoch of what is added now: one more than the last barrier added. */
  #epoch: CheckpointId;
  /** The epoch of each finished buffer still in the backlog. */
  readonly #bufferEpochs = new WeakMap<ChannelElement, CheckpointId>();
  /** At most one: unaligned checkpoints (and so timeouts) need max concurrent checkpoints 1. */
  #timeoutable: TimeoutableBarrier | null = null;

  constructor(
    readonly target: SubpartitionTarget,
    private readonly limits: NetworkLimits,
    firstEpoch: CheckpointId,
  ) {
    this.credits = limits.buffersPerChannel;
    this.#epoch = firstEpoch;
  }

  add(record: unknown, sizeBytes: number): void {
    this.#current.push(record);
    this.#currentBytes += sizeBytes;
    if (this.#current.length >= this.limits.bufferCapacityRecords) this.finishBuffer();
  }

  finishBuffer(): void {
    if (this.#current.length === 0) return;
    this.pushBuffer({ kind: 'buffer', records: this.#current, sizeBytes: this.#currentBytes }, this.#epoch);
    this.#current = [];
    this.#currentBytes = 0;
  }

  /** Restored output channel state (Flink's SequentialChannelStateReader): queued before anything new, of the restored epoch. */
  restore(buffers: readonly ChannelStateBuffer[], epoch: CheckpointId): void {
    if (this.backlog.length > 0 || this.#current.length > 0) throw new Error(`Output channel state must be restored before anything is written to ${this.target.taskId}`);
    for (const { records, sizeBytes } of buffers) this.pushBuffer({ kind: 'buffer', records, sizeBytes }, epoch);
  }

  addEvent(element: ChannelElement): void {
    this.finishBuffer();
    this.backlog.push(element);
    this.passed(element);
  }

  /** Flink's processTimeoutableCheckpointBarrier: the barrier waits in line; `future` learns what it overtakes, if anything. */
  addTimeoutableBarrier(element: BarrierElement, future: OutputDataFuture): void {
    if (this.#timeoutable) throw new Error(`${this.target.taskId} already holds the timeoutable barrier of checkpoint ${this.#timeoutable.element.checkpointId}`);
    this.addEvent(element);
    this.#timeoutable = { element, future };
  }

  /** Flink's processPriorityBuffer: ahead of all but earlier priority events; returns copies of the buffers it overtook. */
  addPriorityEvent(element: ChannelElement): ChannelStateBuffer[] {
    this.finishBuffer();
    this.backlog.splice(this.#priorityElements, 0, element);
    this.#priorityElements += 1;
    this.passed(element);
    return this.buffersFrom(this.#priorityElements, this.backlog.length);
  }

  /**
   * Flink's alignedBarrierTimeout: the timeoutable barrier of `checkpointId`, if still queued, becomes `asPriority`
   * at the head; the buffers it overtook complete its future and are returned. Null when it was sent already.
   */
  alignedBarrierTimeout(checkpointId: CheckpointId, asPriority: ChannelElement): ChannelStateBuffer[] | null {
    const timeoutable = this.#timeoutable;
    if (!timeoutable || timeoutable.element.checkpointId !== checkpointId) return null;
    const index = this.backlog.indexOf(timeoutable.element);
    const overtaken = this.buffersFrom(this.#priorityElements, index);
    this.backlog.splice(index, 1);
    this.backlog.splice(this.#priorityElements, 0, asPriority);
    this.#priorityElements += 1;
    this.#timeoutable = null;
    timeoutable.future.complete(overtaken);
    return overtaken;
  }

  /** The checkpoint was aborted: its timeoutable barrier waits in line as any event, its future is dropped. */
  abortCheckpoint(checkpointId: CheckpointId): void {
    if (this.#timeoutable?.element.checkpointId === checkpointId) this.#timeoutable = null;
  }

  /** Send what credit allows, in order. */
  drain(send: (element: ChannelElement, epoch: CheckpointId) => void): void {
    while (this.backlog.length > 0) {
      const head = this.backlog[0]!;
      if (head.kind === 'buffer') {
        if (this.credits === 0) return;
        this.credits -= 1;
      }
      this.backlog.shift();
      if (this.#priorityElements > 0) this.#priorityElements -= 1;
      // Flink's completeTimeoutableCheckpointBarrier: sent in line, it overtook nothing.
      if (this.#timeoutable?.element === head) {
        this.#timeoutable.future.complete([]);
        this.#timeoutable = null;
      }
      send(head, this.#bufferEpochs.get(head) ?? this.#epoch);
    }
  }

  /** Records not yet sent: in finished buffers waiting for credit and in the buffer being filled. */
  backlogRecords(): number {
    let records = this.#current.length;
    for (const element of this.backlog) if (element.kind === 'buffer') records += element.records.length;
    return records;
  }

  bufferedBacklog(): number {
    let buffers = 0;
    for (const element of this.backlog) if (element.kind === 'buffer') buffers += 1;
    return buffers;
  }

  private pushBuffer(buffer: ChannelElement, epoch: CheckpointId): void {
    this.#bufferEpochs.set(buffer, epoch);
    this.backlog.push(buffer);
  }

  private passed(element: ChannelElement): void {
    if (element.kind === 'barrier') this.#epoch = Math.max(this.#epoch, element.checkpointId + 1);
  }

  private buffersFrom(start: number, end: number): ChannelStateBuffer[] {
    const buffers: ChannelStateBuffer[] = [];
    for (let i = start; i < end; i++) {
      const element = this.backlog[i]!;
      if (element.kind === 'buffer') buffers.push({ records: element.records, sizeBytes: element.sizeBytes });
    }
    return buffers;
  }
}
