// Picks the barrier handler for a checkpointing mode, as Flink's InputProcessorUtil does: EXACTLY_ONCE
// gets SingleCheckpointBarrierHandler, `alternating` when unaligned checkpoints are enabled and `aligned`
// otherwise; AT_LEAST_ONCE the CheckpointBarrierTracker.
import { CheckpointBarrierTracker } from './checkpoint-barrier-tracker';
import { SingleCheckpointBarrierHandler } from './single-checkpoint-barrier-handler';
import type { BarrierHandlerOptions, CheckpointBarrierHandler, CheckpointingMode } from './types';

export function createBarrierHandler(
  mode: CheckpointingMode,
  numberOfChannels: number,
  options: BarrierHandlerOptions = {},
): CheckpointBarrierHandler {
  const checkpointsAfterTasksFinish = options.checkpointsAfterTasksFinish ?? true;
  const unalignedEnabled = options.unalignedEnabled ?? false;
  switch (mode) {
    case 'exactly-once':
      return new SingleCheckpointBarrierHandler(numberOfChannels, checkpointsAfterTasksFinish, unalignedEnabled);
    case 'at-least-once':
      // InputProcessorUtil.createCheckpointBarrierHandler refuses the combination.
      if (unalignedEnabled) throw new Error('Cannot use unaligned checkpoints with AT_LEAST_ONCE checkpointing mode');
      return new CheckpointBarrierTracker(numberOfChannels, checkpointsAfterTasksFinish);
  }
}
