// Importing a snapshot file's checkpoint into checkpoint storage: every blob under a fresh storage key and the
// metadata under a job id of its own, all or nothing, so a stored checkpoint is never overwritten or deleted.
// The caller validates the file (decode, restore rules) first: this only writes.
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import type { CheckpointStorage, StateWriteRequest, StorageCallback } from '../engine/ports/checkpoint-storage';
import { requiredBlobs, withStorageKeys } from '../engine/format';
import { subtaskStateObjects } from '../engine/checkpoint/task-state';
import { IndexedDbCheckpointStorage } from './indexeddb-checkpoint-storage';
import { newImportJobId, newStorageKey } from './storage-key';

/** What a decoded snapshot file gives storage: its checkpoint and every blob it names, by storage key. */
export interface ImportableSnapshot {
  readonly metadata: CheckpointMetadata;
  readonly blobs: ReadonlyMap<string, Uint8Array>;
}

/**
 * Stores the snapshot as a completed checkpoint of a new job id (`imported-…`) and returns its metadata under
 * the keys storage now holds. Every blob is filed under that checkpoint, so discarding it removes all of them;
 * no job ever does (the restored job only reads it: Flink's NO_CLAIM restore mode).
 */
export async function importSnapshot(storage: CheckpointStorage, snapshot: ImportableSnapshot, importJobId: string = newImportJobId()): Promise<CheckpointMetadata> {
  const requests = writeRequests(snapshot, importJobId);
  if (storage instanceof IndexedDbCheckpointStorage) {
    const renamed = new Map([...requests].map(([oldKey, request]) => [oldKey, newStorageKey(request)]));
    const metadata = rename(snapshot.metadata, importJobId, renamed);
    await storage.importCheckpoint(
      [...requests].map(([oldKey, request]) => ({ key: renamed.get(oldKey)!, request })),
      metadata,
    );
    return metadata;
  }
  return importThroughPort(storage, requests, snapshot.metadata, importJobId);
}

/** Storage without transactions (the in-memory twin, which cannot fail a write): the port's own calls, metadata last. */
async function importThroughPort(
  storage: CheckpointStorage,
  requests: ReadonlyMap<string, StateWriteRequest>,
  original: CheckpointMetadata,
  importJobId: string,
): Promise<CheckpointMetadata> {
  const existing = await promised<CheckpointMetadata[]>((done) => storage.listCompleted(importJobId, done));
  if (existing.length > 0) throw new Error(`storage already holds checkpoints of job '${importJobId}'`);
  const renamed = new Map<string, string>();
  for (const [oldKey, request] of requests) renamed.set(oldKey, await promised<string>((done) => storage.writeState(request, done)));
  const metadata = rename(original, importJobId, renamed);
  await promised<void>((done) => storage.writeMetadata(metadata, done));
  return metadata;
}

/** One write per blob the checkpoint names, filed under the imported checkpoint and the subtask that owns it. */
function writeRequests(snapshot: ImportableSnapshot, importJobId: string): Map<string, StateWriteRequest> {
  const { metadata, blobs } = snapshot;
  const requests = new Map<string, StateWriteRequest>();
  for (const operator of metadata.operators) {
    operator.subtaskStates.forEach((state, subtask) => {
      // Keyed state and an unaligned checkpoint's channel state.
      for (const { storageKey: key } of subtaskStateObjects(state, metadata.checkpointId)) {
        if (requests.has(key)) continue;
        const bytes = blobs.get(key);
        if (!bytes) throw new Error(`the snapshot names state '${key}' but does not hold it`);
        const taskId = `${operator.operatorUid}#${subtask}`;
        requests.set(key, { jobId: importJobId, checkpointId: metadata.checkpointId, taskId, operatorUid: operator.operatorUid, bytes });
      }
    });
  }
  const missing = requiredBlobs(metadata).filter((key) => !requests.has(key));
  if (missing.length > 0) throw new Error(`the snapshot's blobs and handles disagree: ${missing.join(', ')}`);
  return requests;
}

function rename(metadata: CheckpointMetadata, jobId: string, renamed: ReadonlyMap<string, string>): CheckpointMetadata {
  return { ...withStorageKeys(metadata, (key) => renamed.get(key)!), jobId };
}

function promised<T>(call: (done: StorageCallback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => call((result) => (result.ok ? resolve(result.value) : reject(new Error(result.error)))));
}
