// The checkpoint plan as Flink's DefaultCheckpointPlanCalculatorTest declares it: vertices with their
// parallelism and finished subtasks, edges ALL_TO_ALL or POINTWISE (one to one here), and the tasks expected
// to be triggered. Then the case Flink does not have: producers that reached end of data but still run.
import { describe, expect, it } from 'vitest';
import { calculateCheckpointPlan, type PlannedTask, type TaskProgress } from './checkpoint-plan';

interface Vertex {
  readonly parallelism: number;
  readonly finished?: readonly number[];
  readonly endOfData?: readonly number[];
  readonly notRunning?: readonly number[];
}
type Edge = readonly [source: number, target: number, pattern: 'ALL_TO_ALL' | 'POINTWISE'];

const taskId = (vertex: number, subtask: number) => `v${vertex}#${subtask}`;

function graph(vertices: readonly Vertex[], edges: readonly Edge[]): { tasks: PlannedTask[]; progressOf: (id: string) => TaskProgress } {
  const tasks = vertices.flatMap((vertex, v) =>
    Array.from({ length: vertex.parallelism }, (_, subtask) => ({
      taskId: taskId(v, subtask),
      vertexId: `v${v}`,
      producers: edges
        .filter(([, target]) => target === v)
        .flatMap(([source, , pattern]) =>
          pattern === 'POINTWISE' ? [taskId(source, subtask)] : Array.from({ length: vertices[source]!.parallelism }, (_, i) => taskId(source, i)),
        ),
    })),
  );
  const progress = new Map<string, TaskProgress>();
  vertices.forEach((vertex, v) => {
    for (const subtask of vertex.finished ?? []) progress.set(taskId(v, subtask), 'FINISHED');
    for (const subtask of vertex.endOfData ?? []) progress.set(taskId(v, subtask), 'END_OF_DATA');
    for (const subtask of vertex.notRunning ?? []) progress.set(taskId(v, subtask), 'NOT_RUNNING');
  });
  return { tasks, progressOf: (id) => progress.get(id) ?? 'RUNNING' };
}

const range = (vertex: number, from: number, to: number) => Array.from({ length: to - from }, (_, i) => taskId(vertex, from + i));

function triggered(vertices: readonly Vertex[], edges: readonly Edge[]): readonly string[] | undefined {
  const { tasks, progressOf } = graph(vertices, edges);
  return calculateCheckpointPlan(tasks, progressOf)?.tasksToTrigger;
}

describe('calculateCheckpointPlan, as DefaultCheckpointPlanCalculatorTest', () => {
  it('cannot plan a checkpoint while a task is not running (NOT_ALL_REQUIRED_TASKS_RUNNING)', () => {
    const { tasks, progressOf } = graph([{ parallelism: 1, notRunning: [0] }], []);
    expect(calculateCheckpointPlan(tasks, progressOf)).toBeNull();
  });

  it('triggers every source of an all-running graph, and waits for and commits to every task (testComputeAllRunningGraph)', () => {
    const vertices = [{ parallelism: 3 }, { parallelism: 4 }, { parallelism: 4 }, { parallelism: 6 }];
    const edges: Edge[] = [
      [0, 2, 'ALL_TO_ALL'],
      [1, 2, 'POINTWISE'],
      [2, 3, 'ALL_TO_ALL'],
    ];
    const { tasks, progressOf } = graph(vertices, edges);
    const plan = calculateCheckpointPlan(tasks, progressOf)!;
    expect(plan.tasksToTrigger).toEqual([...range(0, 0, 3), ...range(1, 0, 4)]);
    expect(plan.tasksToWaitFor).toEqual(tasks.map((task) => task.taskId));
    expect(plan.tasksToCommitTo).toEqual(plan.tasksToWaitFor);
    expect(plan.finishedTasks).toEqual([]);
    expect(plan.fullyFinishedVertices).toEqual([]);
  });

  it('triggers only the running sources when some finished before an all-to-all edge (testAllToAllEdgeWithSomeSourcesFinished)', () => {
    const vertices = [{ parallelism: 3, finished: [0, 1] }, { parallelism: 4 }];
    const { tasks, progressOf } = graph(vertices, [[0, 1, 'ALL_TO_ALL']]);
    const plan = calculateCheckpointPlan(tasks, progressOf)!;
    expect(plan.tasksToTrigger).toEqual(['v0#2']);
    expect(plan.tasksToWaitFor).toEqual(['v0#2', ...range(1, 0, 4)]);
    expect(plan.finishedTasks).toEqual(['v0#0', 'v0#1']);
    expect(plan.fullyFinishedVertices).toEqual([]);
  });

  it('triggers the targets of finished sources over a one-to-one edge (testOneToOneEdgeWithSomeSourcesFinished)', () => {
    expect(triggered([{ parallelism: 4, finished: [0, 1] }, { parallelism: 4 }], [[0, 1, 'POINTWISE']])).toEqual([...range(0, 2, 4), ...range(1, 0, 2)]);
  });

  it('leaves out targets that finished too (testOneToOnEdgeWithSomeSourcesAndTargetsFinished)', () => {
    expect(triggered([{ parallelism: 4, finished: [0, 1] }, { parallelism: 4, finished: [0] }], [[0, 1, 'POINTWISE']])).toEqual([...range(0, 2, 4), 'v1#1']);
  });

  it('triggers a task only when none of its inputs has a running producer (testComputeWithMultipleInputs)', () => {
    const vertices = [
      { parallelism: 3, finished: [0, 1, 2] },
      { parallelism: 5, finished: [0, 2, 3] },
      { parallelism: 5, finished: [2, 4] },
      { parallelism: 5, finished: [2] },
    ];
    const edges: Edge[] = [
      [0, 3, 'ALL_TO_ALL'],
      [1, 3, 'POINTWISE'],
      [2, 3, 'POINTWISE'],
    ];
    const { tasks, progressOf } = graph(vertices, edges);
    const plan = calculateCheckpointPlan(tasks, progressOf)!;
    expect(plan.tasksToTrigger).toEqual(['v1#1', 'v1#4', 'v2#0', 'v2#1', 'v2#3']);
    expect(plan.fullyFinishedVertices).toEqual(['v0']);
    expect(plan.finishedTasks).toEqual([...range(0, 0, 3), 'v1#0', 'v1#2', 'v1#3', 'v2#2', 'v2#4', 'v3#2']);
  });

  it('finds the new "sources" on every level of a deeper graph (testComputeWithMultipleLevels)', () => {
    const vertices = [
      { parallelism: 16, finished: [0, 1, 2, 3] },
      { parallelism: 16, finished: Array.from({ length: 16 }, (_, i) => i) },
      { parallelism: 16, finished: [0, 1] },
      { parallelism: 16 },
      { parallelism: 16 },
    ];
    const edges: Edge[] = [
      [0, 2, 'POINTWISE'],
      [0, 3, 'POINTWISE'],
      [1, 2, 'ALL_TO_ALL'],
      [1, 3, 'POINTWISE'],
      [2, 4, 'POINTWISE'],
      [3, 4, 'ALL_TO_ALL'],
    ];
    expect(triggered(vertices, edges)).toEqual([...range(0, 4, 16), ...range(2, 2, 4), ...range(3, 0, 4)]);
  });
});

describe('calculateCheckpointPlan with producers that reached end of data', () => {
  it('triggers a task whose producers all reached end of data, and still waits for those producers', () => {
    const vertices = [{ parallelism: 2, endOfData: [0, 1] }, { parallelism: 2 }];
    const { tasks, progressOf } = graph(vertices, [[0, 1, 'ALL_TO_ALL']]);
    const plan = calculateCheckpointPlan(tasks, progressOf)!;
    // Their channels carry no barrier any more: each task is triggered by the coordinator, each acknowledges.
    expect(plan.tasksToTrigger).toEqual(['v0#0', 'v0#1', 'v1#0', 'v1#1']);
    expect(plan.tasksToWaitFor).toEqual(['v0#0', 'v0#1', 'v1#0', 'v1#1']);
    expect(plan.finishedTasks).toEqual([]);
  });

  it('does not trigger a task while one of its producers still sends: the barrier comes through that channel', () => {
    expect(triggered([{ parallelism: 2, endOfData: [0] }, { parallelism: 2 }], [[0, 1, 'ALL_TO_ALL']])).toEqual(['v0#0', 'v0#1']);
  });

  it('reports a vertex whose tasks all FINISHED as fully finished, and waits for the rest', () => {
    const vertices = [{ parallelism: 2, finished: [0, 1] }, { parallelism: 2, finished: [1], endOfData: [0] }, { parallelism: 1 }];
    const edges: Edge[] = [
      [0, 1, 'ALL_TO_ALL'],
      [1, 2, 'ALL_TO_ALL'],
    ];
    const { tasks, progressOf } = graph(vertices, edges);
    expect(calculateCheckpointPlan(tasks, progressOf)).toEqual({
      tasksToTrigger: ['v1#0', 'v2#0'],
      tasksToWaitFor: ['v1#0', 'v2#0'],
      tasksToCommitTo: ['v1#0', 'v2#0'],
      finishedTasks: ['v0#0', 'v0#1', 'v1#1'],
      fullyFinishedVertices: ['v0'],
    });
  });
});
