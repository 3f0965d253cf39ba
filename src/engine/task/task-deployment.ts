// What the job master hands a runtime to start one subtask: plain data (JSON-serialisable, so it
// can be posted to a Worker); the operator code itself comes from the job graph by vertex id.
import type { AttemptNumber, JobId, TaskId, VertexId } from '../ids';
import type { ChannelSource } from './input-gate';
import type { SubpartitionTarget } from './result-partition';
import type { NetworkLimits } from './network-limits';
import type { TaskRestore } from '../checkpoint/task-restore';
import type { StateBackendType } from '../config';

export type { OperatorRestore, TaskRestore } from '../checkpoint/task-restore';

export interface TaskDeploymentDescriptor {
  readonly jobId: JobId;
  readonly taskId: TaskId;
  readonly vertexId: VertexId;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly attempt: AttemptNumber;
  readonly checkpointingMode: 'exactly-once' | 'at-least-once';
  /** `execution.checkpointing.incremental`: upload only key groups changed since the last completed checkpoint. */
  readonly incrementalCheckpoints?: boolean;
  /** `state.backend.type` (JobConfiguration.stateBackend); absent means 'hashmap'. */
  readonly stateBackend?: StateBackendType;
  /** `state.backend.indexeddb.cache.key-groups`; absent means the runtime's own bound. */
  readonly residentKeyGroups?: number;
  readonly inputChannels: readonly ChannelSource[];
  /** One entry per output edge of the vertex, in the vertex's order; one target per subpartition. */
  readonly outputs: ReadonlyArray<{ readonly targets: readonly SubpartitionTarget[] }>;
  readonly restore: TaskRestore | null;
  readonly network: NetworkLimits;
  /**
   * Flink's areCheckpointsWithFinishedTasksEnabled (execution.checkpointing.checkpoints-after-tasks-finish, on by
   * default, with checkpointing on): when its input ends the task finishes its operators, ends its output, and
   * waits for a checkpoint taken after that (its final checkpoint) to complete before it is FINISHED. Absent:
   * the task is FINISHED as soon as its input ends.
   */
  readonly checkpointsAfterTasksFinish?: true;
  /**
   * `execution.checkpointing.unaligned.enabled` (exactly-once only): the barrier handler is Flink's alternating
   * one, which takes each checkpoint as its barrier's options say (aligned, unaligned, aligned with a timeout).
   * Absent: aligned only.
   */
  readonly unalignedCheckpoints?: true;
}
