// Comparing the state of two checkpoints over real deterministic runs of running-sum (40 keys, a checkpoint
// every 400 ms, samples every 200 ms): each checkpoint's state is the first sample after its barrier, every
// value it claims is what the sink committed for that key up to that checkpoint, and what it cannot know it
// says. Hand-made states pin the edge cases (a truncated sample, a key written again, a discarded checkpoint).
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/events';
import type { SampledKey } from '../../engine/samples';
import { Timeline } from '../timeline/timeline';
import { cellOf, changeKind, compareStates, defaultSides, type CompareSide } from './checkpoint-compare';
import { REMEMBERED_CHECKPOINTS } from './completed-checkpoints';
import { inspectedRun, type InspectedRun } from './inspected-run.fixture';
import { StateInspectorFold, type SampledKeyedState, type StateInspectorView } from './state-inspector-fold';

const QUIET = inspectedRun(3000, null, 40);
const KILLED = inspectedRun(4000, 1500, 40);

function folded(run: InspectedRun, untilMs = Number.POSITIVE_INFINITY): StateInspectorView {
  const fold = new StateInspectorFold();
  for (const item of run.delivered) {
    if (('event' in item ? item.event.time : item.sample.time) > untilMs) break;
    if ('event' in item) fold.apply(item.event);
    else fold.applySample(item.sample);
  }
  return fold.view();
}

const checkpoint = (checkpointId: number): CompareSide => ({ kind: 'checkpoint', checkpointId });

/** Per key, the last running sum the sink committed from transactions of checkpoints up to `checkpointId`. */
function committedThrough(events: readonly EngineEvent[], checkpointId: number): Map<string, unknown> {
  const committed = new Map<string, unknown>();
  for (const event of events) {
    if (event.type !== 'sink-committed' || event.checkpointId > checkpointId) continue;
    for (const record of event.committed as ReadonlyArray<{ key: string; value: unknown }>) committed.set(record.key, record.value);
  }
  return committed;
}

describe("a checkpoint's remembered state", () => {
  it('is the first sample each subtask took after passing its barrier, in the attempt that acknowledged it', () => {
    const view = folded(QUIET);
    expect(view.checkpoints.length).toBeGreaterThanOrEqual(6);
    for (const subtask of view.subtasks) {
      view.checkpoints.forEach(({ checkpointId }, index) => {
        const first = QUIET.samples.find((sample) => sample.taskId === subtask.taskId && sample.epoch > checkpointId)!;
        const state = subtask.atCheckpoints[index]!;
        expect(state).toMatchObject({ checkpointId, sampledAt: first.time, attempt: first.attempt, keys: first.keyedState!.keys });
        const before = QUIET.samples.filter((sample) => sample.taskId === subtask.taskId && sample.epoch <= checkpointId).at(-1)!;
        expect(state.beforeBarrier?.sampledAt).toBe(before.time);
      });
    }
  });

  it('claims for each key only the running sum the sink committed for it up to that checkpoint', () => {
    for (const run of [QUIET, KILLED]) {
      const view = folded(run);
      for (const { checkpointId } of view.checkpoints) {
        const committed = committedThrough(run.events, checkpointId);
        const { changes } = compareStates(view, view.subtasks, checkpoint(checkpointId), { kind: 'now' });
        let known = 0;
        for (const change of changes) {
          if (change.from.kind === 'value') {
            expect(change.from.value, `key ${change.key} at checkpoint ${checkpointId}`).toBe(committed.get(change.key));
            known += 1;
          }
          if (change.from.kind === 'absent') expect(committed.has(change.key), `key ${change.key} at checkpoint ${checkpointId}`).toBe(false);
        }
        expect(known).toBeGreaterThan(0);
      }
    }
  });

  it('after a restore, still remembers the checkpoints completed before the failure', () => {
    const view = folded(KILLED);
    const ids = view.checkpoints.map((entry) => entry.checkpointId);
    expect(ids).toContain(3);
    const sum1 = view.subtasks.find((subtask) => subtask.taskId === 'sum#1')!;
    expect(sum1.atCheckpoints[ids.indexOf(3)]).toMatchObject({ checkpointId: 3, attempt: 0 });
  });

  it('forgets all but the newest REMEMBERED_CHECKPOINTS completed checkpoints, and marks the ones Flink discarded', () => {
    const view = folded(inspectedRun(6000, null, 40));
    expect(view.checkpoints).toHaveLength(REMEMBERED_CHECKPOINTS);
    const discarded = new Set(inspectedRun(6000, null, 40).events.filter((event) => event.type === 'checkpoint-discarded').map((event) => event.checkpointId));
    for (const entry of view.checkpoints) expect(entry.retained).toBe(!discarded.has(entry.checkpointId));
    expect(view.checkpoints.filter((entry) => entry.retained).map((entry) => entry.checkpointId)).toEqual([view.checkpoints.at(-1)!.checkpointId]);
  });

  it('is the same after a timeline seeks back and forth as when every sample was folded in order', () => {
    const timeline = new Timeline({ inspector: () => new StateInspectorFold() });
    for (const item of QUIET.delivered) {
      if ('event' in item) timeline.record([item.event]);
      else timeline.recordSamples([item.sample]);
    }
    for (const time of [2000, 700, 2500]) {
      timeline.seek(time);
      expect(timeline.view('inspector', time)).toEqual(folded(QUIET, time));
    }
  });
});

describe('comparing two checkpoints', () => {
  const view = folded(QUIET);
  const [older, newer] = view.checkpoints.slice(-2).map((entry) => entry.checkpointId) as [number, number];

  it('lists the keys that changed with both values and the source offsets each checkpoint holds', () => {
    const comparison = compareStates(view, view.subtasks, checkpoint(older), checkpoint(newer));
    expect(comparison.counts.changed).toBeGreaterThan(0);
    for (const change of comparison.changes.filter((entry) => entry.kind === 'changed')) {
      expect(change.from).toMatchObject({ kind: 'value' });
      expect(change.to).toMatchObject({ kind: 'value' });
      expect(change.from).not.toEqual(change.to);
    }
    const offsets = (id: number) => view.checkpoints.find((entry) => entry.checkpointId === id)!.sourceOffsets;
    expect(comparison.sources).toEqual(
      Object.entries(offsets(newer).numbers!).map(([partition, to]) => ({ source: 'numbers', partition, from: offsets(older).numbers![partition], to })),
    );
    expect(comparison.sources.every((source) => source.to! > source.from!)).toBe(true);
  });

  it('finds keys added since an early checkpoint, and sorts keys in natural order across subtasks', () => {
    const comparison = compareStates(view, view.subtasks, checkpoint(view.checkpoints[0]!.checkpointId), checkpoint(newer));
    expect(comparison.counts.added).toBeGreaterThan(0);
    const keys = comparison.changes.map((change) => Number(change.key.slice('key-'.length)));
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
    expect(new Set(comparison.changes.map((change) => change.taskId))).toEqual(new Set(['sum#0', 'sum#1']));
  });

  it('compares one subtask with only its own keys', () => {
    const sum0 = view.subtasks.find((subtask) => subtask.taskId === 'sum#0')!;
    const comparison = compareStates(view, [sum0], checkpoint(older), checkpoint(newer));
    expect(comparison.changes.every((change) => change.taskId === 'sum#0')).toBe(true);
    expect(comparison.sampled).toEqual([{ taskId: 'sum#0', from: sum0.atCheckpoints.at(-2), to: sum0.atCheckpoints.at(-1) }]);
  });

  it("against now, reads each subtask's latest sample and the sources' latest offsets", () => {
    const comparison = compareStates(view, view.subtasks, checkpoint(newer), { kind: 'now' });
    for (const change of comparison.changes) expect(change.to.kind).toBe('value');
    const sources = QUIET.samples.filter((sample) => sample.sourcePartitions);
    const latest = new Map(sources.map((sample) => [sample.taskId, sample]));
    for (const source of comparison.sources) {
      const offset = [...latest.values()].flatMap((sample) => sample.sourcePartitions!).find((entry) => String(entry.partition) === source.partition)!.offset;
      expect(source.to).toBe(offset);
    }
  });

  it('says what the last sample before the barrier showed for a key written again after it', () => {
    const comparison = compareStates(view, view.subtasks, checkpoint(older), checkpoint(newer));
    const rewritten = comparison.changes.flatMap((change) => (change.from.kind === 'rewritten' ? [change.from] : []));
    expect(rewritten.length).toBeGreaterThan(0);
    for (const cell of rewritten) {
      expect(cell.epoch).toBeGreaterThan(older);
      if (cell.before?.value) expect(cell.before.value.epoch).toBeLessThanOrEqual(older);
    }
    const known = (kind: string) => kind === 'value' || kind === 'absent';
    for (const change of comparison.changes) expect(change.kind === 'unknown').toBe(!known(change.from.kind) || !known(change.to.kind));
  });
});

describe('what one side says about a key', () => {
  const keys = (...entries: Array<[string, number, number]>): SampledKey[] => entries.map(([key, value, epoch]) => ({ key, value, epoch }));
  const state = (checkpointId: number | null, sampled: SampledKey[], totalKeys = sampled.length, before: SampledKey[] | null = null): SampledKeyedState => ({
    checkpointId,
    sampledAt: 100,
    attempt: 0,
    keys: sampled,
    totalKeys,
    beforeBarrier: before ? { sampledAt: 50, keys: before, totalKeys: before.length } : null,
  });

  it('gives a value written by the checkpoint, and "written again" for one of a later epoch, with what it was before the barrier', () => {
    const at3 = state(3, keys(['key-1', 5, 2], ['key-2', 9, 4]), 2, keys(['key-1', 5, 2], ['key-2', 7, 3]));
    expect(cellOf(at3, 'key-1')).toEqual({ kind: 'value', value: 5, epoch: 2 });
    expect(cellOf(at3, 'key-2')).toEqual({ kind: 'rewritten', epoch: 4, sampledAt: 100, before: { sampledAt: 50, value: { value: 7, epoch: 3 } } });
    expect(cellOf(state(3, keys(['key-4', 1, 4]), 1, []), 'key-4')).toEqual({ kind: 'rewritten', epoch: 4, sampledAt: 100, before: { sampledAt: 50, value: null } });
    expect(cellOf(state(null, keys(['key-2', 9, 4])), 'key-2')).toEqual({ kind: 'value', value: 9, epoch: 4 });
  });

  it('calls a key missing from a sample absent only where the sample covers it (it lists the smallest keys, naturally ordered)', () => {
    const truncated = state(3, keys(['key-2', 1, 1], ['key-10', 1, 1]), 500);
    expect(cellOf(truncated, 'key-3')).toEqual({ kind: 'absent' });
    expect(cellOf(truncated, 'key-11')).toEqual({ kind: 'beyond-sample' });
    expect(cellOf(state(3, keys(['key-2', 1, 1])), 'key-11')).toEqual({ kind: 'absent' });
    expect(cellOf(null, 'key-2')).toEqual({ kind: 'not-sampled' });
  });

  it('counts a change only between two known sides', () => {
    const value = (v: number) => ({ kind: 'value', value: v, epoch: 1 }) as const;
    expect(changeKind(value(1), value(1))).toBe('unchanged');
    expect(changeKind(value(1), value(2))).toBe('changed');
    expect(changeKind({ kind: 'absent' }, value(2))).toBe('added');
    expect(changeKind(value(1), { kind: 'absent' })).toBe('removed');
    expect(changeKind({ kind: 'rewritten', epoch: 4, sampledAt: 100, before: null }, value(2))).toBe('unknown');
    expect(changeKind({ kind: 'beyond-sample' }, value(2))).toBe('unknown');
    expect(changeKind({ kind: 'absent' }, { kind: 'not-sampled' })).toBe('unknown');
  });
});

describe('the comparison shown first', () => {
  const remembered = (checkpointId: number, retained: boolean) => ({ checkpointId, isSavepoint: false, completedAt: checkpointId * 100, retained, sourceOffsets: {} });
  const viewOf = (...checkpoints: ReturnType<typeof remembered>[]): StateInspectorView => ({ subtasks: [], checkpoints, sourceOffsetsNow: null });

  it('is the two newest retained checkpoints, else the newest subsumed one before the retained one, else one against now', () => {
    expect(defaultSides(viewOf(remembered(2, true), remembered(3, true), remembered(4, true)))).toEqual({ from: checkpoint(3), to: checkpoint(4) });
    expect(defaultSides(viewOf(remembered(2, false), remembered(3, false), remembered(4, true)))).toEqual({ from: checkpoint(3), to: checkpoint(4) });
    expect(defaultSides(viewOf(remembered(4, true)))).toEqual({ from: checkpoint(4), to: { kind: 'now' } });
    expect(defaultSides(viewOf())).toBeNull();
  });
});
