// The retained completed checkpoints (Flink's StandaloneCompletedCheckpointStore): adding one beyond
// `execution.checkpointing.num-retained` subsumes the oldest, which the caller then discards.
// Savepoints taken while running are kept apart, never subsumed and never used for failover (Flink ≥ 1.15
// does not add them to the store). The snapshot a job was started from is used for failover until a newer
// checkpoint completes, and is never discarded (Flink's default restore mode, NO_CLAIM).
import type { CheckpointMetadata } from './checkpoint-metadata';

export class CompletedCheckpointStore {
  readonly #checkpoints: CheckpointMetadata[] = [];
  readonly #savepoints: CheckpointMetadata[] = [];
  #restoredFrom: CheckpointMetadata | null = null;

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
    const subsumed = this.#checkpoints.splice(0, Math.max(0, this.#checkpoints.length - this.maxRetained));
    return subsumed.filter((old) => old !== this.#restoredFrom);
  }

  /** The job ended and its checkpoints go with it: every retained one except the snapshot it started from (not ours). */
  removeAllOwned(): CheckpointMetadata[] {
    const owned = this.#checkpoints.filter((metadata) => metadata !== this.#restoredFrom);
    this.#checkpoints.splice(0, this.#checkpoints.length, ...this.#checkpoints.filter((metadata) => metadata === this.#restoredFrom));
    return owned;
  }

  /** The checkpoint or savepoint the job starts from: restored on failover until a newer one completes. */
  addRestored(metadata: CheckpointMetadata): void {
    this.#restoredFrom = metadata;
    this.#checkpoints.push(metadata);
  }

  /** What a restart restores from: the newest retained checkpoint (or the snapshot the job started from). */
  latest(): CheckpointMetadata | null {
    return this.#checkpoints.at(-1) ?? null;
  }

  retained(): readonly CheckpointMetadata[] {
    return this.#checkpoints;
  }

  savepoints(): readonly CheckpointMetadata[] {
    return this.#savepoints;
  }
}
