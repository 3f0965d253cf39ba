// The view model of a snapshot file's contents: FLIP-512's savepoint_metadata rows and, per operator and
// subtask, key groups, keys and values, operator state, channel state, offsets, pending transactions and sizes. Plain data.
import type { Json } from '../state/json';
import type { Key } from '../state/java-hash-code';
import type { KeyedStateSnapshot } from '../state/keyed-state-snapshot';
import type { PendingTransactionRow, SourceOffsetRow } from './inspect-operator-state';
import type { SnapshotFile } from './snapshot-file';
import type { KeyedStateHandleDocument } from './snapshot-metadata-schema';

/** FLIP-512's `savepoint_metadata(path)` table function, column for column. */
export interface SavepointMetadataRow {
  readonly 'checkpoint-id': number;
  readonly 'operator-name': string | null;
  readonly 'operator-uid': string;
  readonly 'operator-uid-hash': string;
  readonly 'operator-parallelism': number;
  readonly 'operator-max-parallelism': number;
  readonly 'operator-subtask-state-count': number;
  /** Barrierscope has no operator coordinators: always 0. */
  readonly 'operator-coordinator-state-size-in-bytes': number;
  /** The operator's entries in this file, uncompressed. */
  readonly 'operator-total-size-in-bytes': number;
}

/** One key with its value in every state of the operator (a KeyedStateReaderFunction's view). */
export interface KeyedStateRow {
  readonly keyGroup: number;
  readonly key: Key;
  readonly values: Readonly<Record<string, Json>>;
}

export interface KeyGroupInspection {
  readonly keyGroup: number;
  readonly keys: number;
  /** Its bytes in this file. */
  readonly sizeBytes: number;
  /** Incremental handles: the checkpoint that uploaded this piece. */
  readonly uploadedByCheckpointId: number | null;
}

export interface KeyedStateInspection {
  readonly handleType: KeyedStateHandleDocument['type'];
  readonly keyGroupRange: { readonly start: number; readonly end: number };
  readonly backend: KeyedStateSnapshot['backend'];
  readonly states: ReadonlyArray<{ readonly name: string; readonly kind: string }>;
  /** As the checkpoint recorded them (FLINK-25557): full size, and what this checkpoint uploaded. */
  readonly stateSizeBytes: number;
  readonly checkpointedSizeBytes: number;
  readonly keyGroups: readonly KeyGroupInspection[];
  readonly rows: readonly KeyedStateRow[];
}

/** One channel of an unaligned checkpoint's channel state: the in-flight buffers the barrier overtook. */
export interface ChannelInspection {
  /** `input`: an input channel (Flink's InputChannelStateHandle); `output`: a subpartition (ResultSubpartitionStateHandle). */
  readonly side: 'input' | 'output';
  /** Input: the gate index; output: the partition index. */
  readonly gateOrPartitionIndex: number;
  /** Input: the channel index in its gate; output: the subpartition (the consumer subtask's channel). */
  readonly channelIndex: number;
  readonly buffers: number;
  readonly records: number;
  /** The buffers' bytes as the job measured them (Flink's persisted_data). */
  readonly sizeBytes: number;
}

export interface ChannelStateInspection {
  /** Input channels first, then subpartitions, as `_metadata` lists them. */
  readonly channels: readonly ChannelInspection[];
  readonly records: number;
  /** persisted_data of the subtask: every channel's bytes. */
  readonly persistedDataBytes: number;
  /** Its entry's bytes in this file. */
  readonly entrySizeBytes: number;
}

export interface SubtaskInspection {
  readonly subtaskIndex: number;
  readonly sizeBytes: number;
  readonly keyedState: KeyedStateInspection | null;
  /** An unaligned checkpoint's in-flight data of this subtask (format version 2), or null. */
  readonly channelState: ChannelStateInspection | null;
  readonly operatorState: ReadonlyArray<{ readonly name: string; readonly distributionMode: string; readonly entries: readonly Json[] }>;
  readonly sourceOffsets: readonly SourceOffsetRow[];
  readonly pendingTransactions: readonly PendingTransactionRow[];
}

export interface OperatorInspection {
  readonly operatorName: string | null;
  readonly operatorUid: string;
  readonly operatorId: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly subtasks: readonly SubtaskInspection[];
}

export interface SnapshotInspection {
  readonly checkpointId: number;
  readonly checkpointType: SnapshotFile['checkpointType'];
  readonly jobId: string;
  readonly jobName: string;
  readonly triggerTimestamp: number;
  readonly completionTimestamp: number;
  readonly properties: SnapshotFile['properties'];
  readonly configuration: Readonly<Record<string, string>>;
  readonly fileSizeBytes: number;
  readonly savepointMetadata: readonly SavepointMetadataRow[];
  readonly operators: readonly OperatorInspection[];
}
