// In-memory CheckpointStorage: the twin of the IndexedDB one for tests and the deterministic runtime.
// Calls complete after a modelled latency on the injected clock (a fixed cost plus bytes / bandwidth),
// so uploads take virtual time. Metadata is stored last and in one step; discard removes a checkpoint's blobs
// but those it is told to keep (shared with newer checkpoints).
import type { Clock } from '../engine/ports/clock';
import type { CheckpointId, JobId } from '../engine/ids';
import { failed, ok, type CheckpointStorage, type StateWriteRequest, type StorageCallback } from '../engine/ports/checkpoint-storage';
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';

export interface StorageLatency {
  readonly fixedMs: number;
  readonly bytesPerMs: number;
}

export const DEFAULT_STORAGE_LATENCY: StorageLatency = { fixedMs: 2, bytesPerMs: 50_000 };

export class MemoryCheckpointStorage implements CheckpointStorage {
  readonly #blobs = new Map<string, { jobId: JobId; checkpointId: CheckpointId; bytes: Uint8Array }>();
  readonly #metadata = new Map<string, CheckpointMetadata>();
  #sequence = 0;

  constructor(
    private readonly clock: Clock,
    private readonly latency: StorageLatency = DEFAULT_STORAGE_LATENCY,
  ) {}

  /** What durable storage would still hold on another machine or after a reload: a copy of `previous`'s contents. */
  static copyOf(previous: MemoryCheckpointStorage, clock: Clock, latency?: StorageLatency): MemoryCheckpointStorage {
    const storage = new MemoryCheckpointStorage(clock, latency);
    for (const [key, blob] of previous.#blobs) storage.#blobs.set(key, blob);
    for (const [key, metadata] of previous.#metadata) storage.#metadata.set(key, metadata);
    storage.#sequence = previous.#sequence;
    return storage;
  }

  writeState(request: StateWriteRequest, done: StorageCallback<string>): void {
    const key = `${request.jobId}/chk-${request.checkpointId}/${request.taskId}/${request.operatorUid}/${this.#sequence++}`;
    this.later(request.bytes.length, () => {
      this.#blobs.set(key, { jobId: request.jobId, checkpointId: request.checkpointId, bytes: request.bytes });
      done(ok(key));
    });
  }

  readState(storageKey: string, done: StorageCallback<Uint8Array>): void {
    const blob = this.#blobs.get(storageKey);
    this.later(blob?.bytes.length ?? 0, () => done(blob ? ok(blob.bytes) : failed(`No state stored under '${storageKey}'`)));
  }

  writeMetadata(metadata: CheckpointMetadata, done: StorageCallback<void>): void {
    this.later(0, () => {
      this.#metadata.set(metadataKey(metadata.jobId, metadata.checkpointId), metadata);
      done(ok(undefined));
    });
  }

  listCompleted(jobId: JobId, done: StorageCallback<CheckpointMetadata[]>): void {
    const list = [...this.#metadata.values()].filter((m) => m.jobId === jobId).sort((a, b) => a.checkpointId - b.checkpointId);
    this.later(0, () => done(ok(list)));
  }

  discard(jobId: JobId, checkpointId: CheckpointId, keep: ReadonlySet<string>, done: StorageCallback<void>): void {
    this.later(0, () => {
      this.#metadata.delete(metadataKey(jobId, checkpointId));
      for (const [key, blob] of this.#blobs) {
        if (blob.jobId === jobId && blob.checkpointId === checkpointId && !keep.has(key)) this.#blobs.delete(key);
      }
      done(ok(undefined));
    });
  }

  /** For tests and inspection: what is stored right now. */
  inventory(): { blobs: string[]; checkpoints: CheckpointId[] } {
    return { blobs: [...this.#blobs.keys()], checkpoints: [...this.#metadata.values()].map((m) => m.checkpointId) };
  }

  readBlobNow(storageKey: string): Uint8Array | undefined {
    return this.#blobs.get(storageKey)?.bytes;
  }

  private later(bytes: number, action: () => void): void {
    this.clock.setTimeout(action, this.latency.fixedMs + Math.ceil(bytes / this.latency.bytesPerMs));
  }
}

function metadataKey(jobId: JobId, checkpointId: CheckpointId): string {
  return `${jobId}/chk-${checkpointId}`;
}
