// One checkpoint's details as flink-runtime-web shows an expanded history row: the checkpoint's own
// facts (path, discarded, failure), then per operator (job vertex), then per subtask with the vertex's
// Minimum / Average / Maximum above (job-checkpoints-detail and job-checkpoints-subtask components).
// Pure; a subtask that has not acknowledged reads "n/a", as in the Web UI.
import type { StatsSummary, SubtaskCheckpointStatistics } from '../../engine/checkpoint/checkpoint-stats';
import type { CheckpointsSource, VertexCheckpointDetails } from './checkpoints-source';
import { checkpointTypeLabel, durationOrNa, processedPersisted, sizeOrNa, timestampOrNa, type Field, type FormatTimestamp } from './tab-model';

export const OPERATOR_COLUMNS = [
  'Name',
  'Acknowledged',
  'Latest Acknowledgment',
  'End to End Duration',
  'Checkpointed Data Size',
  'Full Checkpoint Data Size',
  'Processed (persisted) in-flight data',
] as const;

export interface OperatorRow {
  readonly vertexId: string;
  readonly name: string;
  /** One value per OPERATOR_COLUMNS entry after Name. */
  readonly cells: readonly string[];
}

export interface CheckpointDetailsModel {
  readonly id: number;
  readonly status: string;
  readonly facts: readonly Field[];
  readonly operators: readonly OperatorRow[];
}

export function checkpointDetailsModel(source: CheckpointsSource, checkpointId: number, format: FormatTimestamp): CheckpointDetailsModel | null {
  const checkpoint = source.details(checkpointId);
  if (!checkpoint) return null;
  const facts: Field[] = [
    { label: 'Type', value: checkpointTypeLabel(checkpoint) },
    { label: 'Path', value: checkpoint.external_path || '-' },
    { label: 'Discarded', value: checkpoint.discarded === undefined ? '-' : String(checkpoint.discarded) },
  ];
  if (checkpoint.failure_message) {
    facts.push({ label: 'Failure Time', value: timestampOrNa(checkpoint.failure_timestamp, format) });
    facts.push({ label: 'Failure Message', value: checkpoint.failure_message });
  }
  const tasks = checkpoint.tasks ?? {};
  const named = new Map(source.vertices().map((vertex) => [vertex.id, vertex.name]));
  // The job's vertices in topological order first, then any the details name that the job graph did not.
  const vertexIds = [...source.vertices().map((vertex) => vertex.id).filter((id) => id in tasks), ...Object.keys(tasks).filter((id) => !named.has(id))];
  const operators = vertexIds.map((vertexId): OperatorRow => {
    const task = tasks[vertexId]!;
    const share = task.num_subtasks > 0 ? ` (${Math.round((100 * task.num_acknowledged_subtasks) / task.num_subtasks)}%)` : '';
    return {
      vertexId,
      name: named.get(vertexId) ?? vertexId,
      cells: [
        `${task.num_acknowledged_subtasks}/${task.num_subtasks}${share}`,
        timestampOrNa(task.latest_ack_timestamp, format),
        durationOrNa(task.end_to_end_duration),
        sizeOrNa(task.checkpointed_size),
        sizeOrNa(task.state_size),
        processedPersisted(task.processed_data, task.persisted_data),
      ],
    };
  });
  return { id: checkpoint.id, status: checkpoint.status, facts, operators };
}

export const SUBTASK_COLUMNS = [
  'ID',
  'Acknowledged',
  'End to End Duration',
  'Checkpointed Data Size',
  'Full Checkpoint Data Size',
  'Sync Duration',
  'Async Duration',
  'Processed (persisted) Data',
  'Alignment Duration',
  'Start Delay',
  'Unaligned Checkpoint',
] as const;

export interface SubtaskRow {
  readonly index: number;
  readonly acknowledged: boolean;
  readonly aborted: boolean;
  /** One value per SUBTASK_COLUMNS entry after ID; empty when the subtask has not acknowledged ("n/a"). */
  readonly cells: readonly string[];
}

export interface SubtaskTableModel {
  /** Minimum / Average / Maximum over the acknowledged subtasks, one value per SUBTASK_COLUMNS entry after Acknowledged. */
  readonly summary: ReadonlyArray<{ readonly label: string; readonly cells: readonly string[] }>;
  readonly rows: readonly SubtaskRow[];
}

export function subtaskTableModel(details: VertexCheckpointDetails, format: FormatTimestamp): SubtaskTableModel {
  const s = details.summary;
  const row = (label: string, key: keyof StatsSummary) => ({
    label,
    cells: [
      durationOrNa(s?.end_to_end_duration?.[key]),
      sizeOrNa(s?.checkpointed_size?.[key]),
      sizeOrNa(s?.state_size?.[key]),
      durationOrNa(s?.checkpoint_duration?.sync?.[key]),
      durationOrNa(s?.checkpoint_duration?.async?.[key]),
      processedPersisted(s?.alignment?.processed?.[key], s?.alignment?.persisted?.[key]),
      durationOrNa(s?.alignment?.duration?.[key]),
      durationOrNa(s?.start_delay?.[key]),
    ],
  });
  const acknowledgedAny = details.subtasks.some(isAcknowledged);
  return {
    summary: acknowledgedAny ? [row('Minimum', 'min'), row('Average', 'avg'), row('Maximum', 'max')] : [],
    rows: details.subtasks.map((subtask) => subtaskRow(subtask, format)),
  };
}

export function isAcknowledged(subtask: SubtaskCheckpointStatistics): boolean {
  return subtask.status === 'completed';
}

function subtaskRow(subtask: SubtaskCheckpointStatistics, format: FormatTimestamp): SubtaskRow {
  if (!isAcknowledged(subtask)) return { index: subtask.index, acknowledged: false, aborted: subtask.aborted === true, cells: [] };
  return {
    index: subtask.index,
    acknowledged: true,
    aborted: subtask.aborted === true,
    cells: [
      timestampOrNa(subtask.ack_timestamp, format),
      durationOrNa(subtask.end_to_end_duration),
      sizeOrNa(subtask.checkpointed_size),
      sizeOrNa(subtask.state_size),
      durationOrNa(subtask.checkpoint?.sync),
      durationOrNa(subtask.checkpoint?.async),
      processedPersisted(subtask.alignment?.processed, subtask.alignment?.persisted),
      durationOrNa(subtask.alignment?.duration),
      durationOrNa(subtask.start_delay),
      subtask.unaligned_checkpoint === undefined ? 'n/a' : String(subtask.unaligned_checkpoint),
    ],
  };
}
