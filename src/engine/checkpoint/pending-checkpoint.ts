// A checkpoint that has been triggered and waits for every task's acknowledgement (Flink's
// PendingCheckpoint). Acknowledging returns an outcome value, never throws for a late or unknown ack.
// With finished tasks (FLIP-147) its plan names them, and the metadata marks them as Flink's
// DefaultCheckpointPlan#fulfillFinishedTaskStatus does: fully finished operators, and finished subtasks.
import type { CheckpointId, JobId, TaskId, VertexId } from '../ids';
import { parseTaskId } from '../ids';
import type { CheckpointMetadata, OperatorStateMetadata } from './checkpoint-metadata';
import type { OperatorSubtaskState, SubtaskCheckpointMetrics, TaskStateSnapshot } from './task-state';

export type TaskAcknowledgeResult = 'SUCCESS' | 'DUPLICATE' | 'UNKNOWN' | 'DISCARDED';

export interface CheckpointProperties {
  readonly isSavepoint: boolean;
  /** Stop-with-savepoint's synchronous savepoint (Flink's SavepointType.isSynchronous): its completion is committed. */
  readonly isSynchronous?: boolean;
}

export interface AcknowledgedTask {
  readonly taskId: TaskId;
  readonly state: TaskStateSnapshot;
  readonly metrics: SubtaskCheckpointMetrics;
}

/** Which operators a task hosts, and their parallelism, to build the metadata. */
export interface OperatorLayout {
  readonly operatorUid: string;
  /** The vertex (chain) the operator runs in; needed to mark finished tasks' operators. */
  readonly vertexId?: VertexId;
  readonly parallelism: number;
  readonly maxParallelism: number;
}

/** The finished part of a checkpoint's plan (Flink's CheckpointPlan#getFinishedTasks, #getFullyFinishedJobVertex). */
export interface FinishedTasks {
  /** Tasks FINISHED when the checkpoint was triggered: they do not acknowledge, their state is empty. */
  readonly finishedTasks: readonly TaskId[];
  /** Vertices whose every task had FINISHED. */
  readonly fullyFinishedVertices: readonly VertexId[];
}

const NONE_FINISHED: FinishedTasks = { finishedTasks: [], fullyFinishedVertices: [] };

export class PendingCheckpoint {
  readonly #notYetAcknowledged: Set<TaskId>;
  readonly #acknowledged = new Map<TaskId, AcknowledgedTask>();
  /** Fully finished vertices, and those whose tasks acknowledged as deployed finished (reportTaskFinishedOnRestore). */
  readonly #fullyFinishedOrFinishedOnRestore: Set<VertexId>;
  /** Tasks sent this checkpoint's trigger so far. */
  readonly #triggered = new Set<TaskId>();
  #disposed = false;

  constructor(
    readonly jobId: JobId,
    readonly checkpointId: CheckpointId,
    readonly triggerTimestamp: number,
    readonly properties: CheckpointProperties,
    readonly tasksToAcknowledge: readonly TaskId[],
    readonly finished: FinishedTasks = NONE_FINISHED,
  ) {
    this.#notYetAcknowledged = new Set(tasksToAcknowledge);
    this.#fullyFinishedOrFinishedOnRestore = new Set(finished.fullyFinishedVertices);
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  /**
   * Of `tasks` (a plan's tasks to trigger), those still to acknowledge that were not triggered yet, now marked
   * triggered: the trigger's recipients at the start, and later the tasks no barrier of it can reach any more.
   */
  takeTasksToTrigger(tasks: readonly TaskId[]): TaskId[] {
    if (this.#disposed) return [];
    const untriggered = tasks.filter((taskId) => this.#notYetAcknowledged.has(taskId) && !this.#triggered.has(taskId));
    for (const taskId of untriggered) this.#triggered.add(taskId);
    return untriggered;
  }

  acknowledgedTasks(): readonly AcknowledgedTask[] {
    return [...this.#acknowledged.values()];
  }

  acknowledgeTask(taskId: TaskId, state: TaskStateSnapshot, metrics: SubtaskCheckpointMetrics): TaskAcknowledgeResult {
    if (this.#disposed) return 'DISCARDED';
    if (this.#acknowledged.has(taskId)) return 'DUPLICATE';
    if (!this.#notYetAcknowledged.delete(taskId)) return 'UNKNOWN';
    this.#acknowledged.set(taskId, { taskId, state, metrics });
    // Flink's DefaultCheckpointPlan#reportTaskFinishedOnRestore: its vertex counts as fully finished.
    if (state.isTaskDeployedAsFinished === true) this.#fullyFinishedOrFinishedOnRestore.add(parseTaskId(taskId).vertexId);
    return 'SUCCESS';
  }

  isFullyAcknowledged(): boolean {
    return !this.#disposed && this.#notYetAcknowledged.size === 0;
  }

  /** The checkpoint was aborted or completed: later acknowledgements are DISCARDED. */
  dispose(): void {
    this.#disposed = true;
  }

  /** The metadata to write once fully acknowledged: subtask states grouped by operator uid. */
  toMetadata(operators: readonly OperatorLayout[], completionTimestamp: number): CheckpointMetadata {
    if (!this.isFullyAcknowledged()) throw new Error(`Checkpoint ${this.checkpointId} is not fully acknowledged`);
    const byOperator = new Map<string, OperatorSubtaskState[]>();
    for (const { state } of this.#acknowledged.values()) {
      for (const operatorState of state.operators) {
        const list = byOperator.get(operatorState.operatorUid) ?? [];
        list[state.subtaskIndex] = operatorState;
        byOperator.set(operatorState.operatorUid, list);
      }
    }
    const operatorMetadata: OperatorStateMetadata[] = operators.map((layout) =>
      this.withFinishedTaskStatus({
        operatorUid: layout.operatorUid,
        parallelism: layout.parallelism,
        maxParallelism: layout.maxParallelism,
        subtaskStates: byOperator.get(layout.operatorUid) ?? [],
      }, layout.vertexId),
    );
    return {
      version: 1,
      jobId: this.jobId,
      checkpointId: this.checkpointId,
      isSavepoint: this.properties.isSavepoint,
      triggerTimestamp: this.triggerTimestamp,
      completionTimestamp,
      operators: operatorMetadata,
    };
  }

  /**
   * Flink's DefaultCheckpointPlan#fulfillFinishedTaskStatus for one operator: of a fully finished (or finished on
   * restore) vertex it is a FullyFinishedOperatorState; a finished task of a vertex still running gets a
   * FinishedOperatorSubtaskState (empty here, its index in `finishedSubtasks`). Flink's refusal of union list state
   * in a partly finished vertex is not modelled: no operator here uses union state with bounded sources.
   */
  private withFinishedTaskStatus(operator: OperatorStateMetadata, vertexId: VertexId | undefined): OperatorStateMetadata {
    if (vertexId === undefined) return operator;
    const empty = (): OperatorSubtaskState => ({ operatorUid: operator.operatorUid, keyed: null, operator: null });
    if (this.#fullyFinishedOrFinishedOnRestore.has(vertexId)) {
      // Finished tasks report no state ("There should be no states … reported for fully finished operators").
      return { ...operator, subtaskStates: Array.from({ length: operator.parallelism }, empty), fullyFinished: true };
    }
    const finished = this.finished.finishedTasks.map(parseTaskId).filter((task) => task.vertexId === vertexId).map((task) => task.subtaskIndex);
    if (finished.length === 0) return operator;
    const subtaskStates = Array.from({ length: operator.parallelism }, (_, subtask) => operator.subtaskStates[subtask] ?? empty());
    return { ...operator, subtaskStates, finishedSubtasks: [...finished].sort((a, b) => a - b) };
  }
}
