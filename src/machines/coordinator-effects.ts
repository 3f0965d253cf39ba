// The checkpoint coordinator's effect ports as long-lived callback actors the machine invokes at its root:
// `events` (the EventSink), `gateway` (the job master) and `storage` (discarding a checkpoint's blobs). Each
// carries out a command the moment it receives it, in the order received; none reads time or keeps state.
//
// The machine hands a command over with `tellPort`, at once, from an action enqueued for it, not with
// `sendTo`: XState v5 defers a `sendTo` to the end of the macrostep (its executeSendTo is `actorScope.defer`),
// after the delayed transitions and spawned children that later microsteps of the same macrostep schedule on
// the clock. The deterministic scheduler breaks ties by the order things were scheduled, so a deferred
// trigger would land behind a timer it used to precede and change a run's log (coordinator-effects.test.ts
// pins both orders). Handed over at once, every effect happens where it always did, only inside an actor.
import { fromCallback, type AnyActorRef } from 'xstate';
import type { CheckpointId, JobId, TaskId } from '../engine/ids';
import type { EngineEvent, EventSink } from '../engine/events';
import type { CheckpointStorage } from '../engine/ports/checkpoint-storage';
import type { CheckpointType } from '../engine/task/messages';
import type { CheckpointPlan } from '../engine/checkpoint/checkpoint-plan';

/** What the coordinator asks of the job master. */
export interface CoordinatorGateway {
  /** All tasks are RUNNING: a stop-with-savepoint may start (and the reason a refused one names). */
  allTasksRunning(): boolean;
  /**
   * Flink's CheckpointPlanCalculator over the job's tasks now: which to trigger, wait for and commit to, which
   * finished (FLIP-147). Null when a task is neither running nor finished (NOT_ALL_REQUIRED_TASKS_RUNNING).
   */
  calculateCheckpointPlan(): CheckpointPlan | null;
  /** Sends the trigger to `tasks` (the plan's tasks to trigger: the sources while every task runs). */
  triggerCheckpoint(checkpointId: CheckpointId, timestamp: number, checkpointType: CheckpointType, tasks: readonly TaskId[]): void;
  notifyCheckpointComplete(checkpointId: CheckpointId): void;
  notifyCheckpointAborted(checkpointId: CheckpointId): void;
  failJob(cause: string): void;
}

export type EventsCommand = { type: 'EMIT'; event: EngineEvent };

/** The gateway's commands; its two queries (allTasksRunning, calculateCheckpointPlan) are read, not commanded. */
export type GatewayCommand =
  | { type: 'TRIGGER_CHECKPOINT'; checkpointId: CheckpointId; timestamp: number; checkpointType: CheckpointType; tasks: readonly TaskId[] }
  | { type: 'NOTIFY_CHECKPOINT_COMPLETE'; checkpointId: CheckpointId }
  | { type: 'NOTIFY_CHECKPOINT_ABORTED'; checkpointId: CheckpointId }
  | { type: 'FAIL_JOB'; cause: string };

/** Deletes a checkpoint's blobs but `keep`; nobody waits for it (as Flink's asynchronous discard). */
export type StorageCommand = { type: 'DISCARD'; jobId: JobId; checkpointId: CheckpointId; keep: ReadonlySet<string> };

export type CoordinatorCommand = EventsCommand | GatewayCommand | StorageCommand;

export type CoordinatorPort = 'events' | 'gateway' | 'storage';

const PORT_OF: Readonly<Record<CoordinatorCommand['type'], CoordinatorPort>> = {
  EMIT: 'events',
  TRIGGER_CHECKPOINT: 'gateway',
  NOTIFY_CHECKPOINT_COMPLETE: 'gateway',
  NOTIFY_CHECKPOINT_ABORTED: 'gateway',
  FAIL_JOB: 'gateway',
  DISCARD: 'storage',
};

/** Its input is wrapped: XState would take a bare function for an input mapper and call it. */
export const eventsPort = fromCallback<EventsCommand, { emit: EventSink }>(({ input, receive }) => {
  receive((command) => input.emit(command.event));
});

export const gatewayPort = fromCallback<GatewayCommand, CoordinatorGateway>(({ input: gateway, receive }) => {
  receive((command) => {
    switch (command.type) {
      case 'TRIGGER_CHECKPOINT':
        return gateway.triggerCheckpoint(command.checkpointId, command.timestamp, command.checkpointType, command.tasks);
      case 'NOTIFY_CHECKPOINT_COMPLETE':
        return gateway.notifyCheckpointComplete(command.checkpointId);
      case 'NOTIFY_CHECKPOINT_ABORTED':
        return gateway.notifyCheckpointAborted(command.checkpointId);
      case 'FAIL_JOB':
        return gateway.failJob(command.cause);
    }
  });
});

export const storagePort = fromCallback<StorageCommand, Pick<CheckpointStorage, 'discard'>>(({ input: storage, receive }) => {
  receive((command) => storage.discard(command.jobId, command.checkpointId, command.keep, () => {}));
});

/** Hands the command to its port, which carries it out before this returns. */
export function tellPort(self: AnyActorRef, command: CoordinatorCommand): void {
  const port = PORT_OF[command.type];
  const actor = (self.getSnapshot() as { children: Partial<Record<string, AnyActorRef>> }).children[port];
  // The ports live as long as the coordinator: a missing one is a bug, not a command to drop.
  if (actor?.getSnapshot().status !== 'active') throw new Error(`The coordinator's ${port} port is not running (${command.type})`);
  actor.send(command);
}
