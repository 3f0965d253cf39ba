// Collects what one call to a barrier handler caused, in order, and freezes it into an outcome.
// One recorder per call: nothing leaks from one input's outcome into the next.
import type {
  AbortedCheckpoint,
  BarrierHandlerOutcome,
  ChannelIndex,
  CheckpointAbortReason,
  CheckpointBarrier,
  CheckpointId,
  PrioritizedBarrier,
  TriggeredCheckpoint,
} from './types';

/**
 * An outcome whose unaligned fields are accessors over private fields: an aligned outcome still equals
 * (toEqual) the four-field literal the aligned handler's tests compare it with.
 */
class RecordedOutcome implements BarrierHandlerOutcome {
  readonly #triggers: readonly TriggeredCheckpoint[];
  readonly #captured: CheckpointId | null;
  readonly #prioritized: readonly PrioritizedBarrier[];
  readonly #inputCaptureFinished: readonly CheckpointId[];

  constructor(
    readonly started: CheckpointId | null,
    readonly triggered: readonly CheckpointId[],
    readonly aborted: readonly AbortedCheckpoint[],
    readonly blocked: readonly ChannelIndex[],
    unaligned: {
      triggers: readonly TriggeredCheckpoint[];
      captured: CheckpointId | null;
      prioritized: readonly PrioritizedBarrier[];
      inputCaptureFinished: readonly CheckpointId[];
    },
  ) {
    this.#triggers = unaligned.triggers;
    this.#captured = unaligned.captured;
    this.#prioritized = unaligned.prioritized;
    this.#inputCaptureFinished = unaligned.inputCaptureFinished;
  }

  get triggers(): readonly TriggeredCheckpoint[] {
    return this.#triggers;
  }

  get captured(): CheckpointId | null {
    return this.#captured;
  }

  get prioritized(): readonly PrioritizedBarrier[] {
    return this.#prioritized;
  }

  get inputCaptureFinished(): readonly CheckpointId[] {
    return this.#inputCaptureFinished;
  }
}

export class OutcomeRecorder {
  private startedId: CheckpointId | null = null;
  private readonly triggers: TriggeredCheckpoint[] = [];
  private readonly abortedCheckpoints: AbortedCheckpoint[] = [];
  private capturedBy: CheckpointId | null = null;
  private readonly prioritizedBarriers: PrioritizedBarrier[] = [];
  private readonly captureFinished: CheckpointId[] = [];

  started(checkpointId: CheckpointId): void {
    if (this.startedId !== null) {
      throw new Error(`Checkpoint ${checkpointId} started while ${this.startedId} already started by the same input`);
    }
    this.startedId = checkpointId;
  }

  triggered(barrier: CheckpointBarrier): void {
    this.triggers.push({ checkpointId: barrier.checkpointId, timestamp: barrier.timestamp, options: barrier.options });
  }

  aborted(checkpointId: CheckpointId, reason: CheckpointAbortReason): void {
    this.abortedCheckpoints.push({ checkpointId, reason });
  }

  captured(checkpointId: CheckpointId | null): void {
    this.capturedBy = checkpointId;
  }

  prioritized(barrier: PrioritizedBarrier): void {
    this.prioritizedBarriers.push(barrier);
  }

  inputCaptureFinished(checkpointId: CheckpointId): void {
    this.captureFinished.push(checkpointId);
  }

  finish(blocked: readonly ChannelIndex[]): BarrierHandlerOutcome {
    return new RecordedOutcome(
      this.startedId,
      this.triggers.map((trigger) => trigger.checkpointId),
      [...this.abortedCheckpoints],
      [...blocked],
      {
        triggers: [...this.triggers],
        captured: this.capturedBy,
        prioritized: [...this.prioritizedBarriers],
        inputCaptureFinished: [...this.captureFinished],
      },
    );
  }
}
