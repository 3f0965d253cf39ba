// Task.sample() on a running job of the deterministic runtime: the numbers agree with the event stream,
// keyed values carry the epoch that wrote them (the restored checkpoint's after a restore), and a sample
// stays small whatever the state's size.
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/events';
import { SAMPLE_KEY_LIMIT, type TaskSample } from '../../engine/samples';
import { prepareScenarioJob } from './scenario-job';
import { Simulation } from './simulation';
import { parseFault } from './fault-plan';

function simulation(keys: number, faults: string[] = []): Simulation {
  const job = prepareScenarioJob({ scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 500, mode: 'exactly-once', keys, recordsPerSecond: 100 });
  const sim = new Simulation({ seed: 5, jobGraph: job.jobGraph, configuration: job.configuration, faults: faults.map(parseFault) });
  sim.start();
  return sim;
}

function sampleOf(sim: Simulation, taskId: string): TaskSample {
  return JSON.parse(JSON.stringify(sim.tasks.get(taskId)!.sample())) as TaskSample;
}

const lastBarrierEmitted = (events: readonly EngineEvent[], taskId: string) =>
  Math.max(...events.flatMap((event) => (event.type === 'barrier-emitted' && event.taskId === taskId ? [event.checkpointId] : [])));

describe('Task.sample()', () => {
  const sim = simulation(100);
  sim.runUntil(1_250);

  it('gives a source its partitions’ next offsets: every record read is sent or still in its output backlog', () => {
    const sample = sampleOf(sim, 'numbers#0');
    expect(sample.barrierHandler).toEqual({ state: 'none', checkpointId: null, blockedChannels: [] });
    expect(sample.inputQueues).toEqual([]);
    expect(sample.keyedState).toBeNull();
    expect(sample.sourcePartitions!.map(({ source, partition }) => [source, partition])).toEqual([
      ['numbers', 0],
      ['numbers', 2],
    ]);
    const read = sample.sourcePartitions!.reduce((sum, { offset }) => sum + offset, 0);
    const sent = sim.events.reduce((sum, event) => sum + (event.type === 'records-moved' && event.from === 'numbers#0' ? event.count : 0), 0);
    const backlog = sample.outputs.reduce((sum, output) => sum + output.backlog, 0);
    expect(read).toBeGreaterThan(0);
    expect(read).toBe(sent + backlog);
    expect(sample.outputs.map(({ to, channel }) => [to, channel])).toEqual([
      ['sum#0', 0],
      ['sum#1', 0],
    ]);
  });

  it('gives the task’s epoch: one more than the last checkpoint whose barrier it passed', () => {
    for (const taskId of ['numbers#0', 'sum#0', 'sum#1']) expect(sampleOf(sim, taskId).epoch).toBe(lastBarrierEmitted(sim.events, taskId) + 1);
  });

  it('gives a keyed task its keys, running sums and the epochs that wrote them', () => {
    const sample = sampleOf(sim, 'sum#0');
    expect(sample.state).toBe('RUNNING');
    expect(sample.barrierHandler.state).toBe('WaitingForFirstBarrier');
    expect(sample.inputQueues).toHaveLength(2);
    const { keys, totalKeys } = sample.keyedState!;
    expect(totalKeys).toBe(keys.length);
    expect(keys.length).toBeGreaterThan(0);
    for (const { value, epoch } of keys) {
      expect([1, 3, 6, 10, 15]).toContain(value);
      expect(epoch).toBeGreaterThanOrEqual(1);
      expect(epoch).toBeLessThanOrEqual(sample.epoch);
    }
    expect(new Set(keys.map((key) => key.epoch)).size).toBeGreaterThan(1);
  });

  it('stays bounded: at most SAMPLE_KEY_LIMIT keys of many', () => {
    const big = simulation(2_000);
    big.runUntil(6_000);
    const sample = sampleOf(big, 'sum#1');
    expect(sample.keyedState!.keys).toHaveLength(SAMPLE_KEY_LIMIT);
    expect(sample.keyedState!.totalKeys).toBeGreaterThan(SAMPLE_KEY_LIMIT);
    expect(JSON.stringify(sample).length).toBeLessThan(20_000);
  });

  it('after a restore gives every key not written since the restored checkpoint’s epoch', () => {
    const restarted = simulation(100, ['kill:sum#0@1100']);
    const atRestore: TaskSample[] = [];
    const events: EngineEvent[] = [];
    restarted.runUntil(1_050);
    // Sample each task as it is restored, before it processes anything.
    const original = restarted.events.push.bind(restarted.events);
    restarted.events.push = (...pushed: EngineEvent[]) => {
      for (const event of pushed) {
        events.push(event);
        if (event.type === 'task-restored' && event.taskId.startsWith('sum#')) atRestore.push(restarted.tasks.get(event.taskId)!.sample());
      }
      return original(...pushed);
    };
    restarted.runUntil(4_000);
    expect(atRestore).toHaveLength(2);
    const restored = events.find((event) => event.type === 'task-restored');
    const restoredId = restored?.type === 'task-restored' ? restored.checkpointId : null;
    expect(restoredId).toBeGreaterThan(0);
    for (const sample of atRestore) {
      expect(sample.attempt).toBe(1);
      expect(sample.epoch).toBe(restoredId! + 1);
      expect(sample.keyedState!.keys.length).toBeGreaterThan(0);
      for (const key of sample.keyedState!.keys) expect(key.epoch).toBe(restoredId);
    }
  });
});
