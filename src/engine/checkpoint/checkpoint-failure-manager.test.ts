import { describe, expect, it } from 'vitest';
import { CheckpointFailureManager } from './checkpoint-failure-manager';

describe('CheckpointFailureManager', () => {
  it('fails the job once counted failures exceed the tolerable number, then starts counting afresh (Flink clears the count)', () => {
    const manager = new CheckpointFailureManager(1);
    expect(manager.handleCheckpointFailure(1, 'CHECKPOINT_EXPIRED', false)).toBe(false);
    expect(manager.handleCheckpointFailure(2, 'CHECKPOINT_ASYNC_EXCEPTION', false)).toBe(true);
    expect(manager.handleCheckpointFailure(3, 'CHECKPOINT_EXPIRED', false)).toBe(false);
  });

  it('counts neither declines for subsumption, cancellation or not-ready, nor savepoints, nor one checkpoint twice', () => {
    const manager = new CheckpointFailureManager(0);
    expect(manager.handleCheckpointFailure(1, 'CHECKPOINT_DECLINED_SUBSUMED', false)).toBe(false);
    expect(manager.handleCheckpointFailure(2, 'CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER', false)).toBe(false);
    expect(manager.handleCheckpointFailure(3, 'CHECKPOINT_EXPIRED', true)).toBe(false);
    const counting = new CheckpointFailureManager(1);
    expect(counting.handleCheckpointFailure(4, 'CHECKPOINT_EXPIRED', false)).toBe(false);
    expect(counting.handleCheckpointFailure(4, 'CHECKPOINT_ASYNC_EXCEPTION', false)).toBe(false);
  });

  it('resets on a completed checkpoint', () => {
    const manager = new CheckpointFailureManager(1);
    manager.handleCheckpointFailure(1, 'CHECKPOINT_EXPIRED', false);
    manager.handleCheckpointSuccess();
    expect(manager.handleCheckpointFailure(2, 'CHECKPOINT_EXPIRED', false)).toBe(false);
  });
});
