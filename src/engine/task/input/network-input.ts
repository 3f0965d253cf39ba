// The input of a chain fed by input channels (Flink's StreamTaskNetworkInput with its
// CheckpointedInputGate): polls the gate round robin past blocked channels, feeds buffers to the chain
// (through the key-group prefetcher when keyed state must load first) and every element to the barrier
// handler, then acts on its outcome — snapshot and forward on a trigger, decline on an abort, block and
// unblock; with unaligned checkpoints also capture in-flight buffers as input channel state, move timed-out
// barriers ahead (prioritize) and finish the capture when every channel delivered its barrier.
import type { CheckpointId } from '../../ids';
import {
  createBarrierHandler,
  isUnalignedCheckpoint,
  type BarrierHandlerInput,
  type BarrierHandlerOutcome,
  type CheckpointBarrierHandler,
} from '../../checkpoint/barrier';
import type { ChannelStateBuffer } from '../../checkpoint/channel/channel-state-writer';
import type { KeySelector } from '../../graph/functions';
import { IndexedDbKeyedStateBackend } from '../../state';
import type { ChannelElement, CheckpointOptions } from '../messages';
import { AlignmentTracker } from '../alignment-tracker';
import { KeyGroupPrefetcher } from '../key-group-prefetcher';
import type { OperatorBackends } from '../subtask-checkpoint';
import type { StreamTaskInput, TaskBarrierHandlerSample, TaskInputHost } from './stream-task-input';
import { HandlerClock } from './handler-clock';

/** What the element just read brings to the outcome it caused: the buffer itself, or what a priority barrier overtook. */
interface ReadContext {
  readonly channel: number;
  readonly buffer?: ChannelStateBuffer;
  readonly overtaken?: { readonly checkpointId: CheckpointId; readonly buffers: readonly ChannelStateBuffer[] };
}

export class NetworkInput implements StreamTaskInput {
  readonly kind = 'network' as const;
  readonly #barriers: CheckpointBarrierHandler;
  readonly #alignments = new AlignmentTracker();
  #blocked: readonly number[] = [];
  /** Each blocked channel and the checkpoint whose alignment blocked it, in the order they were blocked. */
  readonly #blockedFor = new Map<number, CheckpointId>();
  /** Set when the head operator's keyed state must be loaded before records reach it (indexeddb backend). */
  #prefetcher: KeyGroupPrefetcher | null = null;
  /** Set with unaligned checkpoints: the handler's clock and timers. */
  readonly #clock: HandlerClock | null;
  /**
   * Buffers a barrier overtook when the handler prioritized it (an aligned checkpoint timed out) before that
   * checkpoint started here: they become its input channel state when it starts, as Flink's checkpointStarted
   * persists the in-flight buffers still queued before the barrier (ChannelStatePersister#startPersisting with
   * getInflightBuffers). Behind the barrier they cannot be read before it, so none is consumed in between.
   */
  /** The channel and size of the buffer the prefetcher holds, for its unconsumed records' channel state. */
  #prefetched: { readonly channel: number; readonly sizeBytes: number; readonly records: number } | null = null;
  readonly #overtakenBeforeStart = new Map<CheckpointId, Array<{ readonly channel: number; readonly buffers: readonly ChannelStateBuffer[] }>>();

  constructor(
    private readonly host: TaskInputHost,
    /** The head operator's key selector, for the prefetcher. */
    private readonly keySelector: KeySelector<never> | null | undefined,
  ) {
    const { checkpointingMode, inputChannels, unalignedCheckpoints } = host.descriptor;
    this.#barriers = unalignedCheckpoints
      ? createBarrierHandler(checkpointingMode, inputChannels.length, { unalignedEnabled: true })
      : createBarrierHandler(checkpointingMode, inputChannels.length);
    this.#clock = unalignedCheckpoints ? new HandlerClock(host.env, this.#barriers) : null;
  }

  get barrierHandlerKind(): string {
    return this.#barriers.kind;
  }

  blockedChannels(): readonly number[] {
    return this.#blocked;
  }

  barrierHandlerSample(): TaskBarrierHandlerSample {
    return { state: this.#barriers.kind, checkpointId: this.#barriers.pendingCheckpointIds().at(-1) ?? null, blockedChannels: [...this.#blocked] };
  }

  open(backends: readonly OperatorBackends[]): void {
    this.#prefetcher = this.createPrefetcher(backends);
  }

  close(): void {
    this.#clock?.cancel();
  }

  triggerCheckpoint(): void {
    throw new Error(`Only sources are triggered by the coordinator; ${this.host.descriptor.taskId} is not one`);
  }

  isWaitingForState(): boolean {
    return this.#prefetcher?.hasBuffer ?? false;
  }

  hasMoreWork(): boolean {
    if (this.#prefetcher?.hasBuffer) return !this.#prefetcher.isLoading;
    return this.host.network.gate.hasAvailable((channel) => this.#barriers.isBlocked(channel));
  }

  private createPrefetcher(backends: readonly OperatorBackends[]): KeyGroupPrefetcher | null {
    const { host } = this;
    const keyed = backends.findIndex((entry) => entry.keyed instanceof IndexedDbKeyedStateBackend);
    if (keyed === -1) return null;
    const keySelector = this.keySelector;
    if (keyed !== 0 || !keySelector) throw new Error(`The indexeddb state backend needs the keyed operator at the head of ${host.descriptor.taskId}'s chain`);
    return new KeyGroupPrefetcher(backends[0]!.keyed as IndexedDbKeyedStateBackend, keySelector, () => host.env.clock.now(), (loaded) => {
      if (!host.isRunning()) return;
      if (!loaded.ok) return host.fail(`Loading keyed state failed: ${loaded.error}`);
      host.env.requestStep();
    });
  }

  processInput(budget: number): number {
    const { host } = this;
    const barriers = this.#barriers;
    let processed = 0;
    const prefetcher = this.#prefetcher;
    this.advanceTime();
    while (processed < budget && host.canProcess() && host.network.outputAvailable()) {
      if (prefetcher?.hasBuffer) {
        // A buffer whose next record's key group is loading: nothing else may overtake it.
        processed += prefetcher.process((record) => host.chain.processElement(record));
        if (prefetcher.hasBuffer) break;
        continue;
      }
      const polled = host.network.gate.poll((channel) => barriers.isBlocked(channel));
      if (!polled) break;
      const { channel, element } = polled;
      if (element.kind === 'buffer') {
        host.consumed(channel, element.records.length);
        this.applyOutcome(barriers.process({ kind: 'data', channel }), { channel, buffer: element });
        this.#alignments.dataProcessed(element.sizeBytes);
        if (prefetcher) {
          this.#prefetched = { channel, sizeBytes: element.sizeBytes, records: element.records.length };
          prefetcher.start(element.records);
          continue;
        }
        for (const record of element.records) host.chain.processElement(record);
        processed += element.records.length;
      } else {
        this.handleEvent(channel, element, polled.overtaken);
        processed += 1;
      }
    }
    return processed;
  }

  private handleEvent(channel: number, element: Exclude<ChannelElement, { kind: 'buffer' }>, overtaken?: readonly ChannelStateBuffer[]): void {
    const { env, descriptor } = this.host;
    const barriers = this.#barriers;
    const now = env.clock.now();
    if (element.kind === 'barrier' || element.kind === 'announcement') {
      this.advanceTime();
      const { checkpointId, timestamp, options } = element;
      if (element.kind === 'barrier') env.emit({ type: 'barrier-received', time: now, taskId: descriptor.taskId, attempt: descriptor.attempt, checkpointId, channel });
      // Flink's processBarrierAnnouncement starts the alignment (and its timer) as a barrier does.
      this.#alignments.barrierReceived(checkpointId, barriers.latestCheckpointId, now, timestamp, options);
      const input = this.barrierInput(element, channel);
      this.applyOutcome(barriers.process(input), { channel, ...(overtaken ? { overtaken: { checkpointId, buffers: overtaken } } : {}) });
    } else if (element.kind === 'cancellation-marker') {
      this.applyOutcome(barriers.process({ kind: 'cancellation-marker', channel, checkpointId: element.checkpointId }));
    } else {
      this.applyOutcome(barriers.process({ kind: 'end-of-partition', channel }));
      if (barriers.openChannels().length === 0) this.host.endOfInput();
    }
  }

  /** A barrier or announcement as the handler reads it: with its options and start when they can matter (unaligned checkpoints on). */
  private barrierInput(element: Extract<ChannelElement, { kind: 'barrier' | 'announcement' }>, channel: number): BarrierHandlerInput {
    const { checkpointId, timestamp, options } = element;
    if (this.#clock) return { kind: element.kind, channel, checkpointId, options, timestamp };
    if (element.kind === 'announcement') throw new Error(`Channel ${channel} announced barrier ${checkpointId}, but unaligned checkpoints are off`);
    return { kind: 'barrier', channel, checkpointId };
  }

  /** With unaligned checkpoints: the handler's clock moves to now (a timed-out alignment switches), its next timer is set. */
  private advanceTime(): void {
    const outcome = this.#clock?.advance();
    if (outcome) this.applyOutcome(outcome);
  }

  /**
   * In Flink's order: aborts, triggers (each snapshot taken at once, an unaligned one starting its channel
   * state), then the in-flight buffers of this read and of barriers moved ahead, then the captures that ended.
   */
  private applyOutcome(outcome: BarrierHandlerOutcome, read?: ReadContext): void {
    const { host } = this;
    const now = host.env.clock.now();
    for (const aborted of outcome.aborted) {
      this.#overtakenBeforeStart.delete(aborted.checkpointId);
      this.#alignments.aborted(aborted.checkpointId);
      host.decline(aborted.checkpointId, aborted.reason);
      if (this.#clock) host.checkpointing().abortChannelState(aborted.checkpointId, `Checkpoint ${aborted.checkpointId} was declined: ${aborted.reason}`);
    }
    outcome.triggered.forEach((checkpointId, index) => this.trigger(checkpointId, this.#clock ? outcome.triggers[index] : undefined, now));
    if (this.#clock) this.captureChannelState(outcome, read);
    this.updateBlocked(outcome.blocked, now);
    this.#clock?.schedule();
  }

  private trigger(checkpointId: CheckpointId, barrier: { readonly timestamp: number; readonly options: CheckpointOptions } | undefined, now: number): void {
    const { host } = this;
    const { env, descriptor } = host;
    const { taskId, attempt } = descriptor;
    const alignment = this.#alignments.triggered(checkpointId, now);
    const options = barrier?.options ?? alignment.options;
    const { alignmentDurationMs, startDelayMs, processedDataBytes } = alignment;
    if (isUnalignedCheckpoint(options) && !isUnalignedCheckpoint(alignment.options)) {
      env.emit({ type: 'checkpoint-switched-to-unaligned', time: now, taskId, attempt, checkpointId });
    }
    env.emit({ type: 'alignment-done', time: now, taskId, attempt, checkpointId, alignmentDurationMs });
    const checkpointing = host.checkpointing();
    checkpointing.initInputsCheckpoint(checkpointId, options);
    for (const [id, overtaken] of [...this.#overtakenBeforeStart]) {
      this.#overtakenBeforeStart.delete(id);
      if (id === checkpointId) for (const { channel, buffers } of overtaken) this.captureInput(checkpointId, channel, buffers, true);
    }
    // A timed-out alignment can start an unaligned checkpoint while the prefetcher still holds part of a buffer read
    // before it: those records are in neither the snapshot nor the queue, so they are input channel state, as Flink's
    // prepareSnapshot adds each deserializer's unconsumed buffer (StreamTaskNetworkInput#prepareSnapshot).
    const prefetched = this.#prefetched;
    if (prefetched && this.#prefetcher?.hasBuffer && isUnalignedCheckpoint(options)) {
      const records = this.#prefetcher.unconsumed();
      this.captureInput(checkpointId, prefetched.channel, [{ records, sizeBytes: Math.round((prefetched.sizeBytes * records.length) / Math.max(1, prefetched.records)) }], false);
    }
    checkpointing.checkpointState(checkpointId, barrier?.timestamp ?? alignment.barrierTimestamp, options, {
      startDelayMs,
      alignmentDurationMs,
      processedDataBytes,
      alignmentBufferedBytes: host.network.gate.bufferedBytes(this.#blocked),
    });
    host.passedBarrier(checkpointId);
    if (options.checkpointType === 'SYNC_SAVEPOINT') host.startSynchronousSavepoint(checkpointId);
  }

  /**
   * Input channel state (Flink's ChannelStatePersister): a buffer read before its channel's barrier, the buffers a
   * priority barrier overtook on arrival, those a timed-out barrier overtakes now that it moves ahead
   * (convertToPriorityEvent); then the checkpoints whose every channel delivered its barrier finish their input.
   */
  private captureChannelState(outcome: BarrierHandlerOutcome, read: ReadContext | undefined): void {
    if (read?.overtaken) this.captureInput(read.overtaken.checkpointId, read.channel, read.overtaken.buffers, true);
    if (read?.buffer && outcome.captured !== null) this.captureInput(outcome.captured, read.channel, [read.buffer], false);
    for (const { channel, checkpointId } of outcome.prioritized) {
      const overtaken = this.host.network.gate.prioritize(channel, checkpointId);
      if (!overtaken || overtaken.length === 0) continue;
      if (this.host.checkpointing().channelState.isStarted(checkpointId)) this.captureInput(checkpointId, channel, overtaken, true);
      else {
        const pending = this.#overtakenBeforeStart.get(checkpointId);
        if (pending) pending.push({ channel, buffers: overtaken });
        else this.#overtakenBeforeStart.set(checkpointId, [{ channel, buffers: overtaken }]);
      }
    }
    for (const checkpointId of outcome.inputCaptureFinished) this.host.checkpointing().channelState.finishInput(checkpointId);
  }

  private captureInput(checkpointId: CheckpointId, channel: number, buffers: readonly ChannelStateBuffer[], overtaken: boolean): void {
    const writer = this.host.checkpointing().channelState;
    if (buffers.length === 0 || !writer.isCollectingInput(checkpointId)) return;
    writer.addInputData(checkpointId, { gateIndex: 0, inputChannelIndex: channel }, buffers);
    if (!overtaken) return;
    const { env, descriptor } = this.host;
    const records = buffers.reduce((sum, buffer) => sum + buffer.records.length, 0);
    const sizeBytes = buffers.reduce((sum, buffer) => sum + buffer.sizeBytes, 0);
    env.emit({ type: 'barrier-overtook', time: env.clock.now(), taskId: descriptor.taskId, attempt: descriptor.attempt, checkpointId, side: 'input', channel, records, sizeBytes });
  }

  /**
   * Emits what changed in the blocked set: a channel unblocked names the checkpoint it was blocked for, and a
   * channel that stays blocked for a newer checkpoint (the older one was subsumed) is unblocked, then blocked again.
   */
  private updateBlocked(blocked: readonly number[], now: number): void {
    const { env, descriptor } = this.host;
    const { taskId, attempt } = descriptor;
    const pending = this.#barriers.pendingCheckpointIds().at(-1) ?? -1;
    const after = new Set(blocked);
    for (const [channel, checkpointId] of [...this.#blockedFor].sort(([a], [b]) => a - b)) {
      if (after.has(channel) && checkpointId === pending) continue;
      this.#blockedFor.delete(channel);
      env.emit({ type: 'channel-unblocked', time: now, taskId, attempt, channel, checkpointId });
    }
    for (const channel of blocked) {
      if (this.#blockedFor.has(channel)) continue;
      this.#blockedFor.set(channel, pending);
      env.emit({ type: 'channel-blocked', time: now, taskId, attempt, channel, checkpointId: pending });
    }
    this.#blocked = blocked;
  }
}
