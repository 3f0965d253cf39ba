// The barrier handler's vocabulary: what a task reads from its input channels and what the handler
// decides about it. Shapes follow Flink's CheckpointBarrierHandler and CheckpointFailureReason names.
import type { CheckpointId } from '../../ids';
import type { AlignmentType, CheckpointOptions } from '../../task/messages';

export type { AlignmentType, CheckpointId, CheckpointOptions };

/** Index of an input channel of the task (Flink's InputChannelInfo, flattened over the input gates). */
export type ChannelIndex = number;

/** Flink's CheckpointingMode: EXACTLY_ONCE aligns (blocks channels), AT_LEAST_ONCE only tracks. */
export type CheckpointingMode = 'exactly-once' | 'at-least-once';

/**
 * Flink's CheckpointBarrier: a checkpoint's id, its start (the coordinator's trigger timestamp, which the
 * aligned-checkpoint timeout is measured from) and the options it is taken with.
 */
export interface CheckpointBarrier {
  readonly checkpointId: CheckpointId;
  readonly timestamp: number;
  readonly options: CheckpointOptions;
}

/**
 * One element read from one input channel (Flink's BufferOrEvent, reduced to what the handler needs), or
 * the task's clock moving on. A barrier or announcement without `options` is an aligned checkpoint
 * (`{ checkpointType: 'CHECKPOINT' }`), without `timestamp` one started at 0: what every barrier was before
 * unaligned checkpoints, so older callers and sequences read the same.
 */
export type BarrierHandlerInput =
  | { readonly kind: 'data'; readonly channel: ChannelIndex }
  | {
      readonly kind: 'barrier';
      readonly channel: ChannelIndex;
      readonly checkpointId: CheckpointId;
      readonly options?: CheckpointOptions;
      readonly timestamp?: number;
    }
  | { readonly kind: 'cancellation-marker'; readonly channel: ChannelIndex; readonly checkpointId: CheckpointId }
  | { readonly kind: 'end-of-partition'; readonly channel: ChannelIndex }
  /**
   * Flink's EventAnnouncement of an aligned-with-timeout barrier: a priority event the channel delivers
   * ahead of the data queued before the barrier, so the timer can start before the barrier is read.
   */
  | {
      readonly kind: 'announcement';
      readonly channel: ChannelIndex;
      readonly checkpointId: CheckpointId;
      readonly options?: CheckpointOptions;
      readonly timestamp?: number;
    }
  /**
   * The task's clock reads `toMs` (ms, never less than before; the handler's clock starts at 0). A timer
   * that is due (its time <= toMs) fires. Feed it whenever the clock moved: at least when
   * `nextTimerMs()` is due, and before a barrier, so a timed-out alignment is seen (Flink's isTimedOut).
   */
  | { readonly kind: 'advance-time'; readonly toMs: number };

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

/** A checkpoint the task snapshots now, with the options it is taken with (Flink's notifyCheckpoint). */
export type TriggeredCheckpoint = CheckpointBarrier;

/** A barrier the task must move to the head of its input channel (Flink's convertToPriorityEvent). */
export interface PrioritizedBarrier {
  readonly channel: ChannelIndex;
  readonly checkpointId: CheckpointId;
}

/**
 * What one input (or one `abort`) caused. Lists are in the order things happened. The first four fields
 * are the aligned handler's; the four unaligned checkpoints added are accessors (read them by name; a
 * spread copy has only the first four), so an aligned outcome still equals its four-field literal.
 */
export interface BarrierHandlerOutcome {
  /** The first barrier of this checkpoint arrived with this input: alignment starts (Flink's markAlignmentStart). */
  readonly started: CheckpointId | null;
  /** Checkpoints the task snapshots now: it snapshots its state and forwards the barrier (ids of `triggers`). */
  readonly triggered: readonly CheckpointId[];
  /** Checkpoints the task declines: it reports the reason and sends a cancellation marker downstream. */
  readonly aborted: readonly AbortedCheckpoint[];
  /** Channels blocked after this input, ascending. Always empty in at-least-once mode. */
  readonly blocked: readonly ChannelIndex[];
  /**
   * Per triggered checkpoint (same order as `triggered`), the barrier it is taken with: options UNALIGNED
   * when it is unaligned (from the start, switched by a timeout, or by an upstream that timed out).
   */
  readonly triggers: readonly TriggeredCheckpoint[];
  /**
   * For a `data` input: the unaligned checkpoint whose input channel state this buffer is part of (read
   * after that checkpoint was triggered and before its barrier on this channel), else null. The task
   * processes the buffer as usual and also copies it into that checkpoint's channel state.
   */
  readonly captured: CheckpointId | null;
  /**
   * Barriers the task must move to the head of their input channel now, ahead of the data queued before
   * them (an announced barrier whose alignment timed out). The buffers a barrier overtakes are channel
   * state of its checkpoint, which the task captures when it moves the barrier.
   */
  readonly prioritized: readonly PrioritizedBarrier[];
  /**
   * Unaligned checkpoints whose input channel state is now final: every channel delivered its barrier or
   * ended, or the checkpoint was aborted or subsumed (then it is in `aborted` too, and its channel state
   * is discarded, not written). Flink's getAllBarriersReceivedFuture completing.
   */
  readonly inputCaptureFinished: readonly CheckpointId[];
}

/** Flink's BarrierHandlerState classes, plus the at-least-once tracker, which has no states. */
export type BarrierHandlerKind =
  | 'WaitingForFirstBarrier'
  | 'CollectingBarriers'
  | 'AlternatingWaitingForFirstBarrier'
  | 'AlternatingCollectingBarriers'
  | 'AlternatingWaitingForFirstBarrierUnaligned'
  | 'AlternatingCollectingBarriersUnaligned'
  | 'CheckpointBarrierTracker';

export interface CheckpointBarrierHandler {
  /** The current state's name, for the UI and for tests. */
  readonly kind: BarrierHandlerKind;
  readonly mode: CheckpointingMode;
  readonly numberOfChannels: number;
  /** Highest checkpoint id seen so far (barrier, cancellation marker, abort; announcement but in the tracker); -1 before any. */
  readonly latestCheckpointId: CheckpointId;
  /**
   * Feeds one element read from a channel, or the clock moving on. Throws (and changes nothing) for
   * inputs a task cannot produce: a channel out of range, anything after a channel's end of partition,
   * any read from a blocked channel but its end of partition, time going back.
   */
  process(input: BarrierHandlerInput): BarrierHandlerOutcome;
  /**
   * When the alignment timer is due (ms on the clock `advance-time` moves), or null when none is set:
   * the task feeds `{ kind: 'advance-time', toMs }` once its clock reaches it. Never earlier than the
   * handler's clock.
   */
  nextTimerMs(): number | null;
  /** The task failed or declined checkpoint `checkpointId` itself (e.g. its snapshot failed). */
  abort(checkpointId: CheckpointId, reason: CheckpointAbortReason): BarrierHandlerOutcome;
  isBlocked(channel: ChannelIndex): boolean;
  blockedChannels(): ChannelIndex[];
  /** Channels that have not yet delivered their end of partition, ascending. */
  openChannels(): ChannelIndex[];
  /**
   * Checkpoints started (a barrier, or in exactly-once mode an announcement) whose alignment is not over,
   * oldest first (Flink's isCheckpointPending).
   */
  pendingCheckpointIds(): CheckpointId[];
}

export interface BarrierHandlerOptions {
  /**
   * Flink's `execution.checkpointing.checkpoints-after-tasks-finish.enabled` (FLIP-147, on by default
   * since 1.15). On: an ended channel counts as aligned for the pending checkpoint. Off: end of
   * partition aborts pending checkpoints with CHECKPOINT_DECLINED_INPUT_END_OF_STREAM.
   */
  readonly checkpointsAfterTasksFinish?: boolean;
  /**
   * Flink's `execution.checkpointing.unaligned.enabled` (exactly-once only). On: the exactly-once handler
   * is `SingleCheckpointBarrierHandler.alternating` — each barrier's options say whether its checkpoint
   * is aligned, unaligned, or aligned with a timeout — instead of `aligned`. With at-least-once it throws.
   */
  readonly unalignedEnabled?: boolean;
}
