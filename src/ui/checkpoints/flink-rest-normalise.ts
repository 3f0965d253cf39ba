// Flink's responses as parsed (any version) → the statistics types the views draw. What an older Flink
// does not report becomes NaN ("not reported"), never a made-up 0; what Flink renamed is read under both
// names. Every object here is built fresh, so nothing of the input's prototype chain survives.
import type { CheckpointStatistics, CheckpointingStatistics, StatsSummary, SubtaskCheckpointStatistics, TaskCheckpointStatistics } from '../../engine/checkpoint/checkpoint-stats';
import type { CheckpointConfigInfo } from '../../engine/config/checkpoint-config-info';
import type { SubtaskDetailsSummary, VertexCheckpointDetails } from './checkpoints-source';
import type {
  RawCheckpointConfig,
  RawCheckpointStatistics,
  RawCheckpointingStatistics,
  RawStatsSummary,
  RawSubtaskDetails,
  RawSubtaskStatistics,
  RawTaskStatistics,
} from './flink-rest-schemas';

const orNaN = (value: number | null | undefined): number => value ?? Number.NaN;
const percentile = (value: number | string | null | undefined): number => (typeof value === 'number' ? value : value === undefined || value === null ? Number.NaN : Number(value));

export function statsSummary(raw: RawStatsSummary | null | undefined): StatsSummary {
  return {
    min: orNaN(raw?.min),
    max: orNaN(raw?.max),
    avg: orNaN(raw?.avg),
    p50: percentile(raw?.p50),
    p90: percentile(raw?.p90),
    p95: percentile(raw?.p95),
    p99: percentile(raw?.p99),
    p999: percentile(raw?.p999),
  };
}

/** Before 1.15 `state_size` held the checkpointed (incremental) size under the old name (FLINK-13390, FLINK-25557). */
function sizes(raw: { readonly checkpointed_size?: number | null; readonly state_size: number }): { checkpointed_size: number; state_size: number } {
  return { checkpointed_size: raw.checkpointed_size ?? raw.state_size, state_size: raw.state_size };
}

export function taskStatistics(raw: RawTaskStatistics): TaskCheckpointStatistics {
  return {
    id: raw.id,
    status: raw.status,
    latest_ack_timestamp: raw.latest_ack_timestamp,
    ...sizes(raw),
    end_to_end_duration: raw.end_to_end_duration,
    alignment_buffered: orNaN(raw.alignment_buffered),
    processed_data: orNaN(raw.processed_data),
    persisted_data: orNaN(raw.persisted_data),
    num_subtasks: raw.num_subtasks,
    num_acknowledged_subtasks: raw.num_acknowledged_subtasks,
  };
}

const CLASS_OF_STATUS = { COMPLETED: 'completed', FAILED: 'failed', IN_PROGRESS: 'in_progress' } as const;
const KNOWN_TYPES = new Set(['CHECKPOINT', 'UNALIGNED_CHECKPOINT', 'SAVEPOINT', 'SYNC_SAVEPOINT']);

/** Flink's RestAPICheckpointType as sent; a type this reader does not know falls back to `is_savepoint`. */
export function checkpointType(raw: RawCheckpointStatistics): CheckpointStatistics['checkpoint_type'] {
  if (raw.checkpoint_type !== undefined && KNOWN_TYPES.has(raw.checkpoint_type)) return raw.checkpoint_type as CheckpointStatistics['checkpoint_type'];
  return raw.is_savepoint ? 'SAVEPOINT' : 'CHECKPOINT';
}

export function checkpointStatistics(raw: RawCheckpointStatistics): CheckpointStatistics {
  const tasks: Record<string, TaskCheckpointStatistics> = {};
  for (const [vertexId, task] of Object.entries(raw.tasks ?? {})) tasks[vertexId] = taskStatistics(task);
  return {
    '@class': CLASS_OF_STATUS[raw.status],
    ...taskStatistics(raw),
    is_savepoint: raw.is_savepoint,
    checkpoint_type: checkpointType(raw),
    trigger_timestamp: raw.trigger_timestamp,
    tasks,
    ...(raw.status === 'COMPLETED' ? { external_path: raw.external_path ?? '', discarded: raw.discarded ?? false } : {}),
    ...(raw.status === 'FAILED' ? { failure_timestamp: raw.failure_timestamp ?? -1, failure_message: raw.failure_message ?? '' } : {}),
  };
}

export function checkpointingStatistics(raw: RawCheckpointingStatistics): CheckpointingStatistics {
  const { counts, summary, latest } = raw;
  const nullable = (entry: RawCheckpointStatistics | null | undefined) => (entry ? checkpointStatistics(entry) : null);
  return {
    counts: { restored: counts.restored ?? 0, total: counts.total, in_progress: counts.in_progress, completed: counts.completed, failed: counts.failed },
    summary: {
      // Before 1.15 the summary's `state_size` was the checkpointed size, as in the entries.
      checkpointed_size: statsSummary(summary.checkpointed_size ?? summary.state_size),
      state_size: statsSummary(summary.state_size),
      end_to_end_duration: statsSummary(summary.end_to_end_duration),
      alignment_buffered: statsSummary(summary.alignment_buffered),
      processed_data: statsSummary(summary.processed_data),
      persisted_data: statsSummary(summary.persisted_data),
    },
    latest: {
      completed: nullable(latest.completed),
      savepoint: nullable(latest.savepoint),
      failed: nullable(latest.failed),
      restored: latest.restored
        ? { id: latest.restored.id, restore_timestamp: latest.restored.restore_timestamp, is_savepoint: latest.restored.is_savepoint, external_path: latest.restored.external_path ?? '' }
        : null,
    },
    history: raw.history.map(checkpointStatistics),
  };
}

/** Defaults are Flink's own for an option the responding version did not have yet. */
export function checkpointConfig(raw: RawCheckpointConfig): CheckpointConfigInfo {
  return {
    mode: raw.mode,
    interval: raw.interval,
    timeout: raw.timeout,
    min_pause: raw.min_pause,
    max_concurrent: raw.max_concurrent,
    externalization: { enabled: raw.externalization.enabled, delete_on_cancellation: raw.externalization.delete_on_cancellation },
    state_backend: raw.state_backend,
    checkpoint_storage: raw.checkpoint_storage ?? '',
    unaligned_checkpoints: raw.unaligned_checkpoints ?? false,
    tolerable_failed_checkpoints: raw.tolerable_failed_checkpoints ?? 0,
    aligned_checkpoint_timeout: raw.aligned_checkpoint_timeout ?? raw.alignment_timeout ?? 0,
    // Before 1.14 (FLIP-147) Flink stopped checkpointing once a task finished.
    checkpoints_after_tasks_finish: raw.checkpoints_after_tasks_finish ?? false,
    state_changelog_enabled: raw.state_changelog_enabled ?? false,
  };
}

/** The config fields the file did not have (filled with Flink's defaults), for the loader's report. */
export function missingConfigFields(raw: RawCheckpointConfig): string[] {
  const optional = ['checkpoint_storage', 'unaligned_checkpoints', 'tolerable_failed_checkpoints', 'checkpoints_after_tasks_finish', 'state_changelog_enabled'] as const;
  const missing: string[] = optional.filter((field) => raw[field] === undefined);
  if (raw.aligned_checkpoint_timeout === undefined && raw.alignment_timeout === undefined) missing.push('aligned_checkpoint_timeout');
  return missing;
}

function subtaskStatistics(raw: RawSubtaskStatistics): SubtaskCheckpointStatistics {
  const present = <K extends string, T>(key: K, value: T | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, T>));
  const stateSize = raw.state_size ?? undefined;
  return {
    index: raw.index,
    status: raw.status,
    ...present('ack_timestamp', raw.ack_timestamp),
    ...present('end_to_end_duration', raw.end_to_end_duration),
    ...present('checkpointed_size', raw.checkpointed_size ?? stateSize),
    ...present('state_size', stateSize),
    ...present('checkpoint', raw.checkpoint && { sync: raw.checkpoint.sync, async: raw.checkpoint.async }),
    ...present(
      'alignment',
      raw.alignment && { buffered: orNaN(raw.alignment.buffered), processed: orNaN(raw.alignment.processed), persisted: orNaN(raw.alignment.persisted), duration: raw.alignment.duration },
    ),
    ...present('start_delay', raw.start_delay),
    ...present('unaligned_checkpoint', raw.unaligned_checkpoint),
    ...present('aborted', raw.aborted),
  };
}

export function vertexCheckpointDetails(raw: RawSubtaskDetails): VertexCheckpointDetails {
  const { summary } = raw;
  const normalised: SubtaskDetailsSummary = {
    checkpointed_size: statsSummary(summary.checkpointed_size ?? summary.state_size),
    state_size: statsSummary(summary.state_size),
    end_to_end_duration: statsSummary(summary.end_to_end_duration),
    checkpoint_duration: { sync: statsSummary(summary.checkpoint_duration?.sync), async: statsSummary(summary.checkpoint_duration?.async) },
    alignment: {
      buffered: statsSummary(summary.alignment?.buffered),
      processed: statsSummary(summary.alignment?.processed),
      persisted: statsSummary(summary.alignment?.persisted),
      duration: statsSummary(summary.alignment?.duration),
    },
    start_delay: statsSummary(summary.start_delay),
  };
  const task: Partial<TaskCheckpointStatistics> =
    raw.id !== undefined && raw.status !== undefined && raw.state_size !== undefined && raw.state_size !== null && raw.num_subtasks !== undefined
      ? taskStatistics({
          id: raw.id,
          status: raw.status,
          latest_ack_timestamp: raw.latest_ack_timestamp ?? -1,
          checkpointed_size: raw.checkpointed_size,
          state_size: raw.state_size,
          end_to_end_duration: raw.end_to_end_duration ?? -1,
          alignment_buffered: raw.alignment_buffered,
          processed_data: raw.processed_data,
          persisted_data: raw.persisted_data,
          num_subtasks: raw.num_subtasks,
          num_acknowledged_subtasks: raw.num_acknowledged_subtasks ?? 0,
        })
      : {};
  return { ...task, summary: normalised, subtasks: raw.subtasks.map(subtaskStatistics) };
}
