// Job configuration: Flink option keys in, a typed frozen JobConfiguration out, and back to keys / REST.
export { ConfigurationError, type ConfigurationProblem } from './configuration-error';
export { unmodelledOptionProblems } from './unmodelled-options';
export { formatDuration, parseDuration, type DurationParse } from './duration';
export {
  isCheckpointingEnabled,
  type CheckpointingConfiguration,
  type HeartbeatConfiguration,
  type JobConfiguration,
  type StateRecoveryConfiguration,
} from './job-configuration';
export {
  CHECKPOINTING_MODES,
  EXTERNALIZED_CHECKPOINT_RETENTIONS,
  JOB_OPTIONS,
  RECOVERY_CLAIM_MODES,
  KNOWN_OPTION_KEYS,
  RESTART_STRATEGY_TYPES,
  STATE_BACKEND_TYPES,
  UPPER_BOUND_MAX_PARALLELISM,
  type CheckpointingMode,
  type ExternalizedCheckpointRetention,
  type RecoveryClaimMode,
  type RestartStrategyType,
  type StateBackendType,
} from './options';
export type { RawValue } from './option-readers';
export {
  parseJobConfiguration,
  readJobConfiguration,
  type JobConfigurationReading,
  type RawJobConfiguration,
} from './parse-job-configuration';
export type { RestartStrategyConfiguration } from './restart-strategy-configuration';
export { toFlinkOptions } from './flink-options';
export { CHECKPOINTING_DISABLED_INTERVAL, checkpointConfigInfo, type CheckpointConfigInfo } from './checkpoint-config-info';
