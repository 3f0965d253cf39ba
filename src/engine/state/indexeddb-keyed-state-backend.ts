// IndexedDbKeyedStateBackend: the "indexeddb" backend's keyed state — working state in a KeyGroupStore, one chunk
// per key group split into BLOCKS_PER_KEY_GROUP blocks by a stable hash of the key (indexeddb-block-chunk.ts). The
// cache holds blocks, least recently used evicted first (dirty ones written back), as RocksDB's block cache does.
// Assumes callers make blocks resident (ensureBlocksResident) before touching their keys: state access stays synchronous.
//
// Named as Flink's RocksDBKeyedStateBackend is: the keyed backend that EmbeddedRocksDBStateBackend (here the
// `state.backend.type: indexeddb` option, "IndexedDbStateBackend") creates per operator; IndexedDB plays RocksDB's
// local disk. Unlike RocksDB, reads are asynchronous in a browser, so the task prefetches a buffer's blocks in one
// batch and waits (as a RocksDB read blocks the task thread) instead of reading per access.
//
// The memory bound: at most max(⌊f · B⌋, the blocks one request asks for) blocks are resident, where B is the number
// of non-empty blocks of the subtask and f = min(1, maxResidentKeyGroups / key groups in the range) — the share of
// the state `state.backend.indexeddb.cache.key-groups` key groups hold when keys spread evenly, kept in 1/64 pieces.
// A load also holds, while it runs, the chunks of the key groups it reads (memoryUsage().lastLoadBytes).
import type { StorageCallback } from '../ports/storage-result';
import type { KeyGroupStore } from '../ports/key-group-store';
import type { StateKind } from './descriptors';
import type { FrozenKeyGroup } from './copy-on-write-state-table';
import { HeapKeyedStateBackend, type HeapKeyedStateBackendOptions } from './heap-keyed-state-backend';
import {
  BLOCKS_PER_KEY_GROUP,
  blockInKeyGroup,
  decodeBlocks,
  encodeBlock,
  joinChunk,
  splitChunk,
  type BlockEntries,
} from './indexeddb-block-chunk';
import type { Key } from './java-hash-code';
import type { Json } from './json';
import {
  fromSnapshotValue,
  toSnapshotValue,
  type KeyedStateBackendName,
  type KeyedStateSnapshotView,
} from './keyed-state-snapshot';
import type { KeyedStateSnapshot } from './keyed-state-snapshot';
import { encodeKeyGroupPiece } from '../format/keyed-state-blob';

export interface IndexedDbKeyedStateBackendOptions extends HeapKeyedStateBackendOptions {
  readonly store: KeyGroupStore;
  /** The bounded cache, in key groups' worth of blocks (at least 1); see the file's comment. */
  readonly maxResidentKeyGroups: number;
}

/** What the backend holds in memory now (memoryUsage()), for tests, samples and the benchmark. */
export interface IndexedDbMemoryUsage {
  /** Blocks in memory now, and the most there have been at once. */
  readonly residentBlocks: number;
  readonly peakResidentBlocks: number;
  /** The bound on resident blocks now, before a request's own blocks (Infinity: the cache holds every key group). */
  readonly blockLimit: number;
  /** Blocks that hold state, in memory or in the working store. */
  readonly nonEmptyBlocks: number;
  /** Keys (over all states) in memory now, and the most there have been after a load. */
  readonly residentEntries: number;
  readonly peakResidentEntries: number;
  /** Bytes of chunks the last load read (held until its blocks are decoded), and the most any load read. */
  readonly lastLoadBytes: number;
  readonly peakLoadBytes: number;
}


export class IndexedDbKeyedStateBackend extends HeapKeyedStateBackend {
  override readonly backend: KeyedStateBackendName = 'indexeddb';
  readonly maxResidentKeyGroups: number;
  readonly #store: KeyGroupStore;
  readonly #fraction: number;
  /** Resident blocks (keyGroup · BLOCKS_PER_KEY_GROUP + block), least recently used first (a Map keeps insertion order). */
  readonly #resident = new Map<number, true>();
  /** Resident blocks changed since loaded: written back when evicted. */
  readonly #dirty = new Set<number>();
  /** Blocks with state in the working store's chunk of their key group. */
  readonly #stored = new Set<number>();
  /** Per resident block, the keys it holds (or held: a cleared key stays until eviction), so eviction costs O(its keys). */
  readonly #blockKeys = new Map<number, Set<Key>>();
  #currentBlockKeys: Set<Key> | null = null;
  /** Blocks that hold state (stored, or written since loaded): what the memory bound is a share of. */
  readonly #nonEmpty = new Set<number>();
  /** Per non-empty key group, a version bumped at the first snapshot after it changed. */
  readonly #versions = new Map<number, number>();
  readonly #changedSinceSnapshot = new Set<number>();
  #nextVersion = 1;
  #currentBlock = -1;
  readonly #queue: Array<() => void> = [];
  #busy = false;
  #failure: string | null = null;
  #peakResidentBlocks = 0;
  #peakResidentEntries = 0;
  #lastLoadBytes = 0;
  #peakLoadBytes = 0;
  /** Counters for tests and the benchmark (key groups: chunks read or written; blocks: cache units). */
  readonly metrics = { loads: 0, loadedKeyGroups: 0, loadedBlocks: 0, writeBacks: 0, writtenKeyGroups: 0, evictions: 0 };

  constructor(options: IndexedDbKeyedStateBackendOptions) {
    super(options);
    if (!Number.isInteger(options.maxResidentKeyGroups) || options.maxResidentKeyGroups < 1) {
      throw new RangeError(`maxResidentKeyGroups must be a positive integer, got ${options.maxResidentKeyGroups}`);
    }
    this.maxResidentKeyGroups = options.maxResidentKeyGroups;
    this.#store = options.store;
    this.#fraction = Math.min(1, options.maxResidentKeyGroups / Math.max(1, this.keyGroupRange.size));
  }

  /**
   * A backend whose working store holds every key group of its range found in `snapshots` (rescaling keeps only
   * those): all are written as chunks in one batch, then all but the first blocks the bound allows leave memory.
   */
  static restoreInto(
    options: IndexedDbKeyedStateBackendOptions,
    snapshots: readonly KeyedStateSnapshot[],
    done: StorageCallback<IndexedDbKeyedStateBackend>,
  ): void {
    const backend = new IndexedDbKeyedStateBackend(options);
    backend.restoreFrom(snapshots);
    const chunks = new Map<number, Uint8Array>();
    for (const keyGroup of backend.table.keyGroupsInUse()) {
      const blocks = backend.blockEntries(keyGroup, null);
      const chunk = joinChunk(blocks.map((entries) => encodeBlock(entries)));
      if (chunk === null) continue;
      chunks.set(keyGroup, chunk);
      blocks.forEach((entries, block) => {
        if (entries.length === 0) return;
        const id = keyGroup * BLOCKS_PER_KEY_GROUP + block;
        backend.#stored.add(id);
        backend.#nonEmpty.add(id);
      });
      backend.#versions.set(keyGroup, backend.#nextVersion++);
    }
    const keep = backend.blockLimit();
    for (const keyGroup of backend.table.keyGroupsInUse()) {
      for (const keys of backend.table.keyGroupStates(keyGroup)?.values() ?? []) {
        for (const key of keys.keys()) backend.keysOf(backend.blockOf(key, keyGroup)).add(key);
      }
    }
    const evicted: number[] = [];
    for (const id of backend.#nonEmpty) {
      if (backend.#resident.size < keep) backend.#resident.set(id, true);
      else evicted.push(id);
    }
    backend.removeFromTable(evicted);
    backend.notePeaks();
    if (chunks.size === 0) return done({ ok: true, value: backend });
    backend.#store.write(chunks, (result) => done(result.ok ? { ok: true, value: backend } : result));
  }

  /** The block id (keyGroup · BLOCKS_PER_KEY_GROUP + block) `key` belongs to. */
  blockOf(key: Key, keyGroup: number): number {
    return keyGroup * BLOCKS_PER_KEY_GROUP + blockInKeyGroup(key, this.maxParallelism);
  }

  isBlockResident(block: number): boolean {
    return this.#resident.has(block);
  }

  /** True when every block of `keyGroup` is in memory. */
  isResident(keyGroup: number): boolean {
    for (let block = 0; block < BLOCKS_PER_KEY_GROUP; block++) {
      if (!this.#resident.has(keyGroup * BLOCKS_PER_KEY_GROUP + block)) return false;
    }
    return true;
  }

  /** Key groups whose every block is in memory, ascending. */
  residentKeyGroups(): number[] {
    const counts = new Map<number, number>();
    for (const id of this.#resident.keys()) {
      const keyGroup = Math.floor(id / BLOCKS_PER_KEY_GROUP);
      counts.set(keyGroup, (counts.get(keyGroup) ?? 0) + 1);
    }
    return [...counts].filter(([, count]) => count === BLOCKS_PER_KEY_GROUP).map(([keyGroup]) => keyGroup).sort((a, b) => a - b);
  }

  /** Resident block ids, least recently used first. */
  residentBlocks(): number[] {
    return Array.from(this.#resident.keys());
  }

  /** The bound on resident blocks before a request's own blocks: ⌊f · non-empty blocks⌋, or Infinity when f = 1. */
  blockLimit(): number {
    return this.#fraction >= 1 ? Number.POSITIVE_INFINITY : Math.floor(this.#fraction * this.#nonEmpty.size);
  }

  /** What the backend holds in memory now (see IndexedDbMemoryUsage). O(key groups in memory × states). */
  memoryUsage(): IndexedDbMemoryUsage {
    const residentEntries = this.countResidentEntries();
    this.#peakResidentEntries = Math.max(this.#peakResidentEntries, residentEntries);
    return {
      residentBlocks: this.#resident.size,
      peakResidentBlocks: this.#peakResidentBlocks,
      blockLimit: this.blockLimit(),
      nonEmptyBlocks: this.#nonEmpty.size,
      residentEntries,
      peakResidentEntries: this.#peakResidentEntries,
      lastLoadBytes: this.#lastLoadBytes,
      peakLoadBytes: this.#peakLoadBytes,
    };
  }

  /** Scopes every state to `key`, whose block must be resident (else the task did not prefetch it). */
  override setCurrentKey(key: Key): void {
    if (this.#failure !== null) throw new Error(`The working state store failed: ${this.#failure}`);
    super.setCurrentKey(key);
    const keyGroup = this.getCurrentKeyGroupIndex();
    const block = this.blockOf(key, keyGroup);
    if (!this.#resident.has(block)) {
      throw new Error(`Key group ${keyGroup} is not resident (block ${block % BLOCKS_PER_KEY_GROUP}): it must be loaded (ensureBlocksResident) before its keys are processed`);
    }
    if (block !== this.#currentBlock) {
      this.#resident.delete(block);
      this.#resident.set(block, true);
      this.#currentBlock = block;
      this.#currentBlockKeys = null;
    }
  }

  /** Makes every block of `keyGroups` resident (see ensureBlocksResident); more key groups than the cache's is an error. */
  ensureResident(keyGroups: readonly number[], done: StorageCallback<void>): void {
    const wanted = [...new Set(keyGroups)];
    if (wanted.length > this.maxResidentKeyGroups) {
      return done({ ok: false, error: `${wanted.length} key groups requested at once; at most ${this.maxResidentKeyGroups} may be resident` });
    }
    const blocks: number[] = [];
    for (const keyGroup of wanted) for (let block = 0; block < BLOCKS_PER_KEY_GROUP; block++) blocks.push(keyGroup * BLOCKS_PER_KEY_GROUP + block);
    this.ensureBlocksResident(blocks, done);
  }

  /**
   * Makes `blocks` resident, evicting least recently used others beyond blockLimit() (dirty ones written back):
   * one read of the chunks of the key groups involved, one write of the changed chunks. Calls back once:
   * synchronously if nothing needs reading, else when the chunks are read. Requests run one after another.
   */
  ensureBlocksResident(blocks: readonly number[], done: StorageCallback<void>): void {
    const wanted = [...new Set(blocks)];
    for (const block of wanted) {
      const keyGroup = Math.floor(block / BLOCKS_PER_KEY_GROUP);
      if (!Number.isInteger(block) || block < 0 || !this.keyGroupRange.contains(keyGroup)) {
        return done({ ok: false, error: `Block ${block} (key group ${keyGroup}) is not in ${this.keyGroupRange}` });
      }
    }
    this.#queue.push(() => this.load(wanted, (result) => {
      this.#busy = false;
      done(result);
      this.next();
    }));
    this.next();
  }

  /**
   * The synchronous part of a snapshot: key groups wholly in memory as copy-on-write views; any key group with a
   * block only in the working store as `stored`, read now and assembled (frozen blocks + stored ones) into one
   * key-group piece per key group (keyed-state-blob.ts's binary piece, which every snapshot decoder reads).
   */
  override snapshot(): KeyedStateSnapshotView {
    for (const keyGroup of this.#changedSinceSnapshot) this.#versions.set(keyGroup, this.#nextVersion++);
    this.#changedSinceSnapshot.clear();
    const view = super.snapshot();
    const fromStore = new Map<number, number[]>();
    for (const id of this.#stored) {
      if (this.#resident.has(id)) continue;
      const keyGroup = Math.floor(id / BLOCKS_PER_KEY_GROUP);
      let blocks = fromStore.get(keyGroup);
      if (blocks === undefined) fromStore.set(keyGroup, (blocks = []));
      blocks.push(id % BLOCKS_PER_KEY_GROUP);
    }
    const inMemory = new Map<number, FrozenKeyGroup>();
    const partial = new Map<number, FrozenKeyGroup>();
    for (const [keyGroup, frozen] of view.keyGroups) (fromStore.has(keyGroup) ? partial : inMemory).set(keyGroup, frozen);
    const storedKeyGroups = [...fromStore.keys()].sort((a, b) => a - b);
    const versions = new Map<number, number>();
    for (const keyGroup of [...inMemory.keys(), ...storedKeyGroups]) versions.set(keyGroup, this.#versions.get(keyGroup) ?? 0);
    const stateKinds = view.stateMetaInfo;
    return {
      ...view,
      keyGroups: inMemory,
      stored: {
        keyGroups: storedKeyGroups,
        versions,
        read: (keyGroups, done) => {
          const wanted = keyGroups.filter((keyGroup) => fromStore.has(keyGroup));
          this.#store.load(wanted, (result) => {
            if (!result.ok) return done(result);
            try {
              const assembled = new Map<number, Uint8Array>();
              for (const keyGroup of wanted) {
                assembled.set(keyGroup, assembleKeyGroup(keyGroup, partial.get(keyGroup), result.value.get(keyGroup), fromStore.get(keyGroup)!, stateKinds));
              }
              done({ ok: true, value: assembled });
            } catch (error) {
              done({ ok: false, error: error instanceof Error ? error.message : String(error) });
            }
          });
        },
      },
    };
  }

  /** Every non-empty key group, resident or not, ascending. */
  override keyGroupsInUse(): number[] {
    const inUse = new Set(this.table.keyGroupsInUse());
    for (const id of this.#stored) if (!this.#resident.has(id)) inUse.add(Math.floor(id / BLOCKS_PER_KEY_GROUP));
    return [...inUse].sort((a, b) => a - b);
  }

  protected override keyGroupChanging(keyGroup: number): void {
    (this.#currentBlockKeys ??= this.keysOf(this.#currentBlock)).add(this.getCurrentKey()!);
    this.#dirty.add(this.#currentBlock);
    this.#nonEmpty.add(this.#currentBlock);
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
    const missing: number[] = [];
    for (const id of wanted) {
      if (!this.#resident.has(id)) {
        missing.push(id);
        continue;
      }
      this.#resident.delete(id);
      this.#resident.set(id, true);
    }
    if (missing.length === 0) return done({ ok: true, value: undefined });
    const keep = new Set(wanted);
    const limit = Math.max(wanted.length, this.blockLimit());
    const excess = this.#resident.size + missing.length - limit;
    const victims: number[] = [];
    if (excess > 0) {
      for (const id of this.#resident.keys()) {
        if (victims.length === excess) break;
        if (!keep.has(id)) victims.push(id);
      }
    }
    const toRead = missing.filter((id) => this.#stored.has(id));
    // Chunks to read: those holding blocks to load, and those a dirty victim's block goes back into.
    const keyGroups = new Set<number>();
    for (const id of toRead) keyGroups.add(Math.floor(id / BLOCKS_PER_KEY_GROUP));
    for (const id of victims) if (this.#dirty.has(id)) keyGroups.add(Math.floor(id / BLOCKS_PER_KEY_GROUP));
    const apply = (chunks: ReadonlyMap<number, Uint8Array>) => {
      let writes: Map<number, Uint8Array | null>;
      try {
        writes = this.swap(chunks, victims, toRead);
      } catch (error) {
        return done({ ok: false, error: error instanceof Error ? error.message : String(error) });
      }
      for (const id of missing) this.#resident.set(id, true);
      this.notePeaks();
      if (writes.size > 0) {
        this.metrics.writeBacks += 1;
        this.metrics.writtenKeyGroups += writes.size;
        this.#store.write(writes, (result) => {
          if (!result.ok) this.#failure ??= `writing back key groups ${[...writes.keys()].join(', ')} failed: ${result.error}`;
        });
      }
      done({ ok: true, value: undefined });
    };
    if (keyGroups.size === 0) return apply(new Map());
    this.metrics.loads += 1;
    this.metrics.loadedKeyGroups += keyGroups.size;
    this.metrics.loadedBlocks += toRead.length;
    this.#store.load([...keyGroups], (result) => (result.ok ? apply(result.value) : done(result)));
  }

  /**
   * Evicts `victims` (their dirty blocks spliced into their key groups' chunks) and decodes `toRead` from `chunks`;
   * returns the chunks to write. Synchronous, so no snapshot sees a block half moved.
   */
  private swap(chunks: ReadonlyMap<number, Uint8Array>, victims: readonly number[], toRead: readonly number[]): Map<number, Uint8Array | null> {
    let bytes = 0;
    for (const chunk of chunks.values()) bytes += chunk.length;
    this.#lastLoadBytes = bytes;
    this.#peakLoadBytes = Math.max(this.#peakLoadBytes, bytes);
    const split = new Map<number, Uint8Array[]>();
    const blocksOf = (keyGroup: number) => {
      let blocks = split.get(keyGroup);
      if (blocks === undefined) split.set(keyGroup, (blocks = splitChunk(chunks.get(keyGroup), keyGroup)));
      return blocks;
    };
    // Victims: dirty blocks encoded into their key groups' chunks, then every victim's keys leave the table.
    const dirtyByKeyGroup = new Map<number, Set<number>>();
    for (const id of victims) {
      if (!this.#dirty.has(id)) continue;
      const keyGroup = Math.floor(id / BLOCKS_PER_KEY_GROUP);
      let blocks = dirtyByKeyGroup.get(keyGroup);
      if (blocks === undefined) dirtyByKeyGroup.set(keyGroup, (blocks = new Set()));
      blocks.add(id % BLOCKS_PER_KEY_GROUP);
    }
    const writes = new Map<number, Uint8Array | null>();
    const stateNames = this.getRegisteredStateNames();
    for (const [keyGroup, dirtyBlocks] of dirtyByKeyGroup) {
      const blocks = blocksOf(keyGroup).slice();
      for (const block of dirtyBlocks) {
        const id = keyGroup * BLOCKS_PER_KEY_GROUP + block;
        blocks[block] = encodeBlock(this.liveEntries(keyGroup, id, stateNames));
        if (blocks[block]!.length > 0) this.#stored.add(id);
        else {
          this.#stored.delete(id);
          this.#nonEmpty.delete(id);
        }
        this.#dirty.delete(id);
      }
      writes.set(keyGroup, joinChunk(blocks));
    }
    this.removeFromTable(victims);
    for (const id of victims) this.#resident.delete(id);
    this.metrics.evictions += victims.length;
    const readByKeyGroup = new Map<number, number[]>();
    for (const id of toRead) {
      const keyGroup = Math.floor(id / BLOCKS_PER_KEY_GROUP);
      let ids = readByKeyGroup.get(keyGroup);
      if (ids === undefined) readByKeyGroup.set(keyGroup, (ids = []));
      ids.push(id);
    }
    for (const [keyGroup, ids] of readByKeyGroup) {
      const blocks = blocksOf(keyGroup);
      const decoded = decodeBlocks(ids.map((id) => blocks[id % BLOCKS_PER_KEY_GROUP]!));
      ids.forEach((id, i) => this.restoreBlock(keyGroup, id, decoded[i]!));
    }
    return writes;
  }

  private restoreBlock(keyGroup: number, id: number, entries: BlockEntries): void {
    {
      for (const [stateName, pairs] of entries) {
        const kind: StateKind | undefined = this.getStateKind(stateName);
        if (kind === undefined) throw new Error(`The chunk of key group ${keyGroup} holds unregistered state "${stateName}"`);
        const keys = this.keysOf(id);
        for (const [key, value] of pairs) {
          this.table.restore(keyGroup, stateName, key, fromSnapshotValue(kind, value));
          keys.add(key);
        }
      }
    }
  }

  /** A key group's live entries, by block; only `blocks` of them when given (others left empty). */
  private blockEntries(keyGroup: number, blocks: ReadonlySet<number> | null): BlockEntries[] {
    const byBlock: BlockEntries[] = Array.from({ length: BLOCKS_PER_KEY_GROUP }, () => []);
    for (const [stateName, keys] of this.table.keyGroupStates(keyGroup) ?? []) {
      const kind = this.getStateKind(stateName)!;
      const perBlock = new Map<number, Array<[Key, Json]>>();
      for (const [key, cell] of keys) {
        const block = blockInKeyGroup(key, this.maxParallelism);
        if (blocks !== null && !blocks.has(block)) continue;
        let pairs = perBlock.get(block);
        if (pairs === undefined) perBlock.set(block, (pairs = []));
        pairs.push([key, toSnapshotValue(kind, cell.value)]);
      }
      for (const [block, pairs] of perBlock) byBlock[block]!.push([stateName, pairs]);
    }
    return byBlock;
  }

  /** The keys of block `id` (created empty when it has none yet). */
  private keysOf(id: number): Set<Key> {
    let keys = this.#blockKeys.get(id);
    if (keys === undefined) this.#blockKeys.set(id, (keys = new Set()));
    return keys;
  }

  /** Block `id`'s live entries, by state. O(its keys × states). */
  private liveEntries(keyGroup: number, id: number, stateNames: readonly string[]): BlockEntries {
    const entries: BlockEntries = [];
    const keys = this.#blockKeys.get(id);
    if (keys === undefined) return entries;
    for (const stateName of stateNames) {
      const kind = this.getStateKind(stateName)!;
      const pairs: Array<[Key, Json]> = [];
      for (const key of keys) {
        if (this.table.has(keyGroup, stateName, key)) pairs.push([key, toSnapshotValue(kind, this.table.get(keyGroup, stateName, key))]);
      }
      if (pairs.length > 0) entries.push([stateName, pairs]);
    }
    return entries;
  }

  /** Drops the keys of `blocks` from the live table. O(their keys × states). */
  private removeFromTable(blocks: readonly number[]): void {
    const stateNames = this.getRegisteredStateNames();
    for (const id of blocks) {
      const keys = this.#blockKeys.get(id);
      if (keys === undefined) continue;
      const keyGroup = Math.floor(id / BLOCKS_PER_KEY_GROUP);
      for (const stateName of stateNames) for (const key of keys) this.table.remove(keyGroup, stateName, key);
      this.#blockKeys.delete(id);
      if (this.#currentBlock === id) this.#currentBlockKeys = null;
    }
  }

  private countResidentEntries(): number {
    let entries = 0;
    for (const keyGroup of this.table.keyGroupsInUse()) {
      for (const keys of this.table.keyGroupStates(keyGroup)?.values() ?? []) entries += keys.size;
    }
    return entries;
  }

  private notePeaks(): void {
    this.#peakResidentBlocks = Math.max(this.#peakResidentBlocks, this.#resident.size);
  }
}

/**
 * One key group as a key-group piece (src/engine/format/keyed-state-blob.ts, the bytes a hashmap backend's piece
 * has for the same state): its frozen blocks in memory plus `storedBlocks` of its chunk.
 */
function assembleKeyGroup(
  keyGroup: number,
  frozen: FrozenKeyGroup | undefined,
  chunk: Uint8Array | undefined,
  storedBlocks: readonly number[],
  stateKinds: ReadonlyMap<string, StateKind>,
): Uint8Array {
  const states = new Map<string, Map<Key, { readonly value: unknown }>>();
  const kindOf = (stateName: string) => stateKinds.get(stateName);
  for (const [stateName, keys] of frozen ?? []) states.set(stateName, new Map(keys));
  const blocks = splitChunk(chunk, keyGroup);
  for (const entries of decodeBlocks(storedBlocks.map((block) => blocks[block]!))) {
    for (const [stateName, pairs] of entries) {
      const kind = kindOf(stateName);
      if (kind === undefined) throw new Error(`State "${stateName}" has no registered kind`);
      let cells = states.get(stateName);
      if (cells === undefined) states.set(stateName, (cells = new Map()));
      for (const [key, value] of pairs) cells.set(key, { value: fromSnapshotValue(kind, value) });
    }
  }
  return encodeKeyGroupPiece(keyGroup, states, kindOf);
}
