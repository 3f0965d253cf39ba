// Public surface of the barrier handler: the factory, both handlers, the sequence notation and types.
// Everything here is pure and synchronous: one input in, one outcome out.
export { createBarrierHandler } from './create-barrier-handler';
export { SingleCheckpointBarrierHandler } from './single-checkpoint-barrier-handler';
export { CheckpointBarrierTracker, MAX_CHECKPOINTS_TO_TRACK } from './checkpoint-barrier-tracker';
export {
  checkpointOptionsForConfig,
  DEFAULT_CHECKPOINT_OPTIONS,
  isTimeoutable,
  isUnalignedCheckpoint,
} from './checkpoint-options';
export {
  formatBarrierFields,
  formatBarrierInput,
  formatBarrierSequence,
  formatReplayEvents,
  parseBarrierSequence,
  replayBarrierSequence,
  signedNotifications,
  type CapturedBuffer,
  type ReplayEvent,
  type ReplayResult,
} from './barrier-sequence';
export type {
  AbortedCheckpoint,
  AlignmentType,
  CheckpointBarrier,
  CheckpointOptions,
  PrioritizedBarrier,
  TriggeredCheckpoint,
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
