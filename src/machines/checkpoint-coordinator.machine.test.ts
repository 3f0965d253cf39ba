// The checkpoint coordinator machine driven in virtual time (Scheduler + SimulatedClock), with the
// in-memory checkpoint storage and a recording gateway standing in for the job master and its tasks.
// Scenarios follow Flink's CheckpointCoordinator tests: triggering, min pause, max concurrent, expiry,
// tolerable failures, subsumption, savepoints, suspension and cleanup of late acknowledgements.
import { describe, expect, it } from 'vitest';
import { createActor, fromCallback, type AnyActorRef } from 'xstate';
import { parseJobConfiguration, type RawJobConfiguration } from '../engine/config';
import type { EngineEvent } from '../engine/events';
import type { CheckpointId, TaskId } from '../engine/ids';
import { failed, type StorageCallback } from '../engine/ports/checkpoint-storage';
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import { CompletedCheckpointStore } from '../engine/checkpoint/completed-checkpoint-store';
import { CheckpointStatsFold } from '../engine/checkpoint/checkpoint-stats-fold';
import type { SubtaskCheckpointMetrics, TaskStateSnapshot } from '../engine/checkpoint/task-state';
import type { CheckpointType } from '../engine/task/messages';
import type { CheckpointPlan } from '../engine/checkpoint/checkpoint-plan';
import { Scheduler } from '../runtime/sim/scheduler';
import { SimulatedClock } from '../runtime/sim/sim-clock';
import { MemoryCheckpointStorage, type StorageLatency } from '../storage/memory-checkpoint-storage';
import { checkpointActorId, checkpointCoordinatorMachine, type CoordinatorGateway } from './checkpoint-coordinator.machine';
import type { GatewayCommand } from './coordinator-effects';

const JOB_ID = 'job';
const TASKS: readonly TaskId[] = ['source#0', 'sum#0'];
const OPERATOR_OF: Readonly<Record<TaskId, string>> = { 'source#0': 'source', 'sum#0': 'sum' };
/** Every storage call takes 5 ms of virtual time (state blobs are empty, so size adds nothing). */
const STORAGE_LATENCY: StorageLatency = { fixedMs: 5, bytesPerMs: 1_000 };
const FAIL_JOB = 'failJob: Exceeded checkpoint tolerable failure threshold.';

interface Trigger {
  readonly checkpointId: CheckpointId;
  readonly timestamp: number;
  readonly isSavepoint: boolean;
}

/** The job master as the coordinator sees it: records every call, in order. */
class RecordingGateway implements CoordinatorGateway {
  running = true;
  readonly calls: string[] = [];
  readonly triggers: Trigger[] = [];
  onTrigger: (trigger: Trigger) => void = () => {};
  onComplete: (checkpointId: CheckpointId) => void = () => {};

  allTasksRunning(): boolean {
    return this.running;
  }

  calculateCheckpointPlan(): CheckpointPlan | null {
    if (!this.running) return null;
    return { tasksToTrigger: ['source#0'], tasksToWaitFor: [...TASKS], tasksToCommitTo: [...TASKS], finishedTasks: [], fullyFinishedVertices: [] };
  }

  triggerCheckpoint(checkpointId: CheckpointId, timestamp: number, checkpointType: CheckpointType): void {
    const isSavepoint = checkpointType !== 'CHECKPOINT';
    this.calls.push(`trigger ${checkpointId}${checkpointType === 'SYNC_SAVEPOINT' ? ' (synchronous savepoint)' : ''}`);
    this.triggers.push({ checkpointId, timestamp, isSavepoint });
    this.onTrigger({ checkpointId, timestamp, isSavepoint });
  }

  notifyCheckpointComplete(checkpointId: CheckpointId): void {
    this.calls.push(`complete ${checkpointId}`);
    this.onComplete(checkpointId);
  }

  notifyCheckpointAborted(checkpointId: CheckpointId): void {
    this.calls.push(`aborted ${checkpointId}`);
  }

  failJob(cause: string): void {
    this.calls.push(`failJob: ${cause}`);
  }
}

/** Storage whose metadata writes fail: the coordinator's finalization fails (FINALIZE_CHECKPOINT_FAILURE). */
class MetadataFailingStorage extends MemoryCheckpointStorage {
  override writeMetadata(_metadata: CheckpointMetadata, done: StorageCallback<void>): void {
    super.listCompleted(JOB_ID, () => done(failed('Injected failure: metadata write failed')));
  }
}

function metricsAt(ackTimestamp: number): SubtaskCheckpointMetrics {
  return {
    ackTimestamp,
    syncDurationMs: 1,
    asyncDurationMs: 5,
    alignmentDurationMs: 0,
    startDelayMs: 0,
    checkpointedSizeBytes: 10,
    stateSizeBytes: 10,
    processedDataBytes: 0,
    persistedDataBytes: 0,
    alignmentBufferedBytes: 0,
    unalignedCheckpoint: false,
  };
}

interface HarnessOptions {
  /** Tasks upload and acknowledge every checkpoint as soon as it is triggered. */
  readonly autoAcknowledge?: boolean;
  readonly failMetadata?: boolean;
  readonly firstCheckpointId?: CheckpointId;
  /** Stands in for the gateway port (swapped with provide(), as a test would swap any effect). */
  readonly gatewayPort?: ReturnType<typeof fromCallback<GatewayCommand, CoordinatorGateway>>;
}

function coordinator(raw: RawJobConfiguration, options: HarnessOptions = {}) {
  const config = parseJobConfiguration(raw).checkpointing;
  const scheduler = new Scheduler();
  const clock = new SimulatedClock(scheduler);
  const storage = options.failMetadata ? new MetadataFailingStorage(clock, STORAGE_LATENCY) : new MemoryCheckpointStorage(clock, STORAGE_LATENCY);
  const store = new CompletedCheckpointStore(config.numRetained);
  // The statistics fold over what the coordinator emits and what the tasks emit when they acknowledge.
  const stats = new CheckpointStatsFold();
  stats.apply({ type: 'job-deployed', time: 0, attempt: 0, restoredCheckpointId: null, vertices: [], channels: [], subtasks: TASKS.map((taskId, subtaskIndex) => ({ taskId, vertexId: taskId.split('#')[0]!, subtaskIndex, keyGroups: null })) });
  const gateway = new RecordingGateway();
  const events: EngineEvent[] = [];
  const machine = options.gatewayPort ? checkpointCoordinatorMachine.provide({ actors: { gateway: options.gatewayPort } }) : checkpointCoordinatorMachine;
  const actor = createActor(machine, {
    clock,
    input: {
      jobId: JOB_ID,
      config,
      clock,
      gateway,
      storage,
      store,
      operators: TASKS.map((taskId) => ({ operatorUid: OPERATOR_OF[taskId]!, parallelism: 1, maxParallelism: 128 })),
      emit: (event) => {
        stats.apply(event);
        events.push(event);
      },
      ...(options.firstCheckpointId === undefined ? {} : { firstCheckpointId: options.firstCheckpointId }),
    },
  }).start();

  /** A task's async phase: upload its state blob, then acknowledge with the handle (as Flink's AsyncCheckpointRunnable). */
  const uploadAndAcknowledge = (taskId: TaskId, checkpointId: CheckpointId) => {
    const operatorUid = OPERATOR_OF[taskId]!;
    storage.writeState({ jobId: JOB_ID, checkpointId, taskId, operatorUid, bytes: new Uint8Array(0) }, (result) => {
      if (!result.ok) throw new Error(result.error);
      const state: TaskStateSnapshot = {
        subtaskIndex: 0,
        operators: [{ operatorUid, keyed: { storageKey: result.value, keyGroupRange: { start: 0, end: 127 }, stateSizeBytes: 10 }, operator: null }],
      };
      const metrics = metricsAt(clock.now());
      const { ackTimestamp, alignmentBufferedBytes: _buffered, unalignedCheckpoint, ...measured } = metrics;
      stats.apply({ type: 'checkpoint-acknowledged', time: ackTimestamp, taskId, attempt: 0, checkpointId, ...measured, unaligned: unalignedCheckpoint });
      actor.send({ type: 'ACKNOWLEDGE', taskId, checkpointId, state, metrics });
    });
  };
  const acknowledgeAll = (checkpointId: CheckpointId) => TASKS.forEach((taskId) => uploadAndAcknowledge(taskId, checkpointId));
  if (options.autoAcknowledge) gateway.onTrigger = ({ checkpointId }) => acknowledgeAll(checkpointId);

  const ofType = <T extends EngineEvent['type']>(type: T) => events.filter((event): event is Extract<EngineEvent, { type: T }> => event.type === type);
  return {
    actor,
    clock,
    storage,
    store,
    stats,
    gateway,
    events,
    uploadAndAcknowledge,
    acknowledgeAll,
    start: () => actor.send({ type: 'START' }),
    runUntil: (time: number) => scheduler.runUntil(time),
    /** Runs `action` at `time` in virtual time (after everything already due then). */
    at: (time: number, action: () => void) => scheduler.schedule(time, action),
    triggeredIds: () => gateway.triggers.map((trigger) => trigger.checkpointId),
    completed: () => ofType('checkpoint-completed'),
    aborted: () => ofType('checkpoint-aborted'),
    expired: () => ofType('checkpoint-expired'),
    blobsOf: (checkpointId: CheckpointId) => storage.inventory().blobs.filter((key) => key.startsWith(`${JOB_ID}/chk-${checkpointId}/`)),
    decline: (checkpointId: CheckpointId, reason: string) =>
      actor.send({ type: 'DECLINE', taskId: 'sum#0', checkpointId, reason, message: `declined for ${reason}` }),
  };
}

describe('checkpoint coordinator: triggering', () => {
  it('triggers nothing before START, then a checkpoint every interval, numbered from 1', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms' }, { autoAcknowledge: true });
    job.runUntil(1_000);
    expect(job.gateway.triggers).toEqual([]);
    job.start();
    job.runUntil(1_450);
    expect(job.gateway.triggers).toEqual([
      { checkpointId: 1, timestamp: 1_100, isSavepoint: false },
      { checkpointId: 2, timestamp: 1_200, isSavepoint: false },
      { checkpointId: 3, timestamp: 1_300, isSavepoint: false },
      { checkpointId: 4, timestamp: 1_400, isSavepoint: false },
    ]);
    expect(job.completed().map((event) => [event.checkpointId, event.time])).toEqual([
      [1, 1_110],
      [2, 1_210],
      [3, 1_310],
      [4, 1_410],
    ]);
    expect(job.events.filter((event) => event.type === 'checkpoint-triggered')).toHaveLength(4);
  });

  it('continues numbering after a restored checkpoint (ids are never reused)', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms' }, { autoAcknowledge: true, firstCheckpointId: 8 });
    job.start();
    job.runUntil(250);
    expect(job.triggeredIds()).toEqual([8, 9]);
  });

  it('delays the next trigger until min-pause has passed since the last completion', () => {
    const job = coordinator(
      { 'execution.checkpointing.interval': '100 ms', 'execution.checkpointing.min-pause': '150 ms' },
      { autoAcknowledge: true },
    );
    job.start();
    job.runUntil(600);
    const completedAt = job.completed().map((event) => event.time);
    expect(completedAt.slice(0, 2)).toEqual([110, 270]);
    // Not at 200 (interval) but 150 ms after the completion at 110; then 150 ms after 270.
    expect(job.gateway.triggers.map((trigger) => trigger.timestamp)).toEqual([100, 260, 420, 580]);
  });

  it('with max-concurrent 1, makes the periodic trigger wait for the pending checkpoint, then triggers as it completes', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms' });
    job.start();
    job.runUntil(350);
    expect(job.triggeredIds()).toEqual([1]);
    expect(job.actor.getSnapshot().matches({ running: 'waitingForSlot' })).toBe(true);
    job.acknowledgeAll(1);
    job.runUntil(400);
    expect(job.completed().map((event) => event.time)).toEqual([360]);
    expect(job.gateway.triggers[1]).toEqual({ checkpointId: 2, timestamp: 360, isSavepoint: false });
    job.runUntil(459);
    expect(job.triggeredIds()).toEqual([1, 2]);
  });

  it('allows max-concurrent periodic checkpoints to be pending at once, and no more', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms', 'execution.checkpointing.max-concurrent-checkpoints': 2 });
    job.start();
    job.runUntil(550);
    expect(job.triggeredIds()).toEqual([1, 2]);
  });

  it('does not trigger while not all tasks are running, and triggers at the next period once they are', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms' }, { autoAcknowledge: true });
    job.gateway.running = false;
    job.start();
    job.at(150, () => job.actor.send({ type: 'TRIGGER_SAVEPOINT' }));
    job.runUntil(350);
    expect(job.gateway.calls).toEqual([]);
    expect(job.stats.statistics().counts.total).toBe(0);
    job.gateway.running = true;
    job.runUntil(450);
    expect(job.gateway.triggers).toEqual([{ checkpointId: 1, timestamp: 400, isSavepoint: false }]);
    expect(job.gateway.calls).not.toContain(FAIL_JOB);
  });

  it('takes only savepoints when periodic checkpointing is disabled', () => {
    const job = coordinator({}, { autoAcknowledge: true });
    job.start();
    job.runUntil(10_000);
    expect(job.gateway.triggers).toEqual([]);
    job.actor.send({ type: 'TRIGGER_SAVEPOINT' });
    job.runUntil(10_100);
    expect(job.gateway.triggers).toEqual([{ checkpointId: 1, timestamp: 10_000, isSavepoint: true }]);
    expect(job.store.savepoints().map((savepoint) => savepoint.checkpointId)).toEqual([1]);
  });
});

describe('checkpoint coordinator: a checkpoint by request (POST /jobs/:id/checkpoints)', () => {
  it('triggers at once with periodic checkpointing off, and completes like any checkpoint', () => {
    const job = coordinator({}, { autoAcknowledge: true });
    job.start();
    job.at(1_000, () => job.actor.send({ type: 'TRIGGER_CHECKPOINT' }));
    job.runUntil(1_100);
    expect(job.gateway.triggers).toEqual([{ checkpointId: 1, timestamp: 1_000, isSavepoint: false }]);
    expect(job.completed().map((event) => [event.checkpointId, event.isSavepoint])).toEqual([[1, false]]);
    expect(job.store.latest()?.checkpointId).toBe(1);
  });

  it('ignores min pause and leaves the periodic schedule as it was', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms', 'execution.checkpointing.min-pause': '80 ms' }, { autoAcknowledge: true });
    job.start();
    job.at(130, () => job.actor.send({ type: 'TRIGGER_CHECKPOINT' }));
    job.runUntil(300);
    // Requested at 130, inside min pause after 110; the next periodic one at 220: min pause after the requested one completed at 140.
    expect(job.gateway.triggers.map((trigger) => trigger.timestamp)).toEqual([100, 130, 220]);
  });

  it('waits behind max-concurrent-checkpoints and goes first when a slot frees, before the periodic trigger', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms' });
    job.start();
    job.runUntil(150);
    job.actor.send({ type: 'TRIGGER_CHECKPOINT' });
    expect(job.actor.getSnapshot().context.checkpointRequested).toBe(true);
    job.runUntil(350);
    expect(job.triggeredIds()).toEqual([1]);
    job.acknowledgeAll(1);
    job.runUntil(360);
    expect(job.gateway.triggers[1]).toEqual({ checkpointId: 2, timestamp: 360, isSavepoint: false });
    expect(job.actor.getSnapshot().context.checkpointRequested).toBe(false);
    expect(job.actor.getSnapshot().matches({ running: 'waitingForSlot' })).toBe(true);
  });

  it('is dropped while stopped, stopping with a savepoint, or when the coordinator stops with it queued', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms' });
    job.actor.send({ type: 'TRIGGER_CHECKPOINT' });
    job.start();
    job.runUntil(150);
    job.actor.send({ type: 'TRIGGER_CHECKPOINT' });
    job.actor.send({ type: 'STOP', reason: 'Checkpoint Coordinator is suspending.' });
    expect(job.actor.getSnapshot().context.checkpointRequested).toBe(false);
    expect(job.triggeredIds()).toEqual([1]);
  });
});

describe('checkpoint coordinator: failures', () => {
  const expiring = { 'execution.checkpointing.interval': '1 s', 'execution.checkpointing.timeout': '300 ms' };

  it('expires a checkpoint after the timeout, aborting it with CHECKPOINT_EXPIRED, and fails the job when no failure is tolerated', () => {
    const job = coordinator(expiring);
    job.start();
    job.at(1_000, () => job.uploadAndAcknowledge('source#0', 1));
    job.runUntil(1_299);
    expect(job.expired()).toEqual([]);
    job.runUntil(1_300);
    expect(job.expired()).toEqual([{ type: 'checkpoint-expired', time: 1_300, checkpointId: 1 }]);
    expect(job.gateway.calls).toEqual(['trigger 1', 'aborted 1', FAIL_JOB]);
    expect(job.stats.details(1)).toMatchObject({ '@class': 'failed', failure_timestamp: 1_300, failure_message: 'Checkpoint expired before completing.' });
    job.runUntil(1_310);
    expect(job.blobsOf(1)).toEqual([]);
  });

  it('tolerates one expired checkpoint with tolerable-failed-checkpoints 1, and fails the job on the second in a row', () => {
    const job = coordinator({ ...expiring, 'execution.checkpointing.tolerable-failed-checkpoints': 1 });
    job.start();
    job.runUntil(1_300);
    expect(job.gateway.calls).toEqual(['trigger 1', 'aborted 1']);
    job.runUntil(2_300);
    expect(job.gateway.calls).toEqual(['trigger 1', 'aborted 1', 'trigger 2', 'aborted 2', FAIL_JOB]);
  });

  it('starts counting failures again after a completed checkpoint', () => {
    const job = coordinator({ ...expiring, 'execution.checkpointing.tolerable-failed-checkpoints': 1 });
    job.gateway.onTrigger = ({ checkpointId }) => {
      if (checkpointId === 2) job.acknowledgeAll(2);
    };
    job.start();
    job.runUntil(3_300);
    expect(job.expired().map((event) => event.checkpointId)).toEqual([1, 3]);
    expect(job.completed().map((event) => event.checkpointId)).toEqual([2]);
    expect(job.gateway.calls).not.toContain(FAIL_JOB);
    job.runUntil(4_300);
    expect(job.gateway.calls.slice(-2)).toEqual(['aborted 4', FAIL_JOB]);
  });

  it.each([
    ['CHECKPOINT_DECLINED_SUBSUMED', false],
    ['CHECKPOINT_DECLINED_TASK_NOT_READY', false],
    ['CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER', false],
    ['CHECKPOINT_DECLINED', true],
    ['CHECKPOINT_ASYNC_EXCEPTION', true],
  ])('aborts a checkpoint declined with %s; counted towards tolerable failures: %s', (reason, counted) => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms' });
    job.start();
    job.runUntil(100);
    job.decline(1, reason);
    expect(job.aborted()).toEqual([{ type: 'checkpoint-aborted', time: 100, checkpointId: 1, reason, message: expect.any(String) }]);
    expect(job.gateway.calls).toEqual(['trigger 1', 'aborted 1', ...(counted ? [FAIL_JOB] : [])]);
    // The aborted checkpoint freed its slot: the next one is triggered on time.
    job.runUntil(200);
    expect(job.triggeredIds()).toEqual([1, 2]);
  });

  it('counts a checkpoint once even when several tasks decline it', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms', 'execution.checkpointing.tolerable-failed-checkpoints': 1 });
    job.start();
    job.runUntil(100);
    job.decline(1, 'CHECKPOINT_DECLINED');
    job.actor.send({ type: 'DECLINE', taskId: 'source#0', checkpointId: 1, reason: 'CHECKPOINT_DECLINED', message: 'again' });
    expect(job.gateway.calls).toEqual(['trigger 1', 'aborted 1']);
  });

  it('aborts with FINALIZE_CHECKPOINT_FAILURE when the metadata cannot be written, and never notifies completion', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms' }, { autoAcknowledge: true, failMetadata: true });
    job.start();
    job.runUntil(150);
    expect(job.aborted()).toEqual([{ type: 'checkpoint-aborted', time: 110, checkpointId: 1, reason: 'FINALIZE_CHECKPOINT_FAILURE', message: 'Injected failure: metadata write failed' }]);
    expect(job.gateway.calls).toEqual(['trigger 1', 'aborted 1', FAIL_JOB]);
    expect(job.store.latest()).toBeNull();
    expect(job.storage.inventory()).toEqual({ blobs: [], checkpoints: [] });
  });
});

describe('checkpoint coordinator: one machine per checkpoint', () => {
  const stateOf = (job: ReturnType<typeof coordinator>, checkpointId: CheckpointId) =>
    (job.actor.getSnapshot().children as Record<string, AnyActorRef | undefined>)[checkpointActorId(checkpointId)]?.getSnapshot() as { value: string; status: string } | undefined;

  it('spawns a pendingCheckpoint machine at trigger that finalizes once every task acknowledged and is done when the checkpoint completes', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms' }, { autoAcknowledge: true });
    job.start();
    job.runUntil(100);
    expect(stateOf(job, 1)).toMatchObject({ value: 'pending', status: 'active' });
    job.runUntil(105);
    expect(stateOf(job, 1)).toMatchObject({ value: 'finalizing', status: 'active' });
    job.runUntil(110);
    expect(job.completed().map((event) => event.checkpointId)).toEqual([1]);
    expect(stateOf(job, 1)?.status ?? 'done').toBe('done');
  });

  /** The children that are checkpoints' machines (the others are the effect ports). */
  const checkpointChildren = (job: ReturnType<typeof coordinator>) => Object.keys(job.actor.getSnapshot().children).filter((id) => id.startsWith('checkpoint-'));

  it('keeps no machine of a finished checkpoint among its children', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms' }, { autoAcknowledge: true });
    job.start();
    job.runUntil(2_001);
    expect(job.completed().map((event) => event.checkpointId)).toHaveLength(19);
    expect(checkpointChildren(job)).toEqual([checkpointActorId(20)]);
    job.runUntil(2_050);
    expect(checkpointChildren(job)).toEqual([]);
    // Aborted ones too, also when the coordinator stops.
    job.gateway.onTrigger = () => {};
    job.runUntil(2_100);
    job.actor.send({ type: 'STOP', reason: 'Checkpoint Coordinator is suspending.' });
    expect(job.aborted().map((event) => event.checkpointId)).toEqual([21]);
    expect(checkpointChildren(job)).toEqual([]);
  });

  it('aborts the checkpoint machines of what it aborts (declined, suspended)', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms' });
    job.start();
    job.runUntil(100);
    const first = (job.actor.getSnapshot().children as Record<string, AnyActorRef>)[checkpointActorId(1)]!;
    job.decline(1, 'CHECKPOINT_DECLINED');
    expect(first.getSnapshot()).toMatchObject({ value: 'aborted', status: 'done' });
    job.runUntil(200);
    const second = (job.actor.getSnapshot().children as Record<string, AnyActorRef>)[checkpointActorId(2)]!;
    job.actor.send({ type: 'STOP', reason: 'Checkpoint Coordinator is suspending.' });
    expect(second.getSnapshot()).toMatchObject({ value: 'aborted', status: 'done' });
    expect(job.aborted().map((event) => [event.checkpointId, event.reason])).toEqual([
      [1, 'CHECKPOINT_DECLINED'],
      [2, 'CHECKPOINT_COORDINATOR_SUSPEND'],
    ]);
  });
});

describe('checkpoint coordinator: completion', () => {
  it('writes the metadata before it notifies tasks of completion', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms' }, { autoAcknowledge: true });
    const seenAtNotify: Array<{ stored: CheckpointId[]; latest: CheckpointId | undefined }> = [];
    job.gateway.onComplete = () => seenAtNotify.push({ stored: job.storage.inventory().checkpoints, latest: job.store.latest()?.checkpointId });
    job.start();
    job.runUntil(105);
    // Both tasks acknowledged at 105; the metadata write (5 ms) has not finished: no notification yet.
    expect(job.stats.details(1)).toMatchObject({ num_acknowledged_subtasks: 2, '@class': 'in_progress' });
    expect(job.gateway.calls).toEqual(['trigger 1']);
    job.runUntil(110);
    expect(job.gateway.calls).toEqual(['trigger 1', 'complete 1']);
    expect(seenAtNotify).toEqual([{ stored: [1], latest: 1 }]);
    expect(job.completed()).toEqual([
      {
        type: 'checkpoint-completed',
        time: 110,
        checkpointId: 1,
        isSavepoint: false,
        // Flink's end_to_end_duration: trigger (100) → latest acknowledgement (105); the metadata write follows.
        endToEndDurationMs: 5,
        stateSizeBytes: 20,
        checkpointedSizeBytes: 20,
        sourceOffsets: {},
        externalPath: 'memory://job/chk-1',
      },
    ]);
    expect(job.stats.details(1)).toMatchObject({ '@class': 'completed', external_path: 'memory://job/chk-1', end_to_end_duration: 5 });
  });

  it('keeps only num-retained completed checkpoints and discards the older ones from storage', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms', 'execution.checkpointing.num-retained': 2 }, { autoAcknowledge: true });
    job.start();
    job.runUntil(450);
    expect(job.completed().map((event) => event.checkpointId)).toEqual([1, 2, 3, 4]);
    expect(job.store.retained().map((checkpoint) => checkpoint.checkpointId)).toEqual([3, 4]);
    expect(job.storage.inventory().checkpoints.sort()).toEqual([3, 4]);
    expect(job.blobsOf(1)).toEqual([]);
    expect(job.blobsOf(2)).toEqual([]);
    expect(job.blobsOf(3)).toHaveLength(2);
    expect(job.blobsOf(4)).toHaveLength(2);
    expect(job.events.filter((event) => event.type === 'checkpoint-discarded').map((event) => event.time)).toEqual([310, 410]);
    expect(job.stats.details(1)).toMatchObject({ discarded: true });
    expect(job.stats.details(3)).toMatchObject({ discarded: false });
  });

  it('aborts an older pending checkpoint as subsumed when a newer one completes, without counting a failure', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms', 'execution.checkpointing.max-concurrent-checkpoints': 2 });
    job.start();
    job.at(100, () => job.uploadAndAcknowledge('source#0', 1));
    job.at(200, () => job.acknowledgeAll(2));
    job.runUntil(250);
    expect(job.completed().map((event) => event.checkpointId)).toEqual([2]);
    expect(job.aborted()).toEqual([{ type: 'checkpoint-aborted', time: 210, checkpointId: 1, reason: 'CHECKPOINT_SUBSUMED', message: 'Checkpoint 1 was subsumed by 2' }]);
    // Flink drops subsumed checkpoints before it notifies completion (CheckpointCoordinator.cleanupAfterCompletedCheckpoint).
    expect(job.gateway.calls).toEqual(['trigger 1', 'trigger 2', 'aborted 1', 'complete 2']);
    expect(job.blobsOf(1)).toEqual([]);
    expect(job.stats.details(1)).toMatchObject({ '@class': 'failed' });
  });
});

describe('checkpoint coordinator: savepoints', () => {
  it('triggers a savepoint even when max-concurrent checkpoints are already pending', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms' });
    job.start();
    job.at(150, () => job.actor.send({ type: 'TRIGGER_SAVEPOINT' }));
    job.runUntil(150);
    expect(job.gateway.triggers).toEqual([
      { checkpointId: 1, timestamp: 100, isSavepoint: false },
      { checkpointId: 2, timestamp: 150, isSavepoint: true },
    ]);
  });

  it('does not let a pending savepoint hold back periodic checkpoints', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms' });
    job.start();
    job.at(50, () => job.actor.send({ type: 'TRIGGER_SAVEPOINT' }));
    job.runUntil(100);
    expect(job.gateway.triggers.map((trigger) => [trigger.checkpointId, trigger.isSavepoint])).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it('never subsumes a savepoint: a newer completed checkpoint leaves it pending, and num-retained never discards it', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms' });
    job.start();
    job.at(50, () => job.actor.send({ type: 'TRIGGER_SAVEPOINT' }));
    job.at(100, () => job.acknowledgeAll(2));
    job.runUntil(150);
    expect(job.completed().map((event) => event.checkpointId)).toEqual([2]);
    expect(job.aborted()).toEqual([]);
    job.acknowledgeAll(1);
    job.gateway.onTrigger = ({ checkpointId }) => job.acknowledgeAll(checkpointId);
    job.runUntil(450);
    expect(job.completed().map((event) => [event.checkpointId, event.isSavepoint])).toEqual([
      [2, false],
      [1, true],
      [3, false],
      [4, false],
      [5, false],
    ]);
    expect(job.store.savepoints().map((savepoint) => savepoint.checkpointId)).toEqual([1]);
    expect(job.storage.inventory().checkpoints.sort()).toEqual([1, 5]);
    expect(job.blobsOf(1)).toHaveLength(2);
  });

  it('completing a savepoint neither subsumes older pending checkpoints nor notifies tasks, as Flink (only synchronous savepoints do)', () => {
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms' });
    job.start();
    job.at(150, () => job.actor.send({ type: 'TRIGGER_SAVEPOINT' }));
    job.at(150, () => job.acknowledgeAll(2));
    job.runUntil(199);
    expect(job.completed().map((event) => [event.checkpointId, event.isSavepoint])).toEqual([[2, true]]);
    expect(job.aborted()).toEqual([]);
    expect(job.gateway.calls).toEqual(['trigger 1', 'trigger 2']);
    job.acknowledgeAll(1);
    job.runUntil(250);
    expect(job.gateway.calls).toEqual(['trigger 1', 'trigger 2', 'complete 1', 'trigger 3']);
  });
});

describe('checkpoint coordinator: suspension and cleanup', () => {
  it('aborts every pending checkpoint on STOP, cancels their expiry and triggers nothing until started again', () => {
    const job = coordinator({
      'execution.checkpointing.interval': '100 ms',
      'execution.checkpointing.max-concurrent-checkpoints': 2,
      'execution.checkpointing.timeout': '1 s',
    });
    job.start();
    job.at(250, () => job.actor.send({ type: 'STOP', reason: 'Checkpoint Coordinator is suspending.' }));
    job.runUntil(250);
    expect(job.actor.getSnapshot().value).toBe('stopped');
    expect(job.aborted().map((event) => [event.checkpointId, event.reason])).toEqual([
      [1, 'CHECKPOINT_COORDINATOR_SUSPEND'],
      [2, 'CHECKPOINT_COORDINATOR_SUSPEND'],
    ]);
    job.runUntil(5_000);
    expect(job.expired()).toEqual([]);
    expect(job.gateway.calls).toEqual(['trigger 1', 'trigger 2', 'aborted 1', 'aborted 2']);
    job.start();
    job.runUntil(5_100);
    expect(job.gateway.triggers.at(-1)).toEqual({ checkpointId: 3, timestamp: 5_100, isSavepoint: false });
  });

  it.each([
    ['expired', (job: ReturnType<typeof coordinator>) => job.runUntil(150)],
    ['stopped', (job: ReturnType<typeof coordinator>) => job.at(150, () => job.actor.send({ type: 'STOP', reason: 'suspending' }))],
  ])('discards the state of a late acknowledgement for a checkpoint that was %s, leaving no orphan blobs', (_, abort) => {
    const job = coordinator({
      'execution.checkpointing.interval': '100 ms',
      'execution.checkpointing.timeout': '50 ms',
      'execution.checkpointing.tolerable-failed-checkpoints': 5,
    });
    job.start();
    job.at(100, () => job.uploadAndAcknowledge('source#0', 1));
    abort(job);
    // sum#0 finishes its upload only after the abort's cleanup ran (at 155), then acknowledges at 165.
    job.at(160, () => job.uploadAndAcknowledge('sum#0', 1));
    job.runUntil(165);
    expect(job.blobsOf(1)).toHaveLength(1);
    job.runUntil(170);
    expect(job.blobsOf(1)).toEqual([]);
    expect(job.completed()).toEqual([]);
    expect(job.stats.details(1)).toMatchObject({ '@class': 'failed', num_acknowledged_subtasks: 1 });
  });
});

describe('checkpoint coordinator: stop-with-savepoint', () => {
  const periodic = { 'execution.checkpointing.interval': '100 ms' };

  it('aborts the pending checkpoint, takes one synchronous savepoint, triggers nothing periodic meanwhile, and commits it', () => {
    const job = coordinator(periodic);
    job.start();
    job.runUntil(150);
    expect(job.triggeredIds()).toEqual([1]);
    job.actor.send({ type: 'STOP_WITH_SAVEPOINT' });
    expect(job.aborted()).toEqual([{ type: 'checkpoint-aborted', time: 150, checkpointId: 1, reason: 'CHECKPOINT_COORDINATOR_SUSPEND', message: 'Checkpoint Coordinator is suspending.' }]);
    expect(job.gateway.calls).toEqual(['trigger 1', 'aborted 1', 'trigger 2 (synchronous savepoint)']);
    expect(job.actor.getSnapshot().matches('stoppingWithSavepoint')).toBe(true);
    job.runUntil(1_000);
    expect(job.triggeredIds()).toEqual([1, 2]);
    job.acknowledgeAll(2);
    job.runUntil(1_100);
    // Unlike a savepoint taken while running, its completion is committed (notifyCheckpointComplete).
    expect(job.gateway.calls.slice(3)).toEqual(['complete 2']);
    expect(job.actor.getSnapshot().context.stopWithSavepoint).toMatchObject({ status: 'COMPLETED', checkpointId: 2, savepoint: { checkpointId: 2, isSavepoint: true } });
    expect(job.store.latest()?.checkpointId).toBe(2);
    expect(job.stats.statistics().latest.savepoint).toMatchObject({ id: 2, is_savepoint: true, checkpoint_type: 'SYNC_SAVEPOINT' });
    job.runUntil(2_000);
    expect(job.triggeredIds()).toEqual([1, 2]);
  });

  it('fails when not all tasks are running, triggering nothing, and the job goes on checkpointing', () => {
    const job = coordinator(periodic, { autoAcknowledge: true });
    job.start();
    job.gateway.running = false;
    job.at(150, () => job.actor.send({ type: 'STOP_WITH_SAVEPOINT' }));
    job.at(160, () => (job.gateway.running = true));
    job.runUntil(250);
    expect(job.actor.getSnapshot().context.stopWithSavepoint).toEqual({ status: 'FAILED', checkpointId: null, reason: 'Not all required tasks are currently running.' });
    expect(job.gateway.triggers).toEqual([{ checkpointId: 1, timestamp: 200, isSavepoint: false }]);
  });

  it('fails when a task declines the savepoint, without counting it as a failed checkpoint, and resumes periodic checkpoints', () => {
    const job = coordinator(periodic);
    job.start();
    job.at(50, () => job.actor.send({ type: 'STOP_WITH_SAVEPOINT' }));
    job.at(80, () => job.decline(1, 'CHECKPOINT_DECLINED_TASK_NOT_READY'));
    job.runUntil(90);
    expect(job.actor.getSnapshot().context.stopWithSavepoint).toEqual({ status: 'FAILED', checkpointId: 1, reason: 'declined for CHECKPOINT_DECLINED_TASK_NOT_READY' });
    expect(job.actor.getSnapshot().matches('running')).toBe(true);
    expect(job.gateway.calls).toEqual(['trigger 1 (synchronous savepoint)', 'aborted 1']);
    job.runUntil(120);
    expect(job.triggeredIds()).toEqual([1, 2]);
    expect(job.gateway.calls).not.toContain(FAIL_JOB);
  });

  it('fails when the job stops checkpointing before the savepoint completes (a failover)', () => {
    const job = coordinator(periodic);
    job.start();
    job.at(50, () => job.actor.send({ type: 'STOP_WITH_SAVEPOINT' }));
    job.at(60, () => job.actor.send({ type: 'STOP', reason: 'Checkpoint Coordinator is suspending.' }));
    job.runUntil(70);
    expect(job.actor.getSnapshot().context.stopWithSavepoint).toEqual({ status: 'FAILED', checkpointId: 1, reason: 'Checkpoint Coordinator is suspending.' });
    expect(job.actor.getSnapshot().matches('stopped')).toBe(true);
  });

  it('refuses a savepoint or a second stop while stopping: the tasks wait for this savepoint', () => {
    const job = coordinator(periodic);
    job.start();
    job.at(50, () => job.actor.send({ type: 'STOP_WITH_SAVEPOINT' }));
    job.at(60, () => job.actor.send({ type: 'TRIGGER_SAVEPOINT' }));
    job.at(70, () => job.actor.send({ type: 'STOP_WITH_SAVEPOINT' }));
    job.runUntil(80);
    expect(job.triggeredIds()).toEqual([1]);
    expect(job.actor.getSnapshot().context.stopWithSavepoint).toEqual({ status: 'PENDING', checkpointId: 1 });
  });
});

describe('checkpoint coordinator: effects live in actors', () => {
  it('hands every command for the job master to its gateway port, which provide() can swap', () => {
    const commands: GatewayCommand[] = [];
    const gatewayPort = fromCallback<GatewayCommand, CoordinatorGateway>(({ receive }) => receive((command) => commands.push(command)));
    const job = coordinator({ 'execution.checkpointing.interval': '100 ms', 'execution.checkpointing.timeout': '50 ms' }, { gatewayPort });
    job.start();
    job.runUntil(160);
    // The job master's gateway is still asked for the plan (a query), but told nothing.
    expect(job.gateway.calls).toEqual([]);
    expect(commands).toEqual([
      { type: 'TRIGGER_CHECKPOINT', checkpointId: 1, timestamp: 100, checkpointType: 'CHECKPOINT', tasks: ['source#0'] },
      { type: 'NOTIFY_CHECKPOINT_ABORTED', checkpointId: 1 },
      { type: 'FAIL_JOB', cause: 'Exceeded checkpoint tolerable failure threshold.' },
    ]);
    expect(job.expired().map((event) => [event.checkpointId, event.time])).toEqual([[1, 150]]);
  });
});
