// What a reloaded page finds of an earlier run in checkpoint storage, and how "Start fresh" forgets it:
// every completed checkpoint (and savepoint) of the job id is discarded, oldest first, before the new run.
// Blobs of a checkpoint that was in flight when the page closed have no metadata, so are never restored;
// they are deleted when the new run discards its own checkpoint of the same id.
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import type { CheckpointStorage, StorageCallback } from '../engine/ports/checkpoint-storage';
import { IndexedDbCheckpointStorage } from '../storage/indexeddb-checkpoint-storage';
import { referencedStorageKeys } from '../storage/referenced-storage-keys';

/** A fresh start keeps no piece of the old run: nothing is shared with a newer checkpoint. */
const NOTHING_KEPT: ReadonlySet<string> = new Set();

export function listCompletedCheckpoints(storage: CheckpointStorage, jobId: string): Promise<CheckpointMetadata[]> {
  return promised((done) => storage.listCompleted(jobId, done));
}

/** Discards every completed checkpoint of `jobId`; returns their ids. */
export async function discardCompletedCheckpoints(storage: CheckpointStorage, jobId: string): Promise<number[]> {
  const completed = await listCompletedCheckpoints(storage, jobId);
  for (const metadata of completed) await promised<void>((done) => storage.discard(jobId, metadata.checkpointId, NOTHING_KEPT, done));
  return completed.map((metadata) => metadata.checkpointId);
}

/**
 * Before resuming from `restored`: the run that wrote it is gone, so every other completed checkpoint
 * and every blob no completed checkpoint owns (uploads cut off by the reload) is discarded. Returns the
 * highest checkpoint id storage has seen, so the resumed job numbers on from there.
 */
export async function prepareResume(storage: CheckpointStorage, jobId: string, restored: CheckpointMetadata): Promise<number> {
  for (const metadata of await listCompletedCheckpoints(storage, jobId)) {
    if (metadata.checkpointId === restored.checkpointId) continue;
    const keep = referencedStorageKeys(restored);
    await promised<void>((done) => storage.discard(jobId, metadata.checkpointId, keep, done));
  }
  if (!(storage instanceof IndexedDbCheckpointStorage)) return restored.checkpointId;
  return (await storage.cleanupStoppedJob(jobId)).highestCheckpointId;
}

/** "checkpoint 7 (taken 14:05:09)": local wall-clock time, 24-hour. */
export function describeCheckpoint(metadata: CheckpointMetadata): string {
  const taken = new Date(metadata.completionTimestamp);
  const time = [taken.getHours(), taken.getMinutes(), taken.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
  return `${metadata.isSavepoint ? 'savepoint' : 'checkpoint'} ${metadata.checkpointId} (taken ${time})`;
}

function promised<T>(call: (done: StorageCallback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => call((result) => (result.ok ? resolve(result.value) : reject(new Error(result.error)))));
}
