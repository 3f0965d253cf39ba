// The operator contract a Task drives, after Flink's StreamOperator: open after state restore,
// one element at a time, snapshot hooks around the barrier, checkpoint notifications, end of input.
import type { CheckpointId } from '../ids';
import type { Collector } from '../graph/functions';
import type { OperatorContext } from './runtime-context';

export type Output = Collector<unknown>;

export interface StreamOperator {
  /** State backends are restored before this is called; `context.isRestored` says whether state came from a checkpoint. */
  open(context: OperatorContext): void;
  processElement(value: unknown, out: Output): void;
  /** Before the barrier is forwarded (Flink: prepareSnapshotPreBarrier; Sink V2 flushes and prepares commits here). */
  prepareSnapshotPreBarrier(checkpointId: CheckpointId, out: Output): void;
  /** Synchronous part of the snapshot: write what must be checkpointed into the state backends. */
  snapshotState(checkpointId: CheckpointId): void;
  notifyCheckpointComplete(checkpointId: CheckpointId): void;
  notifyCheckpointAborted(checkpointId: CheckpointId): void;
  /** All inputs ended. */
  endInput(out: Output): void;
  /** The task is cancelled or failed: release what is open (Flink's StreamOperator#close; a 2PC sink aborts its open transaction). */
  close(): void;
}

/** Sensible no-op defaults so each operator only says what it does. */
export abstract class AbstractStreamOperator implements StreamOperator {
  protected context!: OperatorContext;

  open(context: OperatorContext): void {
    this.context = context;
  }

  abstract processElement(value: unknown, out: Output): void;
  prepareSnapshotPreBarrier(_checkpointId: CheckpointId, _out: Output): void {}
  snapshotState(_checkpointId: CheckpointId): void {}
  notifyCheckpointComplete(_checkpointId: CheckpointId): void {}
  notifyCheckpointAborted(_checkpointId: CheckpointId): void {}
  endInput(_out: Output): void {}
  close(): void {}
}

/** Sources are driven by the task rather than by input: emit what is due, say when more will be. */
export type SourceStatus =
  | { readonly kind: 'more-available' }
  | { readonly kind: 'nothing-until'; readonly timeMs: number }
  | { readonly kind: 'idle' }
  | { readonly kind: 'end-of-input' };

export interface SourceOperator extends StreamOperator {
  readonly isSource: true;
  /** Emit up to `budget` records that are due by the clock's now. */
  emitNext(out: Output, budget: number): SourceStatus;
  /** For task samples: each partition this reader owns and the next offset it reads (a source with partitions). */
  readPositions?(): ReadonlyArray<{ readonly partition: number; readonly offset: number }>;
}

export function isSourceOperator(operator: StreamOperator): operator is SourceOperator {
  return (operator as Partial<SourceOperator>).isSource === true;
}
