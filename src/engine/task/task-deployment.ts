// What the job master hands a runtime to start one subtask: plain data (JSON-serialisable, so it
// can be posted to a Worker); the operator code itself comes from the job graph by vertex id.
import type { AttemptNumber, CheckpointId, JobId, OperatorUid, TaskId, VertexId } from '../ids';
import type { OperatorStateSnapshot } from '../state';
import type { KeyedStateHandle } from '../checkpoint/task-state';
import type { ChannelSource } from './input-gate';
import type { SubpartitionTarget } from './result-partition';
import type { NetworkLimits } from './network-limits';
import type { StateBackendType } from '../config';

export interface OperatorRestore {
  readonly operatorUid: OperatorUid;
  /** Every keyed-state handle of the checkpoint whose key groups intersect this subtask's range (incremental ones with only those pieces). */
  readonly keyedHandles: readonly KeyedStateHandle[];
  /** This subtask's operator state after redistribution (even split or union). */
  readonly operatorState: OperatorStateSnapshot | null;
}

export interface TaskRestore {
  readonly checkpointId: CheckpointId;
  readonly operators: readonly OperatorRestore[];
}

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
  readonly inputChannels: readonly ChannelSource[];
  /** One entry per output edge of the vertex, in the vertex's order; one target per subpartition. */
  readonly outputs: ReadonlyArray<{ readonly targets: readonly SubpartitionTarget[] }>;
  readonly restore: TaskRestore | null;
  readonly network: NetworkLimits;
}
