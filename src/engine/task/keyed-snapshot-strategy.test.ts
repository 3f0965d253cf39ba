// Incremental keyed snapshots with key groups as pieces: only key groups changed since the base (the last
// checkpoint notified complete) are uploaded, the others' pieces are referenced; pieces a newer pending
// snapshot did not share are never reused; savepoints stay full; restore reads the pieces, also rescaled.
import { describe, expect, it } from 'vitest';
import { HeapKeyedStateBackend, ValueStateDescriptor, assignToKeyGroup, computeKeyGroupRangeForOperatorIndex, type Key } from '../state';
import type { StorageResult } from '../ports/checkpoint-storage';
import { isIncrementalHandle, restrictToKeyGroups, type IncrementalKeyedStateHandle, type KeyedStateHandle } from '../checkpoint/task-state';
import type { JobVertex } from '../graph/job-graph';
import { Scheduler } from '../../runtime/sim/scheduler';
import { SimulatedClock } from '../../runtime/sim/sim-clock';
import { MemoryCheckpointStorage } from '../../storage/memory-checkpoint-storage';
import { FullSnapshotStrategy, IncrementalSnapshotStrategy } from './keyed-snapshot-strategy';
import { restoreOperatorBackends } from './state-restore';
import type { OperatorBackends } from './subtask-checkpoint';
import type { TaskDeploymentDescriptor } from './task-deployment';
import type { TaskEnvironment } from './task-environment';

const MAX_PARALLELISM = 128;
const SUM = new ValueStateDescriptor<number>('sum');

function harness() {
  const scheduler = new Scheduler();
  const clock = new SimulatedClock(scheduler);
  const storage = new MemoryCheckpointStorage(clock);
  const target = { storage, jobId: 'job', taskId: 'sum#0', operatorUid: 'sum' };
  /** Runs one async snapshot to its end in virtual time. */
  const run = (start: (done: (result: StorageResult<KeyedStateHandle>) => void) => void): KeyedStateHandle => {
    let handle: KeyedStateHandle | null = null;
    start((result) => {
      if (!result.ok) throw new Error(result.error);
      handle = result.value;
    });
    scheduler.runUntil(scheduler.now + 1_000);
    if (!handle) throw new Error('the snapshot did not finish');
    return handle;
  };
  return { scheduler, clock, storage, target, run };
}

function backend(parallelism = 1, subtask = 0): HeapKeyedStateBackend {
  return new HeapKeyedStateBackend({ maxParallelism: MAX_PARALLELISM, keyGroupRange: computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, parallelism, subtask) });
}

function put(state: HeapKeyedStateBackend, key: Key, value: number): void {
  state.setCurrentKey(key);
  state.getPartitionedState(SUM).update(value);
}

/** Keys in distinct key groups, so each update touches exactly one piece. */
function keysInDistinctKeyGroups(count: number): string[] {
  const keys: string[] = [];
  const used = new Set<number>();
  for (let i = 0; keys.length < count; i++) {
    const keyGroup = assignToKeyGroup(`key-${i}`, MAX_PARALLELISM);
    if (used.has(keyGroup)) continue;
    used.add(keyGroup);
    keys.push(`key-${i}`);
  }
  return keys;
}

const incremental = (handle: KeyedStateHandle): IncrementalKeyedStateHandle => {
  if (!isIncrementalHandle(handle)) throw new Error('expected an incremental handle');
  return handle;
};
const pieceOf = (handle: KeyedStateHandle, key: Key) => incremental(handle).sharedState.find((p) => p.keyGroup === assignToKeyGroup(key, MAX_PARALLELISM))!;

describe('IncrementalSnapshotStrategy', () => {
  const keys = keysInDistinctKeyGroups(4);

  it('uploads every non-empty key group in the first snapshot', () => {
    const { target, run } = harness();
    const state = backend();
    keys.forEach((key, i) => put(state, key, i));
    const handle = incremental(run(new IncrementalSnapshotStrategy(target).snapshot(state.snapshot(), 1, false)));
    expect(handle.sharedState).toHaveLength(4);
    expect(handle.sharedState.every((piece) => piece.checkpointId === 1)).toBe(true);
    expect(handle.checkpointedSizeBytes).toBe(handle.stateSizeBytes);
  });

  it('uploads only key groups changed since the last completed checkpoint and references the rest', () => {
    const { target, run } = harness();
    const state = backend();
    const strategy = new IncrementalSnapshotStrategy(target);
    keys.forEach((key, i) => put(state, key, i));
    const first = run(strategy.snapshot(state.snapshot(), 1, false));
    strategy.notifyCheckpointComplete(1);
    put(state, keys[0]!, 100);
    const second = incremental(run(strategy.snapshot(state.snapshot(), 2, false)));
    expect(pieceOf(second, keys[0]!).checkpointId).toBe(2);
    for (const key of keys.slice(1)) expect(pieceOf(second, key)).toEqual(pieceOf(first, key));
    const changed = pieceOf(second, keys[0]!).sizeBytes;
    const meta = second.stateSizeBytes - second.sharedState.reduce((sum, piece) => sum + piece.sizeBytes, 0);
    expect(second.checkpointedSizeBytes).toBe(meta + changed);
    expect(second.checkpointedSizeBytes).toBeLessThan(second.stateSizeBytes);
  });

  it('does not build on a checkpoint that was not notified complete', () => {
    const { target, run } = harness();
    const state = backend();
    const strategy = new IncrementalSnapshotStrategy(target);
    keys.forEach((key, i) => put(state, key, i));
    run(strategy.snapshot(state.snapshot(), 1, false));
    const second = incremental(run(strategy.snapshot(state.snapshot(), 2, false)));
    expect(second.sharedState.every((piece) => piece.checkpointId === 2)).toBe(true);
    expect(strategy.baseCheckpointId).toBeNull();
  });

  it('does not reuse a base piece that a newer pending snapshot uploaded anew, until that one completes', () => {
    const { target, run } = harness();
    const state = backend();
    const strategy = new IncrementalSnapshotStrategy(target);
    keys.forEach((key, i) => put(state, key, i));
    run(strategy.snapshot(state.snapshot(), 1, false));
    // Checkpoint 2 is taken before 1's notification arrives, so it uploads everything again.
    const second = run(strategy.snapshot(state.snapshot(), 2, false));
    strategy.notifyCheckpointComplete(1);
    // Unchanged since 1, but if 2 completes and subsumes 1, 1's pieces go: so 3 must not name them.
    const third = incremental(run(strategy.snapshot(state.snapshot(), 3, false)));
    expect(third.sharedState.every((piece) => piece.checkpointId === 3)).toBe(true);
    strategy.notifyCheckpointAborted(3);
    strategy.notifyCheckpointComplete(2);
    const fourth = incremental(run(strategy.snapshot(state.snapshot(), 4, false)));
    for (const key of keys) expect(pieceOf(fourth, key)).toEqual(pieceOf(second, key));
  });

  it('reuses the base again once the snapshot that did not share it is aborted', () => {
    const { target, run } = harness();
    const state = backend();
    const strategy = new IncrementalSnapshotStrategy(target);
    keys.forEach((key, i) => put(state, key, i));
    const first = run(strategy.snapshot(state.snapshot(), 1, false));
    run(strategy.snapshot(state.snapshot(), 2, false));
    strategy.notifyCheckpointComplete(1);
    strategy.notifyCheckpointAborted(2);
    const third = run(strategy.snapshot(state.snapshot(), 3, false));
    for (const key of keys) expect(pieceOf(third, key)).toEqual(pieceOf(first, key));
  });

  it('writes savepoints in full and never builds on them', () => {
    const { target, run } = harness();
    const state = backend();
    const strategy = new IncrementalSnapshotStrategy(target);
    keys.forEach((key, i) => put(state, key, i));
    const savepoint = run(strategy.snapshot(state.snapshot(), 1, true));
    expect(isIncrementalHandle(savepoint)).toBe(false);
    strategy.notifyCheckpointComplete(1);
    expect(strategy.baseCheckpointId).toBeNull();
  });

  it('leaves out key groups whose state was cleared', () => {
    const { target, run } = harness();
    const state = backend();
    const strategy = new IncrementalSnapshotStrategy(target);
    keys.forEach((key, i) => put(state, key, i));
    run(strategy.snapshot(state.snapshot(), 1, false));
    strategy.notifyCheckpointComplete(1);
    state.setCurrentKey(keys[0]!);
    state.getPartitionedState(SUM).clear();
    const second = incremental(run(strategy.snapshot(state.snapshot(), 2, false)));
    expect(second.sharedState.map((p) => p.keyGroup).sort((a, b) => a - b)).toEqual(keys.slice(1).map((k) => assignToKeyGroup(k, MAX_PARALLELISM)).sort((a, b) => a - b));
    expect(second.checkpointedSizeBytes).toBeLessThan(second.stateSizeBytes);
  });
});

describe('restoring keyed state from pieces', () => {
  const vertex = { operators: [{ uid: 'sum', keySelector: () => 'key' }] } as unknown as JobVertex;

  function descriptor(parallelism: number, subtask: number, handles: KeyedStateHandle[], incrementalCheckpoints = true): TaskDeploymentDescriptor {
    const range = computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, parallelism, subtask);
    return {
      jobId: 'job',
      taskId: `sum#${subtask}`,
      vertexId: 'sum',
      subtaskIndex: subtask,
      parallelism,
      maxParallelism: MAX_PARALLELISM,
      attempt: 1,
      checkpointingMode: 'exactly-once',
      incrementalCheckpoints,
      inputChannels: [],
      outputs: [],
      network: { buffersPerChannel: 2, floatingBuffersPerGate: 8, bufferSizeBytes: 32_768 } as unknown as TaskDeploymentDescriptor['network'],
      restore: {
        checkpointId: 2,
        operators: [
          {
            operatorUid: 'sum',
            // As assignStates: the handles that intersect the range, incremental ones cut to its pieces.
            keyedHandles: handles
              .filter((h) => h.keyGroupRange.start <= range.endKeyGroup && h.keyGroupRange.end >= range.startKeyGroup)
              .map((h) => restrictToKeyGroups(h, { start: range.startKeyGroup, end: range.endKeyGroup })),
            operatorState: null,
          },
        ],
      },
    };
  }

  function restore(h: ReturnType<typeof harness>, d: TaskDeploymentDescriptor): OperatorBackends {
    let restored: OperatorBackends[] | null = null;
    restoreOperatorBackends(d, vertex, { clock: h.clock, storage: h.storage } as unknown as TaskEnvironment, (result) => {
      if (!result.ok) throw new Error(result.error);
      restored = result.value;
    });
    h.scheduler.runUntil(h.scheduler.now + 1_000);
    return restored![0]!;
  }

  /** Two subtasks write 40 keys, checkpoint 1 in full pieces, change five keys, checkpoint 2 incrementally. */
  function checkpointAtParallelismTwo(h: ReturnType<typeof harness>) {
    const values = new Map<string, number>(Array.from({ length: 40 }, (_, i) => [`key-${i}`, i]));
    const backends = [backend(2, 0), backend(2, 1)];
    const strategies = backends.map((_, i) => new IncrementalSnapshotStrategy({ ...h.target, taskId: `sum#${i}` }));
    const owner = (key: string) => backends.findIndex((b) => b.keyGroupRange.contains(assignToKeyGroup(key, MAX_PARALLELISM)));
    for (const [key, value] of values) put(backends[owner(key)]!, key, value);
    backends.forEach((b, i) => h.run(strategies[i]!.snapshot(b.snapshot(), 1, false)));
    strategies.forEach((s) => s.notifyCheckpointComplete(1));
    for (let i = 0; i < 5; i++) {
      values.set(`key-${i}`, 1_000 + i);
      put(backends[owner(`key-${i}`)]!, `key-${i}`, 1_000 + i);
    }
    const handles = backends.map((b, i) => h.run(strategies[i]!.snapshot(b.snapshot(), 2, false)));
    return { values, handles };
  }

  function contents(state: HeapKeyedStateBackend): Map<string, unknown> {
    return new Map([...state.entries('sum')].map(([key, value]) => [String(key), value]));
  }

  it('gives each subtask of a new parallelism exactly the keys of its key groups, from old and new pieces', () => {
    const h = harness();
    const { values, handles } = checkpointAtParallelismTwo(h);
    const restored = new Map<string, unknown>();
    for (let subtask = 0; subtask < 3; subtask++) {
      const d = descriptor(3, subtask, handles);
      const pieces = d.restore!.operators[0]!.keyedHandles.flatMap((handle) => incremental(handle).sharedState);
      const range = computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, 3, subtask);
      expect(pieces.every((piece) => range.contains(piece.keyGroup))).toBe(true);
      const backends = restore(h, d);
      expect(backends.restoredBase).toBeNull();
      for (const [key, value] of contents(backends.keyed!)) {
        expect(range.contains(assignToKeyGroup(key, MAX_PARALLELISM))).toBe(true);
        restored.set(key, value);
      }
    }
    expect(restored).toEqual(values);
  });

  it('builds on the restored pieces when the key-group range is unchanged, as Flink re-uses restored SST files', () => {
    const h = harness();
    const { handles } = checkpointAtParallelismTwo(h);
    const backends = restore(h, descriptor(2, 0, handles));
    expect(backends.restoredBase?.checkpointId).toBe(2);
    const strategy = new IncrementalSnapshotStrategy({ ...h.target, taskId: 'sum#0' }, backends.restoredBase);
    const key = [...backends.keyed!.keys('sum')][0]!;
    put(backends.keyed!, key, -1);
    const next = incremental(h.run(strategy.snapshot(backends.keyed!.snapshot(), 3, false)));
    expect(next.sharedState.filter((piece) => piece.checkpointId === 3).map((piece) => piece.keyGroup)).toEqual([assignToKeyGroup(key, MAX_PARALLELISM)]);
    expect(next.sharedState.length).toBe(incremental(handles[0]!).sharedState.length);
  });

  it('restores a full handle as before and starts incremental snapshots without a base', () => {
    const h = harness();
    const state = backend(1, 0);
    put(state, 'a', 1);
    const full = h.run(new FullSnapshotStrategy(h.target).snapshot(state.snapshot(), 1));
    const backends = restore(h, descriptor(1, 0, [full]));
    expect(contents(backends.keyed!)).toEqual(new Map([['a', 1]]));
    expect(backends.restoredBase).toBeNull();
  });
});
