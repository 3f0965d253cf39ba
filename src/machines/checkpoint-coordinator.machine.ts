// The checkpoint coordinator (Flink's CheckpointCoordinator) as an XState machine: it owns the
// lifecycle — periodic triggering with interval, min pause and max concurrent; completion, abort and
// suspension. Each checkpoint is a machine of its own (./pending-checkpoint.machine.ts), spawned at trigger:
// it collects the acknowledgements, writes the metadata (an invoked actor) and expires on its own timer,
// then reports CHECKPOINT_COMPLETED or CHECKPOINT_FAILED here. Bookkeeping stays in engine classes
// (PendingCheckpoint, CompletedCheckpointStore, CheckpointFailureManager). Statistics are not kept here:
// CheckpointStatsFold computes them from the events this machine emits (and the tasks' acknowledgements).
// Stop-with-savepoint (Flink's `flink stop`) is a state of its own: periodic checkpoints stop, one synchronous
// savepoint is taken and committed; if it fails, periodic checkpointing resumes and the job goes on.
//
// Effects live in actors, not actions: the job master's gateway, the event sink and the storage's discards are
// long-lived callback actors invoked at the root (./coordinator-effects.ts). Actions assign context, keep the
// engine's bookkeeping objects and send messages: to the checkpoints' machines with `sendTo`, to the ports with
// an enqueued action per command (tellerOf → tellPort) that hands it over when it runs, not with `sendTo` (which
// XState v5 defers to the end of the macrostep, behind the timers the macrostep schedules — the module explains),
// so every effect still happens in the order and at the moment it did. Time comes through the actor's clock.
import { assign, enqueueActions, setup, type AnyActorRef } from 'xstate';
import type { CheckpointingConfiguration } from '../engine/config';
import type { CheckpointStorage } from '../engine/ports/checkpoint-storage';
import type { Clock } from '../engine/ports/clock';
import type { CheckpointId, JobId, TaskId } from '../engine/ids';
import type { EngineEvent, EventSink } from '../engine/events';
import { PendingCheckpoint, type OperatorLayout } from '../engine/checkpoint/pending-checkpoint';
import type { CompletedCheckpointStore } from '../engine/checkpoint/completed-checkpoint-store';
import { CheckpointFailureManager } from '../engine/checkpoint/checkpoint-failure-manager';
import type { SubtaskCheckpointMetrics, TaskStateSnapshot } from '../engine/checkpoint/task-state';
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import { SharedStateRegistry } from '../engine/checkpoint/shared-state-registry';
import { sourceOffsetsInCheckpoint } from '../engine/checkpoint/source-offsets';
import type { CheckpointType } from '../engine/task/messages';
import { pendingCheckpointMachine, type PendingCheckpointOutcome } from './pending-checkpoint.machine';
import { eventsPort, gatewayPort, storagePort, tellPort, type CoordinatorCommand, type CoordinatorGateway } from './coordinator-effects';

export type { CoordinatorGateway } from './coordinator-effects';

export interface CheckpointCoordinatorInput {
  readonly jobId: JobId;
  readonly config: CheckpointingConfiguration;
  readonly clock: Clock;
  readonly gateway: CoordinatorGateway;
  readonly storage: CheckpointStorage;
  readonly store: CompletedCheckpointStore;
  readonly operators: readonly OperatorLayout[];
  readonly emit: EventSink;
  /** Flink's `external_path` of a completed checkpoint, carried by `checkpoint-completed`. */
  readonly externalPathOf?: (checkpointId: CheckpointId) => string;
  /** Continue numbering after a restored checkpoint (ids are never reused). */
  readonly firstCheckpointId?: CheckpointId;
}

/**
 * Where a stop-with-savepoint stands (Flink's StopWithSavepointTerminationManager): its synchronous savepoint
 * pending, completed (the tasks were notified and finish), or failed with the reason (the job goes on).
 */
export type StopWithSavepointProgress =
  | { readonly status: 'PENDING'; readonly checkpointId: CheckpointId }
  | { readonly status: 'COMPLETED'; readonly checkpointId: CheckpointId; readonly savepoint: CheckpointMetadata }
  | { readonly status: 'FAILED'; readonly checkpointId: CheckpointId | null; readonly reason: string };

export type CheckpointCoordinatorEvent =
  | { type: 'START' }
  | { type: 'STOP'; reason: string }
  /** The job reached a terminal status; `discardCheckpoints` per execution.checkpointing.externalized-checkpoint-retention. */
  | { type: 'SHUTDOWN'; discardCheckpoints: boolean }
  | { type: 'TRIGGER_SAVEPOINT' }
  /** A checkpoint by request (Flink's `POST /jobs/:id/checkpoints`): waits for a slot under max-concurrent, ignores min pause. */
  | { type: 'TRIGGER_CHECKPOINT' }
  /** Flink's stop-with-savepoint without --drain: suspend periodic checkpoints, take a synchronous savepoint. */
  | { type: 'STOP_WITH_SAVEPOINT' }
  | { type: 'ACKNOWLEDGE'; taskId: TaskId; checkpointId: CheckpointId; state: TaskStateSnapshot; metrics: SubtaskCheckpointMetrics }
  | { type: 'DECLINE'; taskId: TaskId; checkpointId: CheckpointId; reason: string; message: string }
  /** A task reached end of data: its input ended, its operators finished, its output partitions ended (FLIP-147). */
  | { type: 'TASK_END_OF_DATA'; taskId: TaskId }
  /** From a spawned checkpoint machine: it completed (metadata written) or failed (aborted, expired). */
  | PendingCheckpointOutcome
  | { type: 'PENDING_FINISHED' };

interface CoordinatorContext extends CheckpointCoordinatorInput {
  readonly pending: Map<CheckpointId, PendingCheckpoint>;
  /** References of retained checkpoints and savepoints to their blobs: what discarding may delete. */
  readonly registry: SharedStateRegistry;
  readonly failureManager: CheckpointFailureManager;
  nextCheckpointId: CheckpointId;
  lastTriggerTime: number | null;
  lastCompletionTime: number | null;
  stopWithSavepoint: StopWithSavepointProgress | null;
  /** A requested checkpoint waits for a slot (Flink's CheckpointRequestDecider queues it before periodic ones). */
  checkpointRequested: boolean;
}

/** The spawned checkpoint machine's id among the coordinator's children. */
export const checkpointActorId = (checkpointId: CheckpointId) => `checkpoint-${checkpointId}`;

export const checkpointCoordinatorMachine = setup({
  types: {
    input: {} as CheckpointCoordinatorInput,
    context: {} as CoordinatorContext,
    events: {} as CheckpointCoordinatorEvent,
  },
  actors: { pendingCheckpoint: pendingCheckpointMachine, events: eventsPort, gateway: gatewayPort, storage: storagePort },
  delays: {
    /** Flink: the periodic interval, but never sooner than min-pause after the last completion. */
    untilNextTrigger: ({ context }) => {
      const now = context.clock.now();
      const interval = context.config.intervalMs ?? 0;
      const byInterval = context.lastTriggerTime === null ? interval : context.lastTriggerTime + interval - now;
      const byPause = context.lastCompletionTime === null ? 0 : context.lastCompletionTime + context.config.minPauseMs - now;
      return Math.max(0, byInterval, byPause);
    },
  },
  guards: {
    periodicCheckpointingEnabled: ({ context }) => context.config.intervalMs !== null,
    allTasksRunning: ({ context }) => context.gateway.allTasksRunning(),
    stopFailed: ({ context }) => context.stopWithSavepoint?.status === 'FAILED',
    tooManyPending: ({ context }) => tooManyPending(context),
  },
  actions: {
    triggerCheckpoint: enqueueActions(({ context, enqueue, event }) => {
      const checkpointType: CheckpointType = event.type === 'STOP_WITH_SAVEPOINT' ? 'SYNC_SAVEPOINT' : event.type === 'TRIGGER_SAVEPOINT' ? 'SAVEPOINT' : 'CHECKPOINT';
      const isSavepoint = checkpointType !== 'CHECKPOINT';
      const isSynchronous = checkpointType === 'SYNC_SAVEPOINT';
      const requested = event.type === 'TRIGGER_CHECKPOINT';
      const now = context.clock.now();
      // Only periodic triggers move the period on; a requested checkpoint leaves the schedule as it is.
      if (!isSavepoint && !requested) enqueue.assign({ lastTriggerTime: now });
      // Flink's CheckpointPlanCalculator. NOT_ALL_REQUIRED_TASKS_RUNNING: skipped until the next period, not
      // counted as a failure (as Flink).
      const plan = context.gateway.calculateCheckpointPlan();
      if (plan === null) return;
      const checkpointId = context.nextCheckpointId;
      const pending = new PendingCheckpoint(context.jobId, checkpointId, now, { isSavepoint, isSynchronous }, plan.tasksToWaitFor, plan);
      const tasksToTrigger = pending.takeTasksToTrigger(plan.tasksToTrigger);
      context.pending.set(checkpointId, pending);
      enqueue.assign({ nextCheckpointId: checkpointId + 1 });
      if (isSynchronous) enqueue.assign({ stopWithSavepoint: { status: 'PENDING', checkpointId } });
      // Told before the spawn, as the effects always ran before the checkpoint's machine was created.
      const tell = tellerOf(enqueue);
      tell.emit({ type: 'checkpoint-triggered', time: now, checkpointId, isSavepoint, checkpointType });
      tell({ type: 'TRIGGER_CHECKPOINT', checkpointId, timestamp: now, checkpointType, tasks: tasksToTrigger });
      enqueue.spawnChild('pendingCheckpoint', {
        id: checkpointActorId(checkpointId),
        input: { pending, operators: context.operators, storage: context.storage, clock: context.clock, timeoutMs: context.config.timeoutMs },
      });
    }),
    /**
     * A task reached end of data (Flink's notifyEndOfData): its output partitions have ended, so a barrier of a
     * pending checkpoint it had not forwarded yet reaches no consumer through them. Each pending checkpoint
     * triggers the tasks it still waits for that the plan would trigger now (no producer still sends), as a
     * checkpoint planned now would. Flink needs no such step: its EndOfData leaves the channels open to barriers.
     */
    triggerTasksBehindEndedInputs: enqueueActions(({ context, enqueue }) => {
      const plan = context.gateway.calculateCheckpointPlan();
      if (plan === null) return;
      const tell = tellerOf(enqueue);
      for (const pending of context.pending.values()) {
        const tasks = pending.takeTasksToTrigger(plan.tasksToTrigger);
        if (tasks.length > 0) tell({ type: 'TRIGGER_CHECKPOINT', checkpointId: pending.checkpointId, timestamp: pending.triggerTimestamp, checkpointType: checkpointTypeOf(pending), tasks });
      }
    }),
    /** A checkpoint's machine reported its end: it leaves the coordinator's children. */
    forgetCheckpointActor: enqueueActions(({ event, enqueue }) => {
      if (event.type === 'CHECKPOINT_COMPLETED' || event.type === 'CHECKPOINT_FAILED') enqueue.stopChild(checkpointActorId(event.checkpointId));
    }),
    /** A slot is free: a requested checkpoint that waited for it is triggered now. */
    triggerRequestedCheckpoint: enqueueActions(({ context, enqueue }) => {
      if (!context.checkpointRequested || tooManyPending(context)) return;
      enqueue.assign({ checkpointRequested: false });
      enqueue.raise({ type: 'TRIGGER_CHECKPOINT' });
    }),
    /** A stop-with-savepoint that cannot start: Flink fails it with the reason; the job goes on. */
    refuseStopWithSavepoint: assign(({ context }) => ({
      stopWithSavepoint: {
        status: 'FAILED' as const,
        checkpointId: null,
        reason: context.gateway.allTasksRunning() ? 'The checkpoint coordinator is not running (the job is not RUNNING).' : 'Not all required tasks are currently running.',
      },
    })),
    /** To the checkpoint's machine, which collects it; a late ack of an aborted checkpoint has its state discarded. */
    acknowledge: enqueueActions(({ context, event, enqueue, self }) => {
      if (event.type !== 'ACKNOWLEDGE') return;
      const pending = context.pending.get(event.checkpointId);
      if (!pending) {
        // As Flink's discardSubtaskState.
        discardUncompleted(context, event.checkpointId, tellerOf(enqueue));
        return;
      }
      const unknown = context.registry.unknownSharedState(event.state, event.checkpointId);
      if (unknown.length > 0) {
        // Flink's SharedStateRegistry refuses this too ("Attempt to reference unknown state"); never expected.
        const message = `Task ${event.taskId} references discarded shared state: ${unknown.join(', ')}`;
        self.send({ type: 'DECLINE', taskId: event.taskId, checkpointId: event.checkpointId, reason: 'CHECKPOINT_DECLINED', message });
        return;
      }
      const checkpoint = liveCheckpointActor(self, event.checkpointId);
      if (checkpoint) enqueue.sendTo(checkpoint, { type: 'ACKNOWLEDGE', taskId: event.taskId, state: event.state, metrics: event.metrics });
    }),
    completeCheckpoint: enqueueActions(({ context, event, enqueue, self }) => {
      if (event.type !== 'CHECKPOINT_COMPLETED') return;
      const tell = tellerOf(enqueue);
      const pending = context.pending.get(event.checkpointId);
      if (!pending || pending.isDisposed) return;
      const now = context.clock.now();
      try {
        // Register before subsumed checkpoints unregister, so pieces this one shares with them stay.
        context.registry.registerCheckpoint(event.metadata);
      } catch (error) {
        abortPending(context, pending, 'FINALIZE_CHECKPOINT_FAILURE', error instanceof Error ? error.message : String(error), tell);
        enqueue.raise({ type: 'PENDING_FINISHED' });
        return;
      }
      context.pending.delete(event.checkpointId);
      const isSynchronous = pending.properties.isSynchronous === true;
      const subsumed = context.store.add(event.metadata, isSynchronous);
      context.failureManager.handleCheckpointSuccess();
      const acknowledged = pending.acknowledgedTasks().map((task) => task.metrics);
      tell.emit({
        type: 'checkpoint-completed',
        time: now,
        checkpointId: event.checkpointId,
        isSavepoint: pending.properties.isSavepoint,
        // Flink's end_to_end_duration: trigger → the latest acknowledgement (the metadata write comes after).
        endToEndDurationMs: Math.max(0, ...acknowledged.map((metrics) => metrics.ackTimestamp - pending.triggerTimestamp)),
        stateSizeBytes: acknowledged.reduce((sum, metrics) => sum + metrics.stateSizeBytes, 0),
        checkpointedSizeBytes: acknowledged.reduce((sum, metrics) => sum + metrics.checkpointedSizeBytes, 0),
        sourceOffsets: sourceOffsetsInCheckpoint(event.metadata),
        externalPath: context.externalPathOf?.(event.checkpointId) ?? `memory://${context.jobId}/chk-${event.checkpointId}`,
      });
      enqueue.assign({ lastCompletionTime: now });
      // Flink drops older pending checkpoints once a newer one completes (they are subsumed) and notifies the
      // tasks; a completed savepoint does neither, unless it is stop-with-savepoint's synchronous one, whose
      // side effects are committed (CheckpointCoordinator.cleanupAfterCompletedCheckpoint: !isSavepoint || isSynchronous).
      const commits = !pending.properties.isSavepoint || isSynchronous;
      if (isSynchronous) enqueue.assign({ stopWithSavepoint: { status: 'COMPLETED', checkpointId: event.checkpointId, savepoint: event.metadata } });
      for (const older of commits ? [...context.pending.values()] : []) {
        if (older.checkpointId < event.checkpointId && !older.properties.isSavepoint) {
          const message = `Checkpoint ${older.checkpointId} was subsumed by ${event.checkpointId}`;
          abortCheckpointActor(self, enqueue, older.checkpointId, 'CHECKPOINT_SUBSUMED', message);
          abortPending(context, older, 'CHECKPOINT_SUBSUMED', message, tell);
        }
      }
      for (const old of subsumed) discardCompleted(context, old.checkpointId, tell);
      if (commits) tell({ type: 'NOTIFY_CHECKPOINT_COMPLETE', checkpointId: event.checkpointId });
      enqueue.raise({ type: 'PENDING_FINISHED' });
    }),
    /** A task declined (the checkpoint's machine is told to abort) or the checkpoint's machine failed on its own. */
    abortOne: enqueueActions(({ context, event, enqueue, self }) => {
      if (event.type !== 'DECLINE' && event.type !== 'CHECKPOINT_FAILED') return;
      const tell = tellerOf(enqueue);
      const failure = { checkpointId: event.checkpointId, reason: event.reason, message: event.message };
      const pending = context.pending.get(failure.checkpointId);
      if (!pending) {
        // A decline after the abort: its uploads finished after the abort's discard, so discard again.
        if (event.type === 'DECLINE') discardUncompleted(context, event.checkpointId, tell);
        return;
      }
      if (event.type === 'DECLINE') abortCheckpointActor(self, enqueue, failure.checkpointId, failure.reason, failure.message);
      abortPending(context, pending, failure.reason, failure.message, tell);
      if (pending.properties.isSynchronous) enqueue.assign({ stopWithSavepoint: { status: 'FAILED', checkpointId: failure.checkpointId, reason: failure.message } });
      if (context.failureManager.handleCheckpointFailure(failure.checkpointId, failure.reason, pending.properties.isSavepoint)) {
        tell({ type: 'FAIL_JOB', cause: 'Exceeded checkpoint tolerable failure threshold.' });
      }
      enqueue.raise({ type: 'PENDING_FINISHED' });
    }),
    /** Flink's CheckpointCoordinator.shutdown: checkpoints that are not externalized are deleted with the job. */
    shutdown: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'SHUTDOWN' || !event.discardCheckpoints) return;
      for (const metadata of context.store.removeAllOwned()) discardCompleted(context, metadata.checkpointId, tellerOf(enqueue));
    }),
    abortAll: enqueueActions(({ context, event, enqueue, self }) => {
      // Flink's stopCheckpointScheduler: every pending checkpoint and savepoint is aborted (CHECKPOINT_COORDINATOR_SUSPEND).
      const reason = event.type === 'STOP' ? event.reason : 'Checkpoint Coordinator is suspending.';
      enqueue.assign({ checkpointRequested: false });
      for (const pending of [...context.pending.values()]) {
        abortCheckpointActor(self, enqueue, pending.checkpointId, 'CHECKPOINT_COORDINATOR_SUSPEND', reason);
        abortPending(context, pending, 'CHECKPOINT_COORDINATOR_SUSPEND', reason, tellerOf(enqueue));
        if (pending.properties.isSynchronous) enqueue.assign({ stopWithSavepoint: { status: 'FAILED', checkpointId: pending.checkpointId, reason } });
      }
    }),
    discardDeclined: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'DECLINE' && !context.pending.has(event.checkpointId)) discardUncompleted(context, event.checkpointId, tellerOf(enqueue));
    }),
  },
}).createMachine({
  id: 'checkpointCoordinator',
  description: "Flink's CheckpointCoordinator: triggers checkpoints and savepoints and spawns one pendingCheckpoint machine for each.",
  // The effect ports, for as long as the coordinator lives.
  invoke: [
    { id: 'events', src: 'events', input: ({ context }) => ({ emit: context.emit }) },
    { id: 'gateway', src: 'gateway', input: ({ context }) => context.gateway },
    { id: 'storage', src: 'storage', input: ({ context }) => context.storage },
  ],
  context: ({ input }) => ({
    ...input,
    pending: new Map(),
    registry: registryOf(input.store),
    failureManager: new CheckpointFailureManager(input.config.tolerableFailedCheckpoints),
    nextCheckpointId: input.firstCheckpointId ?? 1,
    lastTriggerTime: null,
    lastCompletionTime: null,
    stopWithSavepoint: null,
    checkpointRequested: false,
  }),
  initial: 'stopped',
  states: {
    stopped: {
      description: 'The checkpoint scheduler is stopped (the job is not RUNNING): nothing is triggered; late acknowledgements have their state discarded.',
      on: {
        START: { target: 'running', actions: assign({ lastTriggerTime: ({ context }) => context.clock.now() }) },
        ACKNOWLEDGE: { actions: 'acknowledge' },
        DECLINE: { actions: 'discardDeclined' },
        CHECKPOINT_COMPLETED: { actions: 'forgetCheckpointActor' },
        CHECKPOINT_FAILED: { actions: 'forgetCheckpointActor' },
        SHUTDOWN: { actions: 'shutdown' },
        STOP_WITH_SAVEPOINT: { actions: 'refuseStopWithSavepoint' },
        TASK_END_OF_DATA: {},
      },
    },
    running: {
      description: 'The checkpoint scheduler runs (the job is RUNNING): periodic checkpoints and savepoints are triggered.',
      on: {
        STOP: { target: 'stopped', actions: 'abortAll' },
        SHUTDOWN: { target: 'stopped', actions: ['abortAll', 'shutdown'] },
        TRIGGER_SAVEPOINT: { actions: 'triggerCheckpoint' },
        TRIGGER_CHECKPOINT: [{ guard: 'tooManyPending', actions: assign({ checkpointRequested: true }) }, { actions: 'triggerCheckpoint' }],
        // SchedulerBase.stopWithSavepoint: stopCheckpointScheduler (aborting what is pending), then the savepoint.
        STOP_WITH_SAVEPOINT: [
          { guard: 'allTasksRunning', target: 'stoppingWithSavepoint', actions: ['abortAll', 'triggerCheckpoint'] },
          { actions: 'refuseStopWithSavepoint' },
        ],
        ACKNOWLEDGE: { actions: 'acknowledge' },
        DECLINE: { actions: 'abortOne' },
        TASK_END_OF_DATA: { actions: 'triggerTasksBehindEndedInputs' },
        CHECKPOINT_FAILED: { actions: ['abortOne', 'forgetCheckpointActor'] },
        CHECKPOINT_COMPLETED: { actions: ['completeCheckpoint', 'forgetCheckpointActor'] },
      },
      initial: 'scheduled',
      states: {
        scheduled: {
          description: 'Waiting for the next trigger: the interval since the last trigger, and min-pause since the last completion.',
          always: { guard: ({ context }) => context.config.intervalMs === null, target: 'manualOnly' },
          after: { untilNextTrigger: 'triggering' },
          on: { PENDING_FINISHED: { target: 'scheduled', reenter: true, actions: 'triggerRequestedCheckpoint' } },
        },
        triggering: {
          description: 'The trigger is due: a checkpoint is triggered unless max-concurrent-checkpoints are pending.',
          always: [
            { guard: 'tooManyPending', target: 'waitingForSlot' },
            { target: 'scheduled', actions: 'triggerCheckpoint' },
          ],
        },
        /** max-concurrent-checkpoints reached: the periodic request waits for one to finish. */
        waitingForSlot: {
          description: 'max-concurrent-checkpoints are pending: the periodic trigger waits for one to finish.',
          on: { PENDING_FINISHED: { target: 'scheduled', actions: 'triggerRequestedCheckpoint' } },
        },
        /** No interval: checkpointing is off; only savepoints are taken. */
        manualOnly: {
          description: 'No execution.checkpointing.interval: periodic checkpointing is off; only savepoints and requested checkpoints are taken.',
          on: { PENDING_FINISHED: { actions: 'triggerRequestedCheckpoint' } },
        },
      },
    },
    /**
     * No periodic checkpoints; the synchronous savepoint is pending, then completed (the tasks finish and the
     * job master sends STOP and SHUTDOWN). If it fails, periodic checkpointing resumes (Flink restarts the
     * checkpoint scheduler) and the job goes on running.
     */
    stoppingWithSavepoint: {
      description: 'flink stop: periodic checkpoints are stopped while the synchronous savepoint is taken; if it fails, the job goes on running.',
      on: {
        STOP: { target: 'stopped', actions: 'abortAll' },
        SHUTDOWN: { target: 'stopped', actions: ['abortAll', 'shutdown'] },
        // The tasks wait for this stop's savepoint: another savepoint or stop would wait for them forever.
        TRIGGER_SAVEPOINT: {},
        TRIGGER_CHECKPOINT: {},
        STOP_WITH_SAVEPOINT: {},
        ACKNOWLEDGE: { actions: 'acknowledge' },
        DECLINE: { actions: 'abortOne' },
        TASK_END_OF_DATA: { actions: 'triggerTasksBehindEndedInputs' },
        CHECKPOINT_FAILED: { actions: ['abortOne', 'forgetCheckpointActor'] },
        CHECKPOINT_COMPLETED: { actions: ['completeCheckpoint', 'forgetCheckpointActor'] },
        PENDING_FINISHED: { guard: 'stopFailed', target: 'running' },
      },
    },
  },
});

/** The snapshot type a pending checkpoint was triggered with. */
function checkpointTypeOf(pending: PendingCheckpoint): CheckpointType {
  if (pending.properties.isSynchronous === true) return 'SYNC_SAVEPOINT';
  return pending.properties.isSavepoint ? 'SAVEPOINT' : 'CHECKPOINT';
}

/** max-concurrent-checkpoints are pending (savepoints do not count). */
function tooManyPending(context: CoordinatorContext): boolean {
  return [...context.pending.values()].filter((p) => !p.properties.isSavepoint).length >= context.config.maxConcurrentCheckpoints;
}

/** The spawned machine of a checkpoint that is still pending or finalizing, if any. */
function liveCheckpointActor(self: AnyActorRef, checkpointId: CheckpointId): AnyActorRef | undefined {
  const child = (self.getSnapshot() as { children: Record<string, AnyActorRef | undefined> }).children[checkpointActorId(checkpointId)];
  return child?.getSnapshot().status === 'active' ? child : undefined;
}

/** The coordinator aborts a checkpoint: its machine goes to `aborted` (its report back finds nothing pending). */
function abortCheckpointActor(
  self: AnyActorRef,
  enqueue: { sendTo: (actor: AnyActorRef, event: { type: 'ABORT'; reason: string; message: string }) => void },
  checkpointId: CheckpointId,
  reason: string,
  message: string,
): void {
  const checkpoint = liveCheckpointActor(self, checkpointId);
  if (checkpoint) enqueue.sendTo(checkpoint, { type: 'ABORT', reason, message });
}

/** Enqueues commands to the effect ports, in the order told; `emit` is the events port's one command. */
interface Teller {
  (command: CoordinatorCommand): void;
  emit(event: EngineEvent): void;
}

/** Each command is an action of its own that hands it to its port when it runs (see ./coordinator-effects.ts). */
function tellerOf(enqueue: (action: (args: { self: AnyActorRef }) => void) => void): Teller {
  const tell = (command: CoordinatorCommand) => enqueue(({ self }) => tellPort(self, command));
  return Object.assign(tell, { emit: (event: EngineEvent) => tell({ type: 'EMIT', event }) });
}

function abortPending(context: CoordinatorContext, pending: PendingCheckpoint, reason: string, message: string, tell: Teller): void {
  const now = context.clock.now();
  pending.dispose();
  context.pending.delete(pending.checkpointId);
  tell.emit(
    reason === 'CHECKPOINT_EXPIRED'
      ? { type: 'checkpoint-expired', time: now, checkpointId: pending.checkpointId }
      : { type: 'checkpoint-aborted', time: now, checkpointId: pending.checkpointId, reason, message },
  );
  // Only what this checkpoint wrote: the pieces it reused belong to completed checkpoints.
  tell({ type: 'DISCARD', jobId: context.jobId, checkpointId: pending.checkpointId, keep: new Set() });
  tell({ type: 'NOTIFY_CHECKPOINT_ABORTED', checkpointId: pending.checkpointId });
}

/** A completed checkpoint is no longer retained: its metadata and what only it used go, and older pieces nobody references now. */
function discardCompleted(context: CoordinatorContext, checkpointId: CheckpointId, tell: Teller): void {
  // Ids up to the restored snapshot's were written by the job that took it (a claimed snapshot's job id).
  const restored = context.store.restoredFrom()?.metadata;
  for (const request of context.registry.unregisterCheckpoint(checkpointId)) {
    const jobId = restored && request.checkpointId <= restored.checkpointId ? restored.jobId : context.jobId;
    tell({ type: 'DISCARD', jobId, checkpointId: request.checkpointId, keep: request.keep });
  }
  tell.emit({ type: 'checkpoint-discarded', time: context.clock.now(), checkpointId });
}

/** Deletes the blobs of a checkpoint that never completed (a completed one is left to the registry). */
function discardUncompleted(context: CoordinatorContext, checkpointId: CheckpointId, tell: Teller): void {
  if (!context.registry.wasRegistered(checkpointId)) tell({ type: 'DISCARD', jobId: context.jobId, checkpointId, keep: new Set() });
}

/** The registry of a coordinator that starts with checkpoints already in its store (a restored job). */
function registryOf(store: CompletedCheckpointStore): SharedStateRegistry {
  const registry = new SharedStateRegistry();
  for (const metadata of [...store.retained(), ...store.savepoints()]) registry.registerRestored(metadata);
  return registry;
}
