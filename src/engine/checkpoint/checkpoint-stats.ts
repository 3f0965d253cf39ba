// Checkpoint statistics shaped like Flink's REST API (`GET /jobs/:id/checkpoints`, `.../details/:id`,
// `.../details/:id/subtasks/:vertex`): the same field names, durations in ms, sizes in bytes. Bounded:
// history keeps `web.checkpoints.history` entries (Flink's default 10), summaries a fixed window.
// The tracker is the book; only CheckpointStatsFold (./checkpoint-stats-fold.ts) writes in it, from events.
import type { CheckpointId, TaskId, VertexId } from '../ids';
import { parseTaskId } from '../ids';
import type { SubtaskCheckpointMetrics } from './task-state';

export const DEFAULT_HISTORY_SIZE = 10;
export const SUMMARY_WINDOW = 1000;

export type CheckpointStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface StatsSummary {
  readonly min: number;
  readonly max: number;
  readonly avg: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
}

export interface SubtaskCheckpointStatistics {
  readonly index: number;
  readonly status: 'pending_or_failed' | 'completed';
  readonly ack_timestamp?: number;
  readonly end_to_end_duration?: number;
  readonly checkpointed_size?: number;
  readonly state_size?: number;
  readonly checkpoint?: { readonly sync: number; readonly async: number };
  readonly alignment?: { readonly buffered: number; readonly processed: number; readonly persisted: number; readonly duration: number };
  readonly start_delay?: number;
  readonly unaligned_checkpoint?: boolean;
  readonly aborted?: boolean;
}

/** Flink's TaskCheckpointStatistics: one vertex's part of a checkpoint. */
export interface TaskCheckpointStatistics {
  readonly id: CheckpointId;
  readonly status: CheckpointStatus;
  readonly latest_ack_timestamp: number;
  readonly checkpointed_size: number;
  readonly state_size: number;
  readonly end_to_end_duration: number;
  readonly alignment_buffered: number;
  readonly processed_data: number;
  readonly persisted_data: number;
  readonly num_subtasks: number;
  readonly num_acknowledged_subtasks: number;
}

/** A checkpoint's statistics: the task-level fields summed over all vertices, plus its own. */
export interface CheckpointStatistics extends TaskCheckpointStatistics {
  readonly '@class': 'completed' | 'failed' | 'in_progress';
  readonly is_savepoint: boolean;
  /**
   * Flink's RestAPICheckpointType: SYNC_SAVEPOINT is the savepoint of stop-with-savepoint; UNALIGNED_CHECKPOINT
   * is a checkpoint some subtask acknowledged as taken unaligned (Flink's PendingCheckpointStats:
   * `unalignedCheckpoint |= subtask.getUnalignedCheckpoint()`), unaligned from the start or switched by a timeout.
   */
  readonly checkpoint_type: 'CHECKPOINT' | 'UNALIGNED_CHECKPOINT' | 'SAVEPOINT' | 'SYNC_SAVEPOINT';
  readonly trigger_timestamp: number;
  readonly tasks: Readonly<Record<VertexId, TaskCheckpointStatistics>>;
  readonly external_path?: string;
  readonly discarded?: boolean;
  readonly failure_timestamp?: number;
  readonly failure_message?: string;
}

export interface CheckpointingStatistics {
  readonly counts: { readonly restored: number; readonly total: number; readonly in_progress: number; readonly completed: number; readonly failed: number };
  readonly summary: Readonly<Record<'checkpointed_size' | 'state_size' | 'end_to_end_duration' | 'alignment_buffered' | 'processed_data' | 'persisted_data', StatsSummary>>;
  readonly latest: {
    readonly completed: CheckpointStatistics | null;
    readonly savepoint: CheckpointStatistics | null;
    readonly failed: CheckpointStatistics | null;
    readonly restored: { readonly id: CheckpointId; readonly restore_timestamp: number; readonly is_savepoint: boolean; readonly external_path: string } | null;
  };
  readonly history: readonly CheckpointStatistics[];
}

interface TrackedCheckpoint {
  readonly id: CheckpointId;
  readonly isSavepoint: boolean;
  readonly isSynchronous: boolean;
  readonly triggerTimestamp: number;
  /** Subtask count per vertex. */
  readonly vertices: ReadonlyMap<VertexId, number>;
  readonly subtasks: Map<TaskId, SubtaskCheckpointMetrics>;
  status: CheckpointStatus;
  externalPath?: string;
  /** A completed checkpoint's end to end duration as its completion reported it. */
  endToEndDurationMs?: number;
  discarded: boolean;
  failureTimestamp?: number;
  failureMessage?: string;
}

const SUMMARY_FIELDS = ['checkpointed_size', 'state_size', 'end_to_end_duration', 'alignment_buffered', 'processed_data', 'persisted_data'] as const;

export class CheckpointStatsTracker {
  readonly #history: TrackedCheckpoint[] = [];
  readonly #summaryValues = new Map<(typeof SUMMARY_FIELDS)[number], number[]>(SUMMARY_FIELDS.map((field) => [field, []]));
  #counts = { restored: 0, total: 0, in_progress: 0, completed: 0, failed: 0 };
  #latestCompleted: CheckpointStatistics | null = null;
  #latestSavepoint: CheckpointStatistics | null = null;
  #latestFailed: CheckpointStatistics | null = null;
  #latestRestored: CheckpointingStatistics['latest']['restored'] = null;

  constructor(private readonly historySize = DEFAULT_HISTORY_SIZE) {}

  /** `isSynchronous`: the savepoint of stop-with-savepoint. */
  reportPending(id: CheckpointId, triggerTimestamp: number, isSavepoint: boolean, tasks: readonly TaskId[], isSynchronous = false): void {
    const vertices = new Map<VertexId, number>();
    for (const taskId of tasks) {
      const { vertexId } = parseTaskId(taskId);
      vertices.set(vertexId, (vertices.get(vertexId) ?? 0) + 1);
    }
    this.#history.unshift({ id, isSavepoint, isSynchronous, triggerTimestamp, vertices, subtasks: new Map(), status: 'IN_PROGRESS', discarded: false });
    this.#counts = { ...this.#counts, total: this.#counts.total + 1, in_progress: this.#counts.in_progress + 1 };
    this.trimHistory();
  }

  reportSubtask(id: CheckpointId, taskId: TaskId, metrics: SubtaskCheckpointMetrics): void {
    this.find(id)?.subtasks.set(taskId, metrics);
  }

  /** `endToEndDurationMs`: the completion's own number (trigger → latest ack), so both say the same. */
  reportCompleted(id: CheckpointId, externalPath: string, endToEndDurationMs?: number): void {
    const tracked = this.find(id);
    if (!tracked || tracked.status !== 'IN_PROGRESS') return;
    tracked.status = 'COMPLETED';
    tracked.externalPath = externalPath;
    if (endToEndDurationMs !== undefined) tracked.endToEndDurationMs = endToEndDurationMs;
    this.#counts = { ...this.#counts, in_progress: this.#counts.in_progress - 1, completed: this.#counts.completed + 1 };
    const statistics = this.toStatistics(tracked);
    for (const field of SUMMARY_FIELDS) {
      const values = this.#summaryValues.get(field)!;
      values.push(statistics[field]);
      if (values.length > SUMMARY_WINDOW) values.shift();
    }
    if (tracked.isSavepoint) this.#latestSavepoint = statistics;
    else this.#latestCompleted = statistics;
  }

  reportFailed(id: CheckpointId, failureTimestamp: number, message: string): void {
    const tracked = this.find(id);
    if (!tracked || tracked.status !== 'IN_PROGRESS') return;
    tracked.status = 'FAILED';
    tracked.failureTimestamp = failureTimestamp;
    tracked.failureMessage = message;
    this.#counts = { ...this.#counts, in_progress: this.#counts.in_progress - 1, failed: this.#counts.failed + 1 };
    this.#latestFailed = this.toStatistics(tracked);
  }

  reportDiscarded(id: CheckpointId): void {
    const tracked = this.find(id);
    if (tracked) tracked.discarded = true;
  }

  reportRestored(id: CheckpointId, restoreTimestamp: number, isSavepoint: boolean, externalPath: string): void {
    this.#counts = { ...this.#counts, restored: this.#counts.restored + 1 };
    this.#latestRestored = { id, restore_timestamp: restoreTimestamp, is_savepoint: isSavepoint, external_path: externalPath };
  }

  /** `GET /jobs/:id/checkpoints` */
  statistics(): CheckpointingStatistics {
    return {
      counts: { ...this.#counts },
      summary: Object.fromEntries(SUMMARY_FIELDS.map((field) => [field, summarize(this.#summaryValues.get(field)!)])) as CheckpointingStatistics['summary'],
      latest: { completed: this.#latestCompleted, savepoint: this.#latestSavepoint, failed: this.#latestFailed, restored: this.#latestRestored },
      history: this.#history.map((tracked) => this.toStatistics(tracked)),
    };
  }

  /** `GET /jobs/:id/checkpoints/details/:checkpointid/subtasks/:vertexid` */
  subtaskDetails(id: CheckpointId, vertexId: VertexId): { summary: Record<string, unknown>; subtasks: SubtaskCheckpointStatistics[] } | null {
    const tracked = this.find(id);
    const count = tracked?.vertices.get(vertexId);
    if (!tracked || count === undefined) return null;
    const subtasks: SubtaskCheckpointStatistics[] = [];
    for (let index = 0; index < count; index++) {
      const metrics = tracked.subtasks.get(`${vertexId}#${index}`);
      subtasks.push(
        metrics
          ? {
              index,
              status: 'completed',
              ack_timestamp: metrics.ackTimestamp,
              end_to_end_duration: metrics.ackTimestamp - tracked.triggerTimestamp,
              checkpointed_size: metrics.checkpointedSizeBytes,
              state_size: metrics.stateSizeBytes,
              checkpoint: { sync: metrics.syncDurationMs, async: metrics.asyncDurationMs },
              alignment: {
                buffered: metrics.alignmentBufferedBytes,
                processed: metrics.processedDataBytes,
                persisted: metrics.persistedDataBytes,
                duration: metrics.alignmentDurationMs,
              },
              start_delay: metrics.startDelayMs,
              unaligned_checkpoint: metrics.unalignedCheckpoint,
              aborted: false,
            }
          : { index, status: 'pending_or_failed' },
      );
    }
    const acked = [...tracked.subtasks.entries()].filter(([taskId]) => parseTaskId(taskId).vertexId === vertexId).map(([, m]) => m);
    const summary = {
      checkpointed_size: summarize(acked.map((m) => m.checkpointedSizeBytes)),
      state_size: summarize(acked.map((m) => m.stateSizeBytes)),
      end_to_end_duration: summarize(acked.map((m) => m.ackTimestamp - tracked.triggerTimestamp)),
      checkpoint_duration: { sync: summarize(acked.map((m) => m.syncDurationMs)), async: summarize(acked.map((m) => m.asyncDurationMs)) },
      alignment: {
        buffered: summarize(acked.map((m) => m.alignmentBufferedBytes)),
        processed: summarize(acked.map((m) => m.processedDataBytes)),
        persisted: summarize(acked.map((m) => m.persistedDataBytes)),
        duration: summarize(acked.map((m) => m.alignmentDurationMs)),
      },
      start_delay: summarize(acked.map((m) => m.startDelayMs)),
    };
    return { summary, subtasks };
  }

  details(id: CheckpointId): CheckpointStatistics | null {
    const tracked = this.find(id);
    return tracked ? this.toStatistics(tracked) : null;
  }

  private toStatistics(tracked: TrackedCheckpoint): CheckpointStatistics {
    const all = [...tracked.subtasks.values()];
    const tasks: Record<VertexId, TaskCheckpointStatistics> = {};
    for (const [vertexId, numSubtasks] of tracked.vertices) {
      const metrics = [...tracked.subtasks.entries()].filter(([taskId]) => parseTaskId(taskId).vertexId === vertexId).map(([, m]) => m);
      tasks[vertexId] = { id: tracked.id, status: tracked.status, ...aggregate(metrics, tracked.triggerTimestamp), num_subtasks: numSubtasks };
    }
    const numSubtasks = [...tracked.vertices.values()].reduce((a, b) => a + b, 0);
    const statusClass = tracked.status === 'COMPLETED' ? 'completed' : tracked.status === 'FAILED' ? 'failed' : 'in_progress';
    return {
      '@class': statusClass,
      id: tracked.id,
      status: tracked.status,
      is_savepoint: tracked.isSavepoint,
      checkpoint_type: checkpointTypeOf(tracked, all),
      trigger_timestamp: tracked.triggerTimestamp,
      ...aggregate(all, tracked.triggerTimestamp),
      ...(tracked.endToEndDurationMs === undefined ? {} : { end_to_end_duration: tracked.endToEndDurationMs }),
      num_subtasks: numSubtasks,
      tasks,
      ...(tracked.status === 'COMPLETED' ? { external_path: tracked.externalPath ?? '', discarded: tracked.discarded } : {}),
      ...(tracked.status === 'FAILED' ? { failure_timestamp: tracked.failureTimestamp ?? 0, failure_message: tracked.failureMessage ?? '' } : {}),
    };
  }

  private find(id: CheckpointId): TrackedCheckpoint | undefined {
    return this.#history.find((tracked) => tracked.id === id);
  }

  private trimHistory(): void {
    // Keep in-progress ones visible even beyond the bound, as Flink keeps pending stats until they finish.
    while (this.#history.length > this.historySize) {
      const index = this.#history.findLastIndex((tracked) => tracked.status !== 'IN_PROGRESS');
      if (index < 0) break;
      this.#history.splice(index, 1);
    }
  }
}

/** Flink's RestAPICheckpointType.valueOf(checkpointType, isUnalignedCheckpoint), the latter from the acknowledgements so far. */
function checkpointTypeOf(tracked: TrackedCheckpoint, acknowledged: readonly SubtaskCheckpointMetrics[]): CheckpointStatistics['checkpoint_type'] {
  if (tracked.isSynchronous) return 'SYNC_SAVEPOINT';
  if (tracked.isSavepoint) return 'SAVEPOINT';
  return acknowledged.some((metrics) => metrics.unalignedCheckpoint) ? 'UNALIGNED_CHECKPOINT' : 'CHECKPOINT';
}

function aggregate(metrics: readonly SubtaskCheckpointMetrics[], triggerTimestamp: number) {
  const latestAck = metrics.reduce((latest, m) => Math.max(latest, m.ackTimestamp), triggerTimestamp);
  const sum = (pick: (m: SubtaskCheckpointMetrics) => number) => metrics.reduce((total, m) => total + pick(m), 0);
  return {
    latest_ack_timestamp: metrics.length > 0 ? latestAck : -1,
    checkpointed_size: sum((m) => m.checkpointedSizeBytes),
    state_size: sum((m) => m.stateSizeBytes),
    end_to_end_duration: metrics.length > 0 ? latestAck - triggerTimestamp : -1,
    alignment_buffered: sum((m) => m.alignmentBufferedBytes),
    processed_data: sum((m) => m.processedDataBytes),
    persisted_data: sum((m) => m.persistedDataBytes),
    num_acknowledged_subtasks: metrics.length,
  };
}

export function summarize(values: readonly number[]): StatsSummary {
  if (values.length === 0) return { min: 0, max: 0, avg: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return {
    min: sorted[0]!,
    max: sorted.at(-1)!,
    avg: Math.round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    p50: quantile(0.5),
    p90: quantile(0.9),
    p95: quantile(0.95),
    p99: quantile(0.99),
    p999: quantile(0.999),
  };
}
