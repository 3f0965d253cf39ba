// A job continues exactly-once from a snapshot file: an incremental checkpoint is exported mid-run, decoded,
// imported into fresh storage and restored at another parallelism; with the first run's commits, no loss, no duplicate.
import { describe, expect, it } from 'vitest';
import type { Clock } from '../ports/clock';
import type { CheckpointMetadata } from '../checkpoint/checkpoint-metadata';
import { assignStates } from '../checkpoint/state-assignment';
import { isIncrementalHandle, type KeyedStateHandle } from '../checkpoint/task-state';
import { MemoryCheckpointStorage } from '../../storage/memory-checkpoint-storage';
import { prepareScenarioJob } from '../../runtime/sim/scenario-job';
import { Simulation } from '../../runtime/sim/simulation';
import { sourceOffsetsOf } from '../../runtime/sim/run-scenario';
import { decodeSnapshotFile } from './decode-snapshot-file';
import { encodeSnapshotFile } from './encode-snapshot-file';
import { inspectSnapshot } from './inspect-snapshot';
import { isIncremental, REAL_RUN, realCheckpoints } from '../../runtime/sim/real-checkpoints.fixture';
import type { SnapshotFile } from './snapshot-file';
import { withStorageKeys } from './snapshot-storage-keys';

const INCREMENTAL = { 'execution.checkpointing.incremental': true };

/** Storage calls complete at once: the import happens before the job starts. */
const immediateClock: Clock = { now: () => 0, setTimeout: (callback) => callback(), clearTimeout: () => {} };

/** The file's checkpoint written into a fresh storage, which names its own blobs: the metadata under the new keys. */
function importInto(storage: MemoryCheckpointStorage, file: SnapshotFile): CheckpointMetadata {
  const renamed = new Map<string, string>();
  const { metadata } = file;
  for (const operator of metadata.operators) {
    operator.subtaskStates.forEach((state, subtask) => {
      const keys = state.keyed ? keysOf(state.keyed) : [];
      for (const storageKey of keys) {
        const request = { jobId: metadata.jobId, checkpointId: metadata.checkpointId, taskId: `${operator.operatorUid}#${subtask}`, operatorUid: operator.operatorUid, bytes: file.blobs.get(storageKey)! };
        storage.writeState(request, (written) => written.ok && renamed.set(storageKey, written.value));
      }
    });
  }
  const imported = withStorageKeys(metadata, (key) => renamed.get(key)!);
  storage.writeMetadata(imported, () => {});
  return imported;
}

function keysOf(handle: KeyedStateHandle): string[] {
  return isIncrementalHandle(handle) ? [handle.storageKey, ...handle.sharedState.map((piece) => piece.storageKey)] : [handle.storageKey];
}

/** Removes one occurrence of each record of `records` from `output` (compared as JSON). */
function without(output: readonly unknown[], records: readonly unknown[]): unknown[] {
  const pending = records.map((record) => JSON.stringify(record));
  return output.filter((record) => {
    const index = pending.indexOf(JSON.stringify(record));
    if (index < 0) return true;
    pending.splice(index, 1);
    return false;
  });
}

describe('restoring a job from a snapshot file', () => {
  it('continues exactly-once at parallelism 3 from an incremental checkpoint of a run at parallelism 2', () => {
    const first = realCheckpoints({ untilMs: 1_500, configuration: INCREMENTAL });
    const input = first.snapshots.at(-1)!;
    expect(isIncremental(input.metadata)).toBe(true);
    const decoded = decodeSnapshotFile(encodeSnapshotFile(input));
    if (!decoded.ok) throw new Error(decoded.error.message);
    const file = decoded.value;

    const storage = new MemoryCheckpointStorage(immediateClock);
    const initialCheckpoint = importInto(storage, file);
    const { scenario, parameters, jobGraph, configuration } = prepareScenarioJob({ ...REAL_RUN, parallelism: 3, keys: REAL_RUN.keys!, recordsPerSecond: REAL_RUN.recordsPerSecond!, configuration: INCREMENTAL });
    expect(assignStates(initialCheckpoint, jobGraph).tasks.size).toBe(jobGraph.vertices.reduce((sum, vertex) => sum + vertex.parallelism, 0));
    const second = new Simulation({ seed: 5, jobId: file.metadata.jobId, jobGraph, configuration, initialCheckpoint, durableStorageOf: storage, onEvent: () => {} });
    second.start();
    second.runUntil(12_000);

    const firstOutput = first.result.simulation.external.output('sums');
    const recommitted = inspectSnapshot(file)
      .operators.find((operator) => operator.operatorUid === 'sink')!
      .subtasks.flatMap((subtask) => subtask.pendingTransactions)
      .filter((transaction) => firstOutput.isCommitted(transaction.transactionId));
    const pendingRecords = file.metadata.operators
      .find((operator) => operator.operatorUid === 'sink')!
      .subtaskStates.flatMap((state) => state.operator?.states['pending-commit-transactions']?.entries ?? [])
      .filter((entry) => recommitted.some((transaction) => transaction.transactionId === (entry as { transactionId: string }).transactionId))
      .flatMap((entry) => (entry as { records: unknown[] }).records);
    const secondOutput = without(second.external.output('sums').records(), pendingRecords);
    expect(second.jobMaster.stats.statistics().counts.restored).toBe(1);
    expect(firstOutput.records().length).toBeGreaterThan(0);
    expect(secondOutput.length).toBeGreaterThan(firstOutput.records().length / 4);
    expect(scenario.checkExactlyOnce([...firstOutput.records(), ...secondOutput], parameters)).toEqual([]);
  });

  it('restores the state the file shows: every key its sum from the recorded source offsets', () => {
    const { snapshots } = realCheckpoints({ untilMs: 1_500, configuration: INCREMENTAL });
    const decoded = decodeSnapshotFile(encodeSnapshotFile(snapshots.at(-1)!));
    if (!decoded.ok) throw new Error(decoded.error.message);
    const { scenario, parameters } = prepareScenarioJob({ ...REAL_RUN, keys: REAL_RUN.keys!, recordsPerSecond: REAL_RUN.recordsPerSecond! });
    const expected = scenario.expectedState(sourceOffsetsOf(decoded.value.metadata, ['numbers']), parameters);
    const sum = inspectSnapshot(decoded.value).operators.find((operator) => operator.operatorUid === 'sum')!;
    const shown = new Map(sum.subtasks.flatMap((subtask) => subtask.keyedState?.rows ?? []).map((row) => [row.key, row.values['sum']]));
    expect(shown.size).toBeGreaterThan(10);
    expect(shown).toEqual(expected);
  });
});
