// Flink's CheckpointOptions predicates and conversions, over the plain options object barriers carry.
// Absent alignment is ALIGNED; absent timeout is none (Flink's NO_ALIGNED_CHECKPOINT_TIME_OUT).
import type { AlignmentType, CheckpointBarrier, CheckpointId, CheckpointOptions } from './types';
import type { CheckpointType } from '../../task/messages';

/** What a barrier without options is: an aligned checkpoint, as every barrier was before issue 9. */
export const DEFAULT_CHECKPOINT_OPTIONS: CheckpointOptions = { checkpointType: 'CHECKPOINT' };

/** The barrier a barrier or announcement input stands for: without options an aligned checkpoint, without a timestamp one started at 0. */
export function barrierOf(input: { readonly checkpointId: CheckpointId; readonly options?: CheckpointOptions; readonly timestamp?: number }): CheckpointBarrier {
  return { checkpointId: input.checkpointId, timestamp: input.timestamp ?? 0, options: input.options ?? DEFAULT_CHECKPOINT_OPTIONS };
}

export function alignmentOf(options: CheckpointOptions): AlignmentType {
  return options.alignment ?? 'ALIGNED';
}

/** Flink's CheckpointOptions.isUnalignedCheckpoint. */
export function isUnalignedCheckpoint(options: CheckpointOptions): boolean {
  return alignmentOf(options) === 'UNALIGNED';
}

/** Flink's CheckpointOptions.isTimeoutable: ALIGNED (not FORCED_ALIGNED) with a timeout > 0. */
export function isTimeoutable(options: CheckpointOptions): boolean {
  const timeout = options.alignedCheckpointTimeoutMs;
  return alignmentOf(options) === 'ALIGNED' && timeout !== undefined && timeout > 0 && Number.isFinite(timeout);
}

function isSavepoint(type: CheckpointType): boolean {
  return type !== 'CHECKPOINT';
}

/** Flink's CheckpointOptions.toUnaligned: only an aligned checkpoint (never a savepoint) can become unaligned. */
export function toUnaligned(options: CheckpointOptions): CheckpointOptions {
  if (alignmentOf(options) !== 'ALIGNED' || isSavepoint(options.checkpointType)) {
    throw new Error(`Only an aligned checkpoint can become unaligned, not ${alignmentOf(options)} ${options.checkpointType}`);
  }
  return { checkpointType: options.checkpointType, alignment: 'UNALIGNED' };
}

/** Flink's CheckpointBarrier.asUnaligned. */
export function asUnaligned(barrier: CheckpointBarrier): CheckpointBarrier {
  return isUnalignedCheckpoint(barrier.options) ? barrier : { ...barrier, options: toUnaligned(barrier.options) };
}

/**
 * Flink's CheckpointOptions.forConfig: not exactly-once is AT_LEAST_ONCE; a savepoint, or unaligned
 * checkpoints off, ALIGNED without a timeout; a timeout of 0 UNALIGNED; else ALIGNED with the timeout.
 */
export function checkpointOptionsForConfig(
  checkpointType: CheckpointType,
  config: { readonly exactlyOnce: boolean; readonly unalignedEnabled: boolean; readonly alignedCheckpointTimeoutMs: number },
): CheckpointOptions {
  if (!config.exactlyOnce) return { checkpointType, alignment: 'AT_LEAST_ONCE' };
  if (isSavepoint(checkpointType) || !config.unalignedEnabled) return { checkpointType, alignment: 'ALIGNED' };
  if (config.alignedCheckpointTimeoutMs === 0 || !Number.isFinite(config.alignedCheckpointTimeoutMs)) {
    return { checkpointType, alignment: 'UNALIGNED' };
  }
  return { checkpointType, alignment: 'ALIGNED', alignedCheckpointTimeoutMs: config.alignedCheckpointTimeoutMs };
}
