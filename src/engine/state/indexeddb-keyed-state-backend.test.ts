import { describe, expect, it } from 'vitest';
import type { StorageCallback } from '../ports/checkpoint-storage';
import type { KeyGroupStore } from '../ports/key-group-store';
import { IndexedDbKeyedStateBackend } from './indexeddb-keyed-state-backend';
import { HeapKeyedStateBackend } from './heap-keyed-state-backend';
import { ValueStateDescriptor } from './descriptors';
import { KeyGroupRange } from './key-group-range';
import { assignToKeyGroup } from './key-groups';
import { materializeKeyedSnapshot, type KeyGroupSnapshot } from './keyed-state-snapshot';

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

  decoded(keyGroup: number): KeyGroupSnapshot | null {
    const chunk = this.chunks.get(keyGroup);
    return chunk ? (JSON.parse(new TextDecoder().decode(chunk)) as KeyGroupSnapshot) : null;
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

describe('IndexedDbKeyedStateBackend', () => {
  it('refuses a key whose key group is not resident', () => {
    const { backend } = setup();
    expect(() => backend.setCurrentKey(keyOf.get(3)!)).toThrow(/Key group 3 is not resident/);
  });

  it('keeps at most maxResidentKeyGroups in memory, evicting the least recently used', () => {
    const { backend, put, read } = setup(2);
    put(0, 10);
    put(1, 11);
    read(0);
    put(2, 12);
    expect(backend.residentKeyGroups().sort()).toEqual([0, 2]);
    expect(backend.isResident(1)).toBe(false);
  });

  it('writes a dirty key group back as one chunk before evicting it, and reads it back after eviction', () => {
    const { store, backend, put, read } = setup(1);
    put(0, 10);
    expect(store.chunks.size).toBe(0);
    put(1, 11);
    expect(store.decoded(0)).toEqual({ keyGroup: 0, states: { sum: [[keyOf.get(0)!, 10]] } });
    expect(read(0)).toBe(10);
    expect(read(1)).toBe(11);
    expect(backend.metrics.loadedKeyGroups).toBe(2);
  });

  it('does not write back a clean key group it evicts', () => {
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
    put(2, 12); // evicts 0
    const view = backend.snapshot();
    expect([...view.keyGroups.keys()]).toEqual([1, 2]);
    expect(view.stored?.keyGroups).toEqual([0]);
    let stored: ReadonlyMap<number, Uint8Array> | null = null;
    view.stored!.read([0], (result) => (stored = result.ok ? result.value : null));
    put(0, 20); // evicts 1, loads 0 and changes it
    put(3, 13); // evicts 2
    put(4, 14); // evicts 0 again: its chunk is rewritten
    store.flush();
    expect(materializeKeyedSnapshot(view).keyGroups).toEqual([
      { keyGroup: 1, states: { sum: [[keyOf.get(1)!, 11]] } },
      { keyGroup: 2, states: { sum: [[keyOf.get(2)!, 12]] } },
    ]);
    expect(JSON.parse(new TextDecoder().decode(stored!.get(0)))).toEqual({ keyGroup: 0, states: { sum: [[keyOf.get(0)!, 10]] } });
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
    for (const [keyGroup, key] of keyOf) {
      heap.setCurrentKey(key);
      heap.getPartitionedState(sum).update(100 + keyGroup);
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
    expect(backend.residentKeyGroups().length).toBe(2);
    expect(backend.keyGroupsInUse()).toEqual([4, 5, 6, 7]);
    let done = false;
    backend.ensureResident([6, 7], () => (done = true));
    store.flush();
    expect(done).toBe(true);
    backend.setCurrentKey(keyOf.get(7)!);
    expect(backend.getPartitionedState(sum).value()).toBe(107);
  });

  it('rejects a request for more key groups than may be resident', () => {
    const { backend } = setup(2);
    let result: unknown = null;
    backend.ensureResident([0, 1, 2], (r) => (result = r));
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/at most 2/) });
  });
});
