// A decoded snapshot file: the checkpoint as Barrierscope restores it (CheckpointMetadata plus every blob it
// names, by storage key), the job it belongs to, and the file's own tree and entries for inspection.
import type { CheckpointMetadata } from '../checkpoint/checkpoint-metadata';
import type { CheckpointProperties, CheckpointType } from './checkpoint-properties';
import type { SnapshotFileError } from './snapshot-file-error';
import type { SnapshotJob } from './snapshot-job';
import type { SnapshotMetadataDocument } from './snapshot-metadata-schema';

export interface SnapshotFileEntry {
  readonly name: string;
  /** Uncompressed, as `_metadata` and the zip directory declare it. */
  readonly sizeBytes: number;
  /** As stored in the zip (deflated or not). */
  readonly compressedSizeBytes: number;
  readonly crc32: string;
}

export interface SnapshotFile {
  readonly formatVersion: number;
  readonly checkpointType: CheckpointType;
  readonly properties: CheckpointProperties;
  /** Ready for assignStates and restore: storage keys as the exporting job's storage had them. */
  readonly metadata: CheckpointMetadata;
  /** Every blob `metadata` names, as CheckpointStorage.readState would return it (UTF-8 JSON). */
  readonly blobs: ReadonlyMap<string, Uint8Array>;
  readonly job: SnapshotJob;
  /** The `_metadata` tree as the file holds it (offsets, entry references), for inspection. */
  readonly document: SnapshotMetadataDocument;
  /** Zip entries in file order, `_metadata` first. */
  readonly entries: readonly SnapshotFileEntry[];
  readonly fileSizeBytes: number;
}

export type SnapshotFileResult = { readonly ok: true; readonly value: SnapshotFile } | { readonly ok: false; readonly error: SnapshotFileError };
