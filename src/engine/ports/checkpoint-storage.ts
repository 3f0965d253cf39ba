// CheckpointStorage: where state handles and checkpoint metadata are persisted. Callback-based on
// purpose: the deterministic runtime completes calls from its scheduler (virtual time), so no promise
// resolves outside its control; the IndexedDB implementation calls back when its transaction completes.
import type { CheckpointId, JobId, OperatorUid, TaskId } from '../ids';
import type { CheckpointMetadata } from '../checkpoint/checkpoint-metadata';

import type { StorageCallback } from './storage-result';

export type { StorageCallback, StorageResult } from './storage-result';
export { failed, ok } from './storage-result';

export interface StateWriteRequest {
  readonly jobId: JobId;
  readonly checkpointId: CheckpointId;
  readonly taskId: TaskId;
  readonly operatorUid: OperatorUid;
  readonly bytes: Uint8Array;
}

export interface CheckpointStorage {
  /** Write one state blob of a pending checkpoint (the async phase); returns its storage key. */
  writeState(request: StateWriteRequest, done: StorageCallback<string>): void;
  readState(storageKey: string, done: StorageCallback<Uint8Array>): void;
  /** Written last and atomically: a checkpoint exists once, and only once, its metadata does. */
  writeMetadata(metadata: CheckpointMetadata, done: StorageCallback<void>): void;
  /** Completed checkpoints of a job (those with metadata), oldest first. */
  listCompleted(jobId: JobId, done: StorageCallback<CheckpointMetadata[]>): void;
  /**
   * Delete a checkpoint's metadata and every blob written for it (also of a pending one that never
   * completed), except the blobs in `keep`: pieces newer checkpoints still share (SharedStateRegistry).
   * Discarding again later deletes what was kept then. Blobs written after the call are not affected.
   */
  discard(jobId: JobId, checkpointId: CheckpointId, keep: ReadonlySet<string>, done: StorageCallback<void>): void;
}

