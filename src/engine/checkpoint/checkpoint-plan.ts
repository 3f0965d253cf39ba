// Which tasks one checkpoint involves (Flink's CheckpointPlan, computed as DefaultCheckpointPlanCalculator does):
// the tasks to trigger, to wait for, to commit to, those already finished and the job vertices whose tasks all
// finished. With every task running it is Flink's calculateWithAllTasksRunning: the sources are triggered, every
// task acknowledges. Once some tasks reached their end it is calculateAfterTasksFinished (FLIP-147).
//
// One difference, forced by the channels: a task here ends its output partitions when its input ends (Flink's
// EndOfData and EndOfPartition at once), so no barrier reaches a task through a channel whose producer reached
// end of data, even while that producer still runs (waiting for its final checkpoint). Flink triggers the running
// tasks with no running predecessor; here a predecessor that reached end of data counts as not running for that
// choice (its channels carry nothing more), while it still acknowledges until it is FINISHED, as in Flink.
import type { TaskId, VertexId } from '../ids';

/** How far one task is, as the job master knows it. */
export type TaskProgress =
  /** Not (yet, or no longer) running: CREATED, DEPLOYING, INITIALIZING, CANCELING, FAILED… No checkpoint can start. */
  | 'NOT_RUNNING'
  | 'RUNNING'
  /** RUNNING, its input ended and its operators finished, waiting for a checkpoint after that to complete (Flink's notifyEndOfData). */
  | 'END_OF_DATA'
  | 'FINISHED';

/** One task of the job, with the tasks that feed it (the producers of its input channels). */
export interface PlannedTask {
  readonly taskId: TaskId;
  readonly vertexId: VertexId;
  readonly producers: readonly TaskId[];
}

export interface CheckpointPlan {
  /** Sent the trigger: they snapshot first and emit the barrier (Flink's tasksToTrigger). */
  readonly tasksToTrigger: readonly TaskId[];
  /** Must acknowledge before the checkpoint completes: every task not FINISHED. */
  readonly tasksToWaitFor: readonly TaskId[];
  /** Notified of completion and abort: the tasks running when it was triggered. */
  readonly tasksToCommitTo: readonly TaskId[];
  /** FINISHED when it was triggered: each is recorded as finished in the checkpoint (FinishedOperatorSubtaskState). */
  readonly finishedTasks: readonly TaskId[];
  /** Vertices whose every task FINISHED: their operators are fully finished (FullyFinishedOperatorState). */
  readonly fullyFinishedVertices: readonly VertexId[];
}

/**
 * The plan for a checkpoint now, or null when one cannot start (Flink's NOT_ALL_REQUIRED_TASKS_RUNNING: a task
 * that is neither running nor finished). `tasks` are in topological order, each vertex's subtasks in order.
 */
export function calculateCheckpointPlan(tasks: readonly PlannedTask[], progressOf: (taskId: TaskId) => TaskProgress): CheckpointPlan | null {
  if (tasks.length === 0 || tasks.some((task) => progressOf(task.taskId) === 'NOT_RUNNING')) return null;
  const someEnded = tasks.some((task) => progressOf(task.taskId) !== 'RUNNING');
  return someEnded ? calculateAfterTasksFinished(tasks, progressOf) : calculateWithAllTasksRunning(tasks);
}

/** Every task runs: the sources are triggered; every task acknowledges and is notified. */
function calculateWithAllTasksRunning(tasks: readonly PlannedTask[]): CheckpointPlan {
  const all = tasks.map((task) => task.taskId);
  return {
    tasksToTrigger: tasks.filter((task) => task.producers.length === 0).map((task) => task.taskId),
    tasksToWaitFor: all,
    tasksToCommitTo: all,
    finishedTasks: [],
    fullyFinishedVertices: [],
  };
}

/**
 * Some tasks ended: a vertex with no task left running is fully finished; a running task is waited for and
 * committed to, and triggered when none of its producers still sends (see the module's note); a FINISHED task
 * is reported finished.
 */
function calculateAfterTasksFinished(tasks: readonly PlannedTask[], progressOf: (taskId: TaskId) => TaskProgress): CheckpointPlan {
  const tasksToTrigger: TaskId[] = [];
  const tasksToWaitFor: TaskId[] = [];
  const finishedTasks: TaskId[] = [];
  const fullyFinishedVertices: VertexId[] = [];
  for (const vertex of byVertex(tasks)) {
    if (vertex.tasks.every((task) => progressOf(task.taskId) === 'FINISHED')) {
      fullyFinishedVertices.push(vertex.vertexId);
      finishedTasks.push(...vertex.tasks.map((task) => task.taskId));
      continue;
    }
    for (const task of vertex.tasks) {
      if (progressOf(task.taskId) === 'FINISHED') {
        finishedTasks.push(task.taskId);
        continue;
      }
      tasksToWaitFor.push(task.taskId);
      if (!task.producers.some((producer) => progressOf(producer) === 'RUNNING')) tasksToTrigger.push(task.taskId);
    }
  }
  return { tasksToTrigger, tasksToWaitFor, tasksToCommitTo: tasksToWaitFor, finishedTasks, fullyFinishedVertices };
}

/** The tasks grouped by vertex, vertices in the order their first task comes. */
function byVertex(tasks: readonly PlannedTask[]): Array<{ vertexId: VertexId; tasks: PlannedTask[] }> {
  const vertices = new Map<VertexId, PlannedTask[]>();
  for (const task of tasks) {
    const list = vertices.get(task.vertexId);
    if (list) list.push(task);
    else vertices.set(task.vertexId, [task]);
  }
  return [...vertices].map(([vertexId, list]) => ({ vertexId, tasks: list }));
}
