// The `_metadata` of a completed checkpoint: which subtask state belongs to which operator, written
// by the coordinator after every task acknowledged. Restore reads only this and the handles it names.
import type { CheckpointId, JobId, OperatorUid } from '../ids';
import type { OperatorSubtaskState } from './task-state';

export interface OperatorStateMetadata {
  readonly operatorUid: OperatorUid;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** Indexed by subtask. */
  readonly subtaskStates: readonly OperatorSubtaskState[];
  /**
   * Flink's FullyFinishedOperatorState (FLIP-147): every subtask of the operator's vertex had FINISHED (or was
   * deployed finished) when the checkpoint was taken. Its subtask states are empty; a restore deploys the vertex's
   * tasks finished: they open no operator and end their output at once. Absent: not finished.
   */
  readonly fullyFinished?: true;
  /**
   * Subtasks that had FINISHED while others ran (Flink's FinishedOperatorSubtaskState): their state is empty,
   * so a restore gives those subtasks nothing, as if the job had that many fewer subtasks. Absent: none.
   */
  readonly finishedSubtasks?: readonly number[];
}

export interface CheckpointMetadata {
  readonly version: 1;
  readonly jobId: JobId;
  readonly checkpointId: CheckpointId;
  readonly isSavepoint: boolean;
  readonly triggerTimestamp: number;
  readonly completionTimestamp: number;
  readonly operators: readonly OperatorStateMetadata[];
}
