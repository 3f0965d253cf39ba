// Flink's ChannelStateWriter, per subtask: collects an unaligned checkpoint's in-flight buffers — input
// channels' (until every channel delivered its barrier: finishInput) and output subpartitions' (what the
// barrier overtook: finishOutput, and for a timeoutable aligned barrier whatever its timeout overtakes) —
// and hands them over once both sides are final. Pure and synchronous: the subtask's async phase writes
// them (channel-state-upload.ts); Flink's writer streams them to storage as they come instead.
import type { CheckpointId } from '../../ids';
import type { CheckpointOptions } from '../../task/messages';
import type { InputChannelInfo, ResultSubpartitionInfo } from '../task-state';

/** One network buffer as channel state keeps it: its records in order and their serialized size. */
export interface ChannelStateBuffer {
  readonly records: readonly unknown[];
  readonly sizeBytes: number;
}

export interface ChannelBuffers<Info> {
  readonly info: Info;
  readonly buffers: readonly ChannelStateBuffer[];
}

/** A checkpoint's channel state, final: per channel in the order channels first got data, each in order. */
export interface CollectedChannelState {
  readonly checkpointId: CheckpointId;
  readonly input: ReadonlyArray<ChannelBuffers<InputChannelInfo>>;
  readonly output: ReadonlyArray<ChannelBuffers<ResultSubpartitionInfo>>;
}

/** What the write result becomes: the collected state, or why the checkpoint's channel state is gone. */
export type ChannelStateOutcome = { readonly kind: 'collected'; readonly state: CollectedChannelState } | { readonly kind: 'aborted'; readonly reason: string };

/** Flink's ChannelStateWriteResult: settles once, when input and output are final or the checkpoint aborts. */
export interface ChannelStateWriteResult {
  whenDone(callback: (outcome: ChannelStateOutcome) => void): void;
}

/** Flink's addOutputDataFuture: the buffers a timeoutable barrier will overtake, known when it is sent or times out. */
export interface OutputDataFuture {
  complete(buffers: readonly ChannelStateBuffer[]): void;
}

/** A started checkpoint older than this many is a bug (unaligned checkpoints need max concurrent 1). */
export const MAX_CHANNEL_STATE_CHECKPOINTS = 2;

class PendingChannelState implements ChannelStateWriteResult {
  readonly input = new Map<string, ChannelBuffers<InputChannelInfo> & { buffers: ChannelStateBuffer[] }>();
  readonly output = new Map<string, ChannelBuffers<ResultSubpartitionInfo> & { buffers: ChannelStateBuffer[] }>();
  inputFinished = false;
  outputFinished = false;
  openOutputFutures = 0;
  handedOut = false;
  outcome: ChannelStateOutcome | null = null;
  #callbacks: Array<(outcome: ChannelStateOutcome) => void> = [];

  constructor(
    readonly checkpointId: CheckpointId,
    readonly options: CheckpointOptions,
  ) {}

  whenDone(callback: (outcome: ChannelStateOutcome) => void): void {
    if (this.outcome) callback(this.outcome);
    else this.#callbacks.push(callback);
  }

  get isFinal(): boolean {
    return this.inputFinished && this.outputFinished && this.openOutputFutures === 0;
  }

  settle(outcome: ChannelStateOutcome): void {
    if (this.outcome) return;
    this.outcome = outcome;
    const callbacks = this.#callbacks;
    this.#callbacks = [];
    for (const callback of callbacks) callback(outcome);
  }
}

const inputKey = (info: InputChannelInfo) => `${info.gateIndex}:${info.inputChannelIndex}`;
const outputKey = (info: ResultSubpartitionInfo) => `${info.partitionIndex}:${info.subpartitionIndex}`;

export class ChannelStateWriter {
  readonly #pending = new Map<CheckpointId, PendingChannelState>();

  /** Flink's start: from now on the checkpoint's channel state is collected. Older unfinished ones are aborted (subsumed). */
  start(checkpointId: CheckpointId, options: CheckpointOptions): void {
    if (this.#pending.has(checkpointId)) throw new Error(`Channel state of checkpoint ${checkpointId} was already started`);
    for (const older of [...this.#pending.keys()]) {
      if (older > checkpointId) throw new Error(`Channel state of checkpoint ${checkpointId} started after the newer ${older}`);
      this.abort(older, `Checkpoint ${older} was subsumed by ${checkpointId}`);
    }
    this.#pending.set(checkpointId, new PendingChannelState(checkpointId, options));
    if (this.#pending.size > MAX_CHANNEL_STATE_CHECKPOINTS) throw new Error(`More than ${MAX_CHANNEL_STATE_CHECKPOINTS} checkpoints collect channel state`);
  }

  /** True while the checkpoint collects input channel state (started, input not finished, not aborted). */
  isCollectingInput(checkpointId: CheckpointId): boolean {
    const pending = this.#pending.get(checkpointId);
    return pending !== undefined && !pending.inputFinished && pending.outcome === null;
  }

  isStarted(checkpointId: CheckpointId): boolean {
    return this.#pending.has(checkpointId);
  }

  addInputData(checkpointId: CheckpointId, info: InputChannelInfo, buffers: readonly ChannelStateBuffer[]): void {
    const pending = this.require(checkpointId, 'input data');
    if (pending.inputFinished || pending.outcome) throw new Error(`Input channel state of checkpoint ${checkpointId} is already finished`);
    if (buffers.length === 0) return;
    const key = inputKey(info);
    let channel = pending.input.get(key);
    if (!channel) pending.input.set(key, (channel = { info, buffers: [] }));
    channel.buffers.push(...buffers);
  }

  addOutputData(checkpointId: CheckpointId, info: ResultSubpartitionInfo, buffers: readonly ChannelStateBuffer[]): void {
    const pending = this.require(checkpointId, 'output data');
    if (pending.outcome) throw new Error(`Output channel state of checkpoint ${checkpointId} is already finished`);
    if (buffers.length === 0) return;
    const key = outputKey(info);
    let subpartition = pending.output.get(key);
    if (!subpartition) pending.output.set(key, (subpartition = { info, buffers: [] }));
    subpartition.buffers.push(...buffers);
  }

  /** Output data known later (PipelinedSubpartition's channelStateFuture): the output is final only once it completes. */
  addOutputDataFuture(checkpointId: CheckpointId, info: ResultSubpartitionInfo): OutputDataFuture {
    const pending = this.require(checkpointId, 'an output data future');
    pending.openOutputFutures += 1;
    let completed = false;
    return {
      complete: (buffers) => {
        if (completed) throw new Error(`The output data future of checkpoint ${checkpointId} completed twice`);
        completed = true;
        if (pending.outcome) return;
        pending.openOutputFutures -= 1;
        this.addOutputData(checkpointId, info, buffers);
        this.settleIfFinal(pending);
      },
    };
  }

  finishInput(checkpointId: CheckpointId): void {
    const pending = this.#pending.get(checkpointId);
    if (!pending || pending.inputFinished) return;
    pending.inputFinished = true;
    this.settleIfFinal(pending);
  }

  finishOutput(checkpointId: CheckpointId): void {
    const pending = this.#pending.get(checkpointId);
    if (!pending || pending.outputFinished) return;
    pending.outputFinished = true;
    this.settleIfFinal(pending);
  }

  /** Flink's abort: the checkpoint's channel state is dropped; its write result settles as aborted. Unknown ids are fine. */
  abort(checkpointId: CheckpointId, reason: string): void {
    const pending = this.#pending.get(checkpointId);
    if (!pending) return;
    this.#pending.delete(checkpointId);
    pending.settle({ kind: 'aborted', reason });
  }

  /** Every checkpoint still collecting is dropped (the task ends). */
  abortAll(reason: string): void {
    for (const checkpointId of [...this.#pending.keys()]) this.abort(checkpointId, reason);
  }

  /** Flink's getAndRemoveWriteResult: the snapshot takes it once, in its synchronous phase; data may still come after. */
  getAndRemoveWriteResult(checkpointId: CheckpointId): ChannelStateWriteResult {
    const pending = this.require(checkpointId, 'its write result');
    if (pending.handedOut) throw new Error(`The channel state write result of checkpoint ${checkpointId} was already taken`);
    pending.handedOut = true;
    if (pending.outcome) this.#pending.delete(checkpointId);
    return pending;
  }

  private settleIfFinal(pending: PendingChannelState): void {
    if (!pending.isFinal || pending.outcome) return;
    // Kept until the snapshot takes its result; it takes no more data either way.
    if (pending.handedOut) this.#pending.delete(pending.checkpointId);
    pending.settle({ kind: 'collected', state: { checkpointId: pending.checkpointId, input: [...pending.input.values()], output: [...pending.output.values()] } });
  }

  private require(checkpointId: CheckpointId, what: string): PendingChannelState {
    const pending = this.#pending.get(checkpointId);
    if (!pending) throw new Error(`Channel state of checkpoint ${checkpointId} was not started (or was aborted), so it cannot take ${what}`);
    return pending;
  }
}
