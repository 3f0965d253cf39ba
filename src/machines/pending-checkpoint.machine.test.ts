// One checkpoint's machine, driven in virtual time under a stand-in coordinator that records what the
// checkpoint reports: pending until every task acknowledged, finalizing while the metadata is written,
// then completed, aborted (by the coordinator, or because the metadata write failed) or expired.
import { describe, expect, it } from 'vitest';
import { assign, createActor, setup } from 'xstate';
import type { TaskId } from '../engine/ids';
import { failed, type StorageCallback } from '../engine/ports/checkpoint-storage';
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import { PendingCheckpoint } from '../engine/checkpoint/pending-checkpoint';
import { CHECKPOINT_EXPIRED_MESSAGE } from '../engine/checkpoint/checkpoint-stats-fold';
import type { SubtaskCheckpointMetrics, TaskStateSnapshot } from '../engine/checkpoint/task-state';
import { Scheduler } from '../runtime/sim/scheduler';
import { SimulatedClock } from '../runtime/sim/sim-clock';
import { MemoryCheckpointStorage } from '../storage/memory-checkpoint-storage';
import { pendingCheckpointMachine, pendingCheckpointStateOf, type PendingCheckpointEvent, type PendingCheckpointOutcome } from './pending-checkpoint.machine';

const TASKS: readonly TaskId[] = ['source#0', 'sum#0'];
const OPERATORS = [
  { operatorUid: 'source', parallelism: 1, maxParallelism: 128 },
  { operatorUid: 'sum', parallelism: 1, maxParallelism: 128 },
];
const TIMEOUT_MS = 100;

const metrics: SubtaskCheckpointMetrics = {
  ackTimestamp: 0,
  syncDurationMs: 1,
  asyncDurationMs: 2,
  alignmentDurationMs: 0,
  startDelayMs: 0,
  checkpointedSizeBytes: 10,
  stateSizeBytes: 10,
  processedDataBytes: 0,
  persistedDataBytes: 0,
  alignmentBufferedBytes: 0,
  unalignedCheckpoint: false,
};

const stateOf = (taskId: TaskId): TaskStateSnapshot => ({ subtaskIndex: 0, operators: [{ operatorUid: taskId.split('#')[0]!, keyed: null, operator: null }] });

/** Storage whose metadata writes fail after `latencyMs`. */
class FailingMetadataStorage extends MemoryCheckpointStorage {
  override writeMetadata(_metadata: CheckpointMetadata, done: StorageCallback<void>): void {
    super.listCompleted('job', () => done(failed('Injected failure: metadata write failed')));
  }
}

/** Checkpoint 1, triggered at 0 with a 100 ms timeout, metadata writes taking `metadataLatencyMs`. */
function checkpoint(options: { metadataLatencyMs?: number; failMetadata?: boolean } = {}) {
  const scheduler = new Scheduler();
  const clock = new SimulatedClock(scheduler);
  const latency = { fixedMs: options.metadataLatencyMs ?? 5, bytesPerMs: 1e9 };
  const storage = options.failMetadata ? new FailingMetadataStorage(clock, latency) : new MemoryCheckpointStorage(clock, latency);
  const pending = new PendingCheckpoint('job', 1, 0, { isSavepoint: false }, TASKS);
  const outcomes: PendingCheckpointOutcome[] = [];
  // A stand-in coordinator: spawns the checkpoint and records what it reports back.
  const parent = setup({
    types: { events: {} as PendingCheckpointOutcome | { type: 'TO_CHECKPOINT'; event: PendingCheckpointEvent } },
    actors: { pendingCheckpoint: pendingCheckpointMachine },
  }).createMachine({
    invoke: { id: 'checkpoint-1', src: 'pendingCheckpoint', input: { pending, operators: OPERATORS, storage, clock, timeoutMs: TIMEOUT_MS } },
    on: {
      CHECKPOINT_COMPLETED: { actions: assign(({ event }) => (outcomes.push(event), {})) },
      CHECKPOINT_FAILED: { actions: assign(({ event }) => (outcomes.push(event), {})) },
    },
  });
  const actor = createActor(parent, { clock }).start();
  const child = actor.getSnapshot().children['checkpoint-1']!;
  return {
    storage,
    outcomes,
    send: (event: PendingCheckpointEvent) => child.send(event),
    acknowledge: (taskId: TaskId) => child.send({ type: 'ACKNOWLEDGE', taskId, state: stateOf(taskId), metrics: { ...metrics, ackTimestamp: clock.now() } }),
    state: () => child.getSnapshot().value as string,
    runUntil: (time: number) => scheduler.runUntil(time),
    at: (time: number, action: () => void) => scheduler.schedule(time, action),
  };
}

describe('pending checkpoint machine: definition', () => {
  it("has Flink's lifecycle as its states, each described, the outcomes final", () => {
    const { root } = pendingCheckpointMachine;
    expect(root.id).toBe('pendingCheckpoint');
    expect(Object.keys(root.states)).toEqual(['pending', 'finalizing', 'completed', 'aborted', 'expired']);
    expect(root.initial.target.map((state) => state.key)).toEqual(['pending']);
    for (const state of Object.values(root.states)) expect(state.description, state.key).toMatch(/\w/);
    expect(Object.values(root.states).filter((state) => state.type === 'final').map((state) => state.key)).toEqual(['completed', 'aborted', 'expired']);
    expect(root.states['finalizing']!.invoke.map((invoke) => invoke.src)).toEqual(['writeMetadata']);
  });
});

describe('pending checkpoint machine: transitions', () => {
  it('stays pending until every task acknowledged (a duplicate or unknown task does not count), then finalizes and completes', () => {
    const job = checkpoint();
    job.at(10, () => job.acknowledge('source#0'));
    job.at(11, () => job.acknowledge('source#0'));
    job.at(12, () => job.acknowledge('other#0'));
    job.runUntil(12);
    expect(job.state()).toBe('pending');
    job.at(20, () => job.acknowledge('sum#0'));
    job.runUntil(20);
    expect(job.state()).toBe('finalizing');
    expect(job.storage.inventory().checkpoints).toEqual([]);
    job.runUntil(25);
    expect(job.state()).toBe('completed');
    expect(job.storage.inventory().checkpoints).toEqual([1]);
    expect(job.outcomes).toEqual([{ type: 'CHECKPOINT_COMPLETED', checkpointId: 1, metadata: expect.objectContaining({ checkpointId: 1, triggerTimestamp: 0, completionTimestamp: 20 }) }]);
  });

  it('expires at the timeout while pending', () => {
    const job = checkpoint();
    job.at(10, () => job.acknowledge('source#0'));
    job.runUntil(99);
    expect(job.state()).toBe('pending');
    job.runUntil(100);
    expect(job.state()).toBe('expired');
    expect(job.outcomes).toEqual([{ type: 'CHECKPOINT_FAILED', checkpointId: 1, reason: 'CHECKPOINT_EXPIRED', message: CHECKPOINT_EXPIRED_MESSAGE }]);
  });

  it('expires while finalizing, the timeout counted from the trigger, and ignores the write that ends later', () => {
    const job = checkpoint({ metadataLatencyMs: 50 });
    job.at(80, () => {
      job.acknowledge('source#0');
      job.acknowledge('sum#0');
    });
    job.runUntil(99);
    expect(job.state()).toBe('finalizing');
    job.runUntil(100);
    expect(job.state()).toBe('expired');
    job.runUntil(200);
    expect(job.outcomes).toEqual([{ type: 'CHECKPOINT_FAILED', checkpointId: 1, reason: 'CHECKPOINT_EXPIRED', message: CHECKPOINT_EXPIRED_MESSAGE }]);
  });

  it('is aborted while pending or finalizing when the coordinator aborts it, and never completes after', () => {
    for (const acknowledgeAll of [false, true]) {
      const job = checkpoint({ metadataLatencyMs: 20 });
      job.at(10, () => {
        job.acknowledge('source#0');
        if (acknowledgeAll) job.acknowledge('sum#0');
      });
      job.at(15, () => job.send({ type: 'ABORT', reason: 'CHECKPOINT_SUBSUMED', message: 'Checkpoint 1 was subsumed by 2' }));
      job.runUntil(14);
      expect(job.state()).toBe(acknowledgeAll ? 'finalizing' : 'pending');
      job.runUntil(200);
      expect(job.state()).toBe('aborted');
      expect(job.outcomes).toEqual([{ type: 'CHECKPOINT_FAILED', checkpointId: 1, reason: 'CHECKPOINT_SUBSUMED', message: 'Checkpoint 1 was subsumed by 2' }]);
    }
  });

  it('is aborted with FINALIZE_CHECKPOINT_FAILURE when the metadata cannot be written', () => {
    const job = checkpoint({ failMetadata: true });
    job.at(10, () => TASKS.forEach((taskId) => job.acknowledge(taskId)));
    job.runUntil(200);
    expect(job.state()).toBe('aborted');
    expect(job.outcomes).toEqual([{ type: 'CHECKPOINT_FAILED', checkpointId: 1, reason: 'FINALIZE_CHECKPOINT_FAILURE', message: 'Injected failure: metadata write failed' }]);
  });
});

describe('pendingCheckpointStateOf', () => {
  const entry = (status: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED', acknowledged: number, failureMessage?: string) => ({
    status,
    num_subtasks: 2,
    num_acknowledged_subtasks: acknowledged,
    ...(failureMessage === undefined ? {} : { failure_message: failureMessage }),
  });

  it("reads the machine's state from a checkpoint's statistics", () => {
    expect(pendingCheckpointStateOf(entry('IN_PROGRESS', 1))).toBe('pending');
    expect(pendingCheckpointStateOf(entry('IN_PROGRESS', 2))).toBe('finalizing');
    expect(pendingCheckpointStateOf(entry('COMPLETED', 2))).toBe('completed');
    expect(pendingCheckpointStateOf(entry('FAILED', 1, 'Task sum#0 declined'))).toBe('aborted');
    expect(pendingCheckpointStateOf(entry('FAILED', 1, CHECKPOINT_EXPIRED_MESSAGE))).toBe('expired');
  });
});

