// How a subtask writes its keyed state in the async phase (Flink's SnapshotStrategy): full — one blob per
// subtask — or incremental — only key groups changed since the base checkpoint, referencing the others' pieces.
// Assumes the view's per-state key maps keep their identity until changed (copy-on-write), so "unchanged" is `===`.
import type { CheckpointId } from '../ids';
import type { CheckpointStorage, StorageResult } from '../ports/checkpoint-storage';
import { failed, ok } from '../ports/checkpoint-storage';
import { materializeKeyedSnapshot, materializeKeyGroup, type KeyedStateSnapshot, type KeyedStateSnapshotView } from '../state';
import type { IncrementalKeyedStateHandle, KeyedStateHandle, SharedStatePiece } from '../checkpoint/task-state';
import { encodeJson } from './record-size';

export type FrozenKeyGroup = NonNullable<ReturnType<KeyedStateSnapshotView['keyGroups']['get']>>;

/** Where one operator's keyed state goes. */
export interface KeyedStateTarget {
  readonly storage: CheckpointStorage;
  readonly jobId: string;
  readonly taskId: string;
  readonly operatorUid: string;
}

/** A key group as a checkpoint holds it: the frozen state and the piece it is stored in. */
export interface SnapshotKeyGroup {
  readonly frozen: FrozenKeyGroup;
  readonly piece: SharedStatePiece;
}

/** What later incremental snapshots may reference: the pieces of one completed checkpoint. */
export interface IncrementalSnapshotBase {
  readonly checkpointId: CheckpointId;
  readonly keyGroups: ReadonlyMap<number, SnapshotKeyGroup>;
}

/** The async part of a snapshot, taken in the sync phase: it calls back exactly once. */
export type AsyncKeyedSnapshot = (done: (result: StorageResult<KeyedStateHandle>) => void) => void;

export interface KeyedSnapshotStrategy {
  snapshot(view: KeyedStateSnapshotView, checkpointId: CheckpointId, isSavepoint: boolean): AsyncKeyedSnapshot;
  notifyCheckpointComplete(checkpointId: CheckpointId): void;
  notifyCheckpointAborted(checkpointId: CheckpointId): void;
}

function write(target: KeyedStateTarget, checkpointId: CheckpointId, bytes: Uint8Array, done: (result: StorageResult<string>) => void): void {
  target.storage.writeState({ jobId: target.jobId, checkpointId, taskId: target.taskId, operatorUid: target.operatorUid, bytes }, done);
}

/** Flink's full snapshot: the whole view in one blob (KeyGroupsStateHandle); also every savepoint's format. */
export function fullSnapshot(target: KeyedStateTarget, view: KeyedStateSnapshotView, checkpointId: CheckpointId): AsyncKeyedSnapshot {
  return (done) => {
    const bytes = encodeJson(materializeKeyedSnapshot(view));
    write(target, checkpointId, bytes, (result) =>
      done(result.ok ? ok({ storageKey: result.value, keyGroupRange: view.keyGroupRange.toJson(), stateSizeBytes: bytes.length }) : result),
    );
  };
}

export class FullSnapshotStrategy implements KeyedSnapshotStrategy {
  constructor(private readonly target: KeyedStateTarget) {}

  snapshot(view: KeyedStateSnapshotView, checkpointId: CheckpointId): AsyncKeyedSnapshot {
    return fullSnapshot(this.target, view, checkpointId);
  }

  notifyCheckpointComplete(): void {}

  notifyCheckpointAborted(): void {}
}

/** Same data: the same state names, each with the very same (frozen, hence unchanged) key map. */
export function sameFrozenKeyGroup(a: FrozenKeyGroup, b: FrozenKeyGroup): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [stateName, keys] of a) if (b.get(stateName) !== keys) return false;
  return true;
}

/**
 * The private meta blob (Flink's metaStateHandle): a keyed snapshot without key groups — every registered
 * state and its kind. Registered states only grow, so it also describes every piece the handle reuses;
 * pieces hold just their KeyGroupSnapshot, as SST files hold no state meta info.
 */
function metaSnapshot(view: KeyedStateSnapshotView): KeyedStateSnapshot {
  return materializeKeyedSnapshot({ ...view, keyGroups: new Map() });
}

/** A snapshot taken but not yet confirmed: key group → the piece it uses (null while still uploading or failed). */
type SnapshotRecord = Map<number, { readonly frozen: FrozenKeyGroup; piece: SharedStatePiece | null }>;

/**
 * Flink's RocksIncrementalSnapshotStrategy with key groups as the files: the base is the last checkpoint
 * this subtask was notified complete for (or the restored one, when the key-group range is unchanged).
 * A key group is reused only if unchanged since the base AND every snapshot taken since used the same
 * piece: then the newest completed checkpoint, which the coordinator retains, references the piece too,
 * so it cannot be deleted before this checkpoint registers it (or is aborted).
 */
export class IncrementalSnapshotStrategy implements KeyedSnapshotStrategy {
  #base: IncrementalSnapshotBase | null;
  readonly #pending = new Map<CheckpointId, SnapshotRecord>();

  constructor(
    private readonly target: KeyedStateTarget,
    restoredBase: IncrementalSnapshotBase | null = null,
  ) {
    this.#base = restoredBase;
  }

  get baseCheckpointId(): CheckpointId | null {
    return this.#base?.checkpointId ?? null;
  }

  snapshot(view: KeyedStateSnapshotView, checkpointId: CheckpointId, isSavepoint: boolean): AsyncKeyedSnapshot {
    // Savepoints are self-contained (Flink's canonical format): never shared, never a base.
    if (isSavepoint) return fullSnapshot(this.target, view, checkpointId);
    const record: SnapshotRecord = new Map();
    for (const [keyGroup, frozen] of view.keyGroups) record.set(keyGroup, { frozen, piece: this.reusablePiece(keyGroup, frozen) });
    this.#pending.set(checkpointId, record);
    return (done) => this.upload(view, checkpointId, record, done);
  }

  notifyCheckpointComplete(checkpointId: CheckpointId): void {
    const record = this.#pending.get(checkpointId);
    for (const id of this.#pending.keys()) if (id <= checkpointId) this.#pending.delete(id);
    if (!record || (this.#base && this.#base.checkpointId >= checkpointId)) return;
    const keyGroups = new Map<number, SnapshotKeyGroup>();
    for (const [keyGroup, { frozen, piece }] of record) {
      if (piece === null) return; // never the case for a completed checkpoint: it was acknowledged after every upload
      keyGroups.set(keyGroup, { frozen, piece });
    }
    this.#base = { checkpointId, keyGroups };
  }

  notifyCheckpointAborted(checkpointId: CheckpointId): void {
    this.#pending.delete(checkpointId);
  }

  private reusablePiece(keyGroup: number, frozen: FrozenKeyGroup): SharedStatePiece | null {
    const base = this.#base?.keyGroups.get(keyGroup);
    if (!base || !sameFrozenKeyGroup(base.frozen, frozen)) return null;
    for (const record of this.#pending.values()) {
      if (record.get(keyGroup)?.piece?.storageKey !== base.piece.storageKey) return null;
    }
    return base.piece;
  }

  private upload(view: KeyedStateSnapshotView, checkpointId: CheckpointId, record: SnapshotRecord, done: (result: StorageResult<KeyedStateHandle>) => void): void {
    const changed = [...record].filter(([, entry]) => entry.piece === null).map(([keyGroup]) => keyGroup);
    let outstanding = changed.length + 1;
    let failure: string | null = null;
    let meta: { storageKey: string; sizeBytes: number } | null = null;
    const finishOne = () => {
      outstanding -= 1;
      if (outstanding > 0) return;
      if (failure !== null || meta === null) return done(failed(failure ?? 'The meta blob was not written'));
      done(ok(this.handle(view, checkpointId, record, meta, changed)));
    };
    const metaBytes = encodeJson(metaSnapshot(view));
    write(this.target, checkpointId, metaBytes, (result) => {
      if (result.ok) meta = { storageKey: result.value, sizeBytes: metaBytes.length };
      else failure ??= result.error;
      finishOne();
    });
    for (const keyGroup of changed) {
      const bytes = encodeJson(materializeKeyGroup(view, keyGroup));
      write(this.target, checkpointId, bytes, (result) => {
        if (result.ok) record.get(keyGroup)!.piece = { keyGroup, storageKey: result.value, sizeBytes: bytes.length, checkpointId };
        else failure ??= result.error;
        finishOne();
      });
    }
  }

  private handle(
    view: KeyedStateSnapshotView,
    checkpointId: CheckpointId,
    record: SnapshotRecord,
    meta: { storageKey: string; sizeBytes: number },
    changed: readonly number[],
  ): IncrementalKeyedStateHandle {
    const sharedState = [...record.values()].map((entry) => entry.piece!);
    const uploaded = changed.reduce((sum, keyGroup) => sum + record.get(keyGroup)!.piece!.sizeBytes, 0);
    return {
      storageKey: meta.storageKey,
      keyGroupRange: view.keyGroupRange.toJson(),
      checkpointId,
      sharedState,
      stateSizeBytes: meta.sizeBytes + sharedState.reduce((sum, piece) => sum + piece.sizeBytes, 0),
      checkpointedSizeBytes: meta.sizeBytes + uploaded,
    };
  }
}
