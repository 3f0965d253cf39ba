// Keyed-state snapshots of the hashmap backend: the view the synchronous phase captures (frozen
// references, O(key groups)) and the plain JSON data it materialises into during the asynchronous phase.
import type { StateKind } from './descriptors';
import type { FrozenKeyGroup } from './copy-on-write-state-table';
import type { Key } from './java-hash-code';
import type { Json } from './json';
import type { KeyGroupRange } from './key-group-range';
import type { StorageCallback } from '../ports/storage-result';

/** One key group's state: state name → [key, value] pairs. MAP values are arrays of [userKey, value]. */
export interface KeyGroupSnapshot {
  readonly keyGroup: number;
  readonly states: Readonly<Record<string, ReadonlyArray<readonly [Key, Json]>>>;
}

/** What a state name holds, so restore can decode values (Flink's StateMetaInfoSnapshot, reduced to the kind). */
export interface StateMetaInfoSnapshot {
  readonly kind: StateKind;
}

/** Which keyed backend wrote a snapshot; restore reads either (key groups have the same shape). */
export type KeyedStateBackendName = 'hashmap' | 'indexeddb';

/** Plain, JSON-serialisable keyed state of one subtask: what goes into checkpoint storage. */
export interface KeyedStateSnapshot {
  readonly backend: KeyedStateBackendName;
  readonly maxParallelism: number;
  readonly keyGroupRange: { readonly start: number; readonly end: number };
  readonly stateMetaInfo: Readonly<Record<string, StateMetaInfoSnapshot>>;
  /** Only key groups that hold state, ascending. */
  readonly keyGroups: readonly KeyGroupSnapshot[];
}

/**
 * What HeapKeyedStateBackend.snapshot() returns: frozen references that later writes never change.
 * Turn it into data with materializeKeyedSnapshot (the asynchronous part); it has no toJSON on purpose.
 */
export interface KeyedStateSnapshotView {
  readonly backend: KeyedStateBackendName;
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  readonly stateMetaInfo: ReadonlyMap<string, StateKind>;
  /** Non-empty key groups in memory, ascending. */
  readonly keyGroups: ReadonlyMap<number, FrozenKeyGroup>;
  /** The indexeddb backend's: key groups held only as chunks in its working store (read them with `stored`). */
  readonly stored?: StoredKeyGroups;
}

/**
 * Key groups a snapshot holds as chunks in the working store. Read them during the synchronous phase
 * (the store orders calls, so a read issued then sees the chunks as they were at the snapshot).
 */
export interface StoredKeyGroups {
  /** Ascending. */
  readonly keyGroups: readonly number[];
  /** Per non-empty key group (in memory or stored), a number that changes whenever its state changes. */
  readonly versions: ReadonlyMap<number, number>;
  read(keyGroups: readonly number[], done: StorageCallback<ReadonlyMap<number, Uint8Array>>): void;
}

/** A stored value as JSON: MAP state's Map becomes [userKey, value] pairs; other kinds are JSON already. */
export function toSnapshotValue(kind: StateKind, value: unknown): Json {
  if (kind === 'MAP') return Array.from(value as ReadonlyMap<string | number, Json>) as Json;
  return value as Json;
}

/** The stored form of a snapshot value (the inverse of toSnapshotValue). Shares the JSON's objects. */
export function fromSnapshotValue(kind: StateKind, json: Json): unknown {
  if (kind === 'MAP') return new Map(json as ReadonlyArray<readonly [string | number, Json]>);
  return json;
}

/** One key group of a view as data, or null when the view holds nothing for it. */
export function materializeKeyGroup(view: KeyedStateSnapshotView, keyGroup: number): KeyGroupSnapshot | null {
  const frozen = view.keyGroups.get(keyGroup);
  if (frozen === undefined) return null;
  const states = Array.from(frozen, ([stateName, keys]): [string, Array<[Key, Json]>] => {
    const kind = view.stateMetaInfo.get(stateName);
    if (kind === undefined) throw new Error(`State "${stateName}" has no registered kind`);
    return [stateName, Array.from(keys, ([key, cell]): [Key, Json] => [key, toSnapshotValue(kind, cell.value)])];
  });
  return { keyGroup, states: Object.fromEntries(states) };
}

/**
 * The asynchronous part of a snapshot: the view as plain JSON data, O(state size). Values are shared
 * with the live state's frozen cells, so treat the result as immutable (serialise it or keep it as is).
 */
export function materializeKeyedSnapshot(view: KeyedStateSnapshotView): KeyedStateSnapshot {
  const keyGroups: KeyGroupSnapshot[] = [];
  for (const keyGroup of view.keyGroups.keys()) {
    const snapshot = materializeKeyGroup(view, keyGroup);
    if (snapshot !== null) keyGroups.push(snapshot);
  }
  const stateMetaInfo = Object.fromEntries(Array.from(view.stateMetaInfo, ([name, kind]) => [name, { kind }]));
  return {
    backend: view.backend,
    maxParallelism: view.maxParallelism,
    keyGroupRange: view.keyGroupRange.toJson(),
    stateMetaInfo,
    keyGroups,
  };
}
