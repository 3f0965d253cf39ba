// Starting a run from a decoded snapshot file (Flink's `flink run -s`): the restore is validated against the
// job first (validateSavepointRestore: Flink's rules and words), then the file's blobs go into a fresh checkpoint
// storage, each under the checkpoint that wrote it, as if this job had taken it. Nothing runs before both succeed.
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import { validateSavepointRestore } from '../../engine/checkpoint/savepoint-restore';
import { subtaskStateObjects } from '../../engine/checkpoint/task-state';
import { PENDING_TRANSACTIONS_STATE_NAME } from '../../engine/connectors/two-phase-commit-sink';
import type { Clock } from '../../engine/ports/clock';
import { withStorageKeys, type SnapshotFile } from '../../engine/format';
import { MemoryCheckpointStorage } from '../../storage/memory-checkpoint-storage';
import { prepareScenarioJob, type ScenarioJob, type ScenarioJobOptions } from './scenario-job';

/** What a run restores from: the snapshot under the storage keys of `storage`, which holds its blobs. */
export interface RestoreSource {
  readonly metadata: CheckpointMetadata;
  readonly storage: MemoryCheckpointStorage;
  /** Named in restore errors: the file. */
  readonly pointer: string;
}

export type PreparedRestore =
  | {
      readonly ok: true;
      readonly restore: RestoreSource;
      /** The job it restores into: at the snapshot's max parallelism when none was given (Flink takes the state's). */
      readonly job: ScenarioJob;
      readonly maxParallelism: number;
      /** Operators whose state the job skips (execution.state-recovery.ignore-unclaimed-state). */
      readonly skippedOperators: readonly string[];
    }
  | { readonly ok: false; readonly message: string };

/** Storage calls complete at once: the import happens before the run's clock exists. */
const immediateClock: Clock = {
  now: () => 0,
  setTimeout: (callback) => callback(),
  clearTimeout: () => {},
};

/**
 * Validates `file` against the job `options` describe and imports it. The job id is the run's (the scenario's
 * name), so under execution.state-recovery.claim-mode CLAIM the job discards the imported copy once subsumed.
 * Throws only what prepareScenarioJob throws (a ConfigurationError for bad options).
 */
export function prepareRestore(file: SnapshotFile, options: ScenarioJobOptions, pointer: string): PreparedRestore {
  let job = prepareScenarioJob(options);
  const validation = validateSavepointRestore(file.metadata, job.jobGraph, {
    ignoreUnclaimedState: job.configuration.stateRecovery.ignoreUnclaimedState,
    maxParallelismConfigured: options.maxParallelism !== undefined,
    pointer,
  });
  if (!validation.ok) return validation;
  if (validation.maxParallelism !== job.jobGraph.maxParallelism) job = prepareScenarioJob({ ...options, maxParallelism: validation.maxParallelism });
  const storage = new MemoryCheckpointStorage(immediateClock);
  const metadata = importInto(storage, file, job.scenario.name);
  return { ok: true, restore: { metadata, storage, pointer }, job, maxParallelism: validation.maxParallelism, skippedOperators: validation.skippedOperators };
}

/** Every blob under `jobId` and the checkpoint that wrote it (what the registry discards by), then the metadata. */
function importInto(storage: MemoryCheckpointStorage, file: SnapshotFile, jobId: string): CheckpointMetadata {
  const { metadata, blobs } = file;
  const renamed = new Map<string, string>();
  for (const operator of metadata.operators) {
    operator.subtaskStates.forEach((state, subtask) => {
      // Keyed state (shared pieces under the checkpoint that uploaded them) and an unaligned checkpoint's channel state.
      for (const { storageKey, createdBy } of subtaskStateObjects(state, metadata.checkpointId)) {
        if (renamed.has(storageKey)) continue;
        const request = { jobId, checkpointId: createdBy, taskId: `${operator.operatorUid}#${subtask}`, operatorUid: operator.operatorUid, bytes: blobs.get(storageKey)! };
        storage.writeState(request, (written) => {
          if (!written.ok) throw new Error(written.error);
          renamed.set(storageKey, written.value);
        });
      }
    });
  }
  const imported: CheckpointMetadata = { ...withStorageKeys(metadata, (key) => renamed.get(key)!), jobId };
  storage.writeMetadata(imported, () => {});
  return imported;
}

/**
 * The two-phase-commit transactions the snapshot holds pre-committed. The run that took it committed them
 * (stop-with-savepoint on the savepoint's completion, a checkpoint on its notification, a savepoint with the
 * next checkpoint), so an external system that remembers commits — as Flink requires — takes the restored
 * sink's re-commit as the no-op it is.
 */
export function pendingTransactionIds(metadata: CheckpointMetadata): string[] {
  const ids: string[] = [];
  for (const operator of metadata.operators) {
    for (const state of operator.subtaskStates) {
      const states = state?.operator?.states ?? {};
      if (!Object.hasOwn(states, PENDING_TRANSACTIONS_STATE_NAME)) continue;
      for (const entry of states[PENDING_TRANSACTIONS_STATE_NAME]!.entries) {
        const id = entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? (entry as Readonly<Record<string, unknown>>)['transactionId'] : undefined;
        if (typeof id === 'string') ids.push(id);
      }
    }
  }
  return ids;
}
