// What is in a snapshot file, as a view model: FLIP-512's `savepoint_metadata` rows, and per operator and
// subtask its key groups, keys and values (as the State Processor API reads them), channel state (an unaligned
// checkpoint's in-flight records per channel), offsets, transactions, sizes.
import type { Json } from '../state/json';
import type { Key } from '../state/java-hash-code';
import type { KeyedStateSnapshot, KeyGroupSnapshot } from '../state/keyed-state-snapshot';
import type { OperatorStateSnapshot } from '../state/operator-state-snapshot';
import type { SnapshotFile } from './snapshot-file';
import type { ChannelStateDocument, KeyedStateHandleDocument, OperatorStateDocument, OperatorSubtaskStateDocument } from './snapshot-metadata-schema';
import { sourceOffsetsOf, pendingTransactionsOf } from './inspect-operator-state';
import { decodeKeyedStateBlob, decodeKeyGroupPiece } from './keyed-state-blob';
import type { ChannelInspection, ChannelStateInspection, KeyedStateInspection, KeyedStateRow, OperatorInspection, SnapshotInspection, SubtaskInspection } from './snapshot-inspection';

export type * from './snapshot-inspection';

export function inspectSnapshot(file: SnapshotFile): SnapshotInspection {
  const { document: metadataDocument } = file;
  const operators = metadataDocument.operators.map((operator, index) => inspectOperator(file, operator, index));
  return {
    checkpointId: metadataDocument.checkpointId,
    checkpointType: metadataDocument.checkpointType,
    jobId: metadataDocument.jobId,
    jobName: metadataDocument.jobName,
    triggerTimestamp: metadataDocument.triggerTimestamp,
    completionTimestamp: metadataDocument.completionTimestamp,
    properties: metadataDocument.properties,
    configuration: metadataDocument.configuration,
    fileSizeBytes: file.fileSizeBytes,
    savepointMetadata: operators.map((operator) => ({
      'checkpoint-id': metadataDocument.checkpointId,
      'operator-name': operator.operatorName,
      'operator-uid': operator.operatorUid,
      'operator-uid-hash': operator.operatorId,
      'operator-parallelism': operator.parallelism,
      'operator-max-parallelism': operator.maxParallelism,
      'operator-subtask-state-count': operator.subtasks.filter(hasState).length,
      'operator-coordinator-state-size-in-bytes': 0,
      'operator-total-size-in-bytes': operator.subtasks.reduce((sum, subtask) => sum + subtask.sizeBytes, 0),
    })),
    operators,
  };
}

function inspectOperator(file: SnapshotFile, operator: OperatorStateDocument, index: number): OperatorInspection {
  const restored = file.metadata.operators[index]!;
  return {
    operatorName: operator.operatorName,
    operatorUid: operator.operatorUid,
    operatorId: operator.operatorId,
    parallelism: operator.parallelism,
    maxParallelism: operator.maxParallelism,
    subtasks: operator.subtaskStates.map((state) => inspectSubtask(file, state, restored.subtaskStates[state.subtaskIndex]!.operator)),
  };
}

function inspectSubtask(file: SnapshotFile, state: OperatorSubtaskStateDocument, operatorState: OperatorStateSnapshot | null): SubtaskInspection {
  const keyedState = state.managedKeyedState === null ? null : inspectKeyedState(file, state.managedKeyedState);
  const operatorStateBytes = state.managedOperatorState?.entry.sizeBytes ?? 0;
  const channelState = state.channelState ? inspectChannelState(state.channelState) : null;
  return {
    subtaskIndex: state.subtaskIndex,
    sizeBytes:
      operatorStateBytes +
      (keyedState?.keyGroups.reduce((sum, keyGroup) => sum + keyGroup.sizeBytes, 0) ?? 0) +
      keyedHeaderBytes(state.managedKeyedState) +
      (channelState?.entrySizeBytes ?? 0),
    keyedState,
    channelState,
    operatorState: Object.entries(operatorState?.states ?? {}).map(([name, list]) => ({ name, distributionMode: list.mode, entries: list.entries })),
    sourceOffsets: sourceOffsetsOf(operatorState),
    pendingTransactions: pendingTransactionsOf(operatorState),
  };
}

function inspectChannelState(channelState: ChannelStateDocument): ChannelStateInspection {
  const channels: ChannelInspection[] = [
    ...channelState.inputChannelState.map((handle) => ({
      side: 'input' as const,
      gateOrPartitionIndex: handle.gateIndex,
      channelIndex: handle.inputChannelIndex,
      buffers: handle.offsets.length,
      records: handle.records,
      sizeBytes: handle.stateSizeBytes,
    })),
    ...channelState.resultSubpartitionState.map((handle) => ({
      side: 'output' as const,
      gateOrPartitionIndex: handle.partitionIndex,
      channelIndex: handle.subpartitionIndex,
      buffers: handle.offsets.length,
      records: handle.records,
      sizeBytes: handle.stateSizeBytes,
    })),
  ];
  return {
    channels,
    records: channels.reduce((sum, channel) => sum + channel.records, 0),
    persistedDataBytes: channels.reduce((sum, channel) => sum + channel.sizeBytes, 0),
    entrySizeBytes: channelState.entry.sizeBytes,
  };
}

/** Bytes of a handle's entries that belong to no key group: the keyed-state header, or the meta state. */
function keyedHeaderBytes(handle: KeyedStateHandleDocument | null): number {
  if (handle === null) return 0;
  if (handle.type === 'INCREMENTAL_KEY_GROUPS_HANDLE') return handle.metaState.sizeBytes;
  const first = handle.keyGroupOffsets.find((offset) => offset !== null);
  return first ?? handle.entry.sizeBytes;
}

function inspectKeyedState(file: SnapshotFile, handle: KeyedStateHandleDocument): KeyedStateInspection {
  const snapshot: KeyedStateSnapshot = decodeKeyedStateBlob(file.blobs.get(handle.storageKey)!, handle.storageKey);
  const pieces = handle.type === 'INCREMENTAL_KEY_GROUPS_HANDLE' ? handle.sharedState : [];
  const keyGroups: KeyGroupSnapshot[] =
    handle.type === 'KEY_GROUPS_HANDLE' ? [...snapshot.keyGroups] : pieces.map((piece) => decodeKeyGroupPiece(file.blobs.get(piece.storageKey)!, piece.storageKey));
  keyGroups.sort((a, b) => a.keyGroup - b.keyGroup);
  const pieceByKeyGroup = new Map(pieces.map((piece) => [piece.keyGroup, piece]));
  const fullSizes = fullKeyGroupSizes(handle);
  return {
    handleType: handle.type,
    keyGroupRange: handle.keyGroupRange,
    backend: snapshot.backend,
    states: Object.entries(snapshot.stateMetaInfo).map(([name, info]) => ({ name, kind: info.kind })),
    stateSizeBytes: handle.stateSizeBytes,
    checkpointedSizeBytes: handle.type === 'INCREMENTAL_KEY_GROUPS_HANDLE' ? handle.checkpointedSizeBytes : handle.stateSizeBytes,
    keyGroups: keyGroups.map((keyGroup) => {
      const piece = pieceByKeyGroup.get(keyGroup.keyGroup);
      return {
        keyGroup: keyGroup.keyGroup,
        keys: new Set(Object.values(keyGroup.states).flatMap((entries) => entries.map(([key]) => key))).size,
        sizeBytes: piece ? piece.entry.sizeBytes : (fullSizes.get(keyGroup.keyGroup) ?? 0),
        uploadedByCheckpointId: piece ? piece.checkpointId : null,
      };
    }),
    rows: keyGroups.flatMap(rowsOf),
  };
}

/** A full handle's key groups span from their offset to the next key group's (or the entry's end). */
function fullKeyGroupSizes(handle: KeyedStateHandleDocument): Map<number, number> {
  const sizes = new Map<number, number>();
  if (handle.type !== 'KEY_GROUPS_HANDLE') return sizes;
  let end = handle.entry.sizeBytes;
  for (let index = handle.keyGroupOffsets.length - 1; index >= 0; index--) {
    const offset = handle.keyGroupOffsets[index];
    if (offset === null || offset === undefined) continue;
    sizes.set(handle.keyGroupRange.start + index, end - offset);
    end = offset;
  }
  return sizes;
}

function rowsOf(keyGroup: KeyGroupSnapshot): KeyedStateRow[] {
  const byKey = new Map<Key, Array<[string, Json]>>();
  for (const [stateName, entries] of Object.entries(keyGroup.states)) {
    for (const [key, value] of entries) {
      let values = byKey.get(key);
      if (!values) byKey.set(key, (values = []));
      values.push([stateName, value]);
    }
  }
  return [...byKey].map(([key, values]) => ({ keyGroup: keyGroup.keyGroup, key, values: Object.fromEntries(values) }));
}

function hasState(subtask: SubtaskInspection): boolean {
  return subtask.keyedState !== null || subtask.operatorState.length > 0 || subtask.channelState !== null;
}
