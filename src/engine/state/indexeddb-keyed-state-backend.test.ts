import { describe, expect, it } from 'vitest';
import type { StorageCallback } from '../ports/checkpoint-storage';
import type { KeyGroupStore } from '../ports/key-group-store';
import { IndexedDbKeyedStateBackend } from './indexeddb-keyed-state-backend';
import { HeapKeyedStateBackend } from './heap-keyed-state-backend';
import { ValueStateDescriptor } from './descriptors';
import { KeyGroupRange } from './key-group-range';
import { assignToKeyGroup } from './key-groups';
import { materializeKeyedSnapshot, type KeyGroupSnapshot, type KeyedStateSnapshotView } from './keyed-state-snapshot';
import { BLOCKS_PER_KEY_GROUP, decodeBlock, splitChunk } from './indexeddb-block-chunk';
import { KeyGroupPrefetcher } from '../task/key-group-prefetcher';
import fc from 'fast-check';
import { decodeKeyGroupPiece } from '../format/keyed-state-blob';

const MAX_PARALLELISM = 8;

/** A working store whose calls take effect at once, in call order, and call back when the test flushes. */
class ManualStore implements KeyGroupStore {
  readonly chunks = new Map<number, Uint8Array>();
  readonly pending: Array<() => void> = [];
  writes = 0;

  load(keyGroups: readonly number[], done: StorageCallback<ReadonlyMap<number, Uint8Array>>): void {
    const loaded = new Map<number, Uint8Array>();
    for (const keyGroup of keyGroups) if (this.chunks.has(keyGroup)) loaded.set(keyGroup, this.chunks.get(keyGroup)!);
    this.pending.push(() => done({ ok: true, value: loaded }));
  }

  write(chunks: ReadonlyMap<number, Uint8Array | null>, done: StorageCallback<void>): void {
    this.writes += 1;
    for (const [keyGroup, chunk] of chunks) {
      if (chunk === null) this.chunks.delete(keyGroup);
      else this.chunks.set(keyGroup, chunk);
    }
    this.pending.push(() => done({ ok: true, value: undefined }));
  }

  flush(): void {
    while (this.pending.length > 0) this.pending.shift()!();
  }

  /** A chunk's entries as a KeyGroupSnapshot (blocks in order), or null when the store has none. */
  decoded(keyGroup: number): KeyGroupSnapshot | null {
    const chunk = this.chunks.get(keyGroup);
    if (!chunk) return null;
    const states: Record<string, Array<[unknown, unknown]>> = {};
    for (const block of splitChunk(chunk, keyGroup)) for (const [name, pairs] of decodeBlock(block)) (states[name] ??= []).push(...pairs);
    return { keyGroup, states } as KeyGroupSnapshot;
  }
}

const sum = new ValueStateDescriptor<number>('sum');

/** One key per key group 0..7 (found by search, so the test does not depend on hash values). */
const keyOf = new Map<number, string>();
for (let i = 0; keyOf.size < MAX_PARALLELISM; i++) {
  const keyGroup = assignToKeyGroup(`key-${i}`, MAX_PARALLELISM);
  if (!keyOf.has(keyGroup)) keyOf.set(keyGroup, `key-${i}`);
}

function setup(maxResidentKeyGroups = 2) {
  const store = new ManualStore();
  const backend = new IndexedDbKeyedStateBackend({ maxParallelism: MAX_PARALLELISM, keyGroupRange: new KeyGroupRange(0, 7), store, maxResidentKeyGroups });
  const resident = (keyGroups: number[]) => {
    let result: unknown = null;
    backend.ensureResident(keyGroups, (r) => (result = r));
    store.flush();
    expect(result).toEqual({ ok: true, value: undefined });
  };
  const put = (keyGroup: number, value: number) => {
    resident([keyGroup]);
    backend.setCurrentKey(keyOf.get(keyGroup)!);
    backend.getPartitionedState(sum).update(value);
  };
  const read = (keyGroup: number) => {
    resident([keyGroup]);
    backend.setCurrentKey(keyOf.get(keyGroup)!);
    return backend.getPartitionedState(sum).value();
  };
  return { store, backend, resident, put, read };
}

/** Every key → value of a view, stored key groups included (read as the snapshot strategies do, at once). */
function viewContents(view: KeyedStateSnapshotView, flush: () => void): Map<string, unknown> {
  const contents = new Map<string, unknown>();
  for (const snapshot of materializeKeyedSnapshot(view).keyGroups) for (const [key, value] of snapshot.states['sum'] ?? []) contents.set(String(key), value);
  let stored: ReadonlyMap<number, Uint8Array> | null = null;
  view.stored?.read(view.stored.keyGroups, (result) => (stored = result.ok ? result.value : null));
  flush();
  for (const chunk of (stored ?? new Map<number, Uint8Array>()).values()) {
    const snapshot = decodeKeyGroupPiece(chunk);
    for (const [key, value] of snapshot.states['sum'] ?? []) {
      expect(contents.has(String(key))).toBe(false);
      contents.set(String(key), value);
    }
  }
  return contents;
}

describe('IndexedDbKeyedStateBackend', () => {
  it('refuses a key whose block is not resident', () => {
    const { backend } = setup();
    expect(() => backend.setCurrentKey(keyOf.get(3)!)).toThrow(/Key group 3 is not resident/);
  });

  it('splits a key group into blocks by a stable hash of the key, and loads only the blocks asked for', () => {
    const { store, backend } = setup(1);
    const keys = Array.from({ length: 4000 }, (_, i) => `k${i}`).filter((key) => assignToKeyGroup(key, MAX_PARALLELISM) === 0);
    const blocks = new Set(keys.map((key) => backend.blockOf(key, 0)));
    expect(blocks.size).toBeGreaterThan(BLOCKS_PER_KEY_GROUP / 2);
    backend.ensureResident([0], () => undefined);
    keys.forEach((key, i) => {
      backend.setCurrentKey(key);
      backend.getPartitionedState(sum).update(i);
    });
    backend.ensureResident([1], () => undefined); // key group 0 leaves memory: one chunk of 64 blocks
    store.flush();
    expect([...store.chunks.keys()]).toEqual([0]);
    const one = backend.blockOf(keys[5]!, 0);
    let result: unknown = null;
    backend.ensureBlocksResident([one], (r) => (result = r));
    store.flush();
    expect(result).toEqual({ ok: true, value: undefined });
    expect(backend.isBlockResident(one)).toBe(true);
    expect(backend.isResident(0)).toBe(false);
    expect(backend.metrics.loadedBlocks).toBe(1);
    backend.setCurrentKey(keys[5]!);
    expect(backend.getPartitionedState(sum).value()).toBe(5);
  });

  it('writes a dirty block back into its key group chunk when evicting it, and reads it back after eviction', () => {
    const { store, backend, put, read } = setup(1);
    put(0, 10);
    expect(store.chunks.size).toBe(0);
    put(1, 11);
    expect(store.decoded(0)).toEqual({ keyGroup: 0, states: { sum: [[keyOf.get(0)!, 10]] } });
    expect(read(0)).toBe(10);
    expect(read(1)).toBe(11);
    expect(backend.metrics.loadedBlocks).toBe(2);
  });

  it('does not write back a clean block it evicts', () => {
    const { store, put, read } = setup(1);
    put(0, 10);
    put(1, 11); // writes 0
    read(0); // writes 1, loads 0
    const writes = store.writes;
    read(1); // 0 is clean: evicted without a write
    expect(store.writes).toBe(writes);
  });

  it('deletes the chunk of a key group that became empty', () => {
    const { store, backend, put, resident } = setup(1);
    put(0, 10);
    put(1, 11);
    resident([0]);
    backend.setCurrentKey(keyOf.get(0)!);
    backend.getPartitionedState(sum).clear();
    resident([1]);
    expect(store.chunks.has(0)).toBe(false);
    expect(backend.keyGroupsInUse()).toEqual([1]);
  });

  it('takes snapshots that later writes, evictions and reloads never change', () => {
    const { store, backend, put } = setup(2);
    put(0, 10);
    put(1, 11);
    put(2, 12); // evicts 0 and 1: the bound is 2/8 of 3 non-empty blocks, or the request
    const view = backend.snapshot();
    expect([...view.keyGroups.keys()]).toEqual([2]);
    expect(view.stored?.keyGroups).toEqual([0, 1]);
    let stored: ReadonlyMap<number, Uint8Array> | null = null;
    view.stored!.read([0], (result) => (stored = result.ok ? result.value : null));
    put(0, 20); // loads 0 and changes it
    put(3, 13);
    put(4, 14); // evicts 0 again: its chunk is rewritten
    store.flush();
    expect(materializeKeyedSnapshot(view).keyGroups).toEqual([{ keyGroup: 2, states: { sum: [[keyOf.get(2)!, 12]] } }]);
    expect(decodeKeyGroupPiece(stored!.get(0)!)).toEqual({ keyGroup: 0, states: { sum: [[keyOf.get(0)!, 10]] } });
  });

  it('gives a key group a new version only when it changed since the last snapshot', () => {
    const { backend, put, read } = setup(1);
    put(0, 10);
    put(1, 11);
    const first = backend.snapshot().stored!.versions;
    read(0);
    put(1, 12);
    const second = backend.snapshot().stored!.versions;
    expect(second.get(0)).toBe(first.get(0));
    expect(second.get(1)).not.toBe(first.get(1));
  });

  it('restores a hashmap snapshot into its working store, keeping only the bound in memory', () => {
    const heap = new HeapKeyedStateBackend({ maxParallelism: MAX_PARALLELISM, keyGroupRange: new KeyGroupRange(0, 7) });
    for (let i = 0; i < 200; i++) {
      heap.setCurrentKey(`r${i}`);
      heap.getPartitionedState(sum).update(i);
    }
    const snapshot = materializeKeyedSnapshot(heap.snapshot());
    const store = new ManualStore();
    let restored: IndexedDbKeyedStateBackend | null = null;
    IndexedDbKeyedStateBackend.restoreInto(
      { maxParallelism: MAX_PARALLELISM, keyGroupRange: new KeyGroupRange(4, 7), store, maxResidentKeyGroups: 2 },
      [snapshot],
      (result) => (restored = result.ok ? result.value : null),
    );
    store.flush();
    const backend = restored! as IndexedDbKeyedStateBackend;
    expect([...store.chunks.keys()].sort()).toEqual([4, 5, 6, 7]);
    const usage = backend.memoryUsage();
    expect(usage.residentBlocks).toBe(Math.floor(usage.nonEmptyBlocks / 2));
    expect(usage.residentEntries).toBeLessThan(70);
    expect(backend.keyGroupsInUse()).toEqual([4, 5, 6, 7]);
    const key = Array.from({ length: 200 }, (_, i) => `r${i}`).find((k) => assignToKeyGroup(k, MAX_PARALLELISM) === 7 && !backend.isBlockResident(backend.blockOf(k, 7)))!;
    let done = false;
    backend.ensureBlocksResident([backend.blockOf(key, 7)], () => (done = true));
    store.flush();
    expect(done).toBe(true);
    backend.setCurrentKey(key);
    expect(backend.getPartitionedState(sum).value()).toBe(Number(key.slice(1)));
  });

  it('rejects a request for more whole key groups than the cache holds', () => {
    const { backend } = setup(2);
    let result: unknown = null;
    backend.ensureResident([0, 1, 2], (r) => (result = r));
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/at most 2/) });
  });

  it('with a cache of 1–4 key groups keeps memory bounded and gives the hashmap backend\'s results and snapshots', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 80 }), { minLength: 1, maxLength: 25 }),
        fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }),
        (cache, buffers, snapshotAfter) => {
          const store = new ManualStore();
          const range = new KeyGroupRange(0, 7);
          const backend = new IndexedDbKeyedStateBackend({ maxParallelism: MAX_PARALLELISM, keyGroupRange: range, store, maxResidentKeyGroups: cache });
          const heap = new HeapKeyedStateBackend({ maxParallelism: MAX_PARALLELISM, keyGroupRange: range });
          const out: number[] = [];
          const expected: number[] = [];
          const prefetcher = new KeyGroupPrefetcher(backend, ((record: number) => `key-${record}`) as never, () => 0, (loaded) => expect(loaded.ok).toBe(true));
          let largestBuffer = 0;
          buffers.forEach((records, b) => {
            largestBuffer = Math.max(largestBuffer, new Set(records).size);
            for (const record of records) {
              heap.setCurrentKey(`key-${record}`);
              const state = heap.getPartitionedState(sum);
              state.update((state.value() ?? 0) + record + 1);
              expected.push(state.value()!);
            }
            prefetcher.start(records);
            while (prefetcher.hasBuffer) {
              prefetcher.process((record) => {
                backend.setCurrentKey(`key-${record as number}`);
                const state = backend.getPartitionedState(sum);
                state.update((state.value() ?? 0) + (record as number) + 1);
                out.push(state.value()!);
              });
              store.flush();
              // Bounded: the share of the state the cache is, or the blocks of the largest buffer asked for so far.
              expect(backend.residentBlocks().length).toBeLessThanOrEqual(Math.max(backend.blockLimit(), largestBuffer));
            }
            if (snapshotAfter[b]) {
              const flush = () => store.flush();
              expect(viewContents(backend.snapshot(), flush)).toEqual(viewContents(heap.snapshot(), flush));
            }
          });
          expect(out).toEqual(expected);
          const usage = backend.memoryUsage();
          expect(usage.residentBlocks).toBeLessThanOrEqual(Math.max(usage.blockLimit, largestBuffer));
          if (cache < 8 && usage.nonEmptyBlocks > 4 * largestBuffer) expect(backend.metrics.evictions).toBeGreaterThan(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
