// A CheckpointStorage wrapper that fails chosen snapshot uploads (fail-snapshot faults of a fault plan): a
// given checkpoint of a task. Exercises decline, abort and tolerable failures. (The page's "fail next upload"
// is injected in the task itself, so a source, which uploads nothing of its own, fails too: Task.failNextSnapshotUpload.)
import type { CheckpointStorage, StateWriteRequest, StorageCallback } from '../engine/ports/checkpoint-storage';
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import type { CheckpointId, JobId } from '../engine/ids';

export class FaultyCheckpointStorage implements CheckpointStorage {
  readonly #failures = new Set<string>();

  constructor(
    private readonly inner: CheckpointStorage,
    private readonly onInjected: (description: string) => void,
  ) {}

  failUpload(taskId: string, checkpointId: CheckpointId): void {
    this.#failures.add(`${taskId}@${checkpointId}`);
  }

  writeState(request: StateWriteRequest, done: StorageCallback<string>): void {
    const key = `${request.taskId}@${request.checkpointId}`;
    if (this.#failures.delete(key)) {
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
