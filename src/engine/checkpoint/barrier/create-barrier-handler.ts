// Picks the barrier handler for a checkpointing mode, as Flink's InputProcessorUtil does:
// EXACTLY_ONCE gets aligned SingleCheckpointBarrierHandler, AT_LEAST_ONCE the CheckpointBarrierTracker.
import { CheckpointBarrierTracker } from './checkpoint-barrier-tracker';
import { SingleCheckpointBarrierHandler } from './single-checkpoint-barrier-handler';
import type { BarrierHandlerOptions, CheckpointBarrierHandler, CheckpointingMode } from './types';

export function createBarrierHandler(
  mode: CheckpointingMode,
  numberOfChannels: number,
  options: BarrierHandlerOptions = {},
): CheckpointBarrierHandler {
  const checkpointsAfterTasksFinish = options.checkpointsAfterTasksFinish ?? true;
  switch (mode) {
    case 'exactly-once':
      return new SingleCheckpointBarrierHandler(numberOfChannels, checkpointsAfterTasksFinish);
    case 'at-least-once':
      return new CheckpointBarrierTracker(numberOfChannels, checkpointsAfterTasksFinish);
  }
}
