import { describe, expect, it } from 'vitest';
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from './descriptors';
import { HeapKeyedStateBackend } from './heap-keyed-state-backend';
import { estimateSizeBytes } from './json';
import { KeyGroupRange } from './key-group-range';
import { assignToKeyGroup } from './key-groups';
import { materializeKeyedSnapshot, type KeyedStateSnapshot } from './keyed-state-snapshot';

const ALL = new KeyGroupRange(0, 127);

function fullBackend(): HeapKeyedStateBackend {
  return new HeapKeyedStateBackend({ maxParallelism: 128, keyGroupRange: ALL });
}

describe('HeapKeyedStateBackend keys and key groups', () => {
  it('remembers the current key and its key group', () => {
    const backend = fullBackend();
    expect(backend.getCurrentKey()).toBeNull();
    backend.setCurrentKey('hello');
    expect(backend.getCurrentKey()).toBe('hello');
    expect(backend.getCurrentKeyGroupIndex()).toBe(35);
  });

  it('refuses a key whose key group is outside its range, with Flink’s message', () => {
    const backend = new HeapKeyedStateBackend({ maxParallelism: 128, keyGroupRange: { start: 0, end: 63 } });
    backend.setCurrentKey('hello');
    expect(() => backend.setCurrentKey('a')).toThrow(
      /^Key group 81 is not in KeyGroupRange\{startKeyGroup=0, endKeyGroup=63\}\. Unless you're directly using/,
    );
    expect(backend.getCurrentKey()).toBe('hello');
  });

  it('refuses keys that are not strings or finite numbers', () => {
    const backend = fullBackend();
    expect(() => backend.setCurrentKey(Number.POSITIVE_INFINITY)).toThrow(/finite number/);
    expect(() => backend.setCurrentKey(undefined as never)).toThrow(/finite number/);
  });

  it('refuses a range beyond its maximum parallelism or an invalid maximum parallelism', () => {
    expect(() => new HeapKeyedStateBackend({ maxParallelism: 128, keyGroupRange: { start: 64, end: 128 } })).toThrow(
      /exceeds the maximum parallelism 128/,
    );
    expect(() => new HeapKeyedStateBackend({ maxParallelism: 0, keyGroupRange: KeyGroupRange.EMPTY })).toThrow(
      /not within bounds/,
    );
  });
});

describe('HeapKeyedStateBackend state registration', () => {
  it('returns the same state object for the same descriptor', () => {
    const backend = fullBackend();
    const descriptor = new ValueStateDescriptor<number>('v');
    expect(backend.getPartitionedState(descriptor)).toBe(backend.getPartitionedState(descriptor));
  });

  it('shares values between descriptors of the same name and kind', () => {
    const backend = fullBackend();
    backend.setCurrentKey('a');
    backend.getPartitionedState(new ValueStateDescriptor<number>('v')).update(7);
    expect(backend.getPartitionedState(new ValueStateDescriptor<number>('v')).value()).toBe(7);
  });

  it('refuses the same name with a different kind', () => {
    const backend = fullBackend();
    backend.getPartitionedState(new ValueStateDescriptor<number>('counts'));
    expect(() => backend.getPartitionedState(new ListStateDescriptor<number>('counts'))).toThrow(
      'Incompatible key/value state types for state "counts". Was [VALUE], registered with [LIST].',
    );
  });

  it('keeps state names apart', () => {
    const backend = fullBackend();
    backend.setCurrentKey('a');
    backend.getPartitionedState(new ValueStateDescriptor<number>('x')).update(1);
    expect(backend.getPartitionedState(new ValueStateDescriptor<number>('y')).value()).toBeNull();
    expect(backend.getRegisteredStateNames()).toEqual(['x', 'y']);
    expect(backend.getStateKind('x')).toBe('VALUE');
  });
});

describe('HeapKeyedStateBackend inspection', () => {
  it('lists keys, entries, key counts and key groups in use', () => {
    const backend = fullBackend();
    const value = backend.getPartitionedState(new ValueStateDescriptor<number>('v'));
    const map = backend.getPartitionedState(new MapStateDescriptor<string, number>('m'));
    for (const [key, n] of [['a', 1], ['hello', 2], [42, 3]] as const) {
      backend.setCurrentKey(key);
      value.update(n);
    }
    backend.setCurrentKey('zzz');
    map.put('u', 1);
    expect(backend.numberOfKeys('v')).toBe(3);
    expect(backend.numberOfKeys('m')).toBe(1);
    expect(backend.numberOfKeys()).toBe(4);
    // By ascending key group: 29 (42), 35 (hello), 81 (a).
    expect(Array.from(backend.keys('v'))).toEqual([42, 'hello', 'a']);
    expect(Array.from(backend.entries('v'))).toEqual([[42, 3], ['hello', 2], ['a', 1]]);
    expect(Array.from(backend.entries('m'))).toEqual([['zzz', [['u', 1]]]]);
    expect(Array.from(backend.entries('unknown'))).toEqual([]);
    expect(backend.keyGroupsInUse()).toEqual(
      [29, 35, 81, assignToKeyGroup('zzz', 128)].sort((a, b) => a - b),
    );
  });
});

function populate(backend: HeapKeyedStateBackend): void {
  backend.setCurrentKey('a');
  backend.getPartitionedState(new ValueStateDescriptor<{ n: number }>('value')).update({ n: 1 });
  backend.getPartitionedState(new ListStateDescriptor<number>('list')).addAll([1, 2]);
  backend.getPartitionedState(new MapStateDescriptor<string, number[]>('map')).put('k', [1]);
  backend.getPartitionedState(new ReducingStateDescriptor<number>('sum', (x, y) => x + y)).add(5);
  backend
    .getPartitionedState(
      new AggregatingStateDescriptor('count', {
        createAccumulator: () => ({ count: 0 }),
        add: (_: string, accumulator: { count: number }) => {
          accumulator.count++;
          return accumulator;
        },
        getResult: (accumulator: { count: number }) => accumulator.count,
      }),
    )
    .add('x');
}

describe('HeapKeyedStateBackend snapshots', () => {
  it('materialises plain JSON data by key group, with the state kinds', () => {
    const backend = fullBackend();
    populate(backend);
    const snapshot = materializeKeyedSnapshot(backend.snapshot());
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot).toEqual({
      backend: 'hashmap',
      maxParallelism: 128,
      keyGroupRange: { start: 0, end: 127 },
      stateMetaInfo: {
        value: { kind: 'VALUE' },
        list: { kind: 'LIST' },
        map: { kind: 'MAP' },
        sum: { kind: 'REDUCING' },
        count: { kind: 'AGGREGATING' },
      },
      keyGroups: [
        {
          keyGroup: 81,
          states: {
            value: [['a', { n: 1 }]],
            list: [['a', [1, 2]]],
            map: [['a', [['k', [1]]]]],
            sum: [['a', 5]],
            count: [['a', { count: 1 }]],
          },
        },
      ],
    });
  });

  it('is not changed by any later write, whatever the state kind', () => {
    const backend = fullBackend();
    populate(backend);
    const view = backend.snapshot();
    const before = JSON.stringify(materializeKeyedSnapshot(view));
    backend.setCurrentKey('a');
    const value = backend.getPartitionedState(new ValueStateDescriptor<{ n: number }>('value'));
    const held = value.value()!;
    held.n = 99;
    value.update(held);
    backend.getPartitionedState(new ListStateDescriptor<number>('list')).add(3);
    const map = backend.getPartitionedState(new MapStateDescriptor<string, number[]>('map'));
    map.get('k')!.push(2);
    map.put('k2', [3]);
    backend.getPartitionedState(new ReducingStateDescriptor<number>('sum', (x, y) => x + y)).add(1);
    backend.getPartitionedState(new AggregatingStateDescriptor('count', {
      createAccumulator: () => ({ count: 0 }),
      add: (_: string, accumulator: { count: number }) => {
        accumulator.count++;
        return accumulator;
      },
      getResult: (accumulator: { count: number }) => accumulator.count,
    })).add('y');
    backend.setCurrentKey('hello');
    backend.getPartitionedState(new ListStateDescriptor<number>('list')).add(7);
    expect(JSON.stringify(materializeKeyedSnapshot(view))).toBe(before);
    const after = materializeKeyedSnapshot(backend.snapshot());
    expect(after.keyGroups.map((group) => group.keyGroup)).toEqual([35, 81]);
    expect(after.keyGroups[1]!.states).toMatchObject({
      value: [['a', { n: 99 }]],
      list: [['a', [1, 2, 3]]],
      map: [['a', [['k', [1, 2]], ['k2', [3]]]]],
      sum: [['a', 6]],
      count: [['a', { count: 2 }]],
    });
  });

  it('is not changed by clearing state or removing keys after it was taken', () => {
    const backend = fullBackend();
    populate(backend);
    const view = backend.snapshot();
    const before = JSON.stringify(materializeKeyedSnapshot(view));
    backend.setCurrentKey('a');
    backend.getPartitionedState(new ValueStateDescriptor('value')).clear();
    backend.getPartitionedState(new ListStateDescriptor('list')).clear();
    backend.getPartitionedState(new MapStateDescriptor<string, number[]>('map')).remove('k');
    expect(JSON.stringify(materializeKeyedSnapshot(view))).toBe(before);
    expect(backend.numberOfKeys('map')).toBe(0);
  });

  it('keeps each of several snapshots as it was when taken', () => {
    const backend = fullBackend();
    const list = backend.getPartitionedState(new ListStateDescriptor<number>('list'));
    backend.setCurrentKey('a');
    const views = [];
    for (let n = 1; n <= 3; n++) {
      list.add(n);
      views.push(backend.snapshot());
    }
    expect(views.map((view) => materializeKeyedSnapshot(view).keyGroups[0]!.states['list'])).toEqual([
      [['a', [1]]],
      [['a', [1, 2]]],
      [['a', [1, 2, 3]]],
    ]);
  });

  it('captures references instead of copying values', () => {
    const backend = fullBackend();
    const big = Array.from({ length: 1000 }, (_, index) => index);
    backend.getPartitionedState(new ValueStateDescriptor<number[]>('big'));
    backend.setCurrentKey('a');
    backend.getPartitionedState(new ValueStateDescriptor<number[]>('big')).update(big);
    const snapshot = materializeKeyedSnapshot(backend.snapshot());
    expect(snapshot.keyGroups[0]!.states['big']![0]![1]).toBe(big);
  });

  it('holds only key groups that have state', () => {
    const backend = fullBackend();
    const value = backend.getPartitionedState(new ValueStateDescriptor<number>('v'));
    backend.setCurrentKey('a');
    value.update(1);
    value.clear();
    expect(materializeKeyedSnapshot(backend.snapshot()).keyGroups).toEqual([]);
  });

  it('has a size in bytes equal to the UTF-8 length of its JSON', () => {
    const backend = fullBackend();
    populate(backend);
    const snapshot = materializeKeyedSnapshot(backend.snapshot());
    expect(estimateSizeBytes(snapshot)).toBe(new TextEncoder().encode(JSON.stringify(snapshot)).length);
  });
});

describe('HeapKeyedStateBackend restore', () => {
  function snapshotOf(backend: HeapKeyedStateBackend): KeyedStateSnapshot {
    return JSON.parse(JSON.stringify(materializeKeyedSnapshot(backend.snapshot()))) as KeyedStateSnapshot;
  }

  it('round-trips every state kind through a snapshot', () => {
    const original = fullBackend();
    populate(original);
    const snapshot = snapshotOf(original);
    const restored = HeapKeyedStateBackend.restore({ maxParallelism: 128, keyGroupRange: ALL }, [snapshot]);
    expect(snapshotOf(restored)).toEqual(snapshot);
    restored.setCurrentKey('a');
    expect(restored.getPartitionedState(new MapStateDescriptor<string, number[]>('map')).get('k')).toEqual([1]);
    expect(restored.getPartitionedState(new ReducingStateDescriptor<number>('sum', (x, y) => x + y)).get()).toBe(5);
  });

  it('never changes the snapshot it restored from', () => {
    const original = fullBackend();
    populate(original);
    const snapshot = snapshotOf(original);
    const before = JSON.stringify(snapshot);
    const restored = HeapKeyedStateBackend.restore({ maxParallelism: 128, keyGroupRange: ALL }, [snapshot]);
    restored.setCurrentKey('a');
    restored.getPartitionedState(new ListStateDescriptor<number>('list')).add(3);
    restored.getPartitionedState(new ValueStateDescriptor<{ n: number }>('value')).value()!.n = 42;
    restored.getPartitionedState(new MapStateDescriptor<string, number[]>('map')).get('k')!.push(9);
    expect(JSON.stringify(snapshot)).toBe(before);
  });

  it('takes only the key groups inside its own range', () => {
    const original = fullBackend();
    const value = original.getPartitionedState(new ValueStateDescriptor<number>('v'));
    for (const key of ['a', 'hello']) {
      original.setCurrentKey(key);
      value.update(1);
    }
    const lower = HeapKeyedStateBackend.restore({ maxParallelism: 128, keyGroupRange: { start: 0, end: 63 } }, [
      snapshotOf(original),
    ]);
    expect(Array.from(lower.keys('v'))).toEqual(['hello']);
    expect(lower.getRegisteredStateNames()).toEqual(['v']);
  });

  it('refuses snapshots taken with another maximum parallelism, as Flink does', () => {
    const other = new HeapKeyedStateBackend({ maxParallelism: 256, keyGroupRange: { start: 0, end: 255 } });
    expect(() => HeapKeyedStateBackend.restore({ maxParallelism: 128, keyGroupRange: ALL }, [snapshotOf(other)])).toThrow(
      'The maximum parallelism (256) with which the keyed state snapshot was taken and the current maximum parallelism (128) differ. This is currently not supported.',
    );
  });

  it('refuses to register a restored state name under another kind', () => {
    const original = fullBackend();
    populate(original);
    const restored = HeapKeyedStateBackend.restore({ maxParallelism: 128, keyGroupRange: ALL }, [snapshotOf(original)]);
    expect(() => restored.getPartitionedState(new ValueStateDescriptor('list'))).toThrow(/Was \[LIST\], registered with \[VALUE\]/);
  });

  it('refuses a key group offered by two snapshots', () => {
    const original = fullBackend();
    populate(original);
    const snapshot = snapshotOf(original);
    expect(() => HeapKeyedStateBackend.restore({ maxParallelism: 128, keyGroupRange: ALL }, [snapshot, snapshot])).toThrow(
      'Key group 81 appears in more than one snapshot',
    );
  });

  it('refuses malformed or tampered snapshots with clear errors', () => {
    const original = fullBackend();
    populate(original);
    const good = snapshotOf(original);
    const restore = (snapshot: unknown) =>
      HeapKeyedStateBackend.restore({ maxParallelism: 128, keyGroupRange: ALL }, [snapshot as KeyedStateSnapshot]);
    expect(() => restore(null)).toThrow(/not an object/);
    expect(() => restore({ ...good, keyGroupRange: { start: 0, end: 200 } })).toThrow(/outside \[0, 128\)/);
    expect(() => restore({ ...good, stateMetaInfo: { value: { kind: 'FOLDING' } } })).toThrow(/unknown kind FOLDING/);
    expect(() => restore({ ...good, keyGroups: [{ keyGroup: 80, states: good.keyGroups[0]!.states }] })).toThrow(
      'Key "a" is filed under key group 80 but belongs to key group 81',
    );
    expect(() => restore({ ...good, keyGroups: [{ keyGroup: 81, states: { value: [['a']] } }] })).toThrow(
      /not a \[key, value\] pair/,
    );
    expect(() => restore({ ...good, keyGroups: [{ keyGroup: 81, states: { map: [['a', 3]] } }] })).toThrow(
      /not \[userKey, value\] pairs/,
    );
    expect(() => restore({ ...good, keyGroups: [{ keyGroup: 81, states: { nameless: [] } }] })).toThrow(
      /without stateMetaInfo/,
    );
    expect(() => restore({ ...good, keyGroups: [{ keyGroup: 81, states: { value: [[null, 1]] } }] })).toThrow(
      /finite number/,
    );
  });
});
