// Writing one subtask's keyed state handle into a snapshot file: a full handle becomes one entry of every
// key group; an incremental one its meta state and every shared piece it references, so the file is self-contained.
import type { IncrementalKeyedStateHandle, KeyedStateHandle, KeyGroupsStateHandle } from '../checkpoint/task-state';
import { isIncrementalHandle } from '../checkpoint/task-state';
import type { KeyedStateSnapshot } from '../state/keyed-state-snapshot';
import { ByteWriter } from './byte-writer';
import { decodeKeyedStateBlob, decodeKeyGroupPiece } from './keyed-state-blob';
import { keyedStateEntryName, metaStateEntryName, sharedStateEntryName } from './entry-name';
import { writeKeyedStateHeader, writeKeyGroupBlock } from './key-group-encoding';
import { SnapshotEncodingError } from './snapshot-file-error';
import type { SnapshotEntries } from './snapshot-entries';
import type { IncrementalKeyedStateHandleDocument, KeyedStateHandleDocument, KeyGroupsStateHandleDocument } from './snapshot-metadata-schema';

export interface KeyedStateTarget {
  readonly operatorId: string;
  readonly subtaskIndex: number;
  readonly maxParallelism: number;
  readonly blobs: ReadonlyMap<string, Uint8Array>;
  readonly entries: SnapshotEntries;
}

export function encodeKeyedStateHandle(handle: KeyedStateHandle, target: KeyedStateTarget): KeyedStateHandleDocument {
  return isIncrementalHandle(handle) ? encodeIncremental(handle, target) : encodeFull(handle, target);
}

function encodeFull(handle: KeyGroupsStateHandle, target: KeyedStateTarget): KeyGroupsStateHandleDocument {
  const snapshot = blob(target, handle.storageKey, decodeKeyedStateBlob);
  checkSnapshot(snapshot, handle, target);
  const writer = new ByteWriter();
  writeKeyedStateHeader(writer, snapshot);
  const { start, end } = handle.keyGroupRange;
  const keyGroupOffsets: Array<number | null> = Array.from({ length: end - start + 1 }, () => null);
  let previous = start - 1;
  for (const keyGroup of snapshot.keyGroups) {
    if (keyGroup.keyGroup <= previous || keyGroup.keyGroup > end) {
      throw new SnapshotEncodingError(`Blob ${handle.storageKey}: key group ${keyGroup.keyGroup} is out of order or outside ${start}-${end}`);
    }
    previous = keyGroup.keyGroup;
    keyGroupOffsets[keyGroup.keyGroup - start] = writer.length;
    writeKeyGroupBlock(writer, keyGroup);
  }
  return {
    type: 'KEY_GROUPS_HANDLE',
    storageKey: handle.storageKey,
    keyGroupRange: { start, end },
    stateSizeBytes: handle.stateSizeBytes,
    entry: target.entries.add(keyedStateEntryName(target.operatorId, target.subtaskIndex), writer.finish()),
    keyGroupOffsets,
  };
}

function encodeIncremental(handle: IncrementalKeyedStateHandle, target: KeyedStateTarget): IncrementalKeyedStateHandleDocument {
  const meta = blob(target, handle.storageKey, decodeKeyedStateBlob);
  checkSnapshot(meta, handle, target);
  if (meta.keyGroups.length > 0) throw new SnapshotEncodingError(`Meta blob ${handle.storageKey} holds key groups`);
  const metaWriter = new ByteWriter();
  writeKeyedStateHeader(metaWriter, meta);
  const metaState = target.entries.add(metaStateEntryName(target.operatorId, target.subtaskIndex), metaWriter.finish());
  const sharedState = handle.sharedState.map((piece) => {
    const keyGroup = blob(target, piece.storageKey, decodeKeyGroupPiece);
    if (keyGroup?.keyGroup !== piece.keyGroup) throw new SnapshotEncodingError(`Piece ${piece.storageKey} does not hold key group ${piece.keyGroup}`);
    const writer = new ByteWriter();
    writeKeyGroupBlock(writer, keyGroup);
    const entry = target.entries.add(sharedStateEntryName(target.operatorId, piece.keyGroup, piece.checkpointId), writer.finish());
    return { keyGroup: piece.keyGroup, storageKey: piece.storageKey, checkpointId: piece.checkpointId, sizeBytes: piece.sizeBytes, entry };
  });
  return {
    type: 'INCREMENTAL_KEY_GROUPS_HANDLE',
    storageKey: handle.storageKey,
    checkpointId: handle.checkpointId,
    keyGroupRange: { start: handle.keyGroupRange.start, end: handle.keyGroupRange.end },
    stateSizeBytes: handle.stateSizeBytes,
    checkpointedSizeBytes: handle.checkpointedSizeBytes,
    metaState,
    sharedState,
  };
}

/** The range and max parallelism live once, in `_metadata`: the blob must agree with the handle. */
function checkSnapshot(snapshot: KeyedStateSnapshot, handle: KeyedStateHandle, target: KeyedStateTarget): void {
  const range = snapshot?.keyGroupRange;
  if (snapshot?.maxParallelism !== target.maxParallelism || range?.start !== handle.keyGroupRange.start || range.end !== handle.keyGroupRange.end) {
    throw new SnapshotEncodingError(`Blob ${handle.storageKey} does not match its handle's key groups or max parallelism`);
  }
}

/** A keyed blob, decoded by its format's owner (binary, or the JSON of older checkpoints). */
function blob<T>(target: KeyedStateTarget, storageKey: string, decode: (bytes: Uint8Array, where: string) => T): T {
  const bytes = target.blobs.get(storageKey);
  if (bytes === undefined) throw new SnapshotEncodingError(`The checkpoint names blob ${storageKey}, which was not given`);
  try {
    return decode(bytes, storageKey);
  } catch (error) {
    throw new SnapshotEncodingError(`Blob ${storageKey} cannot be decoded: ${error instanceof Error ? error.message : String(error)}`);
  }
}
