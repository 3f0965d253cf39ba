// A task's sample: what the event stream does not say on every change — queue lengths, credits, the
// barrier handler's state, a bounded view of keyed state — read from the task on a period and on demand
// (issue 7; docs/events.md, "Samples"). Plain JSON, bounded in size whatever the job's size.
import type { AttemptNumber, CheckpointId, TaskId } from './ids';
import type { ExecutionState } from './task/messages';

/** At most this many keys of a keyed task appear in one sample. */
export const SAMPLE_KEY_LIMIT = 200;

/** A sampled value whose JSON is longer than this many characters is replaced by that JSON, cut to this length. */
export const SAMPLE_VALUE_CHARS = 256;

export interface SampledKey {
  readonly key: string;
  /** The value as JSON-serialisable data. */
  readonly value: unknown;
  /** The checkpoint epoch that last wrote it: the id of the first checkpoint whose snapshot holds this value. */
  readonly epoch: CheckpointId;
}

export interface TaskSample {
  readonly time: number;
  readonly taskId: TaskId;
  readonly attempt: AttemptNumber;
  readonly state: ExecutionState;
  readonly barrierHandler: {
    /** Flink's handler states by name, e.g. `WaitingForFirstBarrier`, `CollectingBarriers`. */
    readonly state: string;
    /** The checkpoint being aligned, if any. */
    readonly checkpointId: CheckpointId | null;
    readonly blockedChannels: readonly number[];
  };
  /** Records waiting in each input channel (index = the receiver's channel index). Empty for sources. */
  readonly inputQueues: readonly number[];
  /**
   * Per output channel (subpartition), in the order of the vertex's outputs: records buffered but not yet sent,
   * and the credits the receiver granted (buffers the sender may still send). `to` and `channel` name the
   * receiver and its input channel, as `job-deployed` does (always set by the engine).
   */
  readonly outputs: ReadonlyArray<{ readonly backlog: number; readonly credits: number; readonly to?: TaskId; readonly channel?: number }>;
  /** The task's current epoch: the id of the next checkpoint whose barrier it has not yet passed. */
  readonly epoch: CheckpointId;
  /** Keyed tasks: up to SAMPLE_KEY_LIMIT keys → values (smallest keys first), and how many it holds. */
  readonly keyedState: { readonly keys: readonly SampledKey[]; readonly totalKeys: number } | null;
  /** Sources: each partition's next offset to read. */
  readonly sourcePartitions: ReadonlyArray<{ readonly source: string; readonly partition: number; readonly offset: number }> | null;
  /** The slowdown in effect (1 = normal speed). */
  readonly slowdown: number;
  /**
   * Where the task's time went over the last 0.9–1 s while RUNNING, in ms per second, as Flink's
   * TaskIOMetricGroup: waiting for an output buffer (credit), waiting for input, and the rest — processing.
   * Whole numbers in [0, 1000] summing to 1000 while RUNNING; all 0 in any other state
   * (src/engine/task/task-time-meter.ts).
   */
  readonly busyTimeMsPerSecond: number;
  readonly backPressuredTimeMsPerSecond: number;
  readonly idleTimeMsPerSecond: number;
}

/** Flink's back pressure levels, as its REST API and Web UI name them. */
export type BackPressureLevel = 'ok' | 'low' | 'high';

/**
 * The level of a subtask's backPressuredTimeMsPerSecond as Flink's JobVertexBackPressureHandler#getBackPressureLevel
 * sets it from the ratio (ms per second / 1000): OK up to 0.10, LOW up to 0.5, HIGH above.
 */
export function backPressureLevel(backPressuredTimeMsPerSecond: number): BackPressureLevel {
  const ratio = backPressuredTimeMsPerSecond / 1000;
  if (ratio <= 0.1) return 'ok';
  if (ratio <= 0.5) return 'low';
  return 'high';
}
