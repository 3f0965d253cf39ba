// Flink's CheckpointFailureManager: counts consecutive checkpoint failures that matter and fails the
// job once they exceed `execution.checkpointing.tolerable-failed-checkpoints`. Only expiry, async-phase
// and I/O failures count; a task's own decline for subsumption, cancellation or not-ready does not.
// A completed checkpoint resets the count.

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
    return this.#continuousFailures > this.tolerableFailedCheckpoints;
  }

  handleCheckpointSuccess(): void {
    this.#continuousFailures = 0;
    this.#countedIds.clear();
  }

  /** After a restart the count starts over, as Flink's coordinator is reset. */
  reset(): void {
    this.handleCheckpointSuccess();
  }
}
