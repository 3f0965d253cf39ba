// A pending checkpoint of a job where some tasks finished (FLIP-147): finished tasks do not acknowledge; the
// metadata marks their operators as Flink's DefaultCheckpointPlan#fulfillFinishedTaskStatus does.
import { describe, expect, it } from 'vitest';
import { PendingCheckpoint, type OperatorLayout } from './pending-checkpoint';
import type { SubtaskCheckpointMetrics, TaskStateSnapshot } from './task-state';

/** source (2 subtasks) → sum + sink chained (2 subtasks). */
const OPERATORS: readonly OperatorLayout[] = [
  { operatorUid: 'numbers', vertexId: 'numbers', parallelism: 2, maxParallelism: 128 },
  { operatorUid: 'sum', vertexId: 'sum', parallelism: 2, maxParallelism: 128 },
  { operatorUid: 'sink', vertexId: 'sum', parallelism: 2, maxParallelism: 128 },
];

const METRICS: SubtaskCheckpointMetrics = {
  ackTimestamp: 10,
  syncDurationMs: 0,
  asyncDurationMs: 0,
  alignmentDurationMs: 0,
  startDelayMs: 0,
  checkpointedSizeBytes: 0,
  stateSizeBytes: 0,
  processedDataBytes: 0,
  persistedDataBytes: 0,
  alignmentBufferedBytes: 0,
  unalignedCheckpoint: false,
};

const offsets = (subtask: number) => ({ states: { 'partition-offsets': { mode: 'SPLIT_DISTRIBUTE' as const, entries: [{ partition: subtask, offset: 9 }] } } });

function sumState(subtask: number, flags: Partial<TaskStateSnapshot> = {}): TaskStateSnapshot {
  return {
    subtaskIndex: subtask,
    operators: [
      { operatorUid: 'sum', keyed: { storageKey: `sum-${subtask}`, keyGroupRange: { start: 64 * subtask, end: 64 * subtask + 63 }, stateSizeBytes: 5 }, operator: null },
      { operatorUid: 'sink', keyed: null, operator: { states: {} } },
    ],
    ...flags,
  };
}

describe('PendingCheckpoint with finished tasks', () => {
  it('marks the operators of a vertex whose tasks all FINISHED as fully finished, with empty subtask states', () => {
    const pending = new PendingCheckpoint('job', 4, 0, { isSavepoint: false }, ['sum#0', 'sum#1'], {
      finishedTasks: ['numbers#0', 'numbers#1'],
      fullyFinishedVertices: ['numbers'],
    });
    expect(pending.acknowledgeTask('numbers#0', { subtaskIndex: 0, operators: [] }, METRICS)).toBe('UNKNOWN');
    pending.acknowledgeTask('sum#0', sumState(0, { isTaskFinished: true }), METRICS);
    pending.acknowledgeTask('sum#1', sumState(1), METRICS);
    const metadata = pending.toMetadata(OPERATORS, 20);
    expect(metadata.operators[0]).toEqual({
      operatorUid: 'numbers',
      parallelism: 2,
      maxParallelism: 128,
      subtaskStates: [
        { operatorUid: 'numbers', keyed: null, operator: null },
        { operatorUid: 'numbers', keyed: null, operator: null },
      ],
      fullyFinished: true,
    });
    // A task whose operators finished but that still runs acknowledges its state as usual (its final checkpoint).
    expect(metadata.operators[1]!.subtaskStates.map((state) => state.keyed?.storageKey)).toEqual(['sum-0', 'sum-1']);
    expect(metadata.operators[1]!.fullyFinished).toBeUndefined();
  });

  it('gives a FINISHED task of a vertex still running an empty state and names it among the finished subtasks', () => {
    const pending = new PendingCheckpoint('job', 5, 0, { isSavepoint: false }, ['numbers#1', 'sum#0', 'sum#1'], {
      finishedTasks: ['numbers#0'],
      fullyFinishedVertices: [],
    });
    pending.acknowledgeTask('numbers#1', { subtaskIndex: 1, operators: [{ operatorUid: 'numbers', keyed: null, operator: offsets(1) }] }, METRICS);
    pending.acknowledgeTask('sum#0', sumState(0), METRICS);
    pending.acknowledgeTask('sum#1', sumState(1), METRICS);
    const numbers = pending.toMetadata(OPERATORS, 20).operators[0]!;
    expect(numbers.subtaskStates).toEqual([
      { operatorUid: 'numbers', keyed: null, operator: null },
      { operatorUid: 'numbers', keyed: null, operator: offsets(1) },
    ]);
    expect(numbers.finishedSubtasks).toEqual([0]);
    expect(numbers.fullyFinished).toBeUndefined();
  });

  it('counts a vertex whose tasks acknowledge as deployed finished as fully finished (reportTaskFinishedOnRestore)', () => {
    const pending = new PendingCheckpoint('job', 6, 0, { isSavepoint: false }, ['numbers#0', 'numbers#1', 'sum#0', 'sum#1']);
    pending.acknowledgeTask('numbers#0', { subtaskIndex: 0, operators: [], isTaskDeployedAsFinished: true }, METRICS);
    pending.acknowledgeTask('numbers#1', { subtaskIndex: 1, operators: [], isTaskDeployedAsFinished: true }, METRICS);
    pending.acknowledgeTask('sum#0', sumState(0), METRICS);
    pending.acknowledgeTask('sum#1', sumState(1), METRICS);
    const metadata = pending.toMetadata(OPERATORS, 20);
    expect(metadata.operators.map((operator) => operator.fullyFinished ?? false)).toEqual([true, false, false]);
  });

  it('marks nothing while every task runs: the metadata is what it always was', () => {
    const pending = new PendingCheckpoint('job', 7, 0, { isSavepoint: false }, ['numbers#0', 'numbers#1', 'sum#0', 'sum#1']);
    for (const subtask of [0, 1]) {
      pending.acknowledgeTask(`numbers#${subtask}`, { subtaskIndex: subtask, operators: [{ operatorUid: 'numbers', keyed: null, operator: offsets(subtask) }] }, METRICS);
      pending.acknowledgeTask(`sum#${subtask}`, sumState(subtask), METRICS);
    }
    const metadata = pending.toMetadata(OPERATORS, 20);
    for (const operator of metadata.operators) {
      expect(Object.keys(operator).sort()).toEqual(['maxParallelism', 'operatorUid', 'parallelism', 'subtaskStates']);
    }
  });

  it('hands out each task to trigger once, and only tasks it still waits for', () => {
    const pending = new PendingCheckpoint('job', 8, 0, { isSavepoint: false }, ['numbers#1', 'sum#0', 'sum#1'], { finishedTasks: ['numbers#0'], fullyFinishedVertices: [] });
    expect(pending.takeTasksToTrigger(['numbers#1'])).toEqual(['numbers#1']);
    pending.acknowledgeTask('sum#0', sumState(0), METRICS);
    expect(pending.takeTasksToTrigger(['numbers#1', 'sum#0', 'sum#1', 'numbers#0'])).toEqual(['sum#1']);
    expect(pending.takeTasksToTrigger(['sum#1'])).toEqual([]);
  });
});
