// The engine's public entry: the Flink-like API a job is written against, key groups bit for bit as
// Flink computes them, state, connectors, configuration, events and the ports a runtime implements.

// Key groups (KeyGroupRangeAssignment) and state.
export {
  assignToKeyGroup,
  assignKeyToParallelOperator,
  computeDefaultMaxParallelism,
  computeKeyGroupForKeyHash,
  computeKeyGroupRangeForOperatorIndex,
  computeOperatorIndexForKeyGroup,
  javaStringHashCode,
  keyHashCode,
  murmurHash,
  KeyGroupRange,
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
  HeapKeyedStateBackend,
  OperatorStateBackend,
  repartitionOperatorState,
} from './state';
export type { AggregatingState, Json, Key, ListState, MapState, ReducingState, ValueState, KeyedStateSnapshot, OperatorStateSnapshot } from './state';

// The DataStream API.
export { StreamExecutionEnvironment, RestartStrategies } from './graph/stream-execution-environment';
export type { CheckpointingMode, ConfigurationMap, JobExecutor, Source } from './graph/stream-execution-environment';
export { DataStream, KeyedStream, SingleOutputStreamOperator, DataStreamSink } from './graph/data-stream';
export type { Sink } from './graph/data-stream';
export { KeyedProcessFunction } from './graph/functions';
export type { Collector, FilterFunction, KeySelector, MapFunction, ReduceFunction } from './graph/functions';
export type { JobGraph, JobVertex, JobEdge } from './graph/job-graph';

// Connectors.
export { ReplayableSource } from './connectors/replayable-source';
export type { ReplayableTopic, PartitionOffset } from './connectors/replayable-source';
export { TwoPhaseCommitSink } from './connectors/two-phase-commit-sink';
export { AtLeastOnceSink } from './connectors/at-least-once-sink';
export { DiscardingSink } from './connectors/discarding-sink';
export { InMemoryExternalSystems } from './connectors/external-systems';
export type { ExternalOutput, ExternalSystems } from './connectors/external-systems';

// Configuration (Flink's option names), restart strategies, barrier handling.
export { parseJobConfiguration, readJobConfiguration, ConfigurationError, checkpointConfigInfo, toFlinkOptions } from './config';
export type { JobConfiguration, CheckpointingConfiguration, StateRecoveryConfiguration, RecoveryClaimMode } from './config';
export { createRestartStrategy } from './failover';
export type { RestartBackoffTimeStrategy } from './failover';
export { createBarrierHandler } from './checkpoint/barrier';
export type { BarrierHandlerInput, BarrierHandlerOutcome, CheckpointBarrierHandler } from './checkpoint/barrier';

// Checkpoints, statistics (Flink's REST shape) and events.
export { CheckpointStatsTracker } from './checkpoint/checkpoint-stats';
export { CheckpointStatsFold, foldCheckpointStatistics } from './checkpoint/checkpoint-stats-fold';
export type { CheckpointingStatistics, CheckpointStatistics } from './checkpoint/checkpoint-stats';
export type { CheckpointMetadata } from './checkpoint/checkpoint-metadata';
export { validateSavepointRestore } from './checkpoint/savepoint-restore';
export type { SavepointRestoreOptions, SavepointRestoreValidation } from './checkpoint/savepoint-restore';
export type { AcknowledgementMetrics, DeployedChannel, DeployedOperator, DeployedSubtask, DeployedVertex, EngineEvent, EngineEventType, EventOf, EventSink } from './events';
export { receiveSideProblems } from './event-invariants';
export { SAMPLE_KEY_LIMIT, SAMPLE_VALUE_CHARS } from './samples';
export type { SampledKey, TaskSample } from './samples';

// Snapshot files (.bscp): encode, decode, inspect.
export * from './format';

// The outside world, injected.
export type { Clock, Random } from './ports';
export { seededRandom } from './ports';
export type { CheckpointStorage, StorageCallback, StorageResult } from './ports/checkpoint-storage';
export type { KeyGroupStore, KeyGroupStores } from './ports/key-group-store';
export { Task } from './task/task';
export type { TaskDeploymentDescriptor } from './task/task-deployment';
