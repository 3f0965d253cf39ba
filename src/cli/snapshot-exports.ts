// The snapshot files a run writes with --out: stop-with-savepoint's savepoint as `savepoint-<id>.bscp`, and with
// --export-checkpoints every retained completed checkpoint of the run as `checkpoint-<id>.bscp`, each
// self-contained (an incremental checkpoint with every piece it references). Encoded from the run's storage.
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import { encodeSnapshotFile, requiredBlobs, SNAPSHOT_FILE_EXTENSION } from '../engine/format';
import type { RunScenarioResult } from '../runtime/sim/run-scenario';
import type { OutputFile } from './output-files';

export function snapshotExports(result: RunScenarioResult, exportCheckpoints: boolean): OutputFile[] {
  const files: OutputFile[] = [];
  if (result.stop?.status === 'COMPLETED') files.push(snapshotFile(result, result.stop.savepoint, 'savepoint'));
  if (exportCheckpoints) for (const metadata of exportedCheckpoints(result)) files.push(snapshotFile(result, metadata, 'checkpoint'));
  return files;
}

/**
 * The checkpoints this run completed that its store still retains. Not savepoints, not the snapshot the run
 * started from; none after stop-with-savepoint, since a FINISHED job's checkpoints are discarded (Flink's
 * CheckpointProperties discard every checkpoint when the job finishes).
 */
function exportedCheckpoints(result: RunScenarioResult): CheckpointMetadata[] {
  const { store } = result.simulation.jobMaster;
  const restored = store.restoredFrom()?.metadata;
  return store.retained().filter((metadata) => !metadata.isSavepoint && metadata !== restored);
}

function snapshotFile(result: RunScenarioResult, metadata: CheckpointMetadata, kind: 'savepoint' | 'checkpoint'): OutputFile {
  const storage = result.simulation.memoryStorage;
  const blobs = new Map<string, Uint8Array>();
  for (const key of requiredBlobs(metadata)) {
    const bytes = storage.readBlobNow(key);
    if (bytes === undefined) throw new Error(`${kind} ${metadata.checkpointId} names state '${key}' that storage no longer holds`);
    blobs.set(key, bytes);
  }
  return { name: `${kind}-${metadata.checkpointId}${SNAPSHOT_FILE_EXTENSION}`, contents: encodeSnapshotFile({ metadata, blobs, job: result.snapshotJob }) };
}
