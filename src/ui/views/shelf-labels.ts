// Words and colours the shelf and the coordinator's cards share: a cell's state and a frame's retention in
// Flink's terms, and the fill that goes with each (palette.ts: Web UI statuses, phase colours).
import { PHASE_COLORS, STATUS_COLORS } from '../palette';
import { formatMs, formatSize } from '../format';
import type { CellState, CheckpointFrame, Retention, ShelfCell } from './snapshot-shelf';

export const CELL_STATE_LABELS: Record<CellState, string> = {
  waiting: 'waiting for the barrier',
  aligning: 'aligning barriers',
  syncing: 'synchronous snapshot',
  uploading: 'asynchronous upload',
  acknowledged: 'acknowledged',
  failed: 'failed',
};

export const RETENTION_LABELS: Record<Retention, string> = {
  'in-progress': 'in progress',
  retained: 'retained',
  subsumed: 'subsumed',
  discarded: 'discarded',
  failed: 'failed',
};

export const RETENTION_HELP: Record<Retention, string> = {
  'in-progress': 'Pending: the coordinator waits for every subtask to acknowledge.',
  retained: 'Completed and kept in the completed-checkpoint store: a restart restores from the newest one.',
  subsumed: 'A newer checkpoint completed, and only execution.checkpointing.num-retained are kept: its state was deleted.',
  discarded: 'Completed, then deleted (the job ended and its checkpoints were not retained).',
  failed: 'Aborted or expired before every subtask acknowledged: never usable for a restore.',
};

/** The fill of a cell: the phase colour while it works, the frame's status colour once acknowledged. */
export function cellFill(cell: ShelfCell, frame: CheckpointFrame): string {
  switch (cell.state) {
    case 'waiting':
      return '#ffffff';
    case 'aligning':
      return PHASE_COLORS.alignment;
    case 'syncing':
      return PHASE_COLORS.sync;
    case 'uploading':
      return PHASE_COLORS.async;
    case 'failed':
      return STATUS_COLORS.FAILED;
    case 'acknowledged':
      return frame.status === 'FAILED' ? '#d9d9d9' : STATUS_COLORS[frame.status];
  }
}

/** A cell's tooltip: its state and, once acknowledged, Flink's per-subtask statistics, rounded. */
export function cellTitle(cell: ShelfCell, frame: CheckpointFrame): string {
  const parts = [`${cell.taskId}, checkpoint ${frame.checkpointId}: ${CELL_STATE_LABELS[cell.state]}`];
  if (cell.failure) parts.push(cell.failure);
  const durations: Array<[string, number | null]> = [
    ['start delay', cell.startDelayMs],
    ['alignment', cell.alignmentDurationMs],
    ['sync', cell.syncDurationMs],
    ['async', cell.asyncDurationMs],
  ];
  const known = durations.filter(([, ms]) => ms !== null).map(([name, ms]) => `${name} ${formatMs(ms!)}`);
  if (known.length > 0) parts.push(known.join(' · '));
  if (cell.stateSizeBytes !== null) {
    const checkpointed = cell.checkpointedSizeBytes ?? cell.stateSizeBytes;
    parts.push(checkpointed < cell.stateSizeBytes ? `${formatSize(checkpointed)} new of ${formatSize(cell.stateSizeBytes)} (the rest shared with earlier checkpoints)` : `${formatSize(cell.stateSizeBytes)} uploaded`);
  }
  if (cell.unaligned) {
    parts.push(
      cell.channelStateRecords > 0 || cell.channelStateBytes > 0
        ? `unaligned: channel state of ${cell.channelStateRecords} in-flight record${cell.channelStateRecords === 1 ? '' : 's'} its barrier overtook (${formatSize(cell.channelStateBytes)} persisted), replayed first on restore`
        : 'unaligned: its barrier overtook no records (no channel state)',
    );
  }
  return parts.join('\n');
}
