// A state of the aligned barrier protocol (Flink's BarrierHandlerState, reduced to checkpoint ids): each
// event method returns the next state; an event the protocol cannot produce in this state throws. States
// see only the narrow Controller below and their ChannelState, never the handler's bookkeeping. The
// alternating states use the full interface (barrier-state.ts); aligned-state-adapter.ts bridges the two.
import type { ChannelIndex, CheckpointId } from './types';

/**
 * Flink's BarrierHandlerState.Controller, as the aligned states use it: how a state asks the handler
 * about the alignment in progress and tells it to trigger (barrier-state.ts has the full one).
 */
export interface BarrierHandlerController {
  /** Every open channel has delivered the pending checkpoint's barrier (or ended, see FLIP-147). */
  allBarriersReceived(): boolean;
  /** Flink's getPendingCheckpointBarrier: the checkpoint being aligned, or null. */
  pendingCheckpointId(): CheckpointId | null;
  /** Flink's triggerGlobalCheckpoint: the task snapshots its state and forwards the barrier. */
  triggerGlobalCheckpoint(checkpointId: CheckpointId): void;
}

export type AlignedStateKind = 'WaitingForFirstBarrier' | 'CollectingBarriers';

export interface BarrierHandlerState {
  readonly kind: AlignedStateKind;
  /** A barrier of the pending checkpoint arrived on `channel`. */
  barrierReceived(controller: BarrierHandlerController, channel: ChannelIndex, checkpointId: CheckpointId): BarrierHandlerState;
  /** `channel` ended while a checkpoint is pending (only with checkpoints after tasks finish). */
  endOfPartitionReceived(controller: BarrierHandlerController, channel: ChannelIndex): BarrierHandlerState;
  /** The pending checkpoint (or a newer one) was cancelled: unblock everything. */
  abort(checkpointId: CheckpointId): BarrierHandlerState;
}
