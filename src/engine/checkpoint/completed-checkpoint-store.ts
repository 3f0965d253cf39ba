// The retained completed checkpoints (Flink's StandaloneCompletedCheckpointStore): adding one beyond
// `execution.checkpointing.num-retained` subsumes the oldest, which the caller then discards.
// Savepoints are kept apart and never subsumed.
import type { CheckpointMetadata } from './checkpoint-metadata';

export class CompletedCheckpointStore {
  readonly #checkpoints: CheckpointMetadata[] = [];
  readonly #savepoints: CheckpointMetadata[] = [];

  constructor(readonly maxRetained: number) {
    if (!Number.isInteger(maxRetained) || maxRetained < 1) throw new Error(`num-retained must be at least 1, got ${maxRetained}`);
  }

  /** Returns the checkpoints subsumed by this one: no longer needed, to be discarded from storage. */
  add(metadata: CheckpointMetadata): CheckpointMetadata[] {
    if (metadata.isSavepoint) {
      this.#savepoints.push(metadata);
      return [];
    }
    this.#checkpoints.push(metadata);
    this.#checkpoints.sort((a, b) => a.checkpointId - b.checkpointId);
    return this.#checkpoints.splice(0, Math.max(0, this.#checkpoints.length - this.maxRetained));
  }

  /** The newest checkpoint or savepoint: what a restart restores from. */
  latest(): CheckpointMetadata | null {
    const candidates = [...this.#checkpoints, ...this.#savepoints];
    return candidates.reduce<CheckpointMetadata | null>((best, c) => (best && best.checkpointId > c.checkpointId ? best : c), null);
  }

  retained(): readonly CheckpointMetadata[] {
    return this.#checkpoints;
  }

  savepoints(): readonly CheckpointMetadata[] {
    return this.#savepoints;
  }
}
