// Flink's SharedStateRegistry, reference-counted: every blob a retained checkpoint or savepoint names
// counts one reference per checkpoint; when a subsumed checkpoint drops the last reference, the blob may go.
// Assumes blobs are stored under the checkpoint that wrote them, so deleting = discard(writer, keep).
// An unaligned checkpoint's channel-state blobs (Flink's InputChannelStateHandle / ResultSubpartitionStateHandle)
// are counted like its private keyed blobs: owned by that checkpoint alone, kept while it is retained, deleted with it.
import type { CheckpointId } from '../ids';
import type { CheckpointMetadata } from './checkpoint-metadata';
import { stateObjectsOf, subtaskStateObjects, type StateObjectReference, type TaskStateSnapshot } from './task-state';

/** One storage.discard call: delete what `checkpointId` wrote (and its metadata) except `keep`. */
export interface DiscardRequest {
  readonly checkpointId: CheckpointId;
  readonly keep: ReadonlySet<string>;
}

interface Entry {
  readonly createdBy: CheckpointId;
  references: number;
}

/** Every blob a checkpoint's metadata names, each once: keyed state (with shared pieces) and channel state. */
export function stateObjectsOfCheckpoint(metadata: CheckpointMetadata): StateObjectReference[] {
  const byKey = new Map<string, StateObjectReference>();
  for (const operator of metadata.operators) {
    for (const subtask of operator.subtaskStates) {
      if (!subtask) continue;
      for (const reference of subtaskStateObjects(subtask, metadata.checkpointId)) byKey.set(reference.storageKey, reference);
    }
  }
  return [...byKey.values()];
}

export class SharedStateRegistry {
  readonly #entries = new Map<string, Entry>();
  /** Live storage keys by the checkpoint that wrote them: what discard(writer, keep) must keep. */
  readonly #liveByCreator = new Map<CheckpointId, Set<string>>();
  readonly #registered = new Map<CheckpointId, readonly string[]>();
  readonly #everRegistered = new Set<CheckpointId>();

  /** Counts every blob `metadata` names, once per checkpoint. Registering the same checkpoint twice is a no-op. */
  registerCheckpoint(metadata: CheckpointMetadata): void {
    if (this.#everRegistered.has(metadata.checkpointId)) return;
    const references = stateObjectsOfCheckpoint(metadata);
    const unknown = this.unknownReferences(references, metadata.checkpointId);
    if (unknown.length > 0) {
      throw new Error(`Checkpoint ${metadata.checkpointId} references discarded shared state: ${unknown.join(', ')}`);
    }
    this.count(metadata, references);
  }

  /**
   * A checkpoint the job was restored from (Flink's registerAllAfterRestored): its pieces were written by
   * checkpoints this registry never saw, so they are counted without the unknown-state check.
   */
  registerRestored(metadata: CheckpointMetadata): void {
    if (this.#everRegistered.has(metadata.checkpointId)) return;
    this.count(metadata, stateObjectsOfCheckpoint(metadata));
  }

  private count(metadata: CheckpointMetadata, references: ReturnType<typeof stateObjectsOfCheckpoint>): void {
    for (const { storageKey, createdBy } of references) {
      const entry = this.#entries.get(storageKey);
      if (entry) {
        entry.references += 1;
        continue;
      }
      this.#entries.set(storageKey, { createdBy, references: 1 });
      let live = this.#liveByCreator.get(createdBy);
      if (!live) this.#liveByCreator.set(createdBy, (live = new Set()));
      live.add(storageKey);
    }
    this.#registered.set(metadata.checkpointId, references.map((reference) => reference.storageKey));
    this.#everRegistered.add(metadata.checkpointId);
  }

  /** Registered now: retained, its blobs counted. */
  isRegistered(checkpointId: CheckpointId): boolean {
    return this.#registered.has(checkpointId);
  }

  /** Completed at some point (registered now or before): its blobs are the registry's to delete, never a plain discard's. */
  wasRegistered(checkpointId: CheckpointId): boolean {
    return this.#everRegistered.has(checkpointId);
  }

  /**
   * The checkpoint is no longer retained: its references are dropped. Returns the discards to issue —
   * always one for `checkpointId` itself (its metadata and what only it used), then one per older
   * writer whose blob lost its last reference — each keeping what is still referenced.
   */
  unregisterCheckpoint(checkpointId: CheckpointId): DiscardRequest[] {
    const storageKeys = this.#registered.get(checkpointId);
    if (!storageKeys) return [{ checkpointId, keep: this.liveStateCreatedBy(checkpointId) }];
    this.#registered.delete(checkpointId);
    const writers = new Set<CheckpointId>([checkpointId]);
    for (const storageKey of storageKeys) {
      const entry = this.#entries.get(storageKey)!;
      entry.references -= 1;
      if (entry.references > 0) continue;
      this.#entries.delete(storageKey);
      const live = this.#liveByCreator.get(entry.createdBy)!;
      live.delete(storageKey);
      if (live.size === 0) this.#liveByCreator.delete(entry.createdBy);
      writers.add(entry.createdBy);
    }
    return [...writers].map((writer) => ({ checkpointId: writer, keep: this.liveStateCreatedBy(writer) }));
  }

  /** Blobs written by `checkpointId` that some registered checkpoint still references. */
  liveStateCreatedBy(checkpointId: CheckpointId): ReadonlySet<string> {
    return new Set(this.#liveByCreator.get(checkpointId));
  }

  referenceCount(storageKey: string): number {
    return this.#entries.get(storageKey)?.references ?? 0;
  }

  /** Storage keys an acknowledgement of `checkpointId` reuses from older checkpoints that are no longer registered. */
  unknownSharedState(state: TaskStateSnapshot, checkpointId: CheckpointId): string[] {
    const references = state.operators.flatMap((operator) => (operator.keyed ? stateObjectsOf(operator.keyed, checkpointId) : []));
    return this.unknownReferences(references, checkpointId);
  }

  private unknownReferences(references: readonly StateObjectReference[], checkpointId: CheckpointId): string[] {
    return references.filter((r) => r.createdBy !== checkpointId && !this.#entries.has(r.storageKey)).map((r) => r.storageKey);
  }
}
