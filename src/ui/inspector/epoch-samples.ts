// Per keyed subtask, the first and the last sample of each epoch it was sampled in: around each barrier,
// the last look at its state before it and the first after it — as close to a checkpoint's snapshot as
// samples come. Bounded: the newest REMEMBERED_EPOCHS (attempt, epoch) pairs per subtask. Assumes a
// subtask's samples arrive in time order (both runtimes deliver them so); an older one is ignored, so
// re-applying samples is harmless.
import type { AttemptNumber, CheckpointId, TaskId } from '../../engine/ids';
import type { TaskSample } from '../../engine/samples';

/** Epochs remembered per subtask: the newest REMEMBERED_CHECKPOINTS completed checkpoints with room for failed ones between them. */
export const REMEMBERED_EPOCHS = 24;

interface EpochEntry {
  readonly first: TaskSample;
  last: TaskSample;
}

export class EpochSamples {
  /** Per subtask, oldest first: one entry per (attempt, epoch) it was sampled in. */
  readonly #byTask = new Map<TaskId, EpochEntry[]>();

  add(sample: TaskSample): void {
    if (!sample.keyedState) return;
    let entries = this.#byTask.get(sample.taskId);
    if (!entries) this.#byTask.set(sample.taskId, (entries = []));
    const newest = entries.at(-1);
    if (newest && sample.time < newest.last.time) return;
    if (newest && newest.first.attempt === sample.attempt && newest.first.epoch === sample.epoch) {
      newest.last = sample;
      return;
    }
    if (newest && !isLaterEpoch(sample, newest.first)) return;
    entries.push({ first: sample, last: sample });
    if (entries.length > REMEMBERED_EPOCHS) entries.shift();
  }

  /** The earliest sample of `attempt` taken after the subtask passed barrier `checkpointId`, if remembered. */
  afterBarrier(taskId: TaskId, attempt: AttemptNumber, checkpointId: CheckpointId): TaskSample | null {
    return this.#entries(taskId).find((entry) => entry.first.attempt === attempt && entry.first.epoch > checkpointId)?.first ?? null;
  }

  /** The latest sample of `attempt` taken before the subtask passed barrier `checkpointId`, if remembered. */
  beforeBarrier(taskId: TaskId, attempt: AttemptNumber, checkpointId: CheckpointId): TaskSample | null {
    return this.#entries(taskId).findLast((entry) => entry.first.attempt === attempt && entry.first.epoch <= checkpointId)?.last ?? null;
  }

  /** The first sample of `attempt`, if remembered (after a restore: the restored state before much was replayed). */
  firstOfAttempt(taskId: TaskId, attempt: AttemptNumber): TaskSample | null {
    return this.#entries(taskId).find((entry) => entry.first.attempt === attempt)?.first ?? null;
  }

  #entries(taskId: TaskId): readonly EpochEntry[] {
    return this.#byTask.get(taskId) ?? [];
  }
}

function isLaterEpoch(sample: TaskSample, than: TaskSample): boolean {
  return sample.attempt > than.attempt || (sample.attempt === than.attempt && sample.epoch > than.epoch);
}
