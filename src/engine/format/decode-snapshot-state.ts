// The state entries of a checked `_metadata`, decoded back into what Barrierscope restores from: the
// CheckpointMetadata and every blob it names, under its storage key, in the shape CheckpointStorage holds.
import type { CheckpointMetadata, OperatorStateMetadata } from '../checkpoint/checkpoint-metadata';
import type { KeyedStateHandle, OperatorSubtaskState } from '../checkpoint/task-state';
import type { KeyedStateSnapshot, KeyGroupSnapshot } from '../state/keyed-state-snapshot';
import { ByteReader } from './byte-reader';
import { ChannelStateBlobs, decodeChannelState } from './channel-state-encoding';
import { readKeyedStateHeader, readKeyGroupBlock, type KeyedStateHeader } from './key-group-encoding';
import { encodeKeyedSnapshotBlob, encodeKeyGroupSnapshotPiece } from './keyed-state-blob';
import { decodeOperatorState } from './operator-state-encoding';
import { fail } from './snapshot-file-error';
import type { EntryReference, KeyedStateHandleDocument, OperatorStateDocument, SnapshotMetadataDocument } from './snapshot-metadata-schema';

/** Reads a referenced entry's bytes, checked against the reference's size and CRC-32. */
export type EntryBytes = (reference: EntryReference) => Uint8Array;

export interface DecodedState {
  readonly metadata: CheckpointMetadata;
  readonly blobs: ReadonlyMap<string, Uint8Array>;
}

interface Context {
  readonly entryBytes: EntryBytes;
  readonly blobs: Map<string, Uint8Array>;
  readonly channelStateBlobs: ChannelStateBlobs;
  readonly maxJsonDepth: number;
}

const encoder = new TextEncoder();

export function decodeSnapshotState(metadataDocument: SnapshotMetadataDocument, entryBytes: EntryBytes, maxJsonDepth: number): DecodedState {
  const context: Context = { entryBytes, blobs: new Map(), channelStateBlobs: new ChannelStateBlobs(), maxJsonDepth };
  const metadata: CheckpointMetadata = {
    version: 1,
    jobId: metadataDocument.jobId,
    checkpointId: metadataDocument.checkpointId,
    isSavepoint: metadataDocument.checkpointType === 'SAVEPOINT',
    triggerTimestamp: metadataDocument.triggerTimestamp,
    completionTimestamp: metadataDocument.completionTimestamp,
    operators: metadataDocument.operators.map((operator) => decodeOperator(operator, context)),
  };
  // A subtask's channel-state blob is named by its chain's head (input) and tail (output): assembled from both.
  for (const [storageKey, blob] of context.channelStateBlobs.entries()) putBlob(context, storageKey, blob);
  return { metadata, blobs: context.blobs };
}

function decodeOperator(operator: OperatorStateDocument, context: Context): OperatorStateMetadata {
  const subtaskStates = operator.subtaskStates.map((state): OperatorSubtaskState => {
    const operatorState = state.managedOperatorState;
    const decoded: OperatorSubtaskState = {
      operatorUid: operator.operatorUid,
      keyed: state.managedKeyedState === null ? null : decodeKeyedHandle(state.managedKeyedState, operator.maxParallelism, context),
      operator: operatorState === null ? null : decodeOperatorState(context.entryBytes(operatorState.entry), operatorState.entry.name, operatorState.states, context.maxJsonDepth),
    };
    if (!state.channelState) return decoded;
    const channelState = decodeChannelState(context.entryBytes(state.channelState.entry), state.channelState, context.maxJsonDepth);
    context.channelStateBlobs.add(channelState);
    // As the engine holds them: a side without channels is absent.
    return {
      ...decoded,
      ...(channelState.inputChannelState.length > 0 ? { inputChannelState: channelState.inputChannelState } : {}),
      ...(channelState.resultSubpartitionState.length > 0 ? { resultSubpartitionState: channelState.resultSubpartitionState } : {}),
    };
  });
  return { operatorUid: operator.operatorUid, parallelism: operator.parallelism, maxParallelism: operator.maxParallelism, subtaskStates };
}

function decodeKeyedHandle(handle: KeyedStateHandleDocument, maxParallelism: number, context: Context): KeyedStateHandle {
  const keyGroupRange = { start: handle.keyGroupRange.start, end: handle.keyGroupRange.end };
  const blockContext = (header: KeyedStateHeader) => ({ maxParallelism, ...keyGroupRange, stateMetaInfo: header.stateMetaInfo, maxJsonDepth: context.maxJsonDepth });
  if (handle.type === 'KEY_GROUPS_HANDLE') {
    const reader = new ByteReader(context.entryBytes(handle.entry), handle.entry.name);
    const header = readKeyedStateHeader(reader);
    const keyGroups: KeyGroupSnapshot[] = [];
    handle.keyGroupOffsets.forEach((offset, index) => {
      if (offset === null) return;
      if (reader.offset !== offset) reader.fail(`key group ${keyGroupRange.start + index} should begin at byte ${offset} (from _metadata)`);
      const block = readKeyGroupBlock(reader, blockContext(header));
      if (block.keyGroup !== keyGroupRange.start + index) reader.fail(`holds key group ${block.keyGroup} where _metadata puts ${keyGroupRange.start + index}`, offset);
      keyGroups.push(block);
    });
    reader.expectEnd('the last key group');
    putBlob(context, handle.storageKey, encodeKeyedSnapshotBlob(keyedSnapshot(header, maxParallelism, keyGroupRange, keyGroups)));
    return { storageKey: handle.storageKey, keyGroupRange, stateSizeBytes: handle.stateSizeBytes };
  }
  const metaReader = new ByteReader(context.entryBytes(handle.metaState), handle.metaState.name);
  const header = readKeyedStateHeader(metaReader);
  metaReader.expectEnd('the state meta info');
  putBlob(context, handle.storageKey, encodeKeyedSnapshotBlob(keyedSnapshot(header, maxParallelism, keyGroupRange, []), true));
  const sharedState = handle.sharedState.map((piece) => {
    const reader = new ByteReader(context.entryBytes(piece.entry), piece.entry.name);
    const block = readKeyGroupBlock(reader, blockContext(header));
    if (block.keyGroup !== piece.keyGroup) reader.fail(`holds key group ${block.keyGroup}, but _metadata says ${piece.keyGroup}`, 0);
    reader.expectEnd('the key group');
    putBlob(context, piece.storageKey, encodeKeyGroupSnapshotPiece(block, header.stateMetaInfo));
    return { keyGroup: piece.keyGroup, storageKey: piece.storageKey, sizeBytes: piece.sizeBytes, checkpointId: piece.checkpointId };
  });
  return {
    storageKey: handle.storageKey,
    keyGroupRange,
    stateSizeBytes: handle.stateSizeBytes,
    checkpointId: handle.checkpointId,
    sharedState,
    checkpointedSizeBytes: handle.checkpointedSizeBytes,
  };
}

/** The data of a keyed blob, which keyed-state-blob.ts encodes as the engine's snapshots write it. */
function keyedSnapshot(header: KeyedStateHeader, maxParallelism: number, keyGroupRange: { start: number; end: number }, keyGroups: KeyGroupSnapshot[]): KeyedStateSnapshot {
  return { backend: header.backend, maxParallelism, keyGroupRange, stateMetaInfo: header.stateMetaInfo, keyGroups };
}

/** A blob under its storage key: keyed ones as bytes already, channel-state ones as their JSON. */
function putBlob(context: Context, storageKey: string, value: unknown): void {
  if (context.blobs.has(storageKey)) fail('invalid-metadata', '_metadata', `storage key ${JSON.stringify(storageKey)} names two state handles`);
  context.blobs.set(storageKey, value instanceof Uint8Array ? value : encoder.encode(JSON.stringify(value)));
}
