// Where one checkpoint's time went, per subtask: start delay → alignment → sync → async laid end to end
// from the trigger, then whatever of the subtask's end to end duration (ack_timestamp − trigger) the phases
// do not cover, drawn as "other" (the acknowledgement travelling and queueing) rather than stretching a
// phase. Unaligned subtasks snapshot at the first barrier, so their alignment overlaps sync and async
// (Flink: async then includes waiting for the last barrier); it is an overlay, not a segment in the sum.
// Slowest first. Outliers: aborted subtasks (as Flink's FLINK-39566 timeline marks them) and those whose end
// to end duration is at least max(p95, 1.5 × median) of their operator's acknowledged subtasks (that
// timeline takes the threshold over all subtasks at once; per operator keeps a fast source's subtasks from
// dragging the median below every subtask of a slower operator, which then all read as outliers).
import type { SubtaskCheckpointStatistics } from '../../engine/checkpoint/checkpoint-stats';
import type { CheckpointsSource, CheckpointsVertex } from './checkpoints-source';

export type TimelinePhase = 'start-delay' | 'alignment' | 'sync' | 'async' | 'other';
export const TIMELINE_PHASES: readonly TimelinePhase[] = ['start-delay', 'alignment', 'sync', 'async', 'other'];
export const TIMELINE_PHASE_LABELS: Readonly<Record<TimelinePhase, string>> = {
  'start-delay': 'start delay',
  alignment: 'alignment',
  sync: 'sync',
  async: 'async',
  other: 'other (ack in transit)',
};

/** Rows drawn at most; the rest (the fastest) are counted, not drawn. */
export const MAX_TIMELINE_ROWS = 200;

export interface TimelineSegment {
  readonly phase: TimelinePhase;
  /** Milliseconds after the trigger. */
  readonly startMs: number;
  readonly endMs: number;
  /** Drawn over the row rather than in sequence (an unaligned subtask's alignment). */
  readonly overlay: boolean;
}

export type TimelineRowStatus = 'acknowledged' | 'aborted' | 'pending';

export interface TimelineRow {
  /** `sum#1`: the vertex id, or a real Flink job's vertex name, and the subtask index. */
  readonly taskId: string;
  readonly vertexId: string;
  readonly index: number;
  readonly status: TimelineRowStatus;
  readonly unaligned: boolean;
  /** End to end duration; for a subtask that never acknowledged, how long it has been waited for. */
  readonly totalMs: number;
  readonly segments: readonly TimelineSegment[];
  readonly outlier: boolean;
  /** Phases beyond the end to end duration (clocks of task and job master differ): shown, not hidden. */
  readonly overrunMs: number;
}

export interface TimelineModel {
  readonly checkpointId: number;
  readonly status: string;
  readonly triggerTimestamp: number;
  /** Where the checkpoint ended on the axis (its latest ack, its failure, or now), ms after the trigger. */
  readonly endMs: number | null;
  readonly rows: readonly TimelineRow[];
  readonly hiddenRows: number;
  readonly domainMs: number;
}

/** Flink's timeline percentile: the value at index ⌊(n − 1)·p⌋ of the sorted sample. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor((sorted.length - 1) * p)))]!;
}

export function outlierThreshold(totals: readonly number[]): number {
  return Math.max(percentile(totals, 0.95), 1.5 * percentile(totals, 0.5));
}

const FLINK_VERTEX_ID = /^[0-9a-f]{32}$/i;

/** This page's vertices are named by their head operator's uid (`sum`); a real job's by a 32-hex JobVertexID, so its name stands in. */
export function taskLabel(vertex: CheckpointsVertex, index: number): string {
  return `${FLINK_VERTEX_ID.test(vertex.id) ? vertex.name : vertex.id}#${index}`;
}

const positive = (value: number | undefined) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0);

/** A subtask's phases from the trigger, and the remainder of its end to end duration. */
export function segmentsOf(subtask: SubtaskCheckpointStatistics): { segments: TimelineSegment[]; overrunMs: number } {
  const startDelay = positive(subtask.start_delay);
  const alignment = positive(subtask.alignment?.duration);
  const sync = positive(subtask.checkpoint?.sync);
  const async = positive(subtask.checkpoint?.async);
  const unaligned = subtask.unaligned_checkpoint === true;
  const sequence: Array<[TimelinePhase, number]> = unaligned
    ? [['start-delay', startDelay], ['sync', sync], ['async', async]]
    : [['start-delay', startDelay], ['alignment', alignment], ['sync', sync], ['async', async]];
  const segments: TimelineSegment[] = [];
  let cursor = 0;
  for (const [phase, ms] of sequence) {
    if (ms > 0) segments.push({ phase, startMs: cursor, endMs: cursor + ms, overlay: false });
    cursor += ms;
  }
  const total = positive(subtask.end_to_end_duration);
  if (total > cursor) segments.push({ phase: 'other', startMs: cursor, endMs: total, overlay: false });
  if (unaligned && alignment > 0) segments.push({ phase: 'alignment', startMs: startDelay, endMs: startDelay + alignment, overlay: true });
  return { segments, overrunMs: Math.max(0, cursor - total) };
}

/**
 * The timeline of checkpoint `checkpointId`, or null when the source does not have it. `nowMs` (absolute,
 * the trigger's clock) sets how long an in-progress checkpoint's missing acknowledgements have been waited for.
 */
export function timelineModel(source: CheckpointsSource, checkpointId: number, nowMs?: number): TimelineModel | null {
  const checkpoint = source.details(checkpointId);
  if (!checkpoint) return null;
  const trigger = checkpoint.trigger_timestamp;
  const latestAck = checkpoint.latest_ack_timestamp >= 0 ? checkpoint.latest_ack_timestamp - trigger : null;
  const endMs =
    checkpoint.status === 'FAILED' && checkpoint.failure_timestamp !== undefined
      ? checkpoint.failure_timestamp - trigger
      : checkpoint.status === 'IN_PROGRESS' && nowMs !== undefined
        ? Math.max(nowMs - trigger, latestAck ?? 0)
        : latestAck;
  const vertices = source.vertices().filter((vertex) => vertex.id in (checkpoint.tasks ?? {}));
  const rows: TimelineRow[] = [];
  for (const vertex of vertices) {
    const subtasks = source.subtaskDetails(checkpointId, vertex.id)?.subtasks ?? [];
    const acknowledged = subtasks.filter((subtask) => subtask.status === 'completed');
    const threshold = outlierThreshold(acknowledged.map((subtask) => positive(subtask.end_to_end_duration)));
    const median = percentile(acknowledged.map((subtask) => positive(subtask.end_to_end_duration)), 0.5);
    for (const subtask of subtasks) {
      const taskId = taskLabel(vertex, subtask.index);
      if (subtask.status !== 'completed') {
        rows.push({ taskId, vertexId: vertex.id, index: subtask.index, status: 'pending', unaligned: false, totalMs: Math.max(0, endMs ?? 0), segments: [], outlier: false, overrunMs: 0 });
        continue;
      }
      const total = positive(subtask.end_to_end_duration);
      const { segments, overrunMs } = segmentsOf(subtask);
      const aborted = subtask.aborted === true;
      // Strictly above the median too: when every subtask took the same time, none stands out.
      const slow = total >= threshold && total > median;
      rows.push({ taskId, vertexId: vertex.id, index: subtask.index, status: aborted ? 'aborted' : 'acknowledged', unaligned: subtask.unaligned_checkpoint === true, totalMs: total, segments, outlier: slow || aborted, overrunMs });
    }
  }
  const order = new Map(vertices.map((vertex, position) => [vertex.id, position]));
  // Never-acknowledged first (they hold the checkpoint up), then slowest first; ties in job order.
  rows.sort((a, b) => Number(b.status === 'pending') - Number(a.status === 'pending') || b.totalMs - a.totalMs || order.get(a.vertexId)! - order.get(b.vertexId)! || a.index - b.index);
  const shown = rows.slice(0, MAX_TIMELINE_ROWS);
  const reach = (row: TimelineRow) => Math.max(row.totalMs, ...row.segments.map((segment) => segment.endMs));
  const domainMs = Math.max(1, endMs ?? 0, ...shown.map(reach));
  return { checkpointId: checkpoint.id, status: checkpoint.status, triggerTimestamp: trigger, endMs, rows: shown, hiddenRows: rows.length - shown.length, domainMs };
}
