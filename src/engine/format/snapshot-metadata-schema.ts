// The schema of `_metadata` (format versions 1 and 2), in valibot: the file's tree after Flink's MetadataV5
// (checkpoint, properties, operators with name/uid/id, subtask states and their handles) plus the job.
// Version 2 adds one optional field, a subtask's channel state (an unaligned checkpoint's in-flight data); a
// file without channel state is written as version 1, byte for byte as before, and both versions are read.
import * as v from 'valibot';
import { MAX_CHANNEL_INDEX, MAX_NAME_LENGTH } from './snapshot-file-limits';

export const SNAPSHOT_FORMAT = 'barrierscope-snapshot';
/** The newest version this code reads and writes: files with channel state. */
export const SNAPSHOT_FORMAT_VERSION = 2;
/** Every version this reader reads; a file without channel state is written as the first. */
export const SNAPSHOT_FORMAT_VERSIONS = [1, 2] as const;
/** The first version with channel state (`channelState` in a subtask state). */
export const CHANNEL_STATE_FORMAT_VERSION = 2;
/** Flink's bound on parallelism and max parallelism (Transformation.UPPER_BOUND_MAX_PARALLELISM). */
const UPPER_BOUND_MAX_PARALLELISM = 32_768;
const MAX_CONFIGURATION_OPTIONS = 1_000;

const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const positive = v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(UPPER_BOUND_MAX_PARALLELISM));
const name = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_NAME_LENGTH));

/** A reference to one zip entry, with the size and CRC-32 its bytes must have (Flink's StreamStateHandle). */
const entryReference = v.strictObject({
  name,
  sizeBytes: count,
  crc32: v.pipe(v.string(), v.regex(/^[0-9a-f]{8}$/, 'Invalid crc32: Expected 8 lower-case hex digits')),
});

const keyGroupRange = v.strictObject({ start: count, end: count });

/** Flink's KeyGroupsStateHandle: one entry with every key group, and where each begins in it. */
const keyGroupsStateHandle = v.strictObject({
  type: v.literal('KEY_GROUPS_HANDLE'),
  storageKey: name,
  keyGroupRange,
  stateSizeBytes: count,
  entry: entryReference,
  /** One per key group of the range: its block's byte offset in the entry, or null when it holds no state. */
  keyGroupOffsets: v.array(v.nullable(count)),
});

/** One key group uploaded by checkpoint `checkpointId` (an immutable SST file in Flink's terms). */
const sharedStatePiece = v.strictObject({
  keyGroup: count,
  storageKey: name,
  checkpointId: count,
  sizeBytes: count,
  entry: entryReference,
});

/** Flink's IncrementalRemoteKeyedStateHandle: the private meta state and the shared pieces. */
const incrementalKeyedStateHandle = v.strictObject({
  type: v.literal('INCREMENTAL_KEY_GROUPS_HANDLE'),
  storageKey: name,
  checkpointId: count,
  keyGroupRange,
  stateSizeBytes: count,
  checkpointedSizeBytes: count,
  metaState: entryReference,
  sharedState: v.array(sharedStatePiece),
});

const operatorStateMetaInfo = v.strictObject({
  name,
  distributionMode: v.picklist(['SPLIT_DISTRIBUTE', 'UNION']),
  offsets: v.array(count),
});

/** Flink's OperatorStreamStateHandle: one entry, and per state its mode and element offsets. */
const operatorStreamStateHandle = v.strictObject({
  entry: entryReference,
  states: v.array(operatorStateMetaInfo),
});

/** A Java int, as Flink's channel indexes are. */
const channelIndex = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(MAX_CHANNEL_INDEX));

/**
 * Flink's AbstractChannelStateHandle: one channel's in-flight buffers, `offsets` where each begins in the subtask's
 * channel-state entry; `records` and `stateSizeBytes` (persisted_data) are what the buffers hold, `storageKey` the
 * channel-state blob of the checkpoint storage.
 */
const channelStateHandleFields = {
  storageKey: name,
  records: count,
  stateSizeBytes: count,
  offsets: v.array(count),
};

/** Flink's InputChannelStateHandle: InputChannelInfo (gate, channel) and the buffers. */
const inputChannelStateHandle = v.strictObject({ gateIndex: channelIndex, inputChannelIndex: channelIndex, ...channelStateHandleFields });

/** Flink's ResultSubpartitionStateHandle: ResultSubpartitionInfo (partition, subpartition) and the buffers. */
const resultSubpartitionStateHandle = v.strictObject({ partitionIndex: channelIndex, subpartitionIndex: channelIndex, ...channelStateHandleFields });

/** A subtask's channel state (format version 2): one entry with every buffer, input channels' first. */
const channelState = v.strictObject({
  entry: entryReference,
  inputChannelState: v.array(inputChannelStateHandle),
  resultSubpartitionState: v.array(resultSubpartitionStateHandle),
});

const operatorSubtaskState = v.strictObject({
  subtaskIndex: count,
  managedOperatorState: v.nullable(operatorStreamStateHandle),
  managedKeyedState: v.nullable(v.variant('type', [keyGroupsStateHandle, incrementalKeyedStateHandle])),
  channelState: v.optional(channelState),
});

const operatorState = v.strictObject({
  operatorName: v.nullable(name),
  operatorUid: name,
  operatorId: v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/, 'Invalid operatorId: Expected 32 lower-case hex digits')),
  parallelism: positive,
  maxParallelism: positive,
  subtaskStates: v.array(operatorSubtaskState),
});

/** Flink's CheckpointProperties. */
const checkpointProperties = v.strictObject({
  forced: v.boolean(),
  savepointFormat: v.nullable(v.literal('CANONICAL')),
  discardSubsumed: v.boolean(),
  discardFinished: v.boolean(),
  discardCancelled: v.boolean(),
  discardFailed: v.boolean(),
  discardSuspended: v.boolean(),
  unclaimed: v.boolean(),
});

/** Flink option key → value, as `flink run -D key=value` would take it. */
const configuration = v.pipe(
  v.record(v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Invalid key: Expected a Flink option name')), v.pipe(v.string(), v.maxLength(MAX_NAME_LENGTH))),
  v.check((options) => Object.keys(options).length <= MAX_CONFIGURATION_OPTIONS, `Invalid configuration: more than ${MAX_CONFIGURATION_OPTIONS} options`),
);

export const snapshotMetadataSchema = v.strictObject({
  format: v.literal(SNAPSHOT_FORMAT),
  formatVersion: v.picklist(SNAPSHOT_FORMAT_VERSIONS),
  checkpointId: count,
  checkpointType: v.picklist(['CHECKPOINT', 'SAVEPOINT']),
  properties: checkpointProperties,
  jobId: name,
  jobName: name,
  triggerTimestamp: count,
  completionTimestamp: count,
  configuration,
  operators: v.array(operatorState),
});

export type SnapshotMetadataDocument = v.InferOutput<typeof snapshotMetadataSchema>;
export type OperatorStateDocument = SnapshotMetadataDocument['operators'][number];
export type OperatorSubtaskStateDocument = OperatorStateDocument['subtaskStates'][number];
export type KeyedStateHandleDocument = NonNullable<OperatorSubtaskStateDocument['managedKeyedState']>;
export type KeyGroupsStateHandleDocument = v.InferOutput<typeof keyGroupsStateHandle>;
export type IncrementalKeyedStateHandleDocument = v.InferOutput<typeof incrementalKeyedStateHandle>;
export type OperatorStreamStateHandleDocument = v.InferOutput<typeof operatorStreamStateHandle>;
export type EntryReference = v.InferOutput<typeof entryReference>;
export type ChannelStateDocument = v.InferOutput<typeof channelState>;
export type InputChannelStateHandleDocument = v.InferOutput<typeof inputChannelStateHandle>;
export type ResultSubpartitionStateHandleDocument = v.InferOutput<typeof resultSubpartitionStateHandle>;
export type CheckpointPropertiesDocument = v.InferOutput<typeof checkpointProperties>;
