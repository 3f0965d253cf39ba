// The SharedStateRegistry's reference counting: pieces shared by retained checkpoints survive the
// checkpoint that wrote them; a piece is released once no registered checkpoint names it, through a
// discard of its writer that keeps every blob still referenced.
import { describe, expect, it } from 'vitest';
import type { CheckpointMetadata } from './checkpoint-metadata';
import { SharedStateRegistry, stateObjectsOfCheckpoint } from './shared-state-registry';
import type { KeyedStateHandle, OperatorSubtaskState, SharedStatePiece } from './task-state';

const piece = (keyGroup: number, checkpointId: number): SharedStatePiece => ({
  keyGroup,
  storageKey: `chk-${checkpointId}/kg-${keyGroup}`,
  sizeBytes: 10,
  checkpointId,
});

/** An incremental handle of checkpoint `checkpointId` (meta blob `chk-N/meta-S`) naming `pieces`. */
function incremental(checkpointId: number, subtask: number, pieces: SharedStatePiece[]): KeyedStateHandle {
  return {
    storageKey: `chk-${checkpointId}/meta-${subtask}`,
    keyGroupRange: { start: 0, end: 127 },
    checkpointId,
    sharedState: pieces,
    stateSizeBytes: 5 + pieces.length * 10,
    checkpointedSizeBytes: 5 + pieces.filter((p) => p.checkpointId === checkpointId).length * 10,
  };
}

function checkpoint(checkpointId: number, handles: KeyedStateHandle[], isSavepoint = false): CheckpointMetadata {
  return {
    version: 1,
    jobId: 'job',
    checkpointId,
    isSavepoint,
    triggerTimestamp: checkpointId * 100,
    completionTimestamp: checkpointId * 100 + 10,
    operators: [
      {
        operatorUid: 'sum',
        parallelism: handles.length,
        maxParallelism: 128,
        subtaskStates: handles.map((keyed) => ({ operatorUid: 'sum', keyed, operator: null })),
      },
    ],
  };
}

const sorted = (keys: ReadonlySet<string>) => [...keys].sort();

describe('SharedStateRegistry', () => {
  it('counts one reference per registered checkpoint that names a piece', () => {
    const registry = new SharedStateRegistry();
    registry.registerCheckpoint(checkpoint(1, [incremental(1, 0, [piece(0, 1), piece(1, 1)])]));
    registry.registerCheckpoint(checkpoint(2, [incremental(2, 0, [piece(0, 1), piece(1, 2)])]));
    expect(registry.referenceCount('chk-1/kg-0')).toBe(2);
    expect(registry.referenceCount('chk-1/kg-1')).toBe(1);
    expect(registry.referenceCount('chk-2/kg-1')).toBe(1);
    expect(registry.referenceCount('chk-2/meta-0')).toBe(1);
  });

  it('keeps the pieces a newer checkpoint shares when the checkpoint that wrote them is subsumed', () => {
    const registry = new SharedStateRegistry();
    registry.registerCheckpoint(checkpoint(1, [incremental(1, 0, [piece(0, 1), piece(1, 1)])]));
    registry.registerCheckpoint(checkpoint(2, [incremental(2, 0, [piece(0, 1), piece(1, 2)])]));
    const discards = registry.unregisterCheckpoint(1);
    expect(discards.map((d) => [d.checkpointId, sorted(d.keep)])).toEqual([[1, ['chk-1/kg-0']]]);
    expect(registry.referenceCount('chk-1/kg-1')).toBe(0);
    expect(registry.referenceCount('chk-1/kg-0')).toBe(1);
  });

  it('releases an old piece through a discard of its writer once its last reference goes', () => {
    const registry = new SharedStateRegistry();
    registry.registerCheckpoint(checkpoint(1, [incremental(1, 0, [piece(0, 1), piece(1, 1)])]));
    registry.registerCheckpoint(checkpoint(2, [incremental(2, 0, [piece(0, 1), piece(1, 2)])]));
    registry.unregisterCheckpoint(1);
    registry.registerCheckpoint(checkpoint(3, [incremental(3, 0, [piece(0, 3), piece(1, 2)])]));
    const discards = registry.unregisterCheckpoint(2);
    expect(discards.map((d) => [d.checkpointId, sorted(d.keep)])).toEqual([
      [2, ['chk-2/kg-1']],
      [1, []],
    ]);
    expect(registry.liveStateCreatedBy(1).size).toBe(0);
  });

  it('always returns a discard for the unregistered checkpoint itself, so its metadata goes', () => {
    const registry = new SharedStateRegistry();
    registry.registerCheckpoint(checkpoint(1, [incremental(1, 0, [])]));
    expect(registry.unregisterCheckpoint(1)).toEqual([{ checkpointId: 1, keep: new Set() }]);
    expect(registry.unregisterCheckpoint(1)).toEqual([{ checkpointId: 1, keep: new Set() }]);
  });

  it('treats a full handle as a blob owned by its checkpoint alone', () => {
    const registry = new SharedStateRegistry();
    const full = (checkpointId: number): KeyedStateHandle => ({ storageKey: `chk-${checkpointId}/full`, keyGroupRange: { start: 0, end: 127 }, stateSizeBytes: 50 });
    registry.registerCheckpoint(checkpoint(1, [full(1)]));
    registry.registerCheckpoint(checkpoint(2, [full(2)]));
    expect(registry.unregisterCheckpoint(1)).toEqual([{ checkpointId: 1, keep: new Set() }]);
    expect(registry.referenceCount('chk-2/full')).toBe(1);
  });

  it('counts a checkpoint once even if registered twice', () => {
    const registry = new SharedStateRegistry();
    const metadata = checkpoint(1, [incremental(1, 0, [piece(0, 1)])]);
    registry.registerCheckpoint(metadata);
    registry.registerCheckpoint(metadata);
    expect(registry.referenceCount('chk-1/kg-0')).toBe(1);
  });

  it('refuses a checkpoint that references a piece no registered checkpoint holds any more', () => {
    const registry = new SharedStateRegistry();
    registry.registerCheckpoint(checkpoint(1, [incremental(1, 0, [piece(0, 1)])]));
    registry.registerCheckpoint(checkpoint(2, [incremental(2, 0, [piece(0, 2)])]));
    registry.unregisterCheckpoint(1);
    const late = checkpoint(3, [incremental(3, 0, [piece(0, 1)])]);
    expect(registry.unknownSharedState({ subtaskIndex: 0, operators: late.operators[0]!.subtaskStates }, 3)).toEqual(['chk-1/kg-0']);
    expect(() => registry.registerCheckpoint(late)).toThrow(/references discarded shared state: chk-1\/kg-0/);
    expect(registry.isRegistered(3)).toBe(false);
  });

  it('remembers which checkpoints completed after they are unregistered', () => {
    const registry = new SharedStateRegistry();
    registry.registerCheckpoint(checkpoint(1, [incremental(1, 0, [piece(0, 1)])]));
    registry.unregisterCheckpoint(1);
    expect(registry.isRegistered(1)).toBe(false);
    expect(registry.wasRegistered(1)).toBe(true);
    expect(registry.wasRegistered(2)).toBe(false);
  });

  it('keeps pieces shared across subtasks and retained checkpoints until every reference is gone', () => {
    const registry = new SharedStateRegistry();
    registry.registerCheckpoint(checkpoint(1, [incremental(1, 0, [piece(0, 1)]), incremental(1, 1, [piece(64, 1)])]));
    registry.registerCheckpoint(checkpoint(2, [incremental(2, 0, [piece(0, 1)]), incremental(2, 1, [piece(64, 2)])]));
    registry.registerCheckpoint(checkpoint(3, [incremental(3, 0, [piece(0, 1)]), incremental(3, 1, [piece(64, 2)])]));
    expect(registry.unregisterCheckpoint(1).map((d) => [d.checkpointId, sorted(d.keep)])).toEqual([[1, ['chk-1/kg-0']]]);
    expect(registry.unregisterCheckpoint(2).map((d) => [d.checkpointId, sorted(d.keep)])).toEqual([[2, ['chk-2/kg-64']]]);
    expect(registry.referenceCount('chk-1/kg-0')).toBe(1);
    expect(registry.unregisterCheckpoint(3).map((d) => [d.checkpointId, sorted(d.keep)])).toEqual([
      [3, []],
      [1, []],
      [2, []],
    ]);
  });

  it("counts an unaligned checkpoint's channel-state blobs as its own: kept while retained, released with it", () => {
    const channelBlob = 'chk-2/channel-sum-0';
    const withChannelState = (metadata: CheckpointMetadata): CheckpointMetadata => {
      const [operator] = metadata.operators;
      const state: OperatorSubtaskState = {
        ...operator!.subtaskStates[0]!,
        inputChannelState: [{ info: { gateIndex: 0, inputChannelIndex: 1 }, storageKey: channelBlob, records: 3, stateSizeBytes: 60 }],
        resultSubpartitionState: [{ info: { partitionIndex: 0, subpartitionIndex: 0 }, storageKey: channelBlob, records: 1, stateSizeBytes: 20 }],
      };
      return { ...metadata, operators: [{ ...operator!, subtaskStates: [state] }] };
    };
    const second = withChannelState(checkpoint(2, [incremental(2, 0, [piece(0, 1)])]));
    expect(stateObjectsOfCheckpoint(second).map((reference) => [reference.storageKey, reference.createdBy])).toEqual([
      ['chk-2/meta-0', 2],
      ['chk-1/kg-0', 1],
      [channelBlob, 2],
    ]);
    const registry = new SharedStateRegistry();
    registry.registerCheckpoint(checkpoint(1, [incremental(1, 0, [piece(0, 1)])]));
    registry.registerCheckpoint(second);
    expect(registry.referenceCount(channelBlob)).toBe(1);
    expect(sorted(registry.liveStateCreatedBy(2))).toEqual(['chk-2/channel-sum-0', 'chk-2/meta-0']);
    registry.registerCheckpoint(checkpoint(3, [incremental(3, 0, [piece(0, 1)])]));
    // Subsumed: its discard keeps nothing of what it wrote, channel state included.
    expect(registry.unregisterCheckpoint(2).map((d) => [d.checkpointId, sorted(d.keep)])).toEqual([[2, []]]);
    expect(registry.referenceCount(channelBlob)).toBe(0);
  });
});
