// How a subtask writes its keyed state in the async phase (Flink's SnapshotStrategy): full — one blob per
// subtask — or incremental — only key groups changed since the base checkpoint, referencing the others' pieces.
// Assumes a key group's version (frozen key maps, copy-on-write; or the indexeddb backend's number) is `===` while unchanged.
import type { CheckpointId } from '../ids';
import type { CheckpointStorage, StorageResult } from '../ports/checkpoint-storage';
import { failed, ok } from '../ports/checkpoint-storage';
import type { KeyedStateSnapshotView } from '../state';
import type { IncrementalKeyedStateHandle, KeyedStateHandle, SharedStatePiece } from '../checkpoint/task-state';
import { encodeFullSnapshotBlob, encodeMetaBlob, encodeViewKeyGroupPiece } from '../format/keyed-state-blob';

export type FrozenKeyGroup = NonNullable<ReturnType<KeyedStateSnapshotView['keyGroups']['get']>>;

/** What tells a key group unchanged: its frozen maps (hashmap backend) or its version number (indexeddb backend). */
export type KeyGroupVersion = FrozenKeyGroup | number;

/** The version of a non-empty key group of the view, or undefined when it holds nothing. */
export function keyGroupVersion(view: KeyedStateSnapshotView, keyGroup: number): KeyGroupVersion | undefined {
  return view.stored?.versions.get(keyGroup) ?? view.keyGroups.get(keyGroup);
}

/** Every non-empty key group of the view, in memory or only in the working store, ascending. */
function keyGroupsOf(view: KeyedStateSnapshotView): number[] {
  const stored = view.stored?.keyGroups ?? [];
  if (stored.length === 0) return [...view.keyGroups.keys()];
  return [...view.keyGroups.keys(), ...stored].sort((a, b) => a - b);
}

type StoredChunks = (done: (result: StorageResult<ReadonlyMap<number, Uint8Array>>) => void) => void;

/**
 * Starts reading stored chunks now — in the synchronous phase, so the store's call order makes the read
 * see them as they were at the snapshot — and hands the result to whoever asks later, once.
 */
function readStoredNow(view: KeyedStateSnapshotView, keyGroups: readonly number[]): StoredChunks {
  if (keyGroups.length === 0 || !view.stored) return (done) => done(ok(new Map()));
  let result: StorageResult<ReadonlyMap<number, Uint8Array>> | null = null;
  let waiting: ((result: StorageResult<ReadonlyMap<number, Uint8Array>>) => void) | null = null;
  view.stored.read(keyGroups, (read) => {
    const lost = read.ok ? keyGroups.find((keyGroup) => !read.value.has(keyGroup)) : undefined;
    result = lost === undefined ? read : failed(`The working store lost the chunk of key group ${lost}`);
    waiting?.(result);
  });
  return (done) => (result !== null ? done(result) : (waiting = done));
}

/** A chunk readStoredNow checked is there. */
function storedChunk(chunks: ReadonlyMap<number, Uint8Array>, keyGroup: number): Uint8Array {
  return chunks.get(keyGroup)!;
}

/** Where one operator's keyed state goes. */
export interface KeyedStateTarget {
  readonly storage: CheckpointStorage;
  readonly jobId: string;
  readonly taskId: string;
  readonly operatorUid: string;
}

/** A key group as a checkpoint holds it: its version and the piece it is stored in. */
export interface SnapshotKeyGroup {
  readonly version: KeyGroupVersion;
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
  const stored = readStoredNow(view, view.stored?.keyGroups ?? []);
  return (done) => stored((read) => {
    if (!read.ok) return done(read);
    let bytes: Uint8Array;
    try {
      // One pass over the frozen view straight into the blob's bytes (src/engine/format/keyed-state-blob.ts).
      bytes = encodeFullSnapshotBlob(view, read.value);
    } catch (error) {
      return done(failed(error instanceof Error ? error.message : String(error)));
    }
    write(target, checkpointId, bytes, (result) =>
      done(result.ok ? ok({ storageKey: result.value, keyGroupRange: view.keyGroupRange.toJson(), stateSizeBytes: bytes.length }) : result),
    );
  });
}

export class FullSnapshotStrategy implements KeyedSnapshotStrategy {
  constructor(private readonly target: KeyedStateTarget) {}

  snapshot(view: KeyedStateSnapshotView, checkpointId: CheckpointId): AsyncKeyedSnapshot {
    return fullSnapshot(this.target, view, checkpointId);
  }

  notifyCheckpointComplete(): void {}

  notifyCheckpointAborted(): void {}
}

/** Same data: the same version number, or the same state names, each with the very same (frozen, hence unchanged) key map. */
export function sameKeyGroupVersion(a: KeyGroupVersion, b: KeyGroupVersion): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') return false;
  if (a.size !== b.size) return false;
  for (const [stateName, keys] of a) if (b.get(stateName) !== keys) return false;
  return true;
}

/** A snapshot taken but not yet confirmed: key group → the piece it uses (null while still uploading or failed). */
type SnapshotRecord = Map<number, { readonly version: KeyGroupVersion; piece: SharedStatePiece | null }>;

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
    for (const keyGroup of keyGroupsOf(view)) {
      const version = keyGroupVersion(view, keyGroup)!;
      record.set(keyGroup, { version, piece: this.reusablePiece(keyGroup, version) });
    }
    this.#pending.set(checkpointId, record);
    const changedStored = (view.stored?.keyGroups ?? []).filter((keyGroup) => record.get(keyGroup)!.piece === null);
    const stored = readStoredNow(view, changedStored);
    return (done) => stored((read) => (read.ok ? this.upload(view, checkpointId, record, read.value, done) : done(read)));
  }

  notifyCheckpointComplete(checkpointId: CheckpointId): void {
    const record = this.#pending.get(checkpointId);
    for (const id of this.#pending.keys()) if (id <= checkpointId) this.#pending.delete(id);
    if (!record || (this.#base && this.#base.checkpointId >= checkpointId)) return;
    const keyGroups = new Map<number, SnapshotKeyGroup>();
    for (const [keyGroup, { version, piece }] of record) {
      if (piece === null) return; // never the case for a completed checkpoint: it was acknowledged after every upload
      keyGroups.set(keyGroup, { version, piece });
    }
    this.#base = { checkpointId, keyGroups };
  }

  notifyCheckpointAborted(checkpointId: CheckpointId): void {
    this.#pending.delete(checkpointId);
  }

  private reusablePiece(keyGroup: number, version: KeyGroupVersion): SharedStatePiece | null {
    const base = this.#base?.keyGroups.get(keyGroup);
    if (!base || !sameKeyGroupVersion(base.version, version)) return null;
    for (const record of this.#pending.values()) {
      if (record.get(keyGroup)?.piece?.storageKey !== base.piece.storageKey) return null;
    }
    return base.piece;
  }

  private upload(
    view: KeyedStateSnapshotView,
    checkpointId: CheckpointId,
    record: SnapshotRecord,
    storedChunks: ReadonlyMap<number, Uint8Array>,
    done: (result: StorageResult<KeyedStateHandle>) => void,
  ): void {
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
    // The private meta blob (Flink's metaStateHandle): every registered state and its kind, no key groups.
    // Registered states only grow, so it also describes every piece the handle reuses; pieces hold just
    // their key group, as SST files hold no state meta info.
    let metaBytes: Uint8Array;
    const pieces = new Map<number, Uint8Array>();
    try {
      metaBytes = encodeMetaBlob(view);
      // A stored chunk already is the piece's bytes (either piece encoding); a key group in memory is encoded.
      for (const keyGroup of changed) pieces.set(keyGroup, encodeViewKeyGroupPiece(view, keyGroup) ?? storedChunk(storedChunks, keyGroup));
    } catch (error) {
      return done(failed(error instanceof Error ? error.message : String(error)));
    }
    write(this.target, checkpointId, metaBytes, (result) => {
      if (result.ok) meta = { storageKey: result.value, sizeBytes: metaBytes.length };
      else failure ??= result.error;
      finishOne();
    });
    for (const keyGroup of changed) {
      const bytes = pieces.get(keyGroup)!;
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
