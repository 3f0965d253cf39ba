// The aligned-checkpoint timeout timer on the handler's manual clock (Flink's registerAlignmentTimer
// with BarrierAlignmentUtil.getTimerDelay and a DelayableTimer): at most one, for the pending checkpoint.
import type { CheckpointBarrier } from './types';

export interface AlignmentTimer {
  readonly barrier: CheckpointBarrier;
  /** The clock reading it fires at: the checkpoint's start plus the timeout, or now if that has passed. */
  readonly fireAtMs: number;
}

/**
 * Flink's getTimerDelay is max(timeout - (now - timestamp), 0) from now: the timer fires at
 * timestamp + timeout, or at once (on the next advance of the clock, as a mailbox action) if that has passed.
 */
export function alignmentTimer(barrier: CheckpointBarrier, nowMs: number): AlignmentTimer {
  const timeout = barrier.options.alignedCheckpointTimeoutMs ?? Infinity;
  return { barrier, fireAtMs: Math.max(barrier.timestamp + timeout, nowMs) };
}
