// A task's way to FINISHED once its input ended, with checkpoints after tasks finish (FLIP-147), as Flink's
// StreamTask keeps it: endData finishes the operators and sets endOfDataReceived; the first checkpoint
// performed after that is finalCheckpointMinId; its completion (or a later one's) completes
// finalCheckpointCompleted, and only then does the task close its operators and end FINISHED.
//
// One addition: the coordinator triggers a task with network inputs once none of its producers still sends
// (checkpoint-plan.ts), which may reach it before the ends of partition and the records ahead of them. Such a
// trigger waits here until the input has ended — as if its barrier came last on every channel, where Flink's
// triggerUnfinishedChannelsCheckpoint puts it — and is then performed after the operators finished.
import type { CheckpointId } from '../ids';
import type { TaskMessage } from './messages';

export type TriggerCheckpointMessage = Extract<TaskMessage, { type: 'trigger-checkpoint' }>;

export class FinalCheckpoint {
  #endOfData = false;
  #finalCheckpointMinId: CheckpointId | null = null;
  readonly #waitingTriggers: TriggerCheckpointMessage[] = [];

  /** Flink's endOfDataReceived (and finishedOperators): the input ended and the operators finished. */
  get endOfData(): boolean {
    return this.#endOfData;
  }

  /** The first checkpoint performed after end of data, once there is one (Flink's finalCheckpointMinId). */
  get finalCheckpointId(): CheckpointId | null {
    return this.#finalCheckpointMinId;
  }

  /** Flink's StreamTask#endData. Returns the triggers that waited for it, in the order they came. */
  markEndOfData(): TriggerCheckpointMessage[] {
    this.#endOfData = true;
    return this.#waitingTriggers.splice(0);
  }

  /** Flink's performCheckpoint: the first checkpoint after end of data is the final one. */
  performing(checkpointId: CheckpointId): void {
    if (this.#endOfData && this.#finalCheckpointMinId === null) this.#finalCheckpointMinId = checkpointId;
  }

  /** Flink's notifyCheckpointComplete: a completion at or after the final checkpoint lets the task finish. */
  completes(checkpointId: CheckpointId): boolean {
    return this.#finalCheckpointMinId !== null && checkpointId >= this.#finalCheckpointMinId;
  }

  /** A trigger that came before the input ended: performed once it has (see the module's note). */
  waitForEndOfInput(trigger: TriggerCheckpointMessage): void {
    this.#waitingTriggers.push(trigger);
  }

  /** An aborted checkpoint is no longer performed (Flink skips a checkpoint aborted before it is triggered). */
  aborted(checkpointId: CheckpointId): void {
    const index = this.#waitingTriggers.findIndex((trigger) => trigger.checkpointId === checkpointId);
    if (index >= 0) this.#waitingTriggers.splice(index, 1);
  }
}
