// The state inspector's model: per keyed subtask its key-group range, the keys and values of its latest
// sample (each with the epoch that last wrote it), the latest completed checkpoint it acknowledged, after a
// restore which keys rolled back, and for each remembered completed checkpoint the sample that shows its
// state at that checkpoint's barrier (./checkpoint-compare.ts compares two). Bounded: per subtask the latest
// sample, the last one of the attempt before it, the first of each recent epoch (./epoch-samples.ts), each
// ≤ SAMPLE_KEY_LIMIT keys; the newest REMEMBERED_CHECKPOINTS completed checkpoints, plus pending acks.
//
// What a checkpoint holds is not in the stream (only its id and sizes), so the inspector never shows a
// checkpoint's values. It says, per sampled key, whether the latest completed checkpoint n holds *that*
// value, from the epochs alone: a key's epoch e is the first checkpoint whose snapshot holds its value,
// so n holds it when e ≤ n and the task had passed barrier n when sampled (sample.epoch > n: the value
// was current at barrier n); e > n means n holds an older value or none; a sample taken before barrier
// n cannot tell (the value may still have been overwritten before the barrier). So the values of
// checkpoint n the inspector shows are those of the first sample after barrier n whose epoch is ≤ n.
import type { EngineEvent } from '../../engine/events';
import type { AttemptNumber, CheckpointId, TaskId } from '../../engine/ids';
import type { SampledKey, TaskSample } from '../../engine/samples';
import type { EventFold } from '../model/event-fold';
import { CompletedCheckpoints, type RememberedCheckpoint, type SourceOffsets } from './completed-checkpoints';
import { EpochSamples } from './epoch-samples';
import { ChannelStateLog, type ChannelStatePart, type RestoredChannelState } from './channel-state-log';

export type { RememberedCheckpoint, SourceOffsets } from './completed-checkpoints';
export type { ChannelStatePart, RestoredChannelState } from './channel-state-log';

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

/** One sample's look at a subtask's keyed state: just after checkpoint n's barrier, or its latest ("now"). */
export interface SampledKeyedState {
  /** The checkpoint whose barrier the subtask had just passed; null: its latest sample. */
  readonly checkpointId: CheckpointId | null;
  readonly sampledAt: number;
  readonly attempt: AttemptNumber;
  /** The smallest SAMPLE_KEY_LIMIT keys, in natural order; for a checkpoint, those of epoch > n were written after its barrier. */
  readonly keys: readonly SampledKey[];
  readonly totalKeys: number;
  /** For a checkpoint: the subtask's last sample before that barrier (bounds a key written again before `sampledAt`). */
  readonly beforeBarrier: { readonly sampledAt: number; readonly keys: readonly SampledKey[]; readonly totalKeys: number } | null;
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
  /** Per remembered checkpoint (the view's `checkpoints`, same order): its state as sampled just after its barrier, or null. */
  readonly atCheckpoints: readonly (SampledKeyedState | null)[];
  /** The latest sample's state; null until sampled. */
  readonly now: SampledKeyedState | null;
  /** Unaligned: the in-flight records the latest completed checkpoint it acknowledged persisted as channel state. */
  readonly channelState: readonly ChannelStatePart[];
  /** Unaligned: the channel state the latest restore put back before any new input; null when none. */
  readonly restoredChannelState: RestoredChannelState | null;
}

export interface StateInspectorView {
  readonly subtasks: readonly InspectedSubtask[];
  /** The completed checkpoints remembered (the newest REMEMBERED_CHECKPOINTS), oldest first. */
  readonly checkpoints: readonly RememberedCheckpoint[];
  /** Each source partition's next offset in its source subtask's latest sample; null until a source is sampled. */
  readonly sourceOffsetsNow: { readonly sampledAt: number; readonly offsets: SourceOffsets } | null;
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
  /** Checkpoint n's values come from samples after its barrier: a rebuilt fold needs every kept sample, not the latest. */
  readonly readsSampleHistory = true;
  #deployed = new Map<TaskId, Deployed>();
  #restoredAttempt: { attempt: AttemptNumber; checkpointId: CheckpointId | null } | null = null;
  readonly #restoredTasks = new Map<TaskId, { attempt: AttemptNumber; checkpointId: CheckpointId | null }>();
  readonly #samples = new Map<TaskId, SampleHistory>();
  readonly #epochSamples = new EpochSamples();
  readonly #completed = new CompletedCheckpoints();
  readonly #channelState = new ChannelStateLog();
  /** Each source subtask's latest sample (its partitions' offsets). */
  readonly #sources = new Map<TaskId, TaskSample>();

  apply(event: EngineEvent): void {
    this.#completed.apply(event);
    this.#channelState.apply(event);
    switch (event.type) {
      case 'job-deployed':
        this.#deployed = deployedSubtasks(event);
        this.#restoredAttempt = { attempt: event.attempt, checkpointId: event.restoredCheckpointId };
        break;
      case 'task-restored':
        this.#restoredTasks.set(event.taskId, { attempt: event.attempt, checkpointId: event.checkpointId });
        break;
      default:
        break;
    }
  }

  applySample(sample: TaskSample): void {
    if (sample.sourcePartitions) this.#sourceSample(sample);
    if (!sample.keyedState) return;
    this.#epochSamples.add(sample);
    const history = this.#samples.get(sample.taskId);
    // Given again (a rebuilt fold is handed every kept sample up to the cursor): nothing new.
    if (history && sample.time < history.latest.time) return;
    if (!history) {
      this.#samples.set(sample.taskId, { latest: sample, beforeRestore: null, firstOfAttempt: sample });
    } else if (sample.attempt > history.latest.attempt) {
      this.#samples.set(sample.taskId, { latest: sample, beforeRestore: history.latest, firstOfAttempt: sample });
    } else if (sample.attempt === history.latest.attempt) {
      history.latest = sample;
    }
  }

  #sourceSample(sample: TaskSample): void {
    const kept = this.#sources.get(sample.taskId);
    if (!kept || sample.time >= kept.time) this.#sources.set(sample.taskId, sample);
  }

  view(): StateInspectorView {
    const checkpoints = this.#completed.checkpoints();
    const subtasks = [...this.#deployed].map(([taskId, deployed]) => this.#subtask(taskId, deployed, checkpoints));
    return { subtasks, checkpoints, sourceOffsetsNow: this.#sourceOffsetsNow() };
  }

  #subtask(taskId: TaskId, deployed: Deployed, checkpoints: readonly RememberedCheckpoint[]): InspectedSubtask {
    const history = this.#samples.get(taskId) ?? null;
    const latestCompleted = this.#completed.latestCompleted(taskId);
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
      atCheckpoints: checkpoints.map(({ checkpointId }) => this.#atCheckpoint(taskId, checkpointId, sample)),
      now: sample ? sampledState(sample, null) : null,
      channelState: latestCompleted === null ? [] : this.#channelState.overtaken(latestCompleted, taskId),
      restoredChannelState: this.#channelState.restored(taskId),
    };
  }

  /**
   * The subtask's state at checkpoint n: the first sample of the attempt that acknowledged n taken after barrier n;
   * failing that, the first sample of an attempt restored from n (its keys of epoch ≤ n are n's values).
   */
  #atCheckpoint(taskId: TaskId, checkpointId: CheckpointId, latest: TaskSample | null): SampledKeyedState | null {
    const attempt = this.#completed.acknowledgingAttempt(checkpointId, taskId);
    if (attempt === undefined) return null;
    const after = this.#epochSamples.afterBarrier(taskId, attempt, checkpointId);
    if (after) return sampledState(after, checkpointId, this.#epochSamples.beforeBarrier(taskId, attempt, checkpointId));
    if (!latest || this.#restoredCheckpointOf(taskId, latest.attempt) !== checkpointId) return null;
    const restored = this.#epochSamples.firstOfAttempt(taskId, latest.attempt);
    return restored ? sampledState(restored, checkpointId, null) : null;
  }

  #sourceOffsetsNow(): StateInspectorView['sourceOffsetsNow'] {
    if (this.#sources.size === 0) return null;
    const offsets: Record<string, Record<string, number>> = {};
    let sampledAt = Number.NEGATIVE_INFINITY;
    for (const sample of this.#sources.values()) {
      sampledAt = Math.max(sampledAt, sample.time);
      for (const { source, partition, offset } of sample.sourcePartitions ?? []) (offsets[source] ??= {})[String(partition)] = offset;
    }
    return { sampledAt, offsets };
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

function sampledState(sample: TaskSample, checkpointId: CheckpointId | null, before: TaskSample | null = null): SampledKeyedState {
  const keyed = sample.keyedState ?? { keys: [], totalKeys: 0 };
  const beforeBarrier = before?.keyedState ? { sampledAt: before.time, keys: before.keyedState.keys, totalKeys: before.keyedState.totalKeys } : null;
  return { checkpointId, sampledAt: sample.time, attempt: sample.attempt, keys: keyed.keys, totalKeys: keyed.totalKeys, beforeBarrier };
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
