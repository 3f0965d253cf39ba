// Snapshot files (`.bscp`): one checkpoint or savepoint as a checksummed zip laid out like a Flink savepoint
// directory. Pure functions, no I/O: the CLI, the page and storage import call them with bytes they read.
export { encodeSnapshotFile, type SnapshotFileInput } from './encode-snapshot-file';
export { decodeSnapshotFile } from './decode-snapshot-file';
export type { SnapshotFile, SnapshotFileEntry, SnapshotFileResult } from './snapshot-file';
export type { SnapshotFileError, SnapshotFileErrorKind } from './snapshot-file-error';
export { SnapshotEncodingError } from './snapshot-file-error';
export { SNAPSHOT_FILE_LIMITS, type SnapshotFileLimits } from './snapshot-file-limits';
export { snapshotJobOf, type SnapshotJob } from './snapshot-job';
export { requiredBlobs, withStorageKeys } from './snapshot-storage-keys';
export { inspectSnapshot } from './inspect-snapshot';
export type {
  ChannelInspection,
  ChannelStateInspection,
  KeyedStateInspection,
  KeyedStateRow,
  KeyGroupInspection,
  OperatorInspection,
  SavepointMetadataRow,
  SnapshotInspection,
  SubtaskInspection,
} from './inspect-snapshot';
export type { PendingTransactionRow, SourceOffsetRow } from './inspect-operator-state';
export { operatorIdOfUid, murmur3x64Hash128 } from './operator-id';
export { checkpointPropertiesOf, type CheckpointProperties, type CheckpointType } from './checkpoint-properties';
export { SNAPSHOT_FORMAT, SNAPSHOT_FORMAT_VERSION, SNAPSHOT_FORMAT_VERSIONS, snapshotMetadataSchema, type SnapshotMetadataDocument } from './snapshot-metadata-schema';

/** The file name extension, and the media type a download should carry. */
export const SNAPSHOT_FILE_EXTENSION = '.bscp';
export const SNAPSHOT_FILE_MEDIA_TYPE = 'application/zip';
