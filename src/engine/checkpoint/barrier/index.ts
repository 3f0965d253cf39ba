// Public surface of the barrier handler: the factory, both handlers, the sequence notation and types.
// Everything here is pure and synchronous: one input in, one outcome out.
export { createBarrierHandler } from './create-barrier-handler';
export { SingleCheckpointBarrierHandler } from './single-checkpoint-barrier-handler';
export { CheckpointBarrierTracker, MAX_CHECKPOINTS_TO_TRACK } from './checkpoint-barrier-tracker';
export {
  formatBarrierInput,
  formatBarrierSequence,
  parseBarrierSequence,
  replayBarrierSequence,
  signedNotifications,
  type ReplayEvent,
  type ReplayResult,
} from './barrier-sequence';
export type {
  AbortedCheckpoint,
  BarrierHandlerInput,
  BarrierHandlerKind,
  BarrierHandlerOptions,
  BarrierHandlerOutcome,
  ChannelIndex,
  CheckpointAbortReason,
  CheckpointBarrierHandler,
  CheckpointId,
  CheckpointingMode,
} from './types';
