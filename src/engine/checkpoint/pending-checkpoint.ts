// A checkpoint that has been triggered and waits for every task's acknowledgement (Flink's
// PendingCheckpoint). Acknowledging returns an outcome value, never throws for a late or unknown ack.
import type { CheckpointId, JobId, TaskId } from '../ids';
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
  readonly parallelism: number;
  readonly maxParallelism: number;
}

export class PendingCheckpoint {
  readonly #notYetAcknowledged: Set<TaskId>;
  readonly #acknowledged = new Map<TaskId, AcknowledgedTask>();
  #disposed = false;

  constructor(
    readonly jobId: JobId,
    readonly checkpointId: CheckpointId,
    readonly triggerTimestamp: number,
    readonly properties: CheckpointProperties,
    readonly tasksToAcknowledge: readonly TaskId[],
  ) {
    this.#notYetAcknowledged = new Set(tasksToAcknowledge);
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  acknowledgedTasks(): readonly AcknowledgedTask[] {
    return [...this.#acknowledged.values()];
  }

  acknowledgeTask(taskId: TaskId, state: TaskStateSnapshot, metrics: SubtaskCheckpointMetrics): TaskAcknowledgeResult {
    if (this.#disposed) return 'DISCARDED';
    if (this.#acknowledged.has(taskId)) return 'DUPLICATE';
    if (!this.#notYetAcknowledged.delete(taskId)) return 'UNKNOWN';
    this.#acknowledged.set(taskId, { taskId, state, metrics });
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
    const operatorMetadata: OperatorStateMetadata[] = operators.map((layout) => ({
      operatorUid: layout.operatorUid,
      parallelism: layout.parallelism,
      maxParallelism: layout.maxParallelism,
      subtaskStates: byOperator.get(layout.operatorUid) ?? [],
    }));
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
}
