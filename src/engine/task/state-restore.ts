// Restoring a subtask's state backends from a completed checkpoint (Flink's StreamTaskStateInitializer):
// keyed state is read from every handle (and every piece of it) that intersects this subtask's key-group
// range — that is how rescaling redistributes key groups; operator state arrives already redistributed.
import type { JobVertex } from '../graph/job-graph';
import type { StorageCallback, StorageResult } from '../ports/checkpoint-storage';
import {
  computeKeyGroupRangeForOperatorIndex,
  HeapKeyedStateBackend,
  OperatorStateBackend,
  type KeyGroupRange,
  type KeyedStateSnapshot,
} from '../state';
import { isIncrementalHandle, storageKeysOf, type KeyedStateHandle } from '../checkpoint/task-state';
import type { CheckpointId } from '../ids';
import type { OperatorBackends } from './subtask-checkpoint';
import { keyGroupVersion, type IncrementalSnapshotBase, type SnapshotKeyGroup } from './keyed-snapshot-strategy';
import { createKeyedStateBackend } from './keyed-state-backend-factory';
import type { TaskDeploymentDescriptor } from './task-deployment';
import type { TaskEnvironment } from './task-environment';
import { decodeKeyedStateBlob, decodeKeyGroupPiece } from '../format/keyed-state-blob';

export function restoreOperatorBackends(
  descriptor: TaskDeploymentDescriptor,
  vertex: JobVertex,
  env: TaskEnvironment,
  done: StorageCallback<OperatorBackends[]>,
): void {
  const keyGroupRange = computeKeyGroupRangeForOperatorIndex(descriptor.maxParallelism, descriptor.parallelism, descriptor.subtaskIndex);
  const results: OperatorBackends[] = [];
  let index = 0;
  const next = (): void => {
    const node = vertex.operators[index];
    if (!node) return done({ ok: true, value: results });
    const restore = descriptor.restore?.operators.find((operator) => operator.operatorUid === node.uid) ?? null;
    const operator = restore?.operatorState ? OperatorStateBackend.restore(restore.operatorState) : new OperatorStateBackend();
    const finish = (keyed: HeapKeyedStateBackend | null, restoredBase: IncrementalSnapshotBase | null = null) => {
      results.push({ operatorUid: node.uid, keyed, operator, restoredBase });
      index += 1;
      next();
    };
    if (!node.keySelector) return finish(null);
    const handles = restore?.keyedHandles ?? [];
    readAll(handles.flatMap(storageKeysOf), env, (read) => {
      if (!read.ok) return done(read);
      let snapshots: KeyedStateSnapshot[];
      try {
        snapshots = keyedSnapshotsOf(handles, read.value, keyGroupRange);
      } catch (error) {
        return done({ ok: false, error: error instanceof Error ? error.message : String(error) });
      }
      createKeyedStateBackend(descriptor, env, node.uid, keyGroupRange, snapshots, (created) => {
        if (!created.ok) return done(created);
        const reusable =
          descriptor.incrementalCheckpoints && descriptor.restore && descriptor.restore.reuseSharedState !== false ? reusableHandle(handles, keyGroupRange) : null;
        finish(created.value, reusable ? restoredBase(created.value, reusable, descriptor.restore!.checkpointId) : null);
      });
    });
  };
  next();
}

/**
 * Flink reuses the restored files as the incremental base only when one handle covers exactly this
 * subtask's key groups (RocksDBIncrementalRestoreOperation#restorePreviousIncrementalFilesStatus); after
 * rescaling the first checkpoint uploads everything.
 */
function reusableHandle(handles: readonly KeyedStateHandle[], range: KeyGroupRange) {
  const [only] = handles;
  if (handles.length !== 1 || !only || !isIncrementalHandle(only)) return null;
  return only.keyGroupRange.start === range.startKeyGroup && only.keyGroupRange.end === range.endKeyGroup ? only : null;
}

/**
 * The restored pieces, matched to the restored backend's key-group versions: a snapshot right after
 * restore freezes them, so a key group unchanged since keeps its version and its piece is reused.
 */
function restoredBase(
  backend: HeapKeyedStateBackend,
  handle: { readonly sharedState: ReadonlyArray<SnapshotKeyGroup['piece']> },
  checkpointId: CheckpointId,
): IncrementalSnapshotBase {
  const view = backend.snapshot();
  const keyGroups = new Map<number, SnapshotKeyGroup>();
  for (const piece of handle.sharedState) {
    const version = keyGroupVersion(view, piece.keyGroup);
    if (version !== undefined) keyGroups.set(piece.keyGroup, { version, piece });
  }
  return { checkpointId, keyGroups };
}

/**
 * One keyed snapshot per handle from the blobs read in storageKeysOf order (src/engine/format/keyed-state-blob.ts
 * decodes either encoding): a full handle's blob is one — only the key groups of this subtask's range are
 * decoded, the others skipped; an incremental handle's meta blob gets its pieces (one key group each) as key groups.
 */
function keyedSnapshotsOf(handles: readonly KeyedStateHandle[], blobs: readonly Uint8Array[], range: KeyGroupRange): KeyedStateSnapshot[] {
  let next = 0;
  const inRange = (keyGroup: number) => range.contains(keyGroup);
  return handles.map((handle) => {
    const ownKey = handle.storageKey;
    const own = decodeKeyedStateBlob(blobs[next++]!, `'${ownKey}'`, { keyGroups: inRange });
    if (!isIncrementalHandle(handle)) return own;
    const pieces = handle.sharedState.map((piece) => decodeKeyGroupPiece(blobs[next++]!, `'${piece.storageKey}'`));
    if (own === null || typeof own !== 'object') throw new TypeError(`The meta blob '${handle.storageKey}' is not a keyed snapshot`);
    return { ...own, keyGroups: pieces.sort((a, b) => a.keyGroup - b.keyGroup) };
  });
}

/** Reads every blob at once (restore time is the slowest read, not the sum); results in key order. */
function readAll(storageKeys: readonly string[], env: TaskEnvironment, done: (result: StorageResult<Uint8Array[]>) => void): void {
  const values: Uint8Array[] = new Array<Uint8Array>(storageKeys.length);
  let outstanding = storageKeys.length;
  let finished = false;
  if (outstanding === 0) return done({ ok: true, value: values });
  storageKeys.forEach((key, i) => {
    env.storage.readState(key, (result) => {
      if (finished) return;
      if (!result.ok) {
        finished = true;
        return done(result);
      }
      values[i] = result.value;
      outstanding -= 1;
      if (outstanding === 0) {
        finished = true;
        done({ ok: true, value: values });
      }
    });
  });
}
