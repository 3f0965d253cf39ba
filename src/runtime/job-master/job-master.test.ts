// The job master's restore decisions: which snapshot a failover restores, and refusing a snapshot that
// cannot be restored before anything runs (it may come from storage or a file: untrusted).
import { describe, expect, it } from 'vitest';
import { Simulation } from '../sim/simulation';
import { prepareScenarioJob } from '../sim/scenario-job';
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import type { EngineEvent } from '../../engine/events';

/** running-sum at parallelism 2 over 20 keys, checkpoint every 200 ms, with further Flink options. */
function runningSumJob(configuration: Record<string, string | number | boolean> = {}) {
  return prepareScenarioJob({ scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 200, mode: 'exactly-once', keys: 20, recordsPerSecond: 40, configuration });
}

const job = runningSumJob();

function simulation(extra: Partial<ConstructorParameters<typeof Simulation>[0]> = {}) {
  const events: EngineEvent[] = [];
  const sim = new Simulation({ seed: 1, jobGraph: job.jobGraph, configuration: job.configuration, onEvent: (event) => events.push(event), ...extra });
  return { sim, events };
}

describe('JobMaster', () => {
  it('restores the latest checkpoint on failover, not a savepoint taken in between (as Flink ≥ 1.15)', () => {
    const { sim, events } = simulation();
    sim.start();
    sim.runUntil(450);
    const checkpoint = sim.jobMaster.latestCompletedCheckpoint()!;
    expect(checkpoint.isSavepoint).toBe(false);
    sim.jobMaster.triggerSavepoint();
    sim.runUntil(520);
    expect(events.some((e) => e.type === 'checkpoint-completed' && e.isSavepoint)).toBe(true);
    expect(sim.jobMaster.latestCompletedCheckpoint()!.checkpointId).toBe(checkpoint.checkpointId);
    sim.kill('sum#0', 'kill:sum#0');
    sim.runUntil(3000);
    const restored = events.filter((e): e is Extract<EngineEvent, { type: 'task-restored' }> => e.type === 'task-restored');
    expect(restored.length).toBeGreaterThan(0);
    expect(new Set(restored.map((e) => e.checkpointId))).toEqual(new Set([checkpoint.checkpointId]));
  });

  it('triggers a checkpoint by request, queued while max-concurrent are pending, refused once the job is not RUNNING', () => {
    const { sim, events } = simulation();
    sim.start();
    sim.runUntil(250);
    const result = sim.jobMaster.triggerCheckpoint();
    expect(result).toEqual({ status: 'TRIGGERED', checkpointId: 2 });
    expect(sim.jobMaster.triggerCheckpoint()).toEqual({ status: 'QUEUED' });
    sim.runUntil(380);
    expect(events.filter((e) => e.type === 'checkpoint-completed').map((e) => e.checkpointId)).toEqual(expect.arrayContaining([1, 2, 3]));
    expect(sim.jobMaster.stats.details(2)).toMatchObject({ '@class': 'completed', checkpoint_type: 'CHECKPOINT' });
    sim.jobMaster.cancel();
    sim.runUntil(500);
    expect(sim.jobMaster.triggerCheckpoint()).toEqual({ status: 'REFUSED', reason: 'The checkpoint coordinator is not running (the job is not RUNNING).' });
  });

  it('refuses, before starting, a snapshot with state for an operator the job does not have', () => {
    const { sim } = simulation();
    sim.start();
    sim.runUntil(450);
    const good = sim.jobMaster.latestCompletedCheckpoint()!;
    const foreign: CheckpointMetadata = { ...good, operators: good.operators.map((o) => (o.operatorUid === 'sum' ? { ...o, operatorUid: 'renamed-sum' } : o)) };
    expect(() => simulation({ initialCheckpoint: foreign })).toThrow(/Cannot map checkpoint\/savepoint state for operator [0-9a-f]{32} \(uid 'renamed-sum'\)/);
  });

  it('fails the attempt, not the runtime, when a restore turns out impossible at restart', () => {
    const { sim, events } = simulation({ configuration: { ...job.configuration, restartStrategy: { type: 'fixed-delay', attempts: 1, delayMs: 10 } } });
    sim.start();
    sim.runUntil(450);
    const latest = sim.jobMaster.latestCompletedCheckpoint()!;
    // Corrupt the retained checkpoint in place: its keyed state now claims another max parallelism.
    (latest.operators as unknown as Array<{ maxParallelism: number; operatorUid: string }>).find((o) => o.operatorUid === 'sum')!.maxParallelism = 64;
    sim.kill('sum#1', 'kill:sum#1');
    expect(() => sim.runUntil(5000)).not.toThrow();
    expect(sim.jobMaster.status).toBe('FAILED');
    expect(events.some((e) => e.type === 'job-status-changed' && e.status === 'FAILED' && /Restoring checkpoint \d+ failed/.test(e.cause ?? ''))).toBe(true);
  });
});

describe('JobMaster started from a snapshot (Flink NO_CLAIM)', () => {
  const incremental = runningSumJob({ 'execution.checkpointing.incremental': true });

  it('completes new checkpoints after starting from an incremental one, fully uploaded first, never deleting the snapshot it started from', () => {
    const first = new Simulation({ seed: 1, jobGraph: incremental.jobGraph, configuration: incremental.configuration });
    first.start();
    first.runUntil(1300);
    const snapshot = first.jobMaster.latestCompletedCheckpoint()!;
    const keyed = snapshot.operators.find((o) => o.operatorUid === 'sum')!.subtaskStates[0]!.keyed as { sharedState?: Array<{ checkpointId: number }> };
    expect(keyed.sharedState!.some((piece) => piece.checkpointId < snapshot.checkpointId)).toBe(true);

    const events: EngineEvent[] = [];
    const second = new Simulation({
      seed: 2,
      jobGraph: incremental.jobGraph,
      configuration: incremental.configuration,
      initialCheckpoint: snapshot,
      durableStorageOf: first.memoryStorage,
      onEvent: (event) => events.push(event),
    });
    second.start();
    second.runUntil(1500);
    const completed = events.filter((e) => e.type === 'checkpoint-completed');
    expect(completed.length).toBeGreaterThan(2);
    expect(completed[0]).toMatchObject({ checkpointId: snapshot.checkpointId + 1 });
    const next = second.jobMaster.stats.details(snapshot.checkpointId + 1)!;
    expect(next.checkpointed_size).toBe(next.state_size);
    const stored = new Set(second.memoryStorage.inventory().blobs);
    const startedFrom = snapshot.operators.flatMap((o) => o.subtaskStates).flatMap((s) => (s?.keyed ? [s.keyed.storageKey] : []));
    for (const key of startedFrom) expect(stored.has(key)).toBe(true);
  });

  it('runs unaligned checkpoints (issue 9): they complete as UNALIGNED_CHECKPOINT, a savepoint stays aligned', () => {
    const unaligned = runningSumJob({ 'execution.checkpointing.unaligned.enabled': true });
    const events: EngineEvent[] = [];
    const sim = new Simulation({ seed: 1, jobGraph: unaligned.jobGraph, configuration: unaligned.configuration, onEvent: (event) => events.push(event) });
    sim.start();
    sim.runUntil(450);
    sim.jobMaster.triggerSavepoint();
    sim.runUntil(900);
    const completed = events.filter((e): e is Extract<EngineEvent, { type: 'checkpoint-completed' }> => e.type === 'checkpoint-completed');
    expect(completed.filter((e) => !e.isSavepoint).length).toBeGreaterThan(1);
    for (const { checkpointId, isSavepoint } of completed) {
      expect(sim.jobMaster.stats.details(checkpointId)!.checkpoint_type, `checkpoint ${checkpointId}`).toBe(isSavepoint ? 'SAVEPOINT' : 'UNALIGNED_CHECKPOINT');
    }
    expect(completed.some((e) => e.isSavepoint)).toBe(true);
  });

  it('refuses unaligned checkpoints at least once or with concurrent checkpoints, as Flink does', () => {
    const atLeastOnce = () =>
      prepareScenarioJob({ scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 200, mode: 'at-least-once', keys: 20, recordsPerSecond: 40, configuration: { 'execution.checkpointing.unaligned.enabled': true } });
    expect(atLeastOnce).toThrow(/requires execution\.checkpointing\.mode = EXACTLY_ONCE/);
    expect(() => runningSumJob({ 'execution.checkpointing.unaligned.enabled': true, 'execution.checkpointing.max-concurrent-checkpoints': 2 })).toThrow(
      /requires execution\.checkpointing\.max-concurrent-checkpoints = 1/,
    );
  });
});
