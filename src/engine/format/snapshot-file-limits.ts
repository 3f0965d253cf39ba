// The named maxima a snapshot file must stay within: checked before anything is inflated or parsed, so a
// hostile file costs at most these bytes of memory and a bounded amount of work.

const MiB = 1024 * 1024;

export interface SnapshotFileLimits {
  /** The whole `.bscp` file. */
  readonly maxFileBytes: number;
  /** All entries together, uncompressed, as the zip directory declares them (and as they really inflate). */
  readonly maxUncompressedBytes: number;
  /** Zip entries (classic zip counts them in 16 bits). */
  readonly maxEntries: number;
  readonly maxMetadataBytes: number;
  /** Nesting of arrays and objects in `_metadata` and in every state value. */
  readonly maxJsonDepth: number;
}

export const SNAPSHOT_FILE_LIMITS: SnapshotFileLimits = Object.freeze({
  maxFileBytes: 64 * MiB,
  maxUncompressedBytes: 256 * MiB,
  maxEntries: 65_535,
  maxMetadataBytes: 16 * MiB,
  maxJsonDepth: 64,
});

/** Longest entry name, state name, uid or storage key, in UTF-8 bytes or UTF-16 units. */
export const MAX_NAME_LENGTH = 1024;

/** Largest gate, channel, partition or subpartition index: a Java int, as Flink's InputChannelInfo and ResultSubpartitionInfo hold. */
export const MAX_CHANNEL_INDEX = 2 ** 31 - 1;
