import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ListStateDescriptor, ValueStateDescriptor } from './descriptors';
import { HeapKeyedStateBackend } from './heap-keyed-state-backend';
import type { Key } from './java-hash-code';
import type { Json } from './json';
import { assignKeyToParallelOperator, computeKeyGroupRangeForOperatorIndex } from './key-groups';
import { materializeKeyedSnapshot, type KeyedStateSnapshot } from './keyed-state-snapshot';

const VALUE = new ValueStateDescriptor<Json>('value');
const HISTORY = new ListStateDescriptor<Json>('history');

function backendsFor(maxParallelism: number, parallelism: number, snapshots?: KeyedStateSnapshot[]): HeapKeyedStateBackend[] {
  return Array.from({ length: parallelism }, (_, index) => {
    const options = {
      maxParallelism,
      keyGroupRange: computeKeyGroupRangeForOperatorIndex(maxParallelism, parallelism, index),
    };
    return snapshots ? HeapKeyedStateBackend.restore(options, snapshots) : new HeapKeyedStateBackend(options);
  });
}

/** Writes each key's value (and a one-element history) on the subtask that owns the key, as keyBy routes it. */
function write(backends: HeapKeyedStateBackend[], maxParallelism: number, values: ReadonlyMap<Key, Json>): void {
  for (const [key, value] of values) {
    const backend = backends[assignKeyToParallelOperator(key, maxParallelism, backends.length)]!;
    backend.setCurrentKey(key);
    backend.getPartitionedState(VALUE).update(value);
    backend.getPartitionedState(HISTORY).add(value);
  }
}

/** Snapshots as they would come back from storage: materialised and through JSON. */
function snapshotAll(backends: HeapKeyedStateBackend[]): KeyedStateSnapshot[] {
  return backends.map(
    (backend) => JSON.parse(JSON.stringify(materializeKeyedSnapshot(backend.snapshot()))) as KeyedStateSnapshot,
  );
}

/** Every key with its value, checking that each key sits once, on the subtask that owns it now. */
function collect(backends: HeapKeyedStateBackend[], maxParallelism: number): Map<Key, Json> {
  const found = new Map<Key, Json>();
  backends.forEach((backend, index) => {
    for (const [key, value] of backend.entries('value')) {
      expect(found.has(key), `key ${JSON.stringify(key)} restored twice`).toBe(false);
      expect(assignKeyToParallelOperator(key, maxParallelism, backends.length)).toBe(index);
      found.set(key, value);
      backend.setCurrentKey(key);
      expect(backend.getPartitionedState(HISTORY).get()).toEqual([value]);
    }
  });
  return found;
}

function rescale(maxParallelism: number, oldParallelism: number, newParallelism: number, values: Map<Key, Json>) {
  const old = backendsFor(maxParallelism, oldParallelism);
  write(old, maxParallelism, values);
  const rescaled = backendsFor(maxParallelism, newParallelism, snapshotAll(old));
  return { old, rescaled, found: collect(rescaled, maxParallelism) };
}

function sampleValues(count: number): Map<Key, Json> {
  const values = new Map<Key, Json>();
  for (let n = 0; n < count; n++) values.set(n % 2 === 0 ? `user-${n}` : n, { total: n * 10, tags: [`t${n}`] });
  return values;
}

describe('rescaling keyed state', () => {
  it('keeps every key’s value exactly once when scaling up from 2 to 3 subtasks', () => {
    const values = sampleValues(200);
    const { rescaled, found } = rescale(128, 2, 3, values);
    expect(found).toEqual(values);
    expect(rescaled.every((backend) => backend.numberOfKeys('value') > 0)).toBe(true);
  });

  it('keeps every key’s value exactly once when scaling down from 4 to 2 subtasks', () => {
    const values = sampleValues(200);
    expect(rescale(128, 4, 2, values).found).toEqual(values);
  });

  it('moves key group 64 from subtask 1 of 2 to subtask 1 of 3 and key group 43 from subtask 0 to 1', () => {
    const { rescaled } = rescale(128, 2, 3, sampleValues(400));
    expect(rescaled[1]!.keyGroupRange.toJson()).toEqual({ start: 43, end: 85 });
    const groups = rescaled[1]!.keyGroupsInUse();
    expect(groups.every((keyGroup) => keyGroup >= 43 && keyGroup <= 85)).toBe(true);
    expect(groups).toContain(43);
    expect(groups).toContain(64);
  });

  it('lets the restored state go on from where it was (running sum across a rescale)', () => {
    const sum = new ValueStateDescriptor<number>('sum');
    const old = backendsFor(128, 2);
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const add = (backends: HeapKeyedStateBackend[], key: string, amount: number) => {
      const backend = backends[assignKeyToParallelOperator(key, 128, backends.length)]!;
      backend.setCurrentKey(key);
      const state = backend.getPartitionedState(sum);
      state.update((state.value() ?? 0) + amount);
      return state.value();
    };
    for (const key of keys) add(old, key, 1);
    const rescaled = backendsFor(128, 3, snapshotAll(old));
    expect(keys.map((key) => add(rescaled, key, 2))).toEqual([3, 3, 3, 3, 3]);
  });

  it('restores every key exactly once with its value for random keys and parallelisms (fast-check seed 4242)', () => {
    const key = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    );
    const value = fc.jsonValue() as fc.Arbitrary<Json>;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k, maxLength: 60 }),
        (maxParallelism, oldWanted, newWanted, pairs) => {
          const oldParallelism = Math.min(oldWanted, maxParallelism);
          const newParallelism = Math.min(newWanted, maxParallelism);
          const values = new Map<Key, Json>(pairs.map(([k, v]) => [k, v === null ? 0 : v]));
          const roundTripped = new Map(JSON.parse(JSON.stringify(Array.from(values))) as Array<[Key, Json]>);
          expect(rescale(maxParallelism, oldParallelism, newParallelism, values).found).toEqual(roundTripped);
        },
      ),
      { seed: 4242, numRuns: 150 },
    );
  });
});
