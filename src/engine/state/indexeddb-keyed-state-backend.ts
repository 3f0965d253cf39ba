// IndexedDbKeyedStateBackend: the "indexeddb" backend's keyed state — working state in a KeyGroupStore, one
// chunk per key group, with at most `maxResidentKeyGroups` key groups in memory (dirty ones written back before eviction).
// Assumes callers make key groups resident (ensureResident) before touching them: state access itself stays synchronous.
//
// Named as Flink's RocksDBKeyedStateBackend is: the keyed backend that EmbeddedRocksDBStateBackend (here the
// `state.backend.type: indexeddb` option, "IndexedDbStateBackend") creates per operator; IndexedDB plays RocksDB's
// local disk. Unlike RocksDB, reads are asynchronous in a browser, so the task prefetches a buffer's key groups
// and waits (as a RocksDB read blocks the task thread) instead of reading per access.
import type { StorageCallback } from '../ports/storage-result';
import type { KeyGroupStore } from '../ports/key-group-store';
import type { StateKind } from './descriptors';
import { HeapKeyedStateBackend, type HeapKeyedStateBackendOptions } from './heap-keyed-state-backend';
import type { Key } from './java-hash-code';
import type { Json } from './json';
import {
  fromSnapshotValue,
  toSnapshotValue,
  type KeyGroupSnapshot,
  type KeyedStateBackendName,
  type KeyedStateSnapshot,
  type KeyedStateSnapshotView,
} from './keyed-state-snapshot';

export interface IndexedDbKeyedStateBackendOptions extends HeapKeyedStateBackendOptions {
  readonly store: KeyGroupStore;
  /** The bounded cache: how many key groups may be in memory at once (at least 1). */
  readonly maxResidentKeyGroups: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class IndexedDbKeyedStateBackend extends HeapKeyedStateBackend {
  override readonly backend: KeyedStateBackendName = 'indexeddb';
  readonly maxResidentKeyGroups: number;
  readonly #store: KeyGroupStore;
  /** Key groups in memory, least recently used first (a Map keeps insertion order). */
  readonly #resident = new Map<number, true>();
  /** Resident key groups changed since loaded: written back before eviction. */
  readonly #dirty = new Set<number>();
  /** Key groups with a chunk in the store (clean copies of resident ones included). */
  readonly #stored = new Set<number>();
  /** Per non-empty key group, a version bumped at the first snapshot after it changed. */
  readonly #versions = new Map<number, number>();
  readonly #changedSinceSnapshot = new Set<number>();
  #nextVersion = 1;
  readonly #queue: Array<() => void> = [];
  #busy = false;
  #failure: string | null = null;
  /** Counters for tests and the benchmark. */
  readonly metrics = { loads: 0, loadedKeyGroups: 0, writeBacks: 0, writtenKeyGroups: 0, evictions: 0 };

  constructor(options: IndexedDbKeyedStateBackendOptions) {
    super(options);
    if (!Number.isInteger(options.maxResidentKeyGroups) || options.maxResidentKeyGroups < 1) {
      throw new RangeError(`maxResidentKeyGroups must be a positive integer, got ${options.maxResidentKeyGroups}`);
    }
    this.maxResidentKeyGroups = options.maxResidentKeyGroups;
    this.#store = options.store;
  }

  /**
   * A backend whose working store holds every key group of its range found in `snapshots` (rescaling
   * keeps only those): all are written as chunks in one batch, then all but the first resident ones leave memory.
   */
  static restoreInto(
    options: IndexedDbKeyedStateBackendOptions,
    snapshots: readonly KeyedStateSnapshot[],
    done: StorageCallback<IndexedDbKeyedStateBackend>,
  ): void {
    const backend = new IndexedDbKeyedStateBackend(options);
    backend.restoreFrom(snapshots);
    const restored = backend.table.keyGroupsInUse();
    const chunks = new Map<number, Uint8Array>();
    for (const keyGroup of restored) {
      chunks.set(keyGroup, backend.encodeChunk(keyGroup));
      backend.#stored.add(keyGroup);
      backend.#versions.set(keyGroup, backend.#nextVersion++);
    }
    for (const keyGroup of restored.slice(0, backend.maxResidentKeyGroups)) backend.#resident.set(keyGroup, true);
    for (const keyGroup of restored.slice(backend.maxResidentKeyGroups)) backend.table.evict(keyGroup);
    if (chunks.size === 0) return done({ ok: true, value: backend });
    backend.#store.write(chunks, (result) => done(result.ok ? { ok: true, value: backend } : result));
  }

  isResident(keyGroup: number): boolean {
    return this.#resident.has(keyGroup);
  }

  /** Resident key groups, least recently used first. */
  residentKeyGroups(): number[] {
    return Array.from(this.#resident.keys());
  }

  /** Scopes every state to `key`, whose key group must be resident (else the task did not prefetch it). */
  override setCurrentKey(key: Key): void {
    if (this.#failure !== null) throw new Error(`The working state store failed: ${this.#failure}`);
    const before = this.getCurrentKeyGroupIndex();
    super.setCurrentKey(key);
    const keyGroup = this.getCurrentKeyGroupIndex();
    if (!this.#resident.has(keyGroup)) {
      throw new Error(`Key group ${keyGroup} is not resident: it must be loaded (ensureResident) before its keys are processed`);
    }
    if (keyGroup !== before) {
      this.#resident.delete(keyGroup);
      this.#resident.set(keyGroup, true);
    }
  }

  /**
   * Makes `keyGroups` resident, evicting least recently used others (dirty ones written back first, in
   * one batch), and calls back once: synchronously if all are resident, else when their chunks are loaded.
   * Requests run one after another. More key groups than the limit is an error.
   */
  ensureResident(keyGroups: readonly number[], done: StorageCallback<void>): void {
    const wanted = [...new Set(keyGroups)];
    if (wanted.length > this.maxResidentKeyGroups) {
      return done({ ok: false, error: `${wanted.length} key groups requested at once; at most ${this.maxResidentKeyGroups} may be resident` });
    }
    for (const keyGroup of wanted) {
      if (!this.keyGroupRange.contains(keyGroup)) return done({ ok: false, error: `Key group ${keyGroup} is not in ${this.keyGroupRange}` });
    }
    this.#queue.push(() => this.load(wanted, (result) => {
      this.#busy = false;
      done(result);
      this.next();
    }));
    this.next();
  }

  /** The synchronous part of a snapshot: resident key groups as copy-on-write views, evicted ones as stored chunks. */
  override snapshot(): KeyedStateSnapshotView {
    for (const keyGroup of this.#changedSinceSnapshot) this.#versions.set(keyGroup, this.#nextVersion++);
    this.#changedSinceSnapshot.clear();
    const view = super.snapshot();
    const evicted = [...this.#stored].filter((keyGroup) => !this.#resident.has(keyGroup)).sort((a, b) => a - b);
    const versions = new Map<number, number>();
    for (const keyGroup of [...view.keyGroups.keys(), ...evicted]) versions.set(keyGroup, this.#versions.get(keyGroup) ?? 0);
    return {
      ...view,
      stored: {
        keyGroups: evicted,
        versions,
        read: (keyGroups, done) => this.#store.load(keyGroups, done),
      },
    };
  }

  /** Every non-empty key group, resident or not, ascending. */
  override keyGroupsInUse(): number[] {
    const inUse = new Set(this.table.keyGroupsInUse());
    for (const keyGroup of this.#stored) if (!this.#resident.has(keyGroup)) inUse.add(keyGroup);
    return [...inUse].sort((a, b) => a - b);
  }

  protected override keyGroupChanging(keyGroup: number): void {
    this.#dirty.add(keyGroup);
    this.#changedSinceSnapshot.add(keyGroup);
  }

  private next(): void {
    if (this.#busy) return;
    const work = this.#queue.shift();
    if (!work) return;
    this.#busy = true;
    work();
  }

  private load(wanted: readonly number[], done: StorageCallback<void>): void {
    if (this.#failure !== null) return done({ ok: false, error: this.#failure });
    const missing = wanted.filter((keyGroup) => !this.#resident.has(keyGroup));
    for (const keyGroup of wanted) {
      if (!this.#resident.has(keyGroup)) continue;
      this.#resident.delete(keyGroup);
      this.#resident.set(keyGroup, true);
    }
    if (missing.length === 0) return done({ ok: true, value: undefined });
    this.evict(this.#resident.size + missing.length - this.maxResidentKeyGroups, new Set(wanted));
    const toRead = missing.filter((keyGroup) => this.#stored.has(keyGroup));
    const finish = () => {
      for (const keyGroup of missing) this.#resident.set(keyGroup, true);
      done({ ok: true, value: undefined });
    };
    if (toRead.length === 0) return finish();
    this.metrics.loads += 1;
    this.metrics.loadedKeyGroups += toRead.length;
    this.#store.load(toRead, (result) => {
      if (!result.ok) return done(result);
      try {
        for (const keyGroup of toRead) {
          const chunk = result.value.get(keyGroup);
          if (!chunk) throw new Error(`The working store has no chunk for key group ${keyGroup}`);
          this.decodeChunk(keyGroup, chunk);
        }
      } catch (error) {
        return done({ ok: false, error: error instanceof Error ? error.message : String(error) });
      }
      finish();
    });
  }

  /** Evicts `count` least recently used key groups not in `keep`; dirty ones are written back in one batch. */
  private evict(count: number, keep: ReadonlySet<number>): void {
    if (count <= 0) return;
    const victims: number[] = [];
    for (const keyGroup of this.#resident.keys()) {
      if (victims.length === count) break;
      if (!keep.has(keyGroup)) victims.push(keyGroup);
    }
    const chunks = new Map<number, Uint8Array | null>();
    for (const keyGroup of victims) {
      if (this.#dirty.has(keyGroup)) {
        const empty = this.table.keyGroupStates(keyGroup) === undefined;
        chunks.set(keyGroup, empty ? null : this.encodeChunk(keyGroup));
        if (empty) this.#stored.delete(keyGroup);
        else this.#stored.add(keyGroup);
        this.#dirty.delete(keyGroup);
      }
      this.table.evict(keyGroup);
      this.#resident.delete(keyGroup);
    }
    this.metrics.evictions += victims.length;
    if (chunks.size === 0) return;
    this.metrics.writeBacks += 1;
    this.metrics.writtenKeyGroups += chunks.size;
    this.#store.write(chunks, (result) => {
      if (!result.ok) this.#failure ??= `writing back key groups ${[...chunks.keys()].join(', ')} failed: ${result.error}`;
    });
  }

  /** A key group's live state as a chunk: the KeyGroupSnapshot JSON a checkpoint piece also holds. */
  private encodeChunk(keyGroup: number): Uint8Array {
    const states: Record<string, Array<[Key, Json]>> = {};
    for (const [stateName, keys] of this.table.keyGroupStates(keyGroup) ?? []) {
      const kind = this.getStateKind(stateName)!;
      states[stateName] = Array.from(keys, ([key, cell]): [Key, Json] => [key, toSnapshotValue(kind, cell.value)]);
    }
    const snapshot: KeyGroupSnapshot = { keyGroup, states };
    return encoder.encode(JSON.stringify(snapshot));
  }

  private decodeChunk(keyGroup: number, chunk: Uint8Array): void {
    const snapshot = JSON.parse(decoder.decode(chunk)) as KeyGroupSnapshot;
    if (snapshot?.keyGroup !== keyGroup) throw new Error(`The chunk of key group ${keyGroup} holds key group ${String(snapshot?.keyGroup)}`);
    for (const [stateName, entries] of Object.entries(snapshot.states)) {
      const kind: StateKind | undefined = this.getStateKind(stateName);
      if (kind === undefined) throw new Error(`The chunk of key group ${keyGroup} holds unregistered state "${stateName}"`);
      for (const [key, value] of entries) this.table.restore(keyGroup, stateName, key, fromSnapshotValue(kind, value));
    }
  }
}

