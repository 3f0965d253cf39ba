import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Json } from './json';
import { repartitionOperatorState, splitEvenly } from './operator-state-repartitioner';
import type { OperatorStateSnapshot } from './operator-state-snapshot';

function split(...lists: Json[][]): OperatorStateSnapshot[] {
  return lists.map((entries) => ({ states: { offsets: { mode: 'SPLIT_DISTRIBUTE', entries } } }));
}

function entriesOf(snapshots: OperatorStateSnapshot[], name: string): Array<readonly Json[] | undefined> {
  return snapshots.map((snapshot) => snapshot.states[name]?.entries);
}

describe('repartitionOperatorState with unchanged parallelism', () => {
  it('keeps each subtask’s own even-split list', () => {
    const previous = split([1, 2, 3], [], [4]);
    expect(entriesOf(repartitionOperatorState(previous, 3), 'offsets')).toEqual([[1, 2, 3], [], [4]]);
  });

  it('still gives every subtask the union of union lists, as Flink does', () => {
    const previous: OperatorStateSnapshot[] = [
      { states: { all: { mode: 'UNION', entries: ['a'] }, own: { mode: 'SPLIT_DISTRIBUTE', entries: [1] } } },
      { states: { all: { mode: 'UNION', entries: ['b', 'c'] }, own: { mode: 'SPLIT_DISTRIBUTE', entries: [2] } } },
    ];
    const next = repartitionOperatorState(previous, 2);
    expect(entriesOf(next, 'all')).toEqual([['a', 'b', 'c'], ['a', 'b', 'c']]);
    expect(entriesOf(next, 'own')).toEqual([[1], [2]]);
  });
});

describe('repartitionOperatorState with even split', () => {
  it('scales up by cutting the concatenated lists into contiguous slices, extras first', () => {
    const previous = split([0, 1, 2, 3], [4, 5, 6]);
    expect(entriesOf(repartitionOperatorState(previous, 3), 'offsets')).toEqual([[0, 1, 2], [3, 4], [5, 6]]);
  });

  it('scales down by concatenating in old subtask order', () => {
    const previous = split([0], [1, 2], [3], [4, 5]);
    expect(entriesOf(repartitionOperatorState(previous, 2), 'offsets')).toEqual([[0, 1, 2], [3, 4, 5]]);
  });

  it('gives some new subtasks nothing when there are fewer entries than subtasks', () => {
    expect(entriesOf(repartitionOperatorState(split([0], [1]), 4), 'offsets')).toEqual([[0], [1], [], []]);
  });

  it('rotates the start subtask across state names so extras do not pile up on subtask 0', () => {
    // Names go in sorted order: "a" starts at subtask 0 (extra to 0), so "b" starts at subtask 1.
    const previous: OperatorStateSnapshot[] = [
      { states: { a: { mode: 'SPLIT_DISTRIBUTE', entries: [1, 2, 3] }, b: { mode: 'SPLIT_DISTRIBUTE', entries: ['x', 'y', 'z'] } } },
      { states: { a: { mode: 'SPLIT_DISTRIBUTE', entries: [4, 5] }, b: { mode: 'SPLIT_DISTRIBUTE', entries: ['w', 'v'] } } },
      { states: {} },
    ];
    const next = repartitionOperatorState(previous, 2);
    expect(entriesOf(next, 'a')).toEqual([[1, 2, 3], [4, 5]]);
    expect(entriesOf(next, 'b')).toEqual([['w', 'v'], ['x', 'y', 'z']]);
  });

  it('hands out slices in rotated order, as RoundRobinOperatorStateRepartitioner does', () => {
    expect(splitEvenly([0, 1, 2, 3, 4, 5, 6], 3, 2)).toEqual({ entries: [[3, 4], [5, 6], [0, 1, 2]], nextStartSubtask: 0 });
    expect(splitEvenly([0, 1, 2, 3, 4, 5], 3, 1)).toEqual({ entries: [[4, 5], [0, 1], [2, 3]], nextStartSubtask: 1 });
    expect(splitEvenly([0, 1, 2, 3, 4], 3, 0)).toEqual({ entries: [[0, 1], [2, 3], [4]], nextStartSubtask: 2 });
  });

  it('gives every subtask the full union list when rescaling', () => {
    const previous: OperatorStateSnapshot[] = [
      { states: { all: { mode: 'UNION', entries: [1] } } },
      { states: { all: { mode: 'UNION', entries: [2] } } },
    ];
    expect(entriesOf(repartitionOperatorState(previous, 3), 'all')).toEqual([[1, 2], [1, 2], [1, 2]]);
    expect(entriesOf(repartitionOperatorState(previous, 1), 'all')).toEqual([[1, 2]]);
  });

  it('keeps every entry exactly once and balances sizes within one (fast-check seed 77)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer(), { maxLength: 20 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 10 }),
        (lists, newParallelism) => {
          const next = repartitionOperatorState(split(...lists), newParallelism);
          const slices = entriesOf(next, 'offsets').map((entries) => entries ?? []);
          expect(slices.flat()).toEqual(lists.flat());
          const sizes = slices.map((slice) => slice.length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(newParallelism === lists.length ? Infinity : 1);
        },
      ),
      { seed: 77, numRuns: 200 },
    );
  });
});

describe('repartitionOperatorState argument checks', () => {
  it('refuses a non-positive parallelism, no snapshots, and one name under two modes', () => {
    expect(() => repartitionOperatorState(split([1]), 0)).toThrow(/positive integer/);
    expect(() => repartitionOperatorState([], 2)).toThrow(/at least one old subtask/);
    const mixed: OperatorStateSnapshot[] = [
      { states: { x: { mode: 'UNION', entries: [] } } },
      { states: { x: { mode: 'SPLIT_DISTRIBUTE', entries: [] } } },
    ];
    expect(() => repartitionOperatorState(mixed, 3)).toThrow('Operator state "x" is UNION in one subtask and SPLIT_DISTRIBUTE in another');
  });
});
