// JobConfiguration: the typed, frozen, validated settings of one job, read from Flink option keys.
// Guarantee: a JobConfiguration exists only if every value and every cross-option rule holds.
import type {
  CheckpointingMode,
  ExternalizedCheckpointRetention,
  RecoveryClaimMode,
  StateBackendType,
} from './options';
import type { RestartStrategyConfiguration } from './restart-strategy-configuration';

export interface CheckpointingConfiguration {
  /** execution.checkpointing.interval; null when checkpointing is disabled (Flink: no default). */
  readonly intervalMs: number | null;
  readonly mode: CheckpointingMode;
  readonly timeoutMs: number;
  readonly minPauseMs: number;
  readonly maxConcurrentCheckpoints: number;
  readonly tolerableFailedCheckpoints: number;
  readonly numRetained: number;
  readonly unalignedEnabled: boolean;
  readonly alignedCheckpointTimeoutMs: number;
  readonly incremental: boolean;
  readonly externalizedCheckpointRetention: ExternalizedCheckpointRetention;
}

/** HeartbeatManagerOptions, read by the Worker runtime (the deterministic runtime notices a kill at once). */
export interface HeartbeatConfiguration {
  /** heartbeat.interval: how often a Worker reports that it is alive. */
  readonly intervalMs: number;
  /** heartbeat.timeout: how long a deployed Worker may stay silent before it is taken as lost. */
  readonly timeoutMs: number;
}

/** Flink's SavepointRestoreSettings as StateRecoveryOptions set them: how a job starts from a savepoint or checkpoint. */
export interface StateRecoveryConfiguration {
  /** execution.state-recovery.ignore-unclaimed-state: skip state of operators the job does not have (Flink's --allowNonRestoredState). */
  readonly ignoreUnclaimedState: boolean;
  /** execution.state-recovery.claim-mode: whether the job owns (and may discard) the snapshot it started from. */
  readonly claimMode: RecoveryClaimMode;
}

export interface JobConfiguration {
  /** parallelism.default */
  readonly parallelism: number;
  /** pipeline.max-parallelism; -1 = not set, derived from the parallelism (see DESIGN.md, key groups). */
  readonly maxParallelism: number;
  readonly checkpointing: CheckpointingConfiguration;
  readonly stateBackend: StateBackendType;
  /** state.backend.indexeddb.cache.key-groups: key groups the indexeddb backend keeps in memory per subtask. */
  readonly indexedDbCacheKeyGroups: number;
  readonly heartbeat: HeartbeatConfiguration;
  readonly stateRecovery: StateRecoveryConfiguration;
  /** The resolved strategy: restart-strategy.type, or Flink's default for this job when unset. */
  readonly restartStrategy: RestartStrategyConfiguration;
}

export function isCheckpointingEnabled(configuration: JobConfiguration): boolean {
  return configuration.checkpointing.intervalMs !== null;
}
