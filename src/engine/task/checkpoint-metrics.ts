// A subtask's checkpoint figures as the task gathers them before the snapshot (alignment) and as its
// acknowledgement event carries them: the very numbers the coordinator receives.
import type { AcknowledgementMetrics } from '../events';
import type { SubtaskCheckpointMetrics } from '../checkpoint/task-state';

export interface AlignmentMetrics {
  readonly startDelayMs: number;
  readonly alignmentDurationMs: number;
  readonly processedDataBytes: number;
  readonly alignmentBufferedBytes: number;
}

/** The acknowledgement's metrics as its event carries them: the very figures the coordinator receives. */
export function acknowledgementMetricsOf(metrics: SubtaskCheckpointMetrics): AcknowledgementMetrics {
  return {
    syncDurationMs: metrics.syncDurationMs,
    asyncDurationMs: metrics.asyncDurationMs,
    alignmentDurationMs: metrics.alignmentDurationMs,
    startDelayMs: metrics.startDelayMs,
    checkpointedSizeBytes: metrics.checkpointedSizeBytes,
    stateSizeBytes: metrics.stateSizeBytes,
    processedDataBytes: metrics.processedDataBytes,
    persistedDataBytes: metrics.persistedDataBytes,
    unaligned: metrics.unalignedCheckpoint,
  };
}
