// The state inspector over a real deterministic run of running-sum (parallelism 2, sum#1 killed at
// 1.5 s, restored from checkpoint 3): key-group ranges from job-deployed, keys from the latest sample,
// the latest completed checkpoint each subtask acknowledged, and what the restore rolled back.
import { describe, expect, it } from 'vitest';
import type { TaskSample } from '../../engine/samples';
import { computeKeyGroupRangeForOperatorIndex } from '../../engine/state/key-groups';
import { foldAll } from '../model/event-fold';
import { inspectedRun } from './inspected-run.fixture';
import { inCheckpoint, rolledBackKeys, StateInspectorFold } from './state-inspector-fold';

const run = inspectedRun();

function delivered(): StateInspectorFold {
  const fold = new StateInspectorFold();
  for (const item of run.delivered) {
    if ('event' in item) fold.apply(item.event);
    else fold.applySample(item.sample);
  }
  return fold;
}

describe('the state inspector fold', () => {
  it('lists the keyed subtasks with the key-group ranges Flink assigns them', () => {
    const view = delivered().view();
    expect(view.subtasks.map((subtask) => subtask.taskId)).toEqual(['sum#0', 'sum#1']);
    for (const subtask of view.subtasks) {
      const range = computeKeyGroupRangeForOperatorIndex(subtask.maxParallelism, subtask.parallelism, subtask.subtaskIndex);
      expect(subtask.keyGroups).toEqual({ start: range.startKeyGroup, end: range.endKeyGroup });
    }
  });

  it("shows each subtask's keys from its latest sample, with the epoch that last wrote each", () => {
    const view = delivered().view();
    for (const subtask of view.subtasks) {
      const latest = run.samples.filter((sample) => sample.taskId === subtask.taskId).at(-1)!;
      expect(subtask.sampledAt).toBe(latest.time);
      expect(subtask.keys.map(({ key, value, epoch }) => ({ key, value, epoch }))).toEqual(latest.keyedState!.keys);
      expect(subtask.totalKeys).toBe(latest.keyedState!.totalKeys);
    }
  });

  it('gives the same view whether samples arrive interleaved with events or after all of them', () => {
    expect(foldAll(() => new StateInspectorFold(), run.events, run.samples).view(run.now)).toEqual(delivered().view());
  });

  it('marks the newest completed checkpoint each subtask acknowledged', () => {
    const completed = run.events.filter((event) => event.type === 'checkpoint-completed').at(-1)!;
    for (const subtask of delivered().view().subtasks) expect(subtask.latestCompletedCheckpointId).toBe(completed.checkpointId);
  });

  it('says a value is in checkpoint n when its epoch is at most n and the task had passed barrier n', () => {
    expect(inCheckpoint({ key: 'a', value: 1, epoch: 3 }, 5, 4)).toBe('yes');
    expect(inCheckpoint({ key: 'a', value: 1, epoch: 5 }, 6, 4)).toBe('no');
    expect(inCheckpoint({ key: 'a', value: 1, epoch: 4 }, 4, 4)).toBe('unknown');
    const subtask = delivered().view().subtasks[1]!;
    expect(subtask.keys.every((entry) => entry.inCheckpoint === 'yes')).toBe(true);
  });

  it('after the restore from checkpoint 3, lists the keys last written after its barrier as rolled back', () => {
    const sum1 = delivered().view().subtasks.find((subtask) => subtask.taskId === 'sum#1')!;
    expect(sum1.restore).not.toBeNull();
    const restore = sum1.restore!;
    expect(restore).toMatchObject({ attempt: 1, checkpointId: 3 });
    const before = run.samples.filter((sample) => sample.taskId === 'sum#1' && sample.attempt === 0).at(-1)!;
    const expected = before.keyedState!.keys.filter((entry) => entry.epoch > 3).map((entry) => entry.key);
    expect(expected.length).toBeGreaterThan(0);
    expect(restore.rolledBack.map((entry) => entry.key)).toEqual(expected);
    expect(restore.beforeSampledAt).toBe(before.time);
    for (const entry of restore.rolledBack) {
      expect(entry.before.epoch).toBeGreaterThan(3);
      if (entry.restored.kind === 'restored') expect(entry.restored.epoch).toBeLessThanOrEqual(3);
    }
    expect(restore.rolledBack.some((entry) => entry.restored.kind === 'restored')).toBe(true);
  });

  it('has no restore before the first failure', () => {
    const cut = run.delivered.findIndex((item) => 'event' in item && item.event.type === 'fault-injected');
    expect(cut).toBeGreaterThan(0);
    const fold = new StateInspectorFold();
    for (const item of run.delivered.slice(0, cut)) {
      if ('event' in item) fold.apply(item.event);
      else fold.applySample(item.sample);
    }
    expect(fold.view().subtasks.every((subtask) => subtask.restore === null)).toBe(true);
  });
});

describe('rolled-back keys', () => {
  const sample = (attempt: number, keys: TaskSample['keyedState']): TaskSample => ({
    time: attempt,
    taskId: 'sum#0',
    attempt,
    state: 'RUNNING',
    barrierHandler: { state: 'WaitingForFirstBarrier', checkpointId: null, blockedChannels: [] },
    inputQueues: [],
    outputs: [],
    epoch: 9,
    keyedState: keys,
    sourcePartitions: null,
    slowdown: 1,
    busyTimeMsPerSecond: 0,
    backPressuredTimeMsPerSecond: 0,
    idleTimeMsPerSecond: 0,
  });

  it('names a key the checkpoint did not hold as absent, and every key when restarting from empty state', () => {
    const before = sample(0, { keys: [{ key: 'a', value: 1, epoch: 2 }, { key: 'b', value: 2, epoch: 5 }], totalKeys: 2 });
    const after = sample(1, { keys: [{ key: 'a', value: 1, epoch: 2 }], totalKeys: 1 });
    expect(rolledBackKeys(before, after, 3)).toEqual([{ key: 'b', before: { value: 2, epoch: 5 }, restored: { kind: 'absent' } }]);
    expect(rolledBackKeys(before, sample(1, { keys: [], totalKeys: 0 }), null).map((entry) => entry.key)).toEqual(['a', 'b']);
  });

  it('says a key beyond the bounded sample of the restored state was not sampled', () => {
    const before = sample(0, { keys: [{ key: 'z', value: 1, epoch: 5 }], totalKeys: 1 });
    const after = sample(1, { keys: [{ key: 'a', value: 1, epoch: 2 }], totalKeys: 300 });
    expect(rolledBackKeys(before, after, 3)[0]!.restored).toEqual({ kind: 'not-sampled' });
  });
});
