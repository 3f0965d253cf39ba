// Collects what one call to a barrier handler caused, in order, and freezes it into an outcome.
// One recorder per call: nothing leaks from one input's outcome into the next.
import type { AbortedCheckpoint, BarrierHandlerOutcome, ChannelIndex, CheckpointAbortReason, CheckpointId } from './types';

export class OutcomeRecorder {
  private startedId: CheckpointId | null = null;
  private readonly triggeredIds: CheckpointId[] = [];
  private readonly abortedCheckpoints: AbortedCheckpoint[] = [];

  started(checkpointId: CheckpointId): void {
    if (this.startedId !== null) {
      throw new Error(`Checkpoint ${checkpointId} started while ${this.startedId} already started by the same input`);
    }
    this.startedId = checkpointId;
  }

  triggered(checkpointId: CheckpointId): void {
    this.triggeredIds.push(checkpointId);
  }

  aborted(checkpointId: CheckpointId, reason: CheckpointAbortReason): void {
    this.abortedCheckpoints.push({ checkpointId, reason });
  }

  finish(blocked: readonly ChannelIndex[]): BarrierHandlerOutcome {
    return {
      started: this.startedId,
      triggered: [...this.triggeredIds],
      aborted: [...this.abortedCheckpoints],
      blocked: [...blocked],
    };
  }
}
