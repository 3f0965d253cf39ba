// The input of a chain fed by input channels (Flink's StreamTaskNetworkInput with its
// CheckpointedInputGate): polls the gate round robin past blocked channels, feeds buffers to the chain
// (through the key-group prefetcher when keyed state must load first) and every element to the barrier
// handler, then acts on its outcome — snapshot and forward on a trigger, decline on an abort, block and unblock.
import type { CheckpointId } from '../../ids';
import { createBarrierHandler, type BarrierHandlerOutcome, type CheckpointBarrierHandler } from '../../checkpoint/barrier';
import type { KeySelector } from '../../graph/functions';
import { IndexedDbKeyedStateBackend } from '../../state';
import type { ChannelElement } from '../messages';
import { AlignmentTracker } from '../alignment-tracker';
import { KeyGroupPrefetcher } from '../key-group-prefetcher';
import type { OperatorBackends } from '../subtask-checkpoint';
import type { StreamTaskInput, TaskBarrierHandlerSample, TaskInputHost } from './stream-task-input';

export class NetworkInput implements StreamTaskInput {
  readonly kind = 'network' as const;
  readonly #barriers: CheckpointBarrierHandler;
  readonly #alignments = new AlignmentTracker();
  #blocked: readonly number[] = [];
  /** Each blocked channel and the checkpoint whose alignment blocked it, in the order they were blocked. */
  readonly #blockedFor = new Map<number, CheckpointId>();
  /** Set when the head operator's keyed state must be loaded before records reach it (indexeddb backend). */
  #prefetcher: KeyGroupPrefetcher | null = null;

  constructor(
    private readonly host: TaskInputHost,
    /** The head operator's key selector, for the prefetcher. */
    private readonly keySelector: KeySelector<never> | null | undefined,
  ) {
    this.#barriers = createBarrierHandler(host.descriptor.checkpointingMode, host.descriptor.inputChannels.length);
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

  close(): void {}

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
        this.applyOutcome(barriers.process({ kind: 'data', channel }));
        this.#alignments.dataProcessed(element.sizeBytes);
        if (prefetcher) {
          prefetcher.start(element.records);
          continue;
        }
        for (const record of element.records) host.chain.processElement(record);
        processed += element.records.length;
      } else {
        this.handleEvent(channel, element);
        processed += 1;
      }
    }
    return processed;
  }

  private handleEvent(channel: number, element: Exclude<ChannelElement, { kind: 'buffer' }>): void {
    const { env, descriptor } = this.host;
    const barriers = this.#barriers;
    const now = env.clock.now();
    if (element.kind === 'barrier') {
      env.emit({ type: 'barrier-received', time: now, taskId: descriptor.taskId, attempt: descriptor.attempt, checkpointId: element.checkpointId, channel });
      this.#alignments.barrierReceived(element.checkpointId, barriers.latestCheckpointId, now, element.timestamp, element.options);
      this.applyOutcome(barriers.process({ kind: 'barrier', channel, checkpointId: element.checkpointId }));
    } else if (element.kind === 'cancellation-marker') {
      this.applyOutcome(barriers.process({ kind: 'cancellation-marker', channel, checkpointId: element.checkpointId }));
    } else {
      this.applyOutcome(barriers.process({ kind: 'end-of-partition', channel }));
      if (barriers.openChannels().length === 0) this.host.endOfInput();
    }
  }

  private applyOutcome(outcome: BarrierHandlerOutcome): void {
    const { host } = this;
    const { env, descriptor } = host;
    const now = env.clock.now();
    for (const aborted of outcome.aborted) {
      this.#alignments.aborted(aborted.checkpointId);
      host.decline(aborted.checkpointId, aborted.reason);
    }
    for (const checkpointId of outcome.triggered) {
      const alignment = this.#alignments.triggered(checkpointId, now);
      const { alignmentDurationMs, startDelayMs, processedDataBytes } = alignment;
      env.emit({ type: 'alignment-done', time: now, taskId: descriptor.taskId, attempt: descriptor.attempt, checkpointId, alignmentDurationMs });
      host.checkpointing().checkpointState(checkpointId, alignment.barrierTimestamp, alignment.options, {
        startDelayMs,
        alignmentDurationMs,
        processedDataBytes,
        alignmentBufferedBytes: host.network.gate.bufferedBytes(this.#blocked),
      });
      host.passedBarrier(checkpointId);
      if (alignment.options.checkpointType === 'SYNC_SAVEPOINT') host.startSynchronousSavepoint(checkpointId);
    }
    this.updateBlocked(outcome.blocked, now);
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
