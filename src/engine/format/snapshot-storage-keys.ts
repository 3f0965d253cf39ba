// Storage keys between a checkpoint and a file: which blobs an export must read, and the same checkpoint
// under new keys for a storage that names its own blobs on import. Pure; the input is never changed.
import type { CheckpointMetadata } from '../checkpoint/checkpoint-metadata';
import { channelStateStorageKeys, isIncrementalHandle, storageKeysOf, type ChannelStateHandle, type KeyedStateHandle, type OperatorSubtaskState } from '../checkpoint/task-state';

/**
 * Every blob `metadata` names, each once: keyed state (incremental handles: the meta blob and every shared piece)
 * and an unaligned checkpoint's channel state (one blob per subtask, named by its head's and tail's handles).
 */
export function requiredBlobs(metadata: CheckpointMetadata): string[] {
  const keys = new Set<string>();
  for (const operator of metadata.operators) {
    for (const state of operator.subtaskStates) {
      if (state.keyed) for (const key of storageKeysOf(state.keyed)) keys.add(key);
      for (const key of channelStateStorageKeys(state)) keys.add(key);
    }
  }
  return [...keys];
}

/** The checkpoint with every storage key replaced by `rename(key)`, channel-state handles' too. */
export function withStorageKeys(metadata: CheckpointMetadata, rename: (storageKey: string) => string): CheckpointMetadata {
  const renamed = (handle: KeyedStateHandle): KeyedStateHandle =>
    isIncrementalHandle(handle)
      ? { ...handle, storageKey: rename(handle.storageKey), sharedState: handle.sharedState.map((piece) => ({ ...piece, storageKey: rename(piece.storageKey) })) }
      : { ...handle, storageKey: rename(handle.storageKey) };
  const renamedChannels = <Info>(handles: readonly ChannelStateHandle<Info>[]) => handles.map((handle) => ({ ...handle, storageKey: rename(handle.storageKey) }));
  const renamedState = (state: OperatorSubtaskState): OperatorSubtaskState => ({
    ...state,
    keyed: state.keyed === null ? null : renamed(state.keyed),
    ...(state.inputChannelState ? { inputChannelState: renamedChannels(state.inputChannelState) } : {}),
    ...(state.resultSubpartitionState ? { resultSubpartitionState: renamedChannels(state.resultSubpartitionState) } : {}),
  });
  return {
    ...metadata,
    operators: metadata.operators.map((operator) => ({ ...operator, subtaskStates: operator.subtaskStates.map(renamedState) })),
  };
}
