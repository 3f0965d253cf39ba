import { describe, expect, it } from 'vitest';
import { CompletedCheckpointStore } from './completed-checkpoint-store';
import type { CheckpointMetadata } from './checkpoint-metadata';

const metadata = (checkpointId: number, isSavepoint = false): CheckpointMetadata => ({
  version: 1,
  jobId: 'job',
  checkpointId,
  isSavepoint,
  triggerTimestamp: 0,
  completionTimestamp: 0,
  operators: [],
});

describe('CompletedCheckpointStore', () => {
  it('keeps num-retained checkpoints and returns the subsumed ones to discard', () => {
    const store = new CompletedCheckpointStore(2);
    expect(store.add(metadata(1))).toEqual([]);
    expect(store.add(metadata(2))).toEqual([]);
    expect(store.add(metadata(3)).map((m) => m.checkpointId)).toEqual([1]);
    expect(store.retained().map((m) => m.checkpointId)).toEqual([2, 3]);
  });

  it('never restores a failover from a savepoint taken while running (Flink ≥ 1.15), nor subsumes it', () => {
    const store = new CompletedCheckpointStore(1);
    store.add(metadata(1));
    expect(store.add(metadata(2, true))).toEqual([]);
    expect(store.latest()?.checkpointId).toBe(1);
    store.add(metadata(3));
    expect(store.savepoints().map((m) => m.checkpointId)).toEqual([2]);
  });

  it('restores from the snapshot the job started from until a newer checkpoint completes, and never hands it out to discard', () => {
    const store = new CompletedCheckpointStore(1);
    store.addRestored(metadata(7, true));
    expect(store.latest()?.checkpointId).toBe(7);
    expect(store.add(metadata(8))).toEqual([]);
    expect(store.latest()?.checkpointId).toBe(8);
    expect(store.add(metadata(9)).map((m) => m.checkpointId)).toEqual([8]);
    store.addRestored(metadata(10));
    store.add(metadata(11));
    expect(store.removeAllOwned().map((m) => m.checkpointId).sort()).toEqual([11]);
  });

  it("restores a failover from stop-with-savepoint's savepoint, which subsumes older checkpoints but is never handed out to discard", () => {
    const store = new CompletedCheckpointStore(1);
    store.add(metadata(1));
    expect(store.add(metadata(2, true), true).map((m) => m.checkpointId)).toEqual([1]);
    expect(store.latest()?.checkpointId).toBe(2);
    expect(store.savepoints().map((m) => m.checkpointId)).toEqual([2]);
    expect(store.add(metadata(3))).toEqual([]);
    expect(store.removeAllOwned().map((m) => m.checkpointId)).toEqual([3]);
  });

  it('hands out a claimed snapshot to discard once subsumed, and with the job (CLAIM)', () => {
    const subsumed = new CompletedCheckpointStore(1);
    subsumed.addRestored(metadata(7, true), 'CLAIM');
    expect(subsumed.add(metadata(8)).map((m) => m.checkpointId)).toEqual([7]);
    const ended = new CompletedCheckpointStore(1);
    ended.addRestored(metadata(7), 'CLAIM');
    expect(ended.removeAllOwned().map((m) => m.checkpointId)).toEqual([7]);
    expect(ended.restoredFrom()).toEqual({ metadata: metadata(7), claimed: true });
  });
});
