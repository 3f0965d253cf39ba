// A retained checkpoint or savepoint of the running job as a `.bscp` file: its blobs read from the storage
// that holds them (requiredBlobs), encoded with the job's name, operators and configuration (snapshotJobOf).
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import type { CheckpointStorage } from '../../engine/ports/checkpoint-storage';
import { encodeSnapshotFile, requiredBlobs, snapshotJobOf, SNAPSHOT_FILE_EXTENSION } from '../../engine/format';
import type { ScenarioJob } from '../../runtime/sim/scenario-job';

/** Reads one blob by storage key; rejects with the storage's reason. */
export type BlobReader = (storageKey: string) => Promise<Uint8Array>;

export async function exportSnapshotFile(metadata: CheckpointMetadata, job: ScenarioJob, readBlob: BlobReader): Promise<Uint8Array> {
  const blobs = new Map<string, Uint8Array>();
  for (const key of requiredBlobs(metadata)) blobs.set(key, await readBlob(key));
  return encodeSnapshotFile({ metadata: inWholeMilliseconds(metadata), blobs, job: snapshotJobOf(job.jobGraph, job.configuration) });
}

/**
 * The Worker runtime's clock has sub-millisecond precision; a file (as Flink's metadata) keeps whole
 * epoch milliseconds. Rounding keeps completion at or after trigger.
 */
function inWholeMilliseconds(metadata: CheckpointMetadata): CheckpointMetadata {
  return { ...metadata, triggerTimestamp: Math.round(metadata.triggerTimestamp), completionTimestamp: Math.round(metadata.completionTimestamp) };
}

/** As the CLI names them: `savepoint-<id>.bscp`, `checkpoint-<id>.bscp`. */
export function snapshotFileName(metadata: CheckpointMetadata): string {
  return `${metadata.isSavepoint ? 'savepoint' : 'checkpoint'}-${metadata.checkpointId}${SNAPSHOT_FILE_EXTENSION}`;
}

export function storageBlobReader(storage: CheckpointStorage): BlobReader {
  return (storageKey) => new Promise((resolve, reject) => storage.readState(storageKey, (result) => (result.ok ? resolve(result.value) : reject(new Error(result.error)))));
}
