// What the event stream says about completed checkpoints, for the state inspector: which attempt of each
// subtask acknowledged each one, whether Flink still retains it (not yet discarded: subsumed once
// execution.checkpointing.num-retained newer ones completed), its source offsets. Bounded: pending
// checkpoints until they end, and the newest REMEMBERED_CHECKPOINTS completed ones.
import type { EngineEvent, EventOf } from '../../engine/events';
import type { AttemptNumber, CheckpointId, OperatorUid, TaskId } from '../../engine/ids';

/** Completed checkpoints the inspector can compare: the newest this many (Flink itself retains num-retained of them). */
export const REMEMBERED_CHECKPOINTS = 8;

export type SourceOffsets = Readonly<Record<OperatorUid, Readonly<Record<string, number>>>>;

export interface RememberedCheckpoint {
  readonly checkpointId: CheckpointId;
  readonly isSavepoint: boolean;
  readonly completedAt: number;
  /** False once Flink discarded it (subsumed by newer ones): the inspector still remembers what was sampled. */
  readonly retained: boolean;
  /** Per source operator, partition → the next offset to read, as stored in the checkpoint. */
  readonly sourceOffsets: SourceOffsets;
}

interface Completed {
  readonly checkpoint: RememberedCheckpoint;
  readonly acknowledgedBy: ReadonlyMap<TaskId, AttemptNumber>;
}

export class CompletedCheckpoints {
  /** Pending checkpoint → the attempt of each subtask that acknowledged it (dropped when it ends). */
  readonly #pending = new Map<CheckpointId, Map<TaskId, AttemptNumber>>();
  /** Oldest first. */
  #completed: Completed[] = [];
  readonly #latestCompleted = new Map<TaskId, CheckpointId>();

  apply(event: EngineEvent): void {
    switch (event.type) {
      case 'checkpoint-acknowledged': {
        const tasks = this.#pending.get(event.checkpointId) ?? new Map<TaskId, AttemptNumber>();
        tasks.set(event.taskId, event.attempt);
        this.#pending.set(event.checkpointId, tasks);
        break;
      }
      case 'checkpoint-completed':
        this.#complete(event);
        break;
      case 'checkpoint-aborted':
      case 'checkpoint-expired':
        this.#pending.delete(event.checkpointId);
        break;
      case 'checkpoint-discarded':
        this.#completed = this.#completed.map((entry) =>
          entry.checkpoint.checkpointId === event.checkpointId ? { ...entry, checkpoint: { ...entry.checkpoint, retained: false } } : entry,
        );
        break;
      default:
        break;
    }
  }

  #complete(event: EventOf<'checkpoint-completed'>): void {
    const acknowledgedBy = this.#pending.get(event.checkpointId) ?? new Map<TaskId, AttemptNumber>();
    this.#pending.delete(event.checkpointId);
    for (const taskId of acknowledgedBy.keys()) {
      this.#latestCompleted.set(taskId, Math.max(event.checkpointId, this.#latestCompleted.get(taskId) ?? 0));
    }
    const { checkpointId, isSavepoint, time: completedAt, sourceOffsets } = event;
    this.#completed.push({ checkpoint: { checkpointId, isSavepoint, completedAt, retained: true, sourceOffsets }, acknowledgedBy });
    this.#completed.sort((a, b) => a.checkpoint.checkpointId - b.checkpoint.checkpointId);
    if (this.#completed.length > REMEMBERED_CHECKPOINTS) this.#completed.shift();
  }

  /** The remembered completed checkpoints, oldest first. */
  checkpoints(): readonly RememberedCheckpoint[] {
    return this.#completed.map((entry) => entry.checkpoint);
  }

  /** The attempt of `taskId` that acknowledged `checkpointId`, if it did and the checkpoint is remembered. */
  acknowledgingAttempt(checkpointId: CheckpointId, taskId: TaskId): AttemptNumber | undefined {
    return this.#completed.find((entry) => entry.checkpoint.checkpointId === checkpointId)?.acknowledgedBy.get(taskId);
  }

  /** The newest completed checkpoint `taskId` acknowledged. */
  latestCompleted(taskId: TaskId): CheckpointId | null {
    return this.#latestCompleted.get(taskId) ?? null;
  }
}
