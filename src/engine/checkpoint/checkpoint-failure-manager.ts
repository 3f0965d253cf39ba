// Flink's CheckpointFailureManager: counts consecutive checkpoint failures that matter and fails the
// job once they exceed `execution.checkpointing.tolerable-failed-checkpoints`. Only expiry, async-phase
// and I/O failures count; a task's own decline for subsumption, cancellation or not-ready does not.
// A completed checkpoint, or the threshold firing, resets the count; a restart does not.

const COUNTED_REASONS = new Set([
  'CHECKPOINT_EXPIRED',
  'CHECKPOINT_ASYNC_EXCEPTION',
  'IO_EXCEPTION',
  'FINALIZE_CHECKPOINT_FAILURE',
  'CHECKPOINT_DECLINED',
]);

export function countsTowardsTolerableFailures(reason: string): boolean {
  return COUNTED_REASONS.has(reason);
}

export class CheckpointFailureManager {
  #continuousFailures = 0;
  readonly #countedIds = new Set<number>();

  constructor(readonly tolerableFailedCheckpoints: number) {}

  /** Returns true when the job must fail ("Exceeded checkpoint tolerable failure threshold"). */
  handleCheckpointFailure(checkpointId: number, reason: string, isSavepoint: boolean): boolean {
    if (isSavepoint || !countsTowardsTolerableFailures(reason) || this.#countedIds.has(checkpointId)) return false;
    this.#countedIds.add(checkpointId);
    this.#continuousFailures += 1;
    if (this.#continuousFailures <= this.tolerableFailedCheckpoints) return false;
    // Flink clears the count when the threshold fires (CheckpointFailureManager.checkFailureCounter);
    // it survives restarts otherwise.
    this.handleCheckpointSuccess();
    return true;
  }

  handleCheckpointSuccess(): void {
    this.#continuousFailures = 0;
    this.#countedIds.clear();
  }
}
