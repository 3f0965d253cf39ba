// A state of the exactly-once barrier protocol as Flink's BarrierHandlerState has it since unaligned
// checkpoints: barriers carry their options, announcements arrive ahead of barriers, and the alignment
// can time out. Each event method returns the next state. The aligned states keep their narrower
// interface (barrier-handler-state.ts) and are driven through aligned-state-adapter.ts.
import type { BarrierHandlerKind, ChannelIndex, CheckpointBarrier, CheckpointId } from './types';
import type { ChannelState } from './channel-state';

/** Flink's BarrierHandlerState.Controller (initInputsCheckpoint left out: the task starts its channel-state writer on `triggers`). */
export interface BarrierStateController {
  /** Every open channel delivered the pending checkpoint's barrier or ended. */
  allBarriersReceived(): boolean;
  /** Flink's getPendingCheckpointBarrier: the barrier (or announcement) that started the pending checkpoint. */
  pendingCheckpointBarrier(): CheckpointBarrier | null;
  /** Flink's triggerGlobalCheckpoint: the task snapshots with this barrier's options and forwards it. */
  triggerGlobalCheckpoint(barrier: CheckpointBarrier): void;
  /** Flink's isTimedOut: a timeoutable barrier of the current checkpoint whose timeout has passed since its timestamp. */
  isTimedOut(barrier: CheckpointBarrier): boolean;
}

export type BarrierStateKind = Exclude<BarrierHandlerKind, 'CheckpointBarrierTracker'>;

export interface BarrierState {
  readonly kind: BarrierStateKind;
  /** The alignment timer of the pending checkpoint fired (or a barrier arrived already unaligned). */
  alignedCheckpointTimeout(controller: BarrierStateController, barrier: CheckpointBarrier): BarrierState;
  /** An announcement of the pending checkpoint's barrier arrived on `channel`. */
  announcementReceived(controller: BarrierStateController, channel: ChannelIndex, checkpointId: CheckpointId): BarrierState;
  /** A barrier of the pending checkpoint arrived on `channel` (never RPC-triggered here, so it always marks its channel). */
  barrierReceived(controller: BarrierStateController, channel: ChannelIndex, barrier: CheckpointBarrier): BarrierState;
  /** The pending checkpoint (or a newer one) was cancelled. */
  abort(checkpointId: CheckpointId): BarrierState;
  /** `channel` ended while a checkpoint is pending (only with checkpoints after tasks finish). */
  endOfPartitionReceived(controller: BarrierStateController, channel: ChannelIndex): BarrierState;
}

/**
 * Makes the alternating states, so each state module imports none of the others (in Flink they
 * construct each other directly). alternating-state-factory.ts implements it.
 */
export interface AlternatingStates {
  waitingForFirstBarrier(state: ChannelState): BarrierState;
  collectingBarriers(state: ChannelState): BarrierState;
  waitingForFirstBarrierUnaligned(state: ChannelState): BarrierState;
  collectingBarriersUnaligned(state: ChannelState): BarrierState;
}
