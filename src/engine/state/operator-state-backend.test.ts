import { describe, expect, it } from 'vitest';
import { ListStateDescriptor } from './descriptors';
import { OperatorStateBackend } from './operator-state-backend';
import type { OperatorStateSnapshot } from './operator-state-snapshot';

describe('OperatorStateBackend', () => {
  it('keeps named lists for the whole subtask, with Flink’s ListState methods', () => {
    const backend = new OperatorStateBackend();
    const offsets = backend.getListState(new ListStateDescriptor<number>('offsets'));
    expect(offsets.get()).toEqual([]);
    offsets.add(1);
    offsets.addAll([2, 3]);
    expect(offsets.get()).toEqual([1, 2, 3]);
    offsets.update([7]);
    expect(backend.getListState(new ListStateDescriptor<number>('offsets')).get()).toEqual([7]);
    offsets.clear();
    expect(offsets.get()).toEqual([]);
    expect(() => offsets.add(null as never)).toThrow('You cannot add null to a ListState.');
  });

  it('snapshots every list with its distribution mode', () => {
    const backend = new OperatorStateBackend();
    backend.getListState(new ListStateDescriptor<number>('split')).addAll([1, 2]);
    backend.getUnionListState(new ListStateDescriptor<string>('union')).add('u');
    backend.getListState(new ListStateDescriptor<number>('empty'));
    expect(backend.snapshot()).toEqual({
      states: {
        split: { mode: 'SPLIT_DISTRIBUTE', entries: [1, 2] },
        union: { mode: 'UNION', entries: ['u'] },
        empty: { mode: 'SPLIT_DISTRIBUTE', entries: [] },
      },
    });
  });

  it('never changes a snapshot after it was taken', () => {
    const backend = new OperatorStateBackend();
    const list = backend.getListState(new ListStateDescriptor<{ offset: number }>('offsets'));
    const element = { offset: 1 };
    list.add(element);
    const snapshot = backend.snapshot();
    element.offset = 2;
    list.add({ offset: 3 });
    expect(snapshot.states['offsets']!.entries).toEqual([{ offset: 1 }]);
  });

  it('refuses the same name under the other distribution mode', () => {
    const backend = new OperatorStateBackend();
    backend.getListState(new ListStateDescriptor('offsets'));
    expect(() => backend.getUnionListState(new ListStateDescriptor('offsets'))).toThrow(
      'Incompatible assignment mode for state "offsets". Provided: UNION, expected: SPLIT_DISTRIBUTE.',
    );
  });

  it('restores lists and modes from a snapshot without sharing them', () => {
    const snapshot: OperatorStateSnapshot = {
      states: { offsets: { mode: 'SPLIT_DISTRIBUTE', entries: [{ split: 0, offset: 5 }] }, all: { mode: 'UNION', entries: [1] } },
    };
    const backend = OperatorStateBackend.restore(snapshot);
    expect(backend.getRegisteredStateNames()).toEqual(['offsets', 'all']);
    expect(backend.getDistributionMode('all')).toBe('UNION');
    const offsets = backend.getListState(new ListStateDescriptor<{ split: number; offset: number }>('offsets'));
    offsets.get()[0]!.offset = 6;
    offsets.add({ split: 1, offset: 0 });
    expect(snapshot.states['offsets']!.entries).toEqual([{ split: 0, offset: 5 }]);
    expect(() => backend.getListState(new ListStateDescriptor('all'))).toThrow(/Incompatible assignment mode/);
  });

  it('refuses malformed snapshots with clear errors', () => {
    expect(() => OperatorStateBackend.restore({} as never)).toThrow(/no states object/);
    expect(() => OperatorStateBackend.restore({ states: { x: { mode: 'BROADCAST', entries: [] } } } as never)).toThrow(
      /unknown mode BROADCAST/,
    );
    expect(() => OperatorStateBackend.restore({ states: { x: { mode: 'UNION' } } } as never)).toThrow(/no entries array/);
  });
});
