import { describe, expect, it } from 'vitest';
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import type { Clock } from '../engine/ports/clock';
import { MemoryCheckpointStorage } from '../storage/memory-checkpoint-storage';
import { describeCheckpoint, discardCompletedCheckpoints, listCompletedCheckpoints } from './job-checkpoints';

/** Storage calls complete on the next macrotask, as real ones would. */
const immediateClock: Clock = { now: () => 0, setTimeout: (callback) => setTimeout(callback, 0), clearTimeout: () => {} };

function metadata(jobId: string, checkpointId: number, completionTimestamp = 0, isSavepoint = false): CheckpointMetadata {
  return { version: 1, jobId, checkpointId, isSavepoint, triggerTimestamp: completionTimestamp, completionTimestamp, operators: [] };
}

function write(storage: MemoryCheckpointStorage, checkpoint: CheckpointMetadata): Promise<void> {
  return new Promise((resolve) => storage.writeMetadata(checkpoint, () => resolve()));
}

describe('job checkpoints on a reloaded page', () => {
  it('start fresh discards every completed checkpoint of the job and leaves other jobs alone', async () => {
    const storage = new MemoryCheckpointStorage(immediateClock);
    for (const checkpoint of [metadata('running-sum', 3), metadata('running-sum', 4, 0, true), metadata('other', 3)]) await write(storage, checkpoint);
    expect(await discardCompletedCheckpoints(storage, 'running-sum')).toEqual([3, 4]);
    expect(await listCompletedCheckpoints(storage, 'running-sum')).toEqual([]);
    expect((await listCompletedCheckpoints(storage, 'other')).map((c) => c.checkpointId)).toEqual([3]);
  });

  it('names a checkpoint with its id and the local time it completed', () => {
    const taken = new Date(2026, 0, 2, 9, 5, 7).getTime();
    expect(describeCheckpoint(metadata('job', 12, taken))).toBe('checkpoint 12 (taken 09:05:07)');
    expect(describeCheckpoint(metadata('job', 13, taken, true))).toBe('savepoint 13 (taken 09:05:07)');
  });
});
