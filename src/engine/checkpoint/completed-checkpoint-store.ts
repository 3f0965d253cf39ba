// The retained completed checkpoints (Flink's StandaloneCompletedCheckpointStore): adding one beyond
// `execution.checkpointing.num-retained` subsumes the oldest, which the caller then discards.
// Savepoints taken while running are kept apart, never subsumed and never used for failover (Flink ≥ 1.15
// does not add them to the store); the synchronous savepoint of stop-with-savepoint is used for failover
// (it committed side effects) but, a savepoint, never discarded by the job. The snapshot a job was started
// from is used for failover until a newer checkpoint completes; it is discarded once subsumed only if the job
// claimed it (execution.state-recovery.claim-mode CLAIM), never under NO_CLAIM (Flink's default).
import type { CheckpointMetadata } from './checkpoint-metadata';

export class CompletedCheckpointStore {
  readonly #checkpoints: CheckpointMetadata[] = [];
  readonly #savepoints: CheckpointMetadata[] = [];
  #restoredFrom: CheckpointMetadata | null = null;
  #claimed = false;

  constructor(readonly maxRetained: number) {
    if (!Number.isInteger(maxRetained) || maxRetained < 1) throw new Error(`num-retained must be at least 1, got ${maxRetained}`);
  }

  /**
   * Returns the checkpoints subsumed by this one that the job owns: no longer needed, to be discarded from
   * storage. `synchronousSavepoint`: stop-with-savepoint's savepoint, which failover restores from.
   */
  add(metadata: CheckpointMetadata, synchronousSavepoint = false): CheckpointMetadata[] {
    if (metadata.isSavepoint) {
      this.#savepoints.push(metadata);
      if (!synchronousSavepoint) return [];
    }
    this.#checkpoints.push(metadata);
    this.#checkpoints.sort((a, b) => a.checkpointId - b.checkpointId);
    const subsumed = this.#checkpoints.splice(0, Math.max(0, this.#checkpoints.length - this.maxRetained));
    return subsumed.filter((old) => this.isOwned(old));
  }

  /** The job ended and its checkpoints go with it: every retained one it owns (no savepoint, no unclaimed snapshot). */
  removeAllOwned(): CheckpointMetadata[] {
    const owned = this.#checkpoints.filter((metadata) => this.isOwned(metadata));
    this.#checkpoints.splice(0, this.#checkpoints.length, ...this.#checkpoints.filter((metadata) => !this.isOwned(metadata)));
    return owned;
  }

  /** The checkpoint or savepoint the job starts from: restored on failover until a newer one completes. */
  addRestored(metadata: CheckpointMetadata, claimMode: 'CLAIM' | 'NO_CLAIM' = 'NO_CLAIM'): void {
    this.#restoredFrom = metadata;
    this.#claimed = claimMode === 'CLAIM';
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

  /** The snapshot the job started from, if any, and whether the job claimed it. */
  restoredFrom(): { readonly metadata: CheckpointMetadata; readonly claimed: boolean } | null {
    return this.#restoredFrom === null ? null : { metadata: this.#restoredFrom, claimed: this.#claimed };
  }

  /** Whose to discard: the job's own checkpoints, and the snapshot it started from only when claimed. */
  private isOwned(metadata: CheckpointMetadata): boolean {
    if (metadata === this.#restoredFrom) return this.#claimed;
    return !metadata.isSavepoint;
  }
}
