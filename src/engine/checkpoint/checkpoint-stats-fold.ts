// Checkpoint statistics as one fold over the event stream: the job master's REST view
// (`GET /jobs/:id/checkpoints`, `.../details/:id`, `.../details/:id/subtasks/:vertex`), the CLI's
// checkpoints.json and the page all read this, fed with nothing but EngineEvents. Folding a recorded
// events.jsonl gives what the job master reported for that run.
//
// What it reads: `job-deployed` (the subtasks that must acknowledge, the restored snapshot),
// `checkpoint-triggered`, `checkpoint-acknowledged` (the subtask's metrics; its `time` is Flink's
// ack_timestamp), `checkpoint-completed` / `-aborted` / `-expired` / `-discarded`. Flink's rules: an
// acknowledgement counts only while its checkpoint is pending and only once per subtask; a completed
// checkpoint's `end_to_end_duration` is the event's `endToEndDurationMs` (trigger → latest ack).
import type { EngineEvent, EventOf } from '../events';
import type { CheckpointId, TaskId, VertexId } from '../ids';
import {
  CheckpointStatsTracker,
  DEFAULT_HISTORY_SIZE,
  type CheckpointStatistics,
  type CheckpointingStatistics,
  type SubtaskCheckpointStatistics,
} from './checkpoint-stats';
import type { SubtaskCheckpointMetrics } from './task-state';

/** Flink's failure message of an expired checkpoint (CheckpointFailureReason.CHECKPOINT_EXPIRED). */
export const CHECKPOINT_EXPIRED_MESSAGE = 'Checkpoint expired before completing.';

export interface CheckpointStatsFoldOptions {
  /** Flink's `web.checkpoints.history` (default 10). */
  readonly historySize?: number;
}

export class CheckpointStatsFold {
  readonly #book: CheckpointStatsTracker;
  /** The subtasks of the deployed attempt: who must acknowledge a checkpoint triggered now. */
  #tasks: readonly TaskId[] = [];
  /** Pending checkpoints and the subtasks that have not acknowledged yet. */
  readonly #pending = new Map<CheckpointId, Set<TaskId>>();
  /** Retained completed checkpoints and savepoints, for `latest.restored` when one of them is restored. */
  readonly #completed = new Map<CheckpointId, { readonly isSavepoint: boolean; readonly externalPath: string }>();

  constructor(options: CheckpointStatsFoldOptions = {}) {
    this.#book = new CheckpointStatsTracker(options.historySize ?? DEFAULT_HISTORY_SIZE);
  }

  apply(event: EngineEvent): void {
    switch (event.type) {
      case 'job-deployed':
        this.#tasks = event.subtasks.map((subtask) => subtask.taskId);
        if (event.restoredCheckpointId !== null) this.restored(event.restoredCheckpointId, event.time, event.restoredFrom);
        return;
      case 'checkpoint-triggered':
        this.#pending.set(event.checkpointId, new Set(this.#tasks));
        this.#book.reportPending(event.checkpointId, event.time, event.isSavepoint, this.#tasks, event.checkpointType === 'SYNC_SAVEPOINT');
        return;
      case 'checkpoint-acknowledged': {
        const waiting = this.#pending.get(event.checkpointId);
        if (!waiting?.delete(event.taskId)) return; // late, duplicate or unknown: Flink ignores it too
        this.#book.reportSubtask(event.checkpointId, event.taskId, metricsOf(event));
        return;
      }
      case 'checkpoint-completed':
        if (!this.#pending.delete(event.checkpointId)) return;
        this.#completed.set(event.checkpointId, { isSavepoint: event.isSavepoint, externalPath: event.externalPath });
        this.#book.reportCompleted(event.checkpointId, event.externalPath, event.endToEndDurationMs);
        return;
      case 'checkpoint-aborted':
        if (this.#pending.delete(event.checkpointId)) this.#book.reportFailed(event.checkpointId, event.time, event.message);
        return;
      case 'checkpoint-expired':
        if (this.#pending.delete(event.checkpointId)) this.#book.reportFailed(event.checkpointId, event.time, CHECKPOINT_EXPIRED_MESSAGE);
        return;
      case 'checkpoint-discarded':
        this.#completed.delete(event.checkpointId);
        this.#book.reportDiscarded(event.checkpointId);
        return;
      default:
        return;
    }
  }

  /** `GET /jobs/:id/checkpoints` */
  statistics(): CheckpointingStatistics {
    return this.#book.statistics();
  }

  /** The page's view models are EventFolds (src/ui/model/event-fold.ts): this one's view is the statistics. */
  view(_now: number): CheckpointingStatistics {
    return this.statistics();
  }

  /** `GET /jobs/:id/checkpoints/details/:checkpointid` */
  details(id: CheckpointId): CheckpointStatistics | null {
    return this.#book.details(id);
  }

  /** `GET /jobs/:id/checkpoints/details/:checkpointid/subtasks/:vertexid` */
  subtaskDetails(id: CheckpointId, vertexId: VertexId): { summary: Record<string, unknown>; subtasks: SubtaskCheckpointStatistics[] } | null {
    return this.#book.subtaskDetails(id, vertexId);
  }

  private restored(checkpointId: CheckpointId, time: number, restoredFrom: { readonly isSavepoint: boolean; readonly externalPath: string } | undefined): void {
    const known = restoredFrom ?? this.#completed.get(checkpointId);
    this.#book.reportRestored(checkpointId, time, known?.isSavepoint ?? false, known?.externalPath ?? '');
  }
}

/** A statistics fold over recorded events (an events.jsonl, a test's log). */
export function foldCheckpointStatistics(events: Iterable<EngineEvent>, options: CheckpointStatsFoldOptions = {}): CheckpointStatsFold {
  const fold = new CheckpointStatsFold(options);
  for (const event of events) fold.apply(event);
  return fold;
}

/**
 * The acknowledgement's metrics as the statistics keep them. `alignment_buffered` is 0, as Flink has
 * reported it since 1.12 (its CheckpointStatistics passes 0; alignment no longer spills buffers).
 */
function metricsOf(event: EventOf<'checkpoint-acknowledged'>): SubtaskCheckpointMetrics {
  return {
    ackTimestamp: event.time,
    syncDurationMs: event.syncDurationMs,
    asyncDurationMs: event.asyncDurationMs,
    alignmentDurationMs: event.alignmentDurationMs,
    startDelayMs: event.startDelayMs,
    checkpointedSizeBytes: event.checkpointedSizeBytes,
    stateSizeBytes: event.stateSizeBytes,
    processedDataBytes: event.processedDataBytes,
    persistedDataBytes: event.persistedDataBytes,
    alignmentBufferedBytes: 0,
    unalignedCheckpoint: event.unaligned,
  };
}
