// The REST view GET /jobs/:jobid/checkpoints/config, with Flink's field names (CheckpointConfigInfo.java).
// Changelog fields are left out: this simulator has no changelog state backend (state_changelog_enabled: false).
import type { JobConfiguration } from './job-configuration';
import type { StateBackendType } from './options';

export interface CheckpointConfigInfo {
  readonly mode: 'exactly_once' | 'at_least_once';
  /** Milliseconds; Long.MAX_VALUE when periodic checkpoints are disabled (as Flink's JobGraph records it). */
  readonly interval: number;
  readonly timeout: number;
  readonly min_pause: number;
  readonly max_concurrent: number;
  readonly externalization: { readonly enabled: boolean; readonly delete_on_cancellation: boolean };
  readonly state_backend: string;
  readonly checkpoint_storage: string;
  readonly unaligned_checkpoints: boolean;
  readonly tolerable_failed_checkpoints: number;
  readonly aligned_checkpoint_timeout: number;
  readonly checkpoints_after_tasks_finish: boolean;
  readonly state_changelog_enabled: boolean;
}

/**
 * Flink keeps checkpoint settings even with checkpointing off, with interval Long.MAX_VALUE
 * (StreamingJobGraphGenerator.configureCheckpointing). 2^63 is what JSON.parse makes of that long.
 */
export const CHECKPOINTING_DISABLED_INTERVAL = 2 ** 63;

/** Flink reports the backend's class name; `indexeddb` stands in for EmbeddedRocksDBStateBackend. */
const STATE_BACKEND_CLASS_NAMES: Readonly<Record<StateBackendType, string>> = {
  hashmap: 'HashMapStateBackend',
  indexeddb: 'IndexedDbStateBackend',
};

export function checkpointConfigInfo(
  configuration: JobConfiguration,
  checkpointStorage = 'IndexedDbCheckpointStorage',
): CheckpointConfigInfo {
  const { checkpointing } = configuration;
  const retention = checkpointing.externalizedCheckpointRetention;
  return Object.freeze({
    mode: checkpointing.mode === 'EXACTLY_ONCE' ? 'exactly_once' : 'at_least_once',
    interval: checkpointing.intervalMs ?? CHECKPOINTING_DISABLED_INTERVAL,
    timeout: checkpointing.timeoutMs,
    min_pause: checkpointing.minPauseMs,
    max_concurrent: checkpointing.maxConcurrentCheckpoints,
    // CheckpointConfigHandler: enabled = policy != NEVER_RETAIN_AFTER_TERMINATION,
    // delete_on_cancellation = policy != RETAIN_ON_CANCELLATION.
    externalization: Object.freeze({
      enabled: retention !== 'NO_EXTERNALIZED_CHECKPOINTS',
      delete_on_cancellation: retention !== 'RETAIN_ON_CANCELLATION',
    }),
    state_backend: STATE_BACKEND_CLASS_NAMES[configuration.stateBackend],
    checkpoint_storage: checkpointStorage,
    unaligned_checkpoints: checkpointing.unalignedEnabled,
    tolerable_failed_checkpoints: checkpointing.tolerableFailedCheckpoints,
    aligned_checkpoint_timeout: checkpointing.alignedCheckpointTimeoutMs,
    // execution.checkpointing.checkpoints-after-tasks-finish: Flink's default, not configurable here.
    checkpoints_after_tasks_finish: true,
    state_changelog_enabled: false,
  });
}
