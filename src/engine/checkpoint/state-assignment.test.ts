// Restoring a completed checkpoint into a job (Flink's StateAssignmentOperation): keyed handles go to
// every new subtask whose key-group range they intersect, operator state is redistributed, and state
// that matches no operator, or key groups cut for another max parallelism, is refused.
import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment, type Source } from '../graph/stream-execution-environment';
import { computeKeyGroupRangeForOperatorIndex, type Json, type OperatorStateSnapshot } from '../state';
import type { CheckpointMetadata, OperatorStateMetadata } from './checkpoint-metadata';
import { assignStates } from './state-assignment';
import type { KeyedStateHandle, OperatorSubtaskState } from './task-state';

const MAX_PARALLELISM = 128;

interface Numbered {
  readonly key: string;
  readonly value: number;
}

/** numbers (source, operator state) → keyBy → sum (keyed) → sink, chained into the sum vertex. */
function jobGraph(parallelism: number, maxParallelism = MAX_PARALLELISM) {
  const env = new StreamExecutionEnvironment().setParallelism(parallelism).setMaxParallelism(maxParallelism);
  const source: Source<Numbered> = {
    name: 'numbers',
    createReader: () => {
      throw new Error('state assignment never runs operators');
    },
  };
  env
    .fromSource(source)
    .uid('numbers')
    .keyBy((record) => record.key)
    .reduce((a, b) => ({ key: a.key, value: a.value + b.value }))
    .uid('sum')
    .sinkTo({ name: 'sums', createWriter: () => source.createReader() })
    .uid('sink');
  return env.getJobGraph();
}

/** One keyed handle per old subtask, covering exactly that subtask's key groups. */
function keyedHandles(parallelism: number, maxParallelism = MAX_PARALLELISM): KeyedStateHandle[] {
  return Array.from({ length: parallelism }, (_, subtask) => {
    const range = computeKeyGroupRangeForOperatorIndex(maxParallelism, parallelism, subtask);
    return { storageKey: `sum-${subtask}`, keyGroupRange: { start: range.startKeyGroup, end: range.endKeyGroup }, stateSizeBytes: 100 };
  });
}

function operatorMetadata(operatorUid: string, parallelism: number, subtaskStates: OperatorSubtaskState[], maxParallelism = MAX_PARALLELISM): OperatorStateMetadata {
  return { operatorUid, parallelism, maxParallelism, subtaskStates };
}

/** A checkpoint taken at `parallelism`: keyed state for sum, split offsets and a union list for the source. */
function checkpoint(parallelism: number, extra: OperatorStateMetadata[] = [], maxParallelism = MAX_PARALLELISM): CheckpointMetadata {
  const offsets = (subtask: number): OperatorStateSnapshot => ({
    states: {
      offsets: { mode: 'SPLIT_DISTRIBUTE', entries: [`partition-${2 * subtask}`, `partition-${2 * subtask + 1}`] },
      watermarks: { mode: 'UNION', entries: [`watermark-${subtask}`] },
    },
  });
  const subtasks = Array.from({ length: parallelism }, (_, subtask) => subtask);
  return {
    version: 1,
    jobId: 'job',
    checkpointId: 7,
    isSavepoint: false,
    triggerTimestamp: 1_000,
    completionTimestamp: 1_100,
    operators: [
      operatorMetadata('numbers', parallelism, subtasks.map((subtask) => ({ operatorUid: 'numbers', keyed: null, operator: offsets(subtask) }))),
      operatorMetadata(
        'sum',
        parallelism,
        keyedHandles(parallelism, maxParallelism).map((keyed) => ({ operatorUid: 'sum', keyed, operator: null })),
        maxParallelism,
      ),
      ...extra,
    ],
  };
}

function restoreOf(assignment: ReturnType<typeof assignStates>, taskId: string, operatorUid: string) {
  const task = assignment.tasks.get(taskId);
  if (!task) throw new Error(`no restore for ${taskId}`);
  return task.operators.find((operator) => operator.operatorUid === operatorUid);
}

const entriesOf = (state: OperatorStateSnapshot | null | undefined, name: string): readonly Json[] | undefined => state?.states[name]?.entries;

describe('assignStates', () => {
  it('gives each new subtask the keyed handles whose key groups intersect its range when scaling 2 → 3', () => {
    const assignment = assignStates(checkpoint(2), jobGraph(3));
    // Old ranges [0,63] [64,127]; new ranges [0,42] [43,85] [86,127].
    const keys = (taskId: string) => restoreOf(assignment, taskId, 'sum')!.keyedHandles.map((handle) => handle.storageKey);
    expect(keys('sum#0')).toEqual(['sum-0']);
    expect(keys('sum#1')).toEqual(['sum-0', 'sum-1']);
    expect(keys('sum#2')).toEqual(['sum-1']);
    expect(assignment.tasks.get('sum#1')!.checkpointId).toBe(7);
  });

  it('gives each new subtask exactly the handles it needs, for every rescaling between 1 and 6', () => {
    for (let oldParallelism = 1; oldParallelism <= 6; oldParallelism++) {
      for (let newParallelism = 1; newParallelism <= 6; newParallelism++) {
        const handles = keyedHandles(oldParallelism);
        const assignment = assignStates(checkpoint(oldParallelism), jobGraph(newParallelism));
        for (let subtask = 0; subtask < newParallelism; subtask++) {
          const range = computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, newParallelism, subtask);
          const owning = (keyGroup: number) => handles.find((handle) => handle.keyGroupRange.start <= keyGroup && keyGroup <= handle.keyGroupRange.end)!;
          const needed = new Set([...range].map((keyGroup) => owning(keyGroup).storageKey));
          const given = restoreOf(assignment, `sum#${subtask}`, 'sum')!.keyedHandles.map((handle) => handle.storageKey);
          expect(given, `${oldParallelism} → ${newParallelism}, subtask ${subtask}`).toEqual([...needed].sort());
        }
      }
    }
  });

  it('keeps keyed state in place when the parallelism is unchanged', () => {
    const assignment = assignStates(checkpoint(3), jobGraph(3));
    for (let subtask = 0; subtask < 3; subtask++) {
      expect(restoreOf(assignment, `sum#${subtask}`, 'sum')!.keyedHandles).toEqual([keyedHandles(3)[subtask]]);
    }
  });

  it('splits list operator state evenly in contiguous slices and gives union state to every subtask', () => {
    const assignment = assignStates(checkpoint(2), jobGraph(3));
    const operatorState = (subtask: number) => restoreOf(assignment, `numbers#${subtask}`, 'numbers')!.operatorState;
    // Four offsets over three subtasks: the first gets one more (RoundRobinOperatorStateRepartitioner).
    expect([0, 1, 2].map((subtask) => entriesOf(operatorState(subtask), 'offsets'))).toEqual([
      ['partition-0', 'partition-1'],
      ['partition-2'],
      ['partition-3'],
    ]);
    for (const subtask of [0, 1, 2]) expect(entriesOf(operatorState(subtask), 'watermarks')).toEqual(['watermark-0', 'watermark-1']);
    // Nothing is lost or duplicated in the split.
    expect([0, 1, 2].flatMap((subtask) => entriesOf(operatorState(subtask), 'offsets') ?? [])).toEqual(['partition-0', 'partition-1', 'partition-2', 'partition-3']);
  });

  it('merges split operator state when scaling in', () => {
    const assignment = assignStates(checkpoint(3), jobGraph(1));
    expect(entriesOf(restoreOf(assignment, 'numbers#0', 'numbers')!.operatorState, 'offsets')).toEqual([
      'partition-0',
      'partition-1',
      'partition-2',
      'partition-3',
      'partition-4',
      'partition-5',
    ]);
    expect(restoreOf(assignment, 'sum#0', 'sum')!.keyedHandles.map((handle) => handle.storageKey)).toEqual(['sum-0', 'sum-1', 'sum-2']);
  });

  it('restores every task of the job, and leaves operators missing from the checkpoint without a restore entry (they start empty)', () => {
    const assignment = assignStates(checkpoint(2), jobGraph(2));
    expect([...assignment.tasks.keys()].sort()).toEqual(['numbers#0', 'numbers#1', 'sum#0', 'sum#1']);
    expect(assignment.tasks.get('sum#0')!.operators.map((operator) => operator.operatorUid)).toEqual(['sum']);
  });

  it('rejects a checkpoint with state for an operator uid the job does not have, naming it', () => {
    const orphan = operatorMetadata('old-window', 2, [
      { operatorUid: 'old-window', keyed: keyedHandles(2)[0]!, operator: null },
      { operatorUid: 'old-window', keyed: null, operator: { states: { buffered: { mode: 'SPLIT_DISTRIBUTE', entries: [1] } } } },
    ]);
    expect(() => assignStates(checkpoint(2, [orphan]), jobGraph(2))).toThrow(
      /^Failed to rollback to checkpoint\/savepoint chk-7\. Cannot map checkpoint\/savepoint state for operator [0-9a-f]{32} \(uid 'old-window'\) to the new program/,
    );
  });

  it('skips state of an unknown operator uid when allowNonRestoredState is set, restoring the rest', () => {
    const orphan = operatorMetadata('old-window', 1, [{ operatorUid: 'old-window', keyed: keyedHandles(1)[0]!, operator: null }]);
    const assignment = assignStates(checkpoint(2, [orphan]), jobGraph(2), true);
    expect(restoreOf(assignment, 'sum#1', 'sum')!.keyedHandles.map((handle) => handle.storageKey)).toEqual(['sum-1']);
    const restoredUids = [...assignment.tasks.values()].flatMap((task) => task.operators.map((operator) => operator.operatorUid));
    expect(restoredUids).not.toContain('old-window');
  });

  it('accepts an unknown operator uid whose state is empty, as Flink skips empty savepoint state', () => {
    const empty = operatorMetadata('stateless-map', 2, [
      { operatorUid: 'stateless-map', keyed: null, operator: { states: {} } },
      { operatorUid: 'stateless-map', keyed: null, operator: null },
    ]);
    expect(() => assignStates(checkpoint(2, [empty]), jobGraph(2))).not.toThrow();
  });

  it('rejects keyed state checkpointed with a different max parallelism, with a clear message', () => {
    expect(() => assignStates(checkpoint(2, [], 256), jobGraph(2, MAX_PARALLELISM))).toThrow(
      "Failed to rollback to checkpoint/savepoint chk-7. Max parallelism mismatch between checkpoint/savepoint state and new program. " +
        "Cannot map operator 239c254b5ff89532b198266322bc819f (uid 'sum') with max parallelism 256 to new program with max parallelism 128. " +
        'This indicates that the program has been changed in a non-compatible way after the checkpoint/savepoint.',
    );
  });

  describe('with finished operators (FLIP-147)', () => {
    /** The checkpoint with the numbers source as Flink's FullyFinishedOperatorState: no state, every subtask finished. */
    function withSourceFinished(parallelism: number): CheckpointMetadata {
      const base = checkpoint(parallelism);
      const finished: OperatorStateMetadata = {
        ...operatorMetadata('numbers', parallelism, Array.from({ length: parallelism }, () => ({ operatorUid: 'numbers', keyed: null, operator: null }))),
        fullyFinished: true,
      };
      return { ...base, operators: base.operators.map((operator) => (operator.operatorUid === 'numbers' ? finished : operator)) };
    }

    it('deploys every task of a fully finished vertex finished (FINISHED_ON_RESTORE), with no state, at any parallelism', () => {
      for (const parallelism of [2, 3]) {
        const assignment = assignStates(withSourceFinished(2), jobGraph(parallelism));
        for (let subtask = 0; subtask < parallelism; subtask++) {
          expect(assignment.tasks.get(`numbers#${subtask}`)).toEqual({ checkpointId: 7, operators: [], finishedOnRestore: true });
          expect(assignment.tasks.get(`sum#${subtask}`)!.finishedOnRestore).toBeUndefined();
        }
        expect(restoreOf(assignment, 'sum#0', 'sum')!.keyedHandles.length).toBeGreaterThan(0);
      }
    });

    it('refuses a vertex with a finished operator beside one that is not, as Flink (mixed finished and unfinished operators)', () => {
      const base = checkpoint(2);
      const mixed = { ...base, operators: base.operators.map((operator) => (operator.operatorUid === 'sum' ? { ...operator, fullyFinished: true as const } : operator)) };
      expect(() => assignStates(mixed, jobGraph(2))).toThrow('Vertex sum of checkpoint 7 mixes finished and unfinished operators');
    });

    it("gives a subtask that had finished (FinishedOperatorSubtaskState) empty state, and the others theirs", () => {
      const base = checkpoint(2);
      const partly = {
        ...base,
        operators: base.operators.map((operator) =>
          operator.operatorUid === 'numbers'
            ? { ...operator, subtaskStates: [operator.subtaskStates[0]!, { operatorUid: 'numbers', keyed: null, operator: null }], finishedSubtasks: [1] }
            : operator,
        ),
      };
      const assignment = assignStates(partly, jobGraph(2));
      expect(entriesOf(restoreOf(assignment, 'numbers#0', 'numbers')!.operatorState, 'offsets')).toEqual(['partition-0', 'partition-1']);
      expect(entriesOf(restoreOf(assignment, 'numbers#1', 'numbers')!.operatorState, 'offsets')).toEqual([]);
      expect(assignment.tasks.get('numbers#1')!.finishedOnRestore).toBeUndefined();
    });
  });
});
