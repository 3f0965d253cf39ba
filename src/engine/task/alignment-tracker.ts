// Per-checkpoint alignment bookkeeping of one task, for Flink's statistics: when the first barrier came
// (start_delay from the barrier's creation), how long alignment took (first to last barrier), and the
// bytes processed meanwhile (processed_data). Bounded: an entry ends when its checkpoint triggers or
// aborts, and older ones with it (the at-least-once tracker drops superseded checkpoints silently).
import type { CheckpointId } from '../ids';
import type { CheckpointOptions } from './messages';

interface AlignmentInProgress {
  readonly firstBarrierTime: number;
  readonly barrierTimestamp: number;
  readonly options: CheckpointOptions;
  processedBytes: number;
}

export interface FinishedAlignment {
  readonly barrierTimestamp: number;
  readonly options: CheckpointOptions;
  readonly startDelayMs: number;
  readonly alignmentDurationMs: number;
  readonly processedDataBytes: number;
}

export class AlignmentTracker {
  readonly #alignments = new Map<CheckpointId, AlignmentInProgress>();

  /** A barrier arrived; the first one of a checkpoint newer than any seen starts its alignment. */
  barrierReceived(checkpointId: CheckpointId, latestSeen: CheckpointId, now: number, barrierTimestamp: number, options: CheckpointOptions): void {
    if (this.#alignments.has(checkpointId) || checkpointId <= latestSeen) return;
    this.#alignments.set(checkpointId, { firstBarrierTime: now, barrierTimestamp, options, processedBytes: 0 });
  }

  dataProcessed(bytes: number): void {
    for (const alignment of this.#alignments.values()) alignment.processedBytes += bytes;
  }

  aborted(checkpointId: CheckpointId): void {
    this.#alignments.delete(checkpointId);
  }

  /** The checkpoint triggered: its figures, and the end of it and of every older alignment. */
  triggered(checkpointId: CheckpointId, now: number): FinishedAlignment {
    const alignment = this.#alignments.get(checkpointId);
    for (const older of this.#alignments.keys()) if (older <= checkpointId) this.#alignments.delete(older);
    if (!alignment) throw new Error(`Checkpoint ${checkpointId} triggered without a barrier`);
    return {
      barrierTimestamp: alignment.barrierTimestamp,
      options: alignment.options,
      startDelayMs: Math.max(0, alignment.firstBarrierTime - alignment.barrierTimestamp),
      alignmentDurationMs: now - alignment.firstBarrierTime,
      processedDataBytes: alignment.processedBytes,
    };
  }
}
