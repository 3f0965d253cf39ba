// What a reloaded page finds of an earlier run in checkpoint storage: what it offers to resume from, how
// resuming tidies up (other checkpoints and cut-off uploads go, savepoints stay), and how "Start fresh"
// forgets the run (every completed checkpoint and savepoint of the job id is discarded).
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

/** The highest checkpoint id storage has seen for the job (in-flight uploads included), so a resumed job numbers on from it. */
export async function highestCheckpointIdSeen(storage: CheckpointStorage, jobId: string, restored: CheckpointMetadata): Promise<number> {
  if (!(storage instanceof IndexedDbCheckpointStorage)) return restored.checkpointId;
  return Math.max(restored.checkpointId, await storage.highestCheckpointId(jobId));
}

/**
 * Once the resumed job is validated: the run that wrote `restored` is gone, so its other retained
 * checkpoints and every blob no completed checkpoint owns (uploads cut off by the reload) are discarded.
 * Savepoints are the user's and stay (Flink never deletes one).
 */
export async function cleanupBeforeResume(storage: CheckpointStorage, jobId: string, restored: CheckpointMetadata): Promise<void> {
  const keep = referencedStorageKeys(restored);
  for (const metadata of await listCompletedCheckpoints(storage, jobId)) {
    if (metadata.checkpointId === restored.checkpointId || metadata.isSavepoint) continue;
    await promised<void>((done) => storage.discard(jobId, metadata.checkpointId, keep, done));
  }
  if (storage instanceof IndexedDbCheckpointStorage) await storage.cleanupStoppedJob(jobId);
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
