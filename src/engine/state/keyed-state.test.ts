import { beforeEach, describe, expect, it } from 'vitest';
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from './descriptors';
import { HeapKeyedStateBackend } from './heap-keyed-state-backend';
import { KeyGroupRange } from './key-group-range';

let backend: HeapKeyedStateBackend;

beforeEach(() => {
  backend = new HeapKeyedStateBackend({ maxParallelism: 128, keyGroupRange: new KeyGroupRange(0, 127) });
});

describe('ValueState', () => {
  it('keeps one value per key, scoped to the current key', () => {
    const sum = backend.getPartitionedState(new ValueStateDescriptor<number>('sum'));
    backend.setCurrentKey('a');
    sum.update(1);
    backend.setCurrentKey('b');
    expect(sum.value()).toBeNull();
    sum.update(10);
    backend.setCurrentKey('a');
    expect(sum.value()).toBe(1);
    backend.setCurrentKey('b');
    expect(sum.value()).toBe(10);
  });

  it('tells the number key 1 from the string key "1"', () => {
    const state = backend.getPartitionedState(new ValueStateDescriptor<string>('v'));
    backend.setCurrentKey(1);
    state.update('number');
    backend.setCurrentKey('1');
    state.update('string');
    backend.setCurrentKey(1);
    expect(state.value()).toBe('number');
  });

  it('returns the default value until updated, and again after clear', () => {
    const count = backend.getPartitionedState(new ValueStateDescriptor<number>('count', 0));
    backend.setCurrentKey('a');
    expect(count.value()).toBe(0);
    count.update(5);
    expect(count.value()).toBe(5);
    count.clear();
    expect(count.value()).toBe(0);
  });

  it('clears when updated to null, as Flink does', () => {
    const state = backend.getPartitionedState(new ValueStateDescriptor<string>('v'));
    backend.setCurrentKey('a');
    state.update('x');
    state.update(null);
    expect(state.value()).toBeNull();
    expect(backend.numberOfKeys('v')).toBe(0);
  });

  it('clears only the current key', () => {
    const state = backend.getPartitionedState(new ValueStateDescriptor<number>('v'));
    for (const key of ['a', 'b']) {
      backend.setCurrentKey(key);
      state.update(1);
    }
    backend.setCurrentKey('a');
    state.clear();
    backend.setCurrentKey('b');
    expect(state.value()).toBe(1);
    expect(Array.from(backend.keys('v'))).toEqual(['b']);
  });

  it('refuses access before any key is set', () => {
    const state = backend.getPartitionedState(new ValueStateDescriptor<number>('v'));
    expect(() => state.value()).toThrow('No key set. This method should not be called outside of a keyed context.');
  });
});

describe('ListState', () => {
  it('adds, adds all, and returns an empty list for a key without state', () => {
    const list = backend.getPartitionedState(new ListStateDescriptor<number>('list'));
    backend.setCurrentKey('a');
    expect(list.get()).toEqual([]);
    list.add(1);
    list.addAll([2, 3]);
    expect(list.get()).toEqual([1, 2, 3]);
    backend.setCurrentKey('b');
    expect(list.get()).toEqual([]);
  });

  it('replaces the list on update, and an empty update clears it', () => {
    const list = backend.getPartitionedState(new ListStateDescriptor<string>('list'));
    backend.setCurrentKey('a');
    list.addAll(['x', 'y']);
    list.update(['z']);
    expect(list.get()).toEqual(['z']);
    list.update([]);
    expect(list.get()).toEqual([]);
    expect(backend.numberOfKeys('list')).toBe(0);
  });

  it('does not keep the array passed to update or addAll', () => {
    const list = backend.getPartitionedState(new ListStateDescriptor<number>('list'));
    backend.setCurrentKey('a');
    const input = [1, 2];
    list.update(input);
    input.push(3);
    list.addAll(input);
    input.push(4);
    expect(list.get()).toEqual([1, 2, 1, 2, 3]);
  });

  it('refuses null elements, as Flink does', () => {
    const list = backend.getPartitionedState(new ListStateDescriptor<number | null>('list'));
    backend.setCurrentKey('a');
    expect(() => list.add(null)).toThrow('You cannot add null to a ListState.');
    expect(() => list.update([1, null])).toThrow('You cannot add null to a ListState.');
    expect(list.get()).toEqual([]);
  });

  it('clears the current key’s list', () => {
    const list = backend.getPartitionedState(new ListStateDescriptor<number>('list'));
    backend.setCurrentKey('a');
    list.add(1);
    list.clear();
    expect(list.get()).toEqual([]);
  });
});

describe('MapState', () => {
  it('puts, gets, removes and checks user keys per current key', () => {
    const map = backend.getPartitionedState(new MapStateDescriptor<string, number>('map'));
    backend.setCurrentKey('a');
    expect(map.isEmpty()).toBe(true);
    map.put('x', 1);
    map.putAll([
      ['y', 2],
      ['z', 3],
    ]);
    expect(map.get('y')).toBe(2);
    expect(map.get('missing')).toBeNull();
    expect(map.contains('x')).toBe(true);
    map.remove('x');
    expect(map.contains('x')).toBe(false);
    expect(map.keys()).toEqual(['y', 'z']);
    expect(map.values()).toEqual([2, 3]);
    expect(map.entries()).toEqual([
      ['y', 2],
      ['z', 3],
    ]);
    backend.setCurrentKey('b');
    expect(map.isEmpty()).toBe(true);
    expect(map.get('y')).toBeNull();
  });

  it('accepts a Map in putAll and number user keys', () => {
    const map = backend.getPartitionedState(new MapStateDescriptor<number, string>('map'));
    backend.setCurrentKey('a');
    map.putAll(new Map([[1, 'one']]));
    expect(map.get(1)).toBe('one');
  });

  it('drops the key’s state when its last entry is removed, as Flink’s HeapMapState does', () => {
    const map = backend.getPartitionedState(new MapStateDescriptor<string, number>('map'));
    backend.setCurrentKey('a');
    map.put('x', 1);
    map.remove('x');
    expect(map.isEmpty()).toBe(true);
    expect(backend.numberOfKeys('map')).toBe(0);
  });

  it('clears every entry of the current key', () => {
    const map = backend.getPartitionedState(new MapStateDescriptor<string, number>('map'));
    backend.setCurrentKey('a');
    map.put('x', 1);
    map.put('y', 2);
    map.clear();
    expect(map.isEmpty()).toBe(true);
    expect(map.entries()).toEqual([]);
  });

  it('refuses user keys that are not strings or finite numbers', () => {
    const map = backend.getPartitionedState(new MapStateDescriptor<number, number>('map'));
    backend.setCurrentKey('a');
    expect(() => map.put(Number.NaN, 1)).toThrow(/MapState key/);
  });
});

describe('ReducingState', () => {
  it('folds every added value with the reduce function', () => {
    const max = backend.getPartitionedState(new ReducingStateDescriptor<number>('max', (a, b) => Math.max(a, b)));
    backend.setCurrentKey('a');
    expect(max.get()).toBeNull();
    for (const value of [3, 9, 4]) max.add(value);
    expect(max.get()).toBe(9);
    backend.setCurrentKey('b');
    max.add(1);
    expect(max.get()).toBe(1);
  });

  it('stores the first value as it is, without calling the reduce function', () => {
    const calls: Array<[number, number]> = [];
    const sum = backend.getPartitionedState(
      new ReducingStateDescriptor<number>('sum', (a, b) => {
        calls.push([a, b]);
        return a + b;
      }),
    );
    backend.setCurrentKey('a');
    sum.add(1);
    sum.add(2);
    expect(calls).toEqual([[1, 2]]);
    expect(sum.get()).toBe(3);
  });

  it('clears on clear() and when null is added', () => {
    const sum = backend.getPartitionedState(new ReducingStateDescriptor<number>('sum', (a, b) => a + b));
    backend.setCurrentKey('a');
    sum.add(1);
    sum.clear();
    expect(sum.get()).toBeNull();
    sum.add(2);
    sum.add(null);
    expect(sum.get()).toBeNull();
  });
});

describe('AggregatingState', () => {
  type Average = { sum: number; count: number };
  const average = {
    createAccumulator: (): Average => ({ sum: 0, count: 0 }),
    add: (value: number, accumulator: Average): Average => ({ sum: accumulator.sum + value, count: accumulator.count + 1 }),
    getResult: (accumulator: Average): number => accumulator.sum / accumulator.count,
  };

  it('aggregates into an accumulator created on the first add and returns getResult', () => {
    const state = backend.getPartitionedState(new AggregatingStateDescriptor('average', average));
    backend.setCurrentKey('a');
    expect(state.get()).toBeNull();
    state.add(2);
    state.add(4);
    expect(state.get()).toBe(3);
    backend.setCurrentKey('b');
    state.add(10);
    expect(state.get()).toBe(10);
    expect(Array.from(backend.entries('average'))).toEqual(
      expect.arrayContaining([
        ['a', { sum: 6, count: 2 }],
        ['b', { sum: 10, count: 1 }],
      ]),
    );
  });

  it('lets add change the accumulator in place', () => {
    const inPlace = {
      ...average,
      add: (value: number, accumulator: Average): Average => {
        accumulator.sum += value;
        accumulator.count++;
        return accumulator;
      },
    };
    const state = backend.getPartitionedState(new AggregatingStateDescriptor('average', inPlace));
    backend.setCurrentKey('a');
    state.add(1);
    state.add(5);
    expect(state.get()).toBe(3);
  });

  it('clears on clear() and when null is added', () => {
    const state = backend.getPartitionedState(new AggregatingStateDescriptor('average', average));
    backend.setCurrentKey('a');
    state.add(1);
    state.clear();
    expect(state.get()).toBeNull();
    state.add(1);
    state.add(null);
    expect(state.get()).toBeNull();
  });
});

describe('descriptors', () => {
  it('carry a kind discriminator and their name', () => {
    expect(new ValueStateDescriptor('a').kind).toBe('VALUE');
    expect(new ListStateDescriptor('b').kind).toBe('LIST');
    expect(new MapStateDescriptor('c').kind).toBe('MAP');
    expect(new ReducingStateDescriptor<number>('d', (a, b) => a + b).kind).toBe('REDUCING');
    expect(new AggregatingStateDescriptor('e', { createAccumulator: () => 0, add: () => 0, getResult: () => 0 }).name).toBe('e');
  });

  it('refuse an empty name and missing functions', () => {
    expect(() => new ValueStateDescriptor('')).toThrow(/non-empty/);
    expect(() => new ReducingStateDescriptor('r', undefined as never)).toThrow(/reduce function/);
    expect(() => new AggregatingStateDescriptor('a', {} as never)).toThrow(/aggregate function/);
  });
});
