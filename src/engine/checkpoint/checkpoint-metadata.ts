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
