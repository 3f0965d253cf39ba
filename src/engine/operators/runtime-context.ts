// What an operator and its user function may see of the running subtask: Flink's RuntimeContext
// (task info, keyed state) plus the services the runtime injects (clock, events, external systems).
import type {
  AggregatingState,
  AggregatingStateDescriptor,
  HeapKeyedStateBackend,
  ListState,
  ListStateDescriptor,
  MapState,
  MapStateDescriptor,
  OperatorStateBackend,
  ReducingState,
  ReducingStateDescriptor,
  ValueState,
  ValueStateDescriptor,
} from '../state';
import type { Clock } from '../ports/clock';
import type { EngineEvent } from '../events';
import type { ExternalSystems } from '../ports/external-systems';
import type { CheckpointId, OperatorUid, TaskId } from '../ids';

export interface TaskInfo {
  readonly taskId: TaskId;
  readonly taskName: string;
  readonly operatorUid: OperatorUid;
  readonly indexOfThisSubtask: number;
  readonly numberOfParallelSubtasks: number;
  readonly maxNumberOfParallelSubtasks: number;
  readonly attemptNumber: number;
}

export interface OperatorContext {
  readonly taskInfo: TaskInfo;
  readonly clock: Clock;
  readonly keyedStateBackend: HeapKeyedStateBackend | null;
  readonly operatorStateBackend: OperatorStateBackend;
  readonly isRestored: boolean;
  /** The checkpoint (or savepoint) the state was restored from, or null (Flink's ManagedInitializationContext#getRestoredCheckpointId). */
  readonly restoredCheckpointId: CheckpointId | null;
  readonly external: ExternalSystems;
  emit(event: EngineEvent): void;
}

/** Flink's RuntimeContext, the part a KeyedProcessFunction uses. */
export class RuntimeContext {
  constructor(private readonly context: OperatorContext) {}

  getTaskInfo(): TaskInfo {
    return this.context.taskInfo;
  }

  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    return this.keyed().getPartitionedState(descriptor);
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.keyed().getPartitionedState(descriptor);
  }

  getMapState<UK extends string | number, V>(descriptor: MapStateDescriptor<UK, V>): MapState<UK, V> {
    return this.keyed().getPartitionedState(descriptor);
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.keyed().getPartitionedState(descriptor);
  }

  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.keyed().getPartitionedState(descriptor);
  }

  private keyed(): HeapKeyedStateBackend {
    const backend = this.context.keyedStateBackend;
    if (!backend) throw new Error('Keyed state is only accessible on a keyed stream (after keyBy)');
    return backend;
  }
}
