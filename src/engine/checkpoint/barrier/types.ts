// The barrier handler's vocabulary: what a task reads from its input channels and what the handler
// decides about it. Shapes follow Flink's CheckpointBarrierHandler and CheckpointFailureReason names.
import type { CheckpointId } from '../../ids';

export type { CheckpointId };

/** Index of an input channel of the task (Flink's InputChannelInfo, flattened over the input gates). */
export type ChannelIndex = number;

/** Flink's CheckpointingMode: EXACTLY_ONCE aligns (blocks channels), AT_LEAST_ONCE only tracks. */
export type CheckpointingMode = 'exactly-once' | 'at-least-once';

/** One element read from one input channel (Flink's BufferOrEvent, reduced to what the handler needs). */
export type BarrierHandlerInput =
  | { readonly kind: 'data'; readonly channel: ChannelIndex }
  | { readonly kind: 'barrier'; readonly channel: ChannelIndex; readonly checkpointId: CheckpointId }
  | { readonly kind: 'cancellation-marker'; readonly channel: ChannelIndex; readonly checkpointId: CheckpointId }
  | { readonly kind: 'end-of-partition'; readonly channel: ChannelIndex };

/**
 * Why a task declines a checkpoint: the task-side values of Flink's CheckpointFailureReason. The
 * handler itself produces only the first three; the rest come in through `abort()`.
 */
export type CheckpointAbortReason =
  | 'CHECKPOINT_DECLINED_SUBSUMED'
  | 'CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER'
  | 'CHECKPOINT_DECLINED_INPUT_END_OF_STREAM'
  | 'CHECKPOINT_DECLINED'
  | 'CHECKPOINT_DECLINED_TASK_NOT_READY'
  | 'CHECKPOINT_DECLINED_TASK_CLOSING'
  | 'TASK_CHECKPOINT_FAILURE'
  | 'CHECKPOINT_ASYNC_EXCEPTION';

export interface AbortedCheckpoint {
  readonly checkpointId: CheckpointId;
  readonly reason: CheckpointAbortReason;
}

/** What one input (or one `abort`) caused. Lists are in the order things happened. */
export interface BarrierHandlerOutcome {
  /** The first barrier of this checkpoint arrived with this input: alignment starts (Flink's markAlignmentStart). */
  readonly started: CheckpointId | null;
  /** Checkpoints whose barriers are now complete: the task snapshots its state and forwards the barrier. */
  readonly triggered: readonly CheckpointId[];
  /** Checkpoints the task declines: it reports the reason and sends a cancellation marker downstream. */
  readonly aborted: readonly AbortedCheckpoint[];
  /** Channels blocked after this input, ascending. Always empty in at-least-once mode. */
  readonly blocked: readonly ChannelIndex[];
}

/** Flink's BarrierHandlerState classes, plus the at-least-once tracker, which has no states. */
export type BarrierHandlerKind = 'WaitingForFirstBarrier' | 'CollectingBarriers' | 'CheckpointBarrierTracker';

export interface CheckpointBarrierHandler {
  /** The current state's name, for the UI and for tests. */
  readonly kind: BarrierHandlerKind;
  readonly mode: CheckpointingMode;
  readonly numberOfChannels: number;
  /** Highest checkpoint id seen so far (barrier, cancellation marker or abort); -1 before any. */
  readonly latestCheckpointId: CheckpointId;
  /**
   * Feeds one element read from a channel. Throws (and changes nothing) for inputs a task cannot
   * produce: a channel out of range, anything after a channel's end of partition, any read from a
   * blocked channel.
   */
  process(input: BarrierHandlerInput): BarrierHandlerOutcome;
  /** The task failed or declined checkpoint `checkpointId` itself (e.g. its snapshot failed). */
  abort(checkpointId: CheckpointId, reason: CheckpointAbortReason): BarrierHandlerOutcome;
  isBlocked(channel: ChannelIndex): boolean;
  blockedChannels(): ChannelIndex[];
  /** Channels that have not yet delivered their end of partition, ascending. */
  openChannels(): ChannelIndex[];
  /** Checkpoints some but not all of whose barriers have arrived, oldest first (Flink's isCheckpointPending). */
  pendingCheckpointIds(): CheckpointId[];
}

export interface BarrierHandlerOptions {
  /**
   * Flink's `execution.checkpointing.checkpoints-after-tasks-finish.enabled` (FLIP-147, on by default
   * since 1.15). On: an ended channel counts as aligned for the pending checkpoint. Off: end of
   * partition aborts pending checkpoints with CHECKPOINT_DECLINED_INPUT_END_OF_STREAM.
   */
  readonly checkpointsAfterTasksFinish?: boolean;
}
