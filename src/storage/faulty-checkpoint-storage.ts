// A CheckpointStorage wrapper that fails chosen snapshot uploads (fail-snapshot faults): a given
// checkpoint of a task, or the task's next upload. Exercises decline, abort and tolerable failures.
import type { CheckpointStorage, StateWriteRequest, StorageCallback } from '../engine/ports/checkpoint-storage';
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import type { CheckpointId, JobId } from '../engine/ids';

export class FaultyCheckpointStorage implements CheckpointStorage {
  readonly #failures = new Set<string>();
  readonly #failNextUploadOf = new Set<string>();

  constructor(
    private readonly inner: CheckpointStorage,
    private readonly onInjected: (description: string) => void,
  ) {}

  failUpload(taskId: string, checkpointId: CheckpointId): void {
    this.#failures.add(`${taskId}@${checkpointId}`);
  }

  /** Fail whatever upload `taskId` makes next, whichever checkpoint it belongs to. */
  failNextUpload(taskId: string): void {
    this.#failNextUploadOf.add(taskId);
  }

  writeState(request: StateWriteRequest, done: StorageCallback<string>): void {
    const key = `${request.taskId}@${request.checkpointId}`;
    if (this.#failures.delete(key) || this.#failNextUploadOf.delete(request.taskId)) {
      this.onInjected(`fail-snapshot:${key}`);
      this.inner.writeState(request, () => done({ ok: false, error: `Injected failure: upload of checkpoint ${request.checkpointId} by ${request.taskId} failed` }));
      return;
    }
    this.inner.writeState(request, done);
  }

  readState(storageKey: string, done: StorageCallback<Uint8Array>): void {
    this.inner.readState(storageKey, done);
  }

  writeMetadata(metadata: CheckpointMetadata, done: StorageCallback<void>): void {
    this.inner.writeMetadata(metadata, done);
  }

  listCompleted(jobId: JobId, done: StorageCallback<CheckpointMetadata[]>): void {
    this.inner.listCompleted(jobId, done);
  }

  discard(jobId: JobId, checkpointId: CheckpointId, keep: ReadonlySet<string>, done: StorageCallback<void>): void {
    this.inner.discard(jobId, checkpointId, keep, done);
  }
}
