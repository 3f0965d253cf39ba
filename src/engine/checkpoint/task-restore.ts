// What one new subtask restores from a completed checkpoint, as the state assignment computes it and
// the deployment carries it: per operator, the keyed handles it must read and its operator state.
import type { CheckpointId, OperatorUid } from '../ids';
import type { OperatorStateSnapshot } from '../state';
import type { InputChannelStateHandle, KeyedStateHandle, ResultSubpartitionStateHandle } from './task-state';

export interface OperatorRestore {
  readonly operatorUid: OperatorUid;
  /** Every keyed-state handle of the checkpoint whose key groups intersect this subtask's range (incremental ones with only those pieces). */
  readonly keyedHandles: readonly KeyedStateHandle[];
  /** This subtask's operator state after redistribution (even split or union). */
  readonly operatorState: OperatorStateSnapshot | null;
  /** The same subtask's input channel state of an unaligned checkpoint (head operator; parallelism unchanged). */
  readonly inputChannelState?: readonly InputChannelStateHandle[];
  /** The same subtask's output channel state of an unaligned checkpoint (tail operator; parallelism unchanged). */
  readonly resultSubpartitionState?: readonly ResultSubpartitionStateHandle[];
}

export interface TaskRestore {
  readonly checkpointId: CheckpointId;
  readonly operators: readonly OperatorRestore[];
  /**
   * Whether incremental checkpoints may reference the restored pieces (a failover within the job: yes).
   * False for the snapshot a job was started from: Flink's NO_CLAIM restore mode takes the first
   * checkpoint in full, so the job never depends on files it does not own.
   */
  readonly reuseSharedState?: boolean;
  /**
   * Flink's TaskStateSnapshot.FINISHED_ON_RESTORE: the checkpoint holds the task's vertex as fully finished, so the
   * task is deployed finished (Flink's FinishedOperatorChain): no operator is opened, `operators` is empty, its
   * output ends at once and it acknowledges checkpoints as finished on restore until it is FINISHED. Absent: false.
   */
  readonly finishedOnRestore?: true;
}
