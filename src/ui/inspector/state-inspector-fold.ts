// The state inspector's model: per keyed subtask its key-group range, the keys and values of its latest
// sample (each with the epoch that last wrote it), the latest completed checkpoint it acknowledged, and
// after a restore which keys rolled back. Bounded: per subtask the latest sample, the last one of the
// attempt before it and the first one of its attempt (each ≤ SAMPLE_KEY_LIMIT keys), plus pending acks.
//
// What a checkpoint holds is not in the stream (only its id and sizes), so the inspector never shows a
// checkpoint's values. It says, per sampled key, whether the latest completed checkpoint n holds *that*
// value, from the epochs alone: a key's epoch e is the first checkpoint whose snapshot holds its value,
// so n holds it when e ≤ n and the task had passed barrier n when sampled (sample.epoch > n: the value
// was current at barrier n); e > n means n holds an older value or none; a sample taken before barrier
// n cannot tell (the value may still have been overwritten before the barrier).
import type { EngineEvent } from '../../engine/events';
import type { AttemptNumber, CheckpointId, TaskId } from '../../engine/ids';
import type { SampledKey, TaskSample } from '../../engine/samples';
import type { EventFold } from '../model/event-fold';

export type InCheckpoint = 'yes' | 'no' | 'unknown';

export interface InspectedKey {
  readonly key: string;
  readonly value: unknown;
  readonly epoch: CheckpointId;
  /** Whether the latest completed checkpoint holds this value; null when none has completed. */
  readonly inCheckpoint: InCheckpoint | null;
}

/** What the restore put in place of a key's pre-failure value. */
export type RestoredValue =
  | { readonly kind: 'restored'; readonly value: unknown; readonly epoch: CheckpointId }
  /** The first sample after the restore already shows a newer write (records replayed since). */
  | { readonly kind: 'rewritten'; readonly value: unknown; readonly epoch: CheckpointId }
  /** The restored state does not hold the key: the checkpoint was taken before its first write. */
  | { readonly kind: 'absent' }
  /** Beyond the bounded sample of the restored state (its smallest keys only). */
  | { readonly kind: 'not-sampled' };

export interface RolledBackKey {
  readonly key: string;
  readonly before: { readonly value: unknown; readonly epoch: CheckpointId };
  readonly restored: RestoredValue;
}

export interface InspectedRestore {
  readonly attempt: AttemptNumber;
  /** The checkpoint (or savepoint) restored; null: restarted from empty state. */
  readonly checkpointId: CheckpointId | null;
  /** When the two compared samples were taken: the last before the failure, the first after the restore. */
  readonly beforeSampledAt: number;
  readonly afterSampledAt: number;
  readonly rolledBack: readonly RolledBackKey[];
}

export interface InspectedSubtask {
  readonly taskId: TaskId;
  readonly vertexName: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly keyGroups: { readonly start: number; readonly end: number };
  /** Null until the first sample of this subtask arrives. */
  readonly sampledAt: number | null;
  readonly attempt: AttemptNumber | null;
  readonly keys: readonly InspectedKey[];
  /** How many keys the subtask holds (the sample lists the smallest SAMPLE_KEY_LIMIT). */
  readonly totalKeys: number;
  /** The newest completed checkpoint this subtask acknowledged. */
  readonly latestCompletedCheckpointId: CheckpointId | null;
  /** The latest restore, once a sample of the restored attempt has arrived; null otherwise. */
  readonly restore: InspectedRestore | null;
}

export interface StateInspectorView {
  readonly subtasks: readonly InspectedSubtask[];
}

interface Deployed {
  readonly vertexName: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly keyGroups: { readonly start: number; readonly end: number };
}

interface SampleHistory {
  latest: TaskSample;
  /** The last sample of an earlier attempt, and the first of `latest`'s attempt. */
  beforeRestore: TaskSample | null;
  firstOfAttempt: TaskSample;
}

export class StateInspectorFold implements EventFold<StateInspectorView> {
  #deployed = new Map<TaskId, Deployed>();
  #restoredAttempt: { attempt: AttemptNumber; checkpointId: CheckpointId | null } | null = null;
  readonly #restoredTasks = new Map<TaskId, { attempt: AttemptNumber; checkpointId: CheckpointId | null }>();
  readonly #samples = new Map<TaskId, SampleHistory>();
  /** Pending checkpoint → the subtasks that acknowledged it (cleared when it completes or fails). */
  readonly #acknowledged = new Map<CheckpointId, Set<TaskId>>();
  readonly #latestCompleted = new Map<TaskId, CheckpointId>();

  apply(event: EngineEvent): void {
    switch (event.type) {
      case 'job-deployed':
        this.#deployed = deployedSubtasks(event);
        this.#restoredAttempt = { attempt: event.attempt, checkpointId: event.restoredCheckpointId };
        break;
      case 'task-restored':
        this.#restoredTasks.set(event.taskId, { attempt: event.attempt, checkpointId: event.checkpointId });
        break;
      case 'checkpoint-acknowledged': {
        const tasks = this.#acknowledged.get(event.checkpointId) ?? new Set<TaskId>();
        tasks.add(event.taskId);
        this.#acknowledged.set(event.checkpointId, tasks);
        break;
      }
      case 'checkpoint-completed':
        for (const taskId of this.#acknowledged.get(event.checkpointId) ?? []) {
          this.#latestCompleted.set(taskId, Math.max(event.checkpointId, this.#latestCompleted.get(taskId) ?? 0));
        }
        this.#acknowledged.delete(event.checkpointId);
        break;
      case 'checkpoint-aborted':
      case 'checkpoint-expired':
        this.#acknowledged.delete(event.checkpointId);
        break;
      default:
        break;
    }
  }

  applySample(sample: TaskSample): void {
    if (!sample.keyedState) return;
    const history = this.#samples.get(sample.taskId);
    if (!history) {
      this.#samples.set(sample.taskId, { latest: sample, beforeRestore: null, firstOfAttempt: sample });
    } else if (sample.attempt > history.latest.attempt) {
      this.#samples.set(sample.taskId, { latest: sample, beforeRestore: history.latest, firstOfAttempt: sample });
    } else if (sample.attempt === history.latest.attempt) {
      history.latest = sample;
    }
  }

  view(): StateInspectorView {
    const subtasks = [...this.#deployed].map(([taskId, deployed]) => this.#subtask(taskId, deployed));
    return { subtasks };
  }

  #subtask(taskId: TaskId, deployed: Deployed): InspectedSubtask {
    const history = this.#samples.get(taskId) ?? null;
    const latestCompleted = this.#latestCompleted.get(taskId) ?? null;
    const sample = history?.latest ?? null;
    return {
      taskId,
      ...deployed,
      sampledAt: sample?.time ?? null,
      attempt: sample?.attempt ?? null,
      keys: (sample?.keyedState?.keys ?? []).map((entry) => ({
        ...entry,
        inCheckpoint: latestCompleted === null ? null : inCheckpoint(entry, sample!.epoch, latestCompleted),
      })),
      totalKeys: sample?.keyedState?.totalKeys ?? 0,
      latestCompletedCheckpointId: latestCompleted,
      restore: history ? this.#restore(taskId, history) : null,
    };
  }

  #restore(taskId: TaskId, history: SampleHistory): InspectedRestore | null {
    const before = history.beforeRestore;
    if (!before) return null;
    const after = history.firstOfAttempt;
    const checkpointId = this.#restoredCheckpointOf(taskId, after.attempt);
    if (checkpointId === undefined) return null;
    return {
      attempt: after.attempt,
      checkpointId,
      beforeSampledAt: before.time,
      afterSampledAt: after.time,
      rolledBack: rolledBackKeys(before, after, checkpointId),
    };
  }

  /** The checkpoint attempt `attempt` of this subtask restored (undefined: not known from the stream). */
  #restoredCheckpointOf(taskId: TaskId, attempt: AttemptNumber): CheckpointId | null | undefined {
    const restored = this.#restoredTasks.get(taskId);
    if (restored?.attempt === attempt) return restored.checkpointId;
    if (this.#restoredAttempt?.attempt === attempt) return this.#restoredAttempt.checkpointId;
    return undefined;
  }
}

/** See the module comment: the value is in checkpoint n iff it was written by epoch n and still current at barrier n. */
export function inCheckpoint(entry: SampledKey, taskEpoch: CheckpointId, checkpointId: CheckpointId): InCheckpoint {
  if (entry.epoch > checkpointId) return 'no';
  return taskEpoch > checkpointId ? 'yes' : 'unknown';
}

/**
 * The keys whose pre-failure value the restore discarded: those last written after the restored checkpoint's
 * barrier (epoch > its id; every key when restarting from empty state), and any whose restored value differs.
 */
export function rolledBackKeys(before: TaskSample, after: TaskSample, checkpointId: CheckpointId | null): RolledBackKey[] {
  const afterKeys = new Map((after.keyedState?.keys ?? []).map((entry) => [entry.key, entry]));
  const afterComplete = (after.keyedState?.totalKeys ?? 0) <= afterKeys.size;
  const rolledBack: RolledBackKey[] = [];
  for (const entry of before.keyedState?.keys ?? []) {
    const now = afterKeys.get(entry.key);
    const discarded = checkpointId === null || entry.epoch > checkpointId;
    const restoredDiffers = now !== undefined && checkpointId !== null && now.epoch <= checkpointId && !sameValue(now.value, entry.value);
    if (!discarded && !restoredDiffers) continue;
    rolledBack.push({ key: entry.key, before: { value: entry.value, epoch: entry.epoch }, restored: restoredValue(now, checkpointId, afterComplete) });
  }
  return rolledBack;
}

function restoredValue(now: SampledKey | undefined, checkpointId: CheckpointId | null, afterComplete: boolean): RestoredValue {
  if (!now) return afterComplete ? { kind: 'absent' } : { kind: 'not-sampled' };
  const restored = checkpointId !== null && now.epoch <= checkpointId;
  return { kind: restored ? 'restored' : 'rewritten', value: now.value, epoch: now.epoch };
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function deployedSubtasks(event: Extract<EngineEvent, { type: 'job-deployed' }>): Map<TaskId, Deployed> {
  const vertices = new Map(event.vertices.map((vertex) => [vertex.vertexId, vertex]));
  const subtasks = new Map<TaskId, Deployed>();
  for (const subtask of event.subtasks) {
    const vertex = vertices.get(subtask.vertexId);
    if (!subtask.keyGroups || !vertex) continue;
    subtasks.set(subtask.taskId, {
      vertexName: vertex.name,
      subtaskIndex: subtask.subtaskIndex,
      parallelism: vertex.parallelism,
      maxParallelism: vertex.maxParallelism,
      keyGroups: subtask.keyGroups,
    });
  }
  return subtasks;
}
