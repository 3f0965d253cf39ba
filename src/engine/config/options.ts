// Job options with Flink's keys, deprecated keys and defaults (CheckpointingOptions, RestartStrategyOptions,
// PipelineOptions, CoreOptions, StateBackendOptions, HeartbeatManagerOptions in apache/flink, 2.x). One table: parsing and display read it.
import {
  booleanOption,
  doubleOption,
  durationOption,
  enumOption,
  integerOption,
  integerOrUnsetOption,
  type OptionReader,
} from './option-readers';

/** The longest delay a JavaScript timer honours. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export interface OptionDefinition<T> {
  readonly key: string;
  /** Older keys Flink still reads for this option (ConfigOption.withDeprecatedKeys). */
  readonly deprecatedKeys: readonly string[];
  /** Flink's default; undefined where Flink has none (checkpoint interval, restart-strategy.type). */
  readonly defaultValue: T | undefined;
  readonly reader: OptionReader<T>;
}

function option<T>(key: string, defaultValue: T | undefined, reader: OptionReader<T>, deprecatedKeys: string[] = []) {
  return Object.freeze({ key, defaultValue, reader, deprecatedKeys: Object.freeze(deprecatedKeys) });
}

export const CHECKPOINTING_MODES = ['EXACTLY_ONCE', 'AT_LEAST_ONCE'] as const;
export type CheckpointingMode = (typeof CHECKPOINTING_MODES)[number];

/** `indexeddb` is this simulator's RocksDB analogue (working state outside the heap, incremental snapshots). */
export const STATE_BACKEND_TYPES = ['hashmap', 'indexeddb'] as const;
export type StateBackendType = (typeof STATE_BACKEND_TYPES)[number];

export const EXTERNALIZED_CHECKPOINT_RETENTIONS = [
  'NO_EXTERNALIZED_CHECKPOINTS',
  'DELETE_ON_CANCELLATION',
  'RETAIN_ON_CANCELLATION',
] as const;
export type ExternalizedCheckpointRetention = (typeof EXTERNALIZED_CHECKPOINT_RETENTIONS)[number];

/**
 * Flink's RecoveryClaimMode (RestoreMode before 2.0): who owns the snapshot a job is started from. CLAIM: the
 * job owns it and discards it once a newer checkpoint subsumes it; NO_CLAIM: the user owns it, the job never
 * deletes it and takes its first checkpoint in full so it never depends on it. LEGACY was removed in Flink 2.0.
 */
export const RECOVERY_CLAIM_MODES = ['CLAIM', 'NO_CLAIM'] as const;
export type RecoveryClaimMode = (typeof RECOVERY_CLAIM_MODES)[number];

/** RestartStrategyOptions.RestartStrategyType: main values, with Flink's other accepted spellings as aliases. */
export const RESTART_STRATEGY_TYPES = ['disable', 'fixed-delay', 'failure-rate', 'exponential-delay'] as const;
export type RestartStrategyType = (typeof RESTART_STRATEGY_TYPES)[number];

/** Flink's upper bound for max parallelism (KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM = 2^15). */
export const UPPER_BOUND_MAX_PARALLELISM = 32_768;
/** CheckpointConfig.MINIMAL_CHECKPOINT_TIME: the smallest interval and timeout Flink accepts. */
export const MINIMAL_CHECKPOINT_TIME_MS = 10;

export const JOB_OPTIONS = {
  parallelism: option('parallelism.default', 1, integerOption(1, UPPER_BOUND_MAX_PARALLELISM)),
  maxParallelism: option('pipeline.max-parallelism', -1, integerOrUnsetOption(1, UPPER_BOUND_MAX_PARALLELISM)),

  checkpointingInterval: option<number>(
    'execution.checkpointing.interval',
    undefined,
    durationOption(MINIMAL_CHECKPOINT_TIME_MS),
  ),
  checkpointingMode: option<CheckpointingMode>(
    'execution.checkpointing.mode',
    'EXACTLY_ONCE',
    enumOption(CHECKPOINTING_MODES),
  ),
  checkpointingTimeout: option('execution.checkpointing.timeout', 600_000, durationOption(MINIMAL_CHECKPOINT_TIME_MS)),
  minPause: option('execution.checkpointing.min-pause', 0, durationOption(0)),
  maxConcurrentCheckpoints: option('execution.checkpointing.max-concurrent-checkpoints', 1, integerOption(1)),
  tolerableFailedCheckpoints: option('execution.checkpointing.tolerable-failed-checkpoints', 0, integerOption(0)),
  numRetained: option('execution.checkpointing.num-retained', 1, integerOption(1), ['state.checkpoints.num-retained']),
  unalignedEnabled: option('execution.checkpointing.unaligned.enabled', false, booleanOption(), [
    'execution.checkpointing.unaligned',
  ]),
  alignedCheckpointTimeout: option('execution.checkpointing.aligned-checkpoint-timeout', 0, durationOption(0), [
    'execution.checkpointing.alignment-timeout',
  ]),
  incremental: option('execution.checkpointing.incremental', false, booleanOption(), ['state.backend.incremental']),
  externalizedCheckpointRetention: option<ExternalizedCheckpointRetention>(
    'execution.checkpointing.externalized-checkpoint-retention',
    'NO_EXTERNALIZED_CHECKPOINTS',
    enumOption(EXTERNALIZED_CHECKPOINT_RETENTIONS),
  ),
  stateBackend: option<StateBackendType>(
    'state.backend.type',
    'hashmap',
    enumOption(STATE_BACKEND_TYPES, {}, { rocksdb: "this simulator's RocksDB analogue is 'indexeddb'" }),
    ['state.backend'],
  ),
  /**
   * Not a Flink option: the indexeddb backend's bounded write-back cache per subtask, in key groups' worth of
   * state (RocksDB's analogue is state.backend.rocksdb.block.cache-size). The cache holds 1/256 blocks of key
   * groups, LRU: at most this share of the subtask's key groups' blocks (e.g. 16 of 64 → a quarter of the state),
   * or the blocks of the buffer being processed if more. At or above the subtask's key groups nothing is evicted.
   */
  indexedDbCacheKeyGroups: option('state.backend.indexeddb.cache.key-groups', 128, integerOption(1, UPPER_BOUND_MAX_PARALLELISM)),

  /**
   * StateRecoveryOptions (Flink 1.20 and 2.x; the `execution.savepoint…` keys are the deprecated ones Flink
   * still reads): whether state of operators the job lacks may be skipped on restore, and who owns the snapshot.
   */
  ignoreUnclaimedState: option('execution.state-recovery.ignore-unclaimed-state', false, booleanOption(), [
    'execution.savepoint.ignore-unclaimed-state',
  ]),
  claimMode: option<RecoveryClaimMode>(
    'execution.state-recovery.claim-mode',
    'NO_CLAIM',
    enumOption(RECOVERY_CLAIM_MODES, {}, { legacy: 'LEGACY was removed in Flink 2.0; use NO_CLAIM or CLAIM' }),
    ['execution.savepoint-restore-mode'],
  ),

  /**
   * HeartbeatManagerOptions: how often a TaskManager (here a subtask's Worker) reports to the JobManager, and
   * how long the JobManager waits without hearing from it before it takes the TaskManager as lost.
   */
  // Bounded by what a timer can wait (2^31 − 1 ms): a longer setInterval fires at once, flooding the page.
  heartbeatInterval: option('heartbeat.interval', 10_000, durationOption(1, MAX_TIMER_DELAY_MS)),
  heartbeatTimeout: option('heartbeat.timeout', 50_000, durationOption(1, MAX_TIMER_DELAY_MS)),

  restartStrategyType: option<RestartStrategyType>(
    'restart-strategy.type',
    undefined,
    enumOption(RESTART_STRATEGY_TYPES, {
      none: 'disable',
      off: 'disable',
      fixeddelay: 'fixed-delay',
      failurerate: 'failure-rate',
      exponentialdelay: 'exponential-delay',
    }),
    ['restart-strategy'],
  ),
  fixedDelayAttempts: option('restart-strategy.fixed-delay.attempts', 1, integerOption(0)),
  fixedDelayDelay: option('restart-strategy.fixed-delay.delay', 1_000, durationOption(0)),
  failureRateMaxFailuresPerInterval: option(
    'restart-strategy.failure-rate.max-failures-per-interval',
    1,
    integerOption(1),
  ),
  failureRateInterval: option('restart-strategy.failure-rate.failure-rate-interval', 60_000, durationOption(1)),
  failureRateDelay: option('restart-strategy.failure-rate.delay', 1_000, durationOption(0)),
  exponentialInitialBackoff: option('restart-strategy.exponential-delay.initial-backoff', 1_000, durationOption(1)),
  exponentialMaxBackoff: option('restart-strategy.exponential-delay.max-backoff', 60_000, durationOption(1)),
  exponentialBackoffMultiplier: option(
    'restart-strategy.exponential-delay.backoff-multiplier',
    1.5,
    doubleOption({ minimum: 1, minimumExclusive: true }),
  ),
  exponentialResetBackoffThreshold: option(
    'restart-strategy.exponential-delay.reset-backoff-threshold',
    3_600_000,
    durationOption(1),
  ),
  exponentialJitterFactor: option(
    'restart-strategy.exponential-delay.jitter-factor',
    0.1,
    doubleOption({ minimum: 0, maximum: 1 }),
  ),
  /** Flink's default is Integer.MAX_VALUE, documented as "infinite". */
  exponentialAttemptsBeforeResetBackoff: option(
    'restart-strategy.exponential-delay.attempts-before-reset-backoff',
    2_147_483_647,
    integerOption(1),
  ),
} as const;

export type JobOptionName = keyof typeof JOB_OPTIONS;

/** Every key Flink (and this simulator) accepts, current and deprecated. */
export const KNOWN_OPTION_KEYS: readonly string[] = Object.freeze(
  Object.values(JOB_OPTIONS).flatMap((definition) => [definition.key, ...definition.deprecatedKeys]),
);
