import { describe, expect, it } from 'vitest';
import type { EngineEvent, EventOf } from '../../engine/events';
import { computeKeyGroupRangeForOperatorIndex } from '../../engine/state';
import { prepareScenarioJob } from '../sim/scenario-job';
import { Simulation } from '../sim/simulation';
import { parseFault } from '../sim/fault-plan';

function run(faults: string[] = []): readonly EngineEvent[] {
  const job = prepareScenarioJob({ scenario: 'running-sum', parallelism: 2, maxParallelism: 16, checkpointIntervalMs: 500, mode: 'exactly-once', keys: 40, recordsPerSecond: 100 });
  const sim = new Simulation({ seed: 2, jobGraph: job.jobGraph, configuration: job.configuration, faults: faults.map(parseFault) });
  sim.start();
  sim.runUntil(3_000);
  return sim.events;
}

const deployments = (events: readonly EngineEvent[]) => events.filter((event): event is EventOf<'job-deployed'> => event.type === 'job-deployed');

describe('job-deployed', () => {
  it('describes the topology: chains with roles, key groups per keyed subtask, every channel with its partitioner', () => {
    const [deployed] = deployments(run());
    expect(deployed).toMatchObject({ attempt: 0, restoredCheckpointId: null, time: 0 });
    expect(deployed!.vertices).toEqual([
      { vertexId: 'numbers', name: 'Source: numbers', parallelism: 2, maxParallelism: 16, operators: [{ uid: 'numbers', name: 'Source: numbers', role: 'source', chained: false }] },
      {
        vertexId: 'sum',
        name: expect.any(String),
        parallelism: 2,
        maxParallelism: 16,
        operators: [
          { uid: 'sum', name: expect.any(String), role: 'keyed', chained: false },
          { uid: 'sink', name: expect.any(String), role: 'sink', chained: true },
        ],
      },
    ]);
    const range = (index: number) => computeKeyGroupRangeForOperatorIndex(16, 2, index);
    expect(deployed!.subtasks).toEqual([
      { taskId: 'numbers#0', vertexId: 'numbers', subtaskIndex: 0, keyGroups: null },
      { taskId: 'numbers#1', vertexId: 'numbers', subtaskIndex: 1, keyGroups: null },
      { taskId: 'sum#0', vertexId: 'sum', subtaskIndex: 0, keyGroups: { start: range(0).startKeyGroup, end: range(0).endKeyGroup } },
      { taskId: 'sum#1', vertexId: 'sum', subtaskIndex: 1, keyGroups: { start: 8, end: 15 } },
    ]);
    expect(deployed!.channels).toEqual([
      { from: 'numbers#0', to: 'sum#0', channel: 0, partitioner: 'hash' },
      { from: 'numbers#1', to: 'sum#0', channel: 1, partitioner: 'hash' },
      { from: 'numbers#0', to: 'sum#1', channel: 0, partitioner: 'hash' },
      { from: 'numbers#1', to: 'sum#1', channel: 1, partitioner: 'hash' },
    ]);
  });

  it('comes once per attempt, before any event of that attempt’s tasks, naming the checkpoint it restores', () => {
    const events = run(['kill:sum#1@1200']);
    const [first, second] = deployments(events);
    expect(deployments(events)).toHaveLength(2);
    expect(second!.attempt).toBe(1);
    const restored = events.find((event) => event.type === 'task-restored');
    expect(restored?.type === 'task-restored' && restored.checkpointId).toBe(second!.restoredCheckpointId);
    expect(second!.restoredFrom).toEqual({ isSavepoint: false, externalPath: `memory://job/chk-${second!.restoredCheckpointId}` });
    expect(second!.channels).toEqual(first!.channels);
    for (const deployed of [first!, second!]) {
      const index = events.indexOf(deployed);
      const firstTaskEvent = events.findIndex((event) => 'attempt' in event && event.type !== 'job-deployed' && event.type !== 'job-restarting' && event.attempt === deployed.attempt);
      expect(firstTaskEvent).toBeGreaterThan(index);
    }
  });
});
