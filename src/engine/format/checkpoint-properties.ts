// Flink's CheckpointProperties of a snapshot: whether it was forced, its type and savepoint format, and
// when it is discarded — as CheckpointProperties.forSavepoint / forCheckpoint(retention) set them.
import type { CheckpointPropertiesDocument } from './snapshot-metadata-schema';

export type CheckpointProperties = CheckpointPropertiesDocument;
/** Flink's SnapshotType, as the file writes it (Barrierscope has no full or sync-savepoint variants). */
export type CheckpointType = 'CHECKPOINT' | 'SAVEPOINT';

export const RETENTION_OPTION = 'execution.checkpointing.externalized-checkpoint-retention';

/** forSavepoint(forced = true, CANONICAL): a user's savepoint, never discarded by the job. */
const SAVEPOINT: CheckpointProperties = {
  forced: true,
  savepointFormat: 'CANONICAL',
  discardSubsumed: false,
  discardFinished: false,
  discardCancelled: false,
  discardFailed: false,
  discardSuspended: false,
  unclaimed: false,
};

/** CHECKPOINT_NEVER_RETAINED, CHECKPOINT_RETAINED_ON_FAILURE and CHECKPOINT_RETAINED_ON_CANCELLATION. */
const CHECKPOINT_BY_RETENTION: Readonly<Record<string, CheckpointProperties>> = {
  NO_EXTERNALIZED_CHECKPOINTS: checkpoint({ cancelled: true, failed: true }),
  DELETE_ON_CANCELLATION: checkpoint({ cancelled: true, failed: false }),
  RETAIN_ON_CANCELLATION: checkpoint({ cancelled: false, failed: false }),
};

function checkpoint(discard: { cancelled: boolean; failed: boolean }): CheckpointProperties {
  return {
    forced: false,
    savepointFormat: null,
    discardSubsumed: true,
    discardFinished: true,
    discardCancelled: discard.cancelled,
    discardFailed: discard.failed,
    discardSuspended: discard.cancelled,
    unclaimed: false,
  };
}

/** The properties Flink gives a savepoint, or a checkpoint under the job's externalized-checkpoint retention. */
export function checkpointPropertiesOf(isSavepoint: boolean, configuration: Readonly<Record<string, string>>): CheckpointProperties {
  if (isSavepoint) return SAVEPOINT;
  const retention = Object.hasOwn(configuration, RETENTION_OPTION) ? configuration[RETENTION_OPTION]! : 'NO_EXTERNALIZED_CHECKPOINTS';
  return CHECKPOINT_BY_RETENTION[retention] ?? CHECKPOINT_BY_RETENTION['NO_EXTERNALIZED_CHECKPOINTS']!;
}
