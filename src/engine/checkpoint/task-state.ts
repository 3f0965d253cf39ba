// What a subtask hands the coordinator when it acknowledges a checkpoint: one state entry per
// operator of its chain (keyed state as a handle into storage, small operator state inlined as
// Flink inlines state under its memory threshold), and the subtask's checkpoint metrics.
import type { CheckpointId, OperatorUid } from '../ids';
import type { OperatorStateSnapshot } from '../state';

export interface KeyGroupRangeJson {
  readonly start: number;
  readonly end: number;
}

/**
 * A full keyed-state blob written during the async phase: Flink's KeyGroupsStateHandle. Owned by the
 * checkpoint that wrote it. Also the base shape every keyed handle has: `storageKey` names the blob
 * this checkpoint wrote for the subtask.
 */
export interface KeyGroupsStateHandle {
  readonly storageKey: string;
  readonly keyGroupRange: KeyGroupRangeJson;
  readonly stateSizeBytes: number;
}

/**
 * One key group's state as a blob of its own (the analogue of an immutable RocksDB SST file): written
 * once, by checkpoint `checkpointId`, then referenced by every later checkpoint in which it did not change.
 */
export interface SharedStatePiece {
  readonly keyGroup: number;
  readonly storageKey: string;
  readonly sizeBytes: number;
  /** The checkpoint that uploaded it; its blob is stored under that checkpoint. */
  readonly checkpointId: CheckpointId;
}

/**
 * Flink's IncrementalRemoteKeyedStateHandle: `storageKey` is the private meta blob (state names and
 * kinds, Flink's metaStateHandle) written by this checkpoint; `sharedState` holds one piece per
 * non-empty key group, new or reused from the base checkpoint. Sizes follow FLINK-25557:
 * `stateSizeBytes` is the full size, `checkpointedSizeBytes` what this checkpoint uploaded.
 */
export interface IncrementalKeyedStateHandle extends KeyGroupsStateHandle {
  readonly checkpointId: CheckpointId;
  readonly sharedState: readonly SharedStatePiece[];
  readonly checkpointedSizeBytes: number;
}

export type KeyedStateHandle = KeyGroupsStateHandle | IncrementalKeyedStateHandle;

export function isIncrementalHandle(handle: KeyedStateHandle): handle is IncrementalKeyedStateHandle {
  return 'sharedState' in handle;
}

/** A blob a handle names, and the checkpoint that wrote it (whose discard deletes it). */
export interface StateObjectReference {
  readonly storageKey: string;
  readonly createdBy: CheckpointId;
}

/** Every blob `handle` of checkpoint `checkpointId` needs: its own blob and, if incremental, its pieces. */
export function stateObjectsOf(handle: KeyedStateHandle, checkpointId: CheckpointId): StateObjectReference[] {
  const own = { storageKey: handle.storageKey, createdBy: checkpointId };
  if (!isIncrementalHandle(handle)) return [own];
  return [own, ...handle.sharedState.map((piece) => ({ storageKey: piece.storageKey, createdBy: piece.checkpointId }))];
}

/** Every storage key a handle names (what restore reads and what must not be deleted while it is retained). */
export function storageKeysOf(handle: KeyedStateHandle): string[] {
  return isIncrementalHandle(handle) ? [handle.storageKey, ...handle.sharedState.map((piece) => piece.storageKey)] : [handle.storageKey];
}

/** The handle's part for key groups in `range`: incremental handles keep only the pieces restore needs. */
export function restrictToKeyGroups(handle: KeyedStateHandle, range: KeyGroupRangeJson): KeyedStateHandle {
  if (!isIncrementalHandle(handle)) return handle;
  return { ...handle, sharedState: handle.sharedState.filter((piece) => piece.keyGroup >= range.start && piece.keyGroup <= range.end) };
}

/** Flink's InputChannelInfo: an input channel of a subtask (one input gate here, so gateIndex is 0). */
export interface InputChannelInfo {
  readonly gateIndex: number;
  readonly inputChannelIndex: number;
}

/** Flink's ResultSubpartitionInfo: a subpartition (consumer channel) of one of the subtask's result partitions. */
export interface ResultSubpartitionInfo {
  readonly partitionIndex: number;
  readonly subpartitionIndex: number;
}

/**
 * Flink's AbstractChannelStateHandle: the in-flight buffers of one channel in an unaligned checkpoint, in
 * order, in the channel-state blob its subtask wrote for that checkpoint (Flink writes one stream per subtask,
 * ChannelStateCheckpointWriter, and each handle points into it). Owned by that checkpoint alone: never shared.
 */
export interface ChannelStateHandle<Info> {
  readonly info: Info;
  readonly storageKey: string;
  /** The buffers' records, and their bytes (persisted_data). */
  readonly records: number;
  readonly stateSizeBytes: number;
}

/** Flink's InputChannelStateHandle: buffers that were in an input channel, read before restore reads new input. */
export type InputChannelStateHandle = ChannelStateHandle<InputChannelInfo>;
/** Flink's ResultSubpartitionStateHandle: buffers an unaligned barrier overtook in an output subpartition. */
export type ResultSubpartitionStateHandle = ChannelStateHandle<ResultSubpartitionInfo>;

export interface OperatorSubtaskState {
  readonly operatorUid: OperatorUid;
  readonly keyed: KeyedStateHandle | null;
  readonly operator: OperatorStateSnapshot | null;
  /** Unaligned checkpoints only, on the head operator of the chain (as Flink's SubtaskCheckpointCoordinatorImpl puts it); absent when empty. */
  readonly inputChannelState?: readonly InputChannelStateHandle[];
  /** Unaligned checkpoints only, on the tail operator of the chain; absent when empty. */
  readonly resultSubpartitionState?: readonly ResultSubpartitionStateHandle[];
}

/** True if the subtask state holds in-flight data (an unaligned checkpoint's channel state). */
export function hasChannelState(state: OperatorSubtaskState): boolean {
  return (state.inputChannelState?.length ?? 0) > 0 || (state.resultSubpartitionState?.length ?? 0) > 0;
}

/** The channel-state blobs a subtask state names, each once (one per subtask and checkpoint here). */
export function channelStateStorageKeys(state: OperatorSubtaskState): string[] {
  const keys = new Set<string>();
  for (const handle of state.inputChannelState ?? []) keys.add(handle.storageKey);
  for (const handle of state.resultSubpartitionState ?? []) keys.add(handle.storageKey);
  return [...keys];
}

/** Every blob a subtask state of checkpoint `checkpointId` needs: its keyed state's and its channel state's. */
export function subtaskStateObjects(state: OperatorSubtaskState, checkpointId: CheckpointId): StateObjectReference[] {
  const keyed = state.keyed ? stateObjectsOf(state.keyed, checkpointId) : [];
  return [...keyed, ...channelStateStorageKeys(state).map((storageKey) => ({ storageKey, createdBy: checkpointId }))];
}

export interface TaskStateSnapshot {
  readonly subtaskIndex: number;
  readonly operators: readonly OperatorSubtaskState[];
  /**
   * Flink's TaskStateSnapshot#isTaskFinished (FLIP-147): the task's operators had finished (its input ended) when
   * it took this snapshot; their state is in `operators` as usual (its final checkpoint). Absent: false.
   */
  readonly isTaskFinished?: true;
  /**
   * Flink's TaskStateSnapshot.FINISHED_ON_RESTORE: the task was deployed finished (its vertex fully finished in the
   * checkpoint it restored), so it has no operator state (`operators` empty) and its vertex stays fully finished.
   */
  readonly isTaskDeployedAsFinished?: true;
}

/** Per-subtask checkpoint statistics, named after Flink's REST fields (durations in ms, sizes in bytes). */
export interface SubtaskCheckpointMetrics {
  readonly ackTimestamp: number;
  readonly syncDurationMs: number;
  readonly asyncDurationMs: number;
  readonly alignmentDurationMs: number;
  readonly startDelayMs: number;
  /** Bytes uploaded for this checkpoint (the incremental delta); equals stateSizeBytes for full snapshots. */
  readonly checkpointedSizeBytes: number;
  /** The full size of the subtask's state in this checkpoint, shared pieces included. */
  readonly stateSizeBytes: number;
  readonly processedDataBytes: number;
  readonly persistedDataBytes: number;
  readonly alignmentBufferedBytes: number;
  readonly unalignedCheckpoint: boolean;
}
