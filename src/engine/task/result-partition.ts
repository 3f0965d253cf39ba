// A task's output: one subpartition per consumer channel. Records fill buffers; a finished buffer
// waits in the subpartition's backlog until the consumer grants credit (credit-based flow control).
// Events (barriers, markers, end of partition) need no credit but never overtake earlier buffers.
// Guarantee: nothing is dropped; a full backlog makes the task stop producing (backpressure).
import type { CheckpointId } from '../ids';
import type { ChannelElement } from './messages';
import type { NetworkLimits } from './network-limits';

export interface SubpartitionTarget {
  readonly taskId: string;
  readonly channel: number;
}

export interface SentElement {
  readonly target: SubpartitionTarget;
  readonly element: ChannelElement;
  /** For a buffer: its epoch, one more than the last barrier put on this subpartition before it. */
  readonly epoch: CheckpointId;
}

class Subpartition {
  credits: number;
  #current: unknown[] = [];
  #currentBytes = 0;
  readonly backlog: ChannelElement[] = [];
  /** The epoch of what is added now: one more than the last barrier added. */
  #epoch: CheckpointId;
  /** The epoch of each finished buffer still in the backlog. */
  readonly #bufferEpochs = new WeakMap<ChannelElement, CheckpointId>();

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
    const buffer: ChannelElement = { kind: 'buffer', records: this.#current, sizeBytes: this.#currentBytes };
    this.#bufferEpochs.set(buffer, this.#epoch);
    this.backlog.push(buffer);
    this.#current = [];
    this.#currentBytes = 0;
  }

  addEvent(element: ChannelElement): void {
    this.finishBuffer();
    this.backlog.push(element);
    if (element.kind === 'barrier') this.#epoch = Math.max(this.#epoch, element.checkpointId + 1);
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
}

export class ResultPartition {
  readonly #subpartitions: Subpartition[];

  /** `firstEpoch`: the epoch of the first records, one more than the checkpoint the task restored (1 for a fresh start). */
  constructor(
    targets: readonly SubpartitionTarget[],
    private readonly limits: NetworkLimits,
    firstEpoch: CheckpointId = 1,
  ) {
    this.#subpartitions = targets.map((target) => new Subpartition(target, limits, firstEpoch));
  }

  get numberOfSubpartitions(): number {
    return this.#subpartitions.length;
  }

  emitRecord(subpartition: number, record: unknown, sizeBytes: number): void {
    this.subpartition(subpartition).add(record, sizeBytes);
  }

  broadcastEvent(element: ChannelElement): void {
    for (const subpartition of this.#subpartitions) subpartition.addEvent(element);
  }

  addCredit(subpartition: number, credits: number): void {
    this.subpartition(subpartition).credits += credits;
  }

  /** False while some subpartition's backlog is full: the task must not produce more. */
  isAvailable(): boolean {
    return this.#subpartitions.every((subpartition) => subpartition.bufferedBacklog() < this.limits.maxBacklogBuffersPerSubpartition);
  }

  /** Close partly filled buffers (Flink's output flusher) and send what credit allows. */
  flush(send: (sent: SentElement) => void): void {
    for (const subpartition of this.#subpartitions) {
      subpartition.finishBuffer();
      subpartition.drain((element, epoch) => send({ target: subpartition.target, element, epoch }));
    }
  }

  backlogBuffers(): number[] {
    return this.#subpartitions.map((subpartition) => subpartition.bufferedBacklog());
  }

  /** Per subpartition, in order: its consumer, records not yet sent and the credits the consumer granted (for samples). */
  subpartitionStates(): Array<{ readonly target: SubpartitionTarget; readonly backlog: number; readonly credits: number }> {
    return this.#subpartitions.map((subpartition) => ({ target: subpartition.target, backlog: subpartition.backlogRecords(), credits: subpartition.credits }));
  }

  private subpartition(index: number): Subpartition {
    const subpartition = this.#subpartitions[index];
    if (!subpartition) throw new Error(`No subpartition ${index}`);
    return subpartition;
  }
}
