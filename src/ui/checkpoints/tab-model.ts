// The Checkpoints tab's Overview, History, Summary and Configuration as flink-runtime-web lays them out
// (job-checkpoints.component.html): the same tabs, labels and fields, each value already written for people.
// Pure: it reads Flink's REST shapes and tolerates fields a Flink version lacks ("n/a", as the Web UI writes).
import type { CheckpointStatistics, CheckpointingStatistics, StatsSummary } from '../../engine/checkpoint/checkpoint-stats';
import type { CheckpointConfigInfo } from '../../engine/config/checkpoint-config-info';
import { formatMs, formatSize, formatTime } from '../format';

export const CHECKPOINTS_TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'history', label: 'History' },
  { id: 'summary', label: 'Summary' },
  { id: 'configuration', label: 'Configuration' },
] as const;
export type CheckpointsTabId = (typeof CHECKPOINTS_TABS)[number]['id'];

export interface Field {
  readonly label: string;
  readonly value: string;
}

/** How a timestamp reads: a real job's epoch milliseconds as the Web UI's date, this page's run as time since its start. */
export type FormatTimestamp = (ms: number) => string;

/** Below this a timestamp is time since the run started (the simulator's virtual clock), not epoch ms (1973). */
const EPOCH_THRESHOLD_MS = 1e11;

/** Picks the clock from the statistics themselves: epoch timestamps read as `yyyy-MM-dd HH:mm:ss` (local, as Flink's Web UI). */
export function timestampFormatter(statistics: CheckpointingStatistics): FormatTimestamp {
  const epoch = statistics.history.some((checkpoint) => checkpoint.trigger_timestamp >= EPOCH_THRESHOLD_MS);
  return epoch ? formatWallClock : formatTime;
}

export function formatWallClock(ms: number, withMillis = false): string {
  const date = new Date(ms);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${day} ${time}${withMillis ? `.${pad(date.getMilliseconds(), 3)}` : ''}`;
}

/** A number Flink may omit or report as -1 (not yet known). */
const known = (value: number | undefined): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
export const durationOrNa = (ms: number | undefined): string => (known(ms) ? formatMs(ms) : 'n/a');
export const sizeOrNa = (bytes: number | undefined): string => (known(bytes) ? formatSize(bytes) : 'n/a');
export const processedPersisted = (processed: number | undefined, persisted: number | undefined): string => `${sizeOrNa(processed)} (${sizeOrNa(persisted)})`;
export const timestampOrNa = (ms: number | undefined, format: FormatTimestamp): string => (known(ms) ? format(ms) : 'n/a');

/** "Savepoint", "Unaligned checkpoint"…: Flink's checkpoint_type (RestAPICheckpointType), as words. */
export function checkpointTypeLabel(checkpoint: Pick<CheckpointStatistics, 'checkpoint_type' | 'is_savepoint'>): string {
  const type: string = checkpoint.checkpoint_type ?? (checkpoint.is_savepoint ? 'SAVEPOINT' : 'CHECKPOINT');
  const words: Record<string, string> = { CHECKPOINT: 'Checkpoint', UNALIGNED_CHECKPOINT: 'Unaligned checkpoint', SAVEPOINT: 'Savepoint', SYNC_SAVEPOINT: 'Savepoint (stop)' };
  return words[type] ?? type;
}

export interface LatestEntry {
  readonly label: string;
  /** The checkpoint whose details "More details" opens; null for a restore or none. */
  readonly checkpointId: number | null;
  /** Empty: the Web UI writes "None". */
  readonly fields: readonly Field[];
}

export interface OverviewModel {
  readonly counts: readonly Field[];
  readonly latest: readonly LatestEntry[];
}

export function overviewModel(statistics: CheckpointingStatistics, format: FormatTimestamp): OverviewModel {
  const { counts, latest } = statistics;
  const count = (value: number | undefined) => (known(value) ? String(value) : 'n/a');
  const entry = (label: string, checkpoint: CheckpointStatistics | null, fields: (c: CheckpointStatistics) => Field[]): LatestEntry =>
    checkpoint ? { label, checkpointId: checkpoint.id, fields: [{ label: 'ID', value: String(checkpoint.id) }, ...fields(checkpoint)] } : { label, checkpointId: null, fields: [] };
  const restored = latest.restored;
  return {
    counts: [
      { label: 'Triggered', value: count(counts.total) },
      { label: 'In Progress', value: count(counts.in_progress) },
      { label: 'Completed', value: count(counts.completed) },
      { label: 'Failed', value: count(counts.failed) },
      { label: 'Restored', value: count(counts.restored) },
    ],
    latest: [
      entry('Latest Completed Checkpoint', latest.completed, (c) => [
        { label: 'Completion Time', value: timestampOrNa(c.latest_ack_timestamp, format) },
        { label: 'End to End Duration', value: durationOrNa(c.end_to_end_duration) },
        { label: 'Checkpointed Data Size', value: sizeOrNa(c.checkpointed_size) },
        { label: 'Full Checkpoint Data Size', value: sizeOrNa(c.state_size) },
      ]),
      entry('Latest Failed Checkpoint', latest.failed, (c) => [
        { label: 'Failure Time', value: timestampOrNa(c.failure_timestamp, format) },
        { label: 'Cause', value: c.failure_message || 'n/a' },
      ]),
      entry('Latest Savepoint', latest.savepoint, (c) => [
        { label: 'Completion Time', value: timestampOrNa(c.latest_ack_timestamp, format) },
        { label: 'Checkpointed Data Size', value: sizeOrNa(c.checkpointed_size) },
        { label: 'Full Checkpoint Data Size', value: sizeOrNa(c.state_size) },
        { label: 'Path', value: c.external_path || 'n/a' },
      ]),
      restored
        ? {
            label: 'Latest Restore',
            checkpointId: null,
            fields: [
              { label: 'ID', value: String(restored.id) },
              { label: 'Restore Time', value: timestampOrNa(restored.restore_timestamp, format) },
              { label: 'Type', value: restored.is_savepoint ? 'Savepoint' : 'Checkpoint' },
              { label: 'Path', value: restored.external_path || 'n/a' },
            ],
          }
        : { label: 'Latest Restore', checkpointId: null, fields: [] },
    ],
  };
}

export const HISTORY_COLUMNS = [
  'ID',
  'Status',
  'Acknowledged',
  'Trigger Time',
  'Latest Acknowledgement',
  'End to End Duration',
  'Checkpointed Data Size',
  'Full Checkpoint Data Size',
  'Processed (persisted) in-flight data',
] as const;

export interface HistoryRow {
  readonly id: number;
  readonly status: string;
  /** "Savepoint", "Unaligned checkpoint"; null for a plain checkpoint. */
  readonly type: string | null;
  /** One value per HISTORY_COLUMNS entry after ID and Status. */
  readonly cells: readonly string[];
}

export function historyRows(statistics: CheckpointingStatistics, format: FormatTimestamp): HistoryRow[] {
  return statistics.history.map((c) => {
    const acknowledged = `${c.num_acknowledged_subtasks ?? 0}/${c.num_subtasks ?? 0}`;
    const share = c.num_subtasks > 0 ? ` (${Math.round((100 * c.num_acknowledged_subtasks) / c.num_subtasks)}%)` : '';
    const type = checkpointTypeLabel(c);
    return {
      id: c.id,
      status: c.status,
      type: type === 'Checkpoint' ? null : type,
      cells: [
        c.status === 'IN_PROGRESS' ? acknowledged + share : acknowledged,
        timestampOrNa(c.trigger_timestamp, format),
        timestampOrNa(c.latest_ack_timestamp, format),
        durationOrNa(c.end_to_end_duration),
        sizeOrNa(c.checkpointed_size),
        sizeOrNa(c.state_size),
        processedPersisted(c.processed_data, c.persisted_data),
      ],
    };
  });
}

export const SUMMARY_COLUMNS = [
  'End to End Duration',
  'Checkpointed Data Size',
  'Full Checkpoint Data Size',
  'Bytes Buffered During Alignment',
  'Processed (persisted) in-flight data',
] as const;
const SUMMARY_ROWS = [
  ['Minimum', 'min'],
  ['Average', 'avg'],
  ['Maximum', 'max'],
] as const;
const PERCENTILE_ROWS = [
  ['50% percentile', 'p50'],
  ['90% percentile', 'p90'],
  ['95% percentile', 'p95'],
  ['99% percentile', 'p99'],
  ['99.9% percentile', 'p999'],
] as const;

export interface SummaryRow {
  readonly label: string;
  readonly cells: readonly string[];
}

/** Over completed checkpoints only (Flink's summary); null while none has completed. */
export function summaryModel(statistics: CheckpointingStatistics): { readonly rows: SummaryRow[]; readonly percentiles: SummaryRow[] } | null {
  const { summary, counts } = statistics;
  if (!summary || !(counts.completed > 0)) return null;
  const pick = (stats: StatsSummary | undefined, key: keyof StatsSummary) => stats?.[key];
  const row = ([label, key]: readonly [string, keyof StatsSummary]): SummaryRow => ({
    label,
    cells: [
      durationOrNa(pick(summary.end_to_end_duration, key)),
      sizeOrNa(pick(summary.checkpointed_size, key)),
      sizeOrNa(pick(summary.state_size, key)),
      sizeOrNa(pick(summary.alignment_buffered, key)),
      processedPersisted(pick(summary.processed_data, key), pick(summary.persisted_data, key)),
    ],
  });
  return { rows: SUMMARY_ROWS.map(row), percentiles: PERCENTILE_ROWS.map(row) };
}

/** Flink sends Long.MAX_VALUE as the interval when periodic checkpoints are off. */
const DISABLED_INTERVAL = Number.MAX_SAFE_INTEGER;

/** The Configuration tab's Option / Value rows; null when the configuration is unknown. */
export function configurationRows(config: CheckpointConfigInfo | null): Field[] | null {
  if (!config) return null;
  const enabled = (on: boolean | undefined) => (on === undefined ? 'n/a' : on ? 'Enabled' : 'Disabled');
  const rows: Field[] = [
    { label: 'Checkpointing Mode', value: config.mode === 'exactly_once' ? 'Exactly Once' : 'At Least Once' },
    { label: 'Checkpoint Storage', value: config.checkpoint_storage ?? 'n/a' },
    { label: 'State Backend', value: config.state_backend ?? 'n/a' },
    { label: 'Interval', value: config.interval >= DISABLED_INTERVAL ? 'Periodic checkpoints disabled' : durationOrNa(config.interval) },
    { label: 'Timeout', value: durationOrNa(config.timeout) },
    { label: 'Minimum Pause Between Checkpoints', value: durationOrNa(config.min_pause) },
    { label: 'Maximum Concurrent Checkpoints', value: config.max_concurrent === undefined ? 'n/a' : String(config.max_concurrent) },
    { label: 'Unaligned Checkpoints', value: enabled(config.unaligned_checkpoints) },
  ];
  if (config.unaligned_checkpoints) rows.push({ label: 'Aligned Checkpoint Timeout', value: durationOrNa(config.aligned_checkpoint_timeout) });
  const externalization = config.externalization;
  if (externalization) {
    const cleanup = externalization.delete_on_cancellation ? '(delete on cancellation)' : '(retain on cancellation)';
    rows.push({ label: 'Persist Checkpoints Externally', value: externalization.enabled ? `Enabled ${cleanup}` : 'Disabled' });
  }
  rows.push({ label: 'Tolerable Failed Checkpoints', value: config.tolerable_failed_checkpoints === undefined ? 'n/a' : String(config.tolerable_failed_checkpoints) });
  rows.push({ label: 'Checkpoints With Finished Tasks', value: enabled(config.checkpoints_after_tasks_finish) });
  rows.push({ label: 'Changelog State Backend', value: enabled(config.state_changelog_enabled) });
  return rows;
}
