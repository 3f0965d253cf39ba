// What a subtask hands the coordinator when it acknowledges a checkpoint: one state entry per
// operator of its chain (keyed state as a handle into storage, small operator state inlined as
// Flink inlines state under its memory threshold), and the subtask's checkpoint metrics.
import type { OperatorUid } from '../ids';
import type { OperatorStateSnapshot } from '../state';

export interface KeyGroupRangeJson {
  readonly start: number;
  readonly end: number;
}

/** A keyed-state blob written during the async phase: Flink's KeyGroupsStateHandle. */
export interface KeyedStateHandle {
  readonly storageKey: string;
  readonly keyGroupRange: KeyGroupRangeJson;
  readonly stateSizeBytes: number;
}

export interface OperatorSubtaskState {
  readonly operatorUid: OperatorUid;
  readonly keyed: KeyedStateHandle | null;
  readonly operator: OperatorStateSnapshot | null;
}

export interface TaskStateSnapshot {
  readonly subtaskIndex: number;
  readonly operators: readonly OperatorSubtaskState[];
}

/** Per-subtask checkpoint statistics, named after Flink's REST fields (durations in ms, sizes in bytes). */
export interface SubtaskCheckpointMetrics {
  readonly ackTimestamp: number;
  readonly syncDurationMs: number;
  readonly asyncDurationMs: number;
  readonly alignmentDurationMs: number;
  readonly startDelayMs: number;
  readonly checkpointedSizeBytes: number;
  readonly stateSizeBytes: number;
  readonly processedDataBytes: number;
  readonly persistedDataBytes: number;
  readonly alignmentBufferedBytes: number;
  readonly unalignedCheckpoint: boolean;
}
