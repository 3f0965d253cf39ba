import { describe, expect, it } from 'vitest';
import { HeapKeyedStateBackend, KeyGroupRange, ListStateDescriptor, ValueStateDescriptor } from '../state';
import { materializeKeyedSnapshot } from '../state/keyed-state-snapshot';
import { SAMPLE_VALUE_CHARS } from '../samples';
import { KeyWriteEpochs } from './key-write-epochs';
import { compareKeys, sampleKeyedState } from './keyed-state-sample';

function backendWith(keys: number): HeapKeyedStateBackend {
  const backend = new HeapKeyedStateBackend({ maxParallelism: 128, keyGroupRange: new KeyGroupRange(0, 127) });
  const sum = backend.getPartitionedState(new ValueStateDescriptor<number>('sum'));
  for (let i = keys - 1; i >= 0; i--) {
    backend.setCurrentKey(`key-${i}`);
    sum.update(i);
  }
  return backend;
}

describe('sampleKeyedState', () => {
  it('takes the smallest keys in natural order, at most the limit, and counts them all', () => {
    const backend = backendWith(500);
    const sample = sampleKeyedState(backend, new KeyWriteEpochs(backend, 0, 0), 200);
    expect(sample.totalKeys).toBe(500);
    expect(sample.keys).toHaveLength(200);
    expect(sample.keys.map((key) => key.key)).toEqual(Array.from({ length: 200 }, (_, i) => `key-${i}`));
    expect(sample.keys[12]).toEqual({ key: 'key-12', value: 12, epoch: 0 });
  });

  it('gives each key the epoch that last wrote it, and restored keys the restored checkpoint', () => {
    const backend = HeapKeyedStateBackend.restore({ maxParallelism: 128, keyGroupRange: new KeyGroupRange(0, 127) }, [materializeKeyedSnapshot(backendWith(3).snapshot())]);
    const epochs = new KeyWriteEpochs(backend, 4, 5);
    epochs.enter(6);
    backend.setCurrentKey('key-1');
    backend.getPartitionedState(new ValueStateDescriptor<number>('sum')).update(100);
    expect(sampleKeyedState(backend, epochs, 10).keys).toEqual([
      { key: 'key-0', value: 0, epoch: 4 },
      { key: 'key-1', value: 100, epoch: 6 },
      { key: 'key-2', value: 2, epoch: 4 },
    ]);
  });

  it('counts a clear of one state as a write of the key, and an object handed out to change in place', () => {
    const backend = new HeapKeyedStateBackend({ maxParallelism: 128, keyGroupRange: new KeyGroupRange(0, 127) });
    const count = backend.getPartitionedState(new ValueStateDescriptor<number>('count'));
    const seen = backend.getPartitionedState(new ListStateDescriptor<string>('seen'));
    const epochs = new KeyWriteEpochs(backend, 0, 1);
    backend.setCurrentKey('a');
    count.update(1);
    seen.add('x');
    backend.setCurrentKey('b');
    count.update(1);
    seen.add('y');
    epochs.enter(2);
    backend.setCurrentKey('a');
    count.clear();
    epochs.enter(3);
    backend.setCurrentKey('b');
    seen.add('z');
    expect(sampleKeyedState(backend, epochs, 10).keys.map(({ key, epoch }) => [key, epoch])).toEqual([
      ['a', 2],
      ['b', 3],
    ]);
  });

  it('shows several states of a key by name, and cuts long values', () => {
    const backend = new HeapKeyedStateBackend({ maxParallelism: 128, keyGroupRange: new KeyGroupRange(0, 127) });
    const count = backend.getPartitionedState(new ValueStateDescriptor<number>('count'));
    const seen = backend.getPartitionedState(new ListStateDescriptor<string>('seen'));
    backend.setCurrentKey('a');
    count.update(1);
    seen.addAll(Array.from({ length: 100 }, (_, i) => `record-${i}`));
    backend.setCurrentKey('b');
    count.update(2);
    const sample = sampleKeyedState(backend, new KeyWriteEpochs(backend, 0, 0), 10);
    expect(sample.totalKeys).toBe(2);
    expect(sample.keys[1]).toEqual({ key: 'b', value: { count: 2 }, epoch: 0 });
    expect(sample.keys[0]!.value).toHaveLength(SAMPLE_VALUE_CHARS);
    expect(String(sample.keys[0]!.value).startsWith('{"count":1,"seen":["record-0"')).toBe(true);
  });
});

describe('compareKeys', () => {
  it('orders numbers first, then strings with digit runs as numbers', () => {
    const keys = ['key-10', 'key-2', 'b', 3, 'key-1', 'a10', 'a9', 1];
    expect([...keys].sort(compareKeys)).toEqual([1, 3, 'a9', 'a10', 'b', 'key-1', 'key-2', 'key-10']);
  });
});
