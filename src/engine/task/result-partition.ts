// A task's output: one subpartition per consumer channel (PipelinedSubpartition). Records fill buffers; a
// finished buffer waits in its subpartition's backlog until the consumer grants credit (credit-based flow
// control). Events need no credit; an unaligned barrier overtakes the backlog, others never overtake.
// Guarantee: nothing is dropped; a full backlog makes the task stop producing (backpressure).
import type { CheckpointId } from '../ids';
import type { ChannelStateBuffer, OutputDataFuture } from '../checkpoint/channel/channel-state-writer';
import type { ChannelElement } from './messages';
import type { NetworkLimits } from './network-limits';
import { PipelinedSubpartition, type SubpartitionTarget } from './pipelined-subpartition';

export type { SubpartitionTarget } from './pipelined-subpartition';

export interface SentElement {
  readonly target: SubpartitionTarget;
  readonly element: ChannelElement;
  /** For a buffer: its epoch, one more than the last barrier put on this subpartition before it. */
  readonly epoch: CheckpointId;
}

/** Buffers a priority barrier overtook in one subpartition: output channel state. */
export interface OvertakenOutput {
  readonly subpartition: number;
  readonly target: SubpartitionTarget;
  readonly buffers: readonly ChannelStateBuffer[];
}

type BarrierElement = Extract<ChannelElement, { kind: 'barrier' }>;

export class ResultPartition {
  readonly #subpartitions: PipelinedSubpartition[];

  /** `firstEpoch`: the epoch of the first records, one more than the checkpoint the task restored (1 for a fresh start). */
  constructor(
    targets: readonly SubpartitionTarget[],
    private readonly limits: NetworkLimits,
    firstEpoch: CheckpointId = 1,
  ) {
    this.#subpartitions = targets.map((target) => new PipelinedSubpartition(target, limits, firstEpoch));
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

  /** Flink's broadcastEvent(event, isPriorityEvent = true): ahead of every backlog; returns what it overtook per subpartition. */
  broadcastPriorityEvent(element: ChannelElement): OvertakenOutput[] {
    return this.#subpartitions.map((subpartition, index) => ({ subpartition: index, target: subpartition.target, buffers: subpartition.addPriorityEvent(element) }));
  }

  /** A timeoutable aligned barrier: in line, each subpartition with a future for what a timeout would make it overtake. */
  broadcastTimeoutableBarrier(element: BarrierElement, futureFor: (subpartition: number) => OutputDataFuture): void {
    this.#subpartitions.forEach((subpartition, index) => subpartition.addTimeoutableBarrier(element, futureFor(index)));
  }

  /** Flink's ResultPartition.alignedBarrierTimeout: queued timeoutable barriers of the checkpoint become `asPriority`. */
  alignedBarrierTimeout(checkpointId: CheckpointId, asPriority: ChannelElement): OvertakenOutput[] {
    const overtaken: OvertakenOutput[] = [];
    this.#subpartitions.forEach((subpartition, index) => {
      const buffers = subpartition.alignedBarrierTimeout(checkpointId, asPriority);
      if (buffers) overtaken.push({ subpartition: index, target: subpartition.target, buffers });
    });
    return overtaken;
  }

  abortCheckpoint(checkpointId: CheckpointId): void {
    for (const subpartition of this.#subpartitions) subpartition.abortCheckpoint(checkpointId);
  }

  /** Output channel state of the restored checkpoint, first in its subpartition, before anything new. */
  restoreOutput(subpartition: number, buffers: readonly ChannelStateBuffer[], epoch: CheckpointId): void {
    this.subpartition(subpartition).restore(buffers, epoch);
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

  private subpartition(index: number): PipelinedSubpartition {
    const subpartition = this.#subpartitions[index];
    if (!subpartition) throw new Error(`No subpartition ${index}`);
    return subpartition;
  }
}
