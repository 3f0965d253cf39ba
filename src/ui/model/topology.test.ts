import { describe, expect, it } from 'vitest';
import type { EngineEvent, EventOf } from '../../engine/events';
import { TopologyFold } from './topology';

const deployed = (attempt: number, parallelism: number): EventOf<'job-deployed'> => {
  const sources = Array.from({ length: parallelism }, (_, i) => ({ taskId: `numbers#${i}`, vertexId: 'numbers', subtaskIndex: i, keyGroups: null }));
  const sums = Array.from({ length: parallelism }, (_, i) => ({ taskId: `sum#${i}`, vertexId: 'sum', subtaskIndex: i, keyGroups: null }));
  return {
    type: 'job-deployed',
    time: attempt * 100,
    attempt,
    restoredCheckpointId: null,
    vertices: [
      { vertexId: 'numbers', name: 'numbers', parallelism, maxParallelism: 128, operators: [{ uid: 'numbers', name: 'numbers', role: 'source', chained: false }] },
      { vertexId: 'sum', name: 'sum', parallelism, maxParallelism: 128, operators: [{ uid: 'sum', name: 'sum', role: 'keyed', chained: false }, { uid: 'sink', name: 'sink', role: 'sink', chained: true }] },
    ],
    // Listed out of subtask order on purpose: subtasksOf sorts.
    subtasks: [...sources, ...sums.reverse()],
    channels: sums.flatMap((sum) => sources.map((source, channel) => ({ from: source.taskId, to: sum.taskId, channel, partitioner: 'hash' as const }))),
  };
};

const fold = (events: readonly EngineEvent[]): TopologyFold => {
  const topology = new TopologyFold();
  for (const event of events) topology.apply(event);
  return topology;
};

describe('the topology every view folds from the stream', () => {
  it('is the job-deployed: columns by depth, subtasks by index, input channels, senders, sources and sinks', () => {
    const topology = fold([deployed(0, 2)]);
    expect(topology.deployed).toBe(true);
    const value = topology.topology()!;
    expect(Object.fromEntries(value.depthOf)).toEqual({ numbers: 0, sum: 1 });
    expect(value.subtasksOf.get('sum')!.map((s) => s.taskId)).toEqual(['sum#0', 'sum#1']);
    expect(topology.inputChannels('sum#1')).toBe(2);
    expect(topology.inputChannels('numbers#0')).toBe(0);
    expect(topology.senderOf('sum#1', 1)).toBe('numbers#1');
    expect(topology.isSource('numbers#0')).toBe(true);
    expect(topology.isSink('sum#0')).toBe(true);
    expect(topology.hasOutputs('numbers#0')).toBe(true);
    expect(topology.hasOutputs('sum#0')).toBe(false);
  });

  it('takes each newer attempt whole, and ignores an older attempt’s deployment', () => {
    const topology = fold([deployed(0, 2), deployed(1, 3), deployed(0, 2)]);
    expect(topology.subtasks()).toHaveLength(6);
    expect(topology.inputChannels('sum#2')).toBe(3);
  });

  it('is pieced together from task events and records moved when the stream has no job-deployed', () => {
    const topology = fold([
      { type: 'task-state-changed', time: 0, taskId: 'numbers#0', attempt: 0, state: 'RUNNING', previous: 'INITIALIZING' } as EngineEvent,
      { type: 'records-moved', time: 1, from: 'numbers#0', to: 'sum#1', channel: 0, count: 3, attempt: 0 } as EngineEvent,
      { type: 'records-moved', time: 2, from: 'numbers#1', to: 'sum#1', channel: 1, count: 3, attempt: 0 } as EngineEvent,
    ]);
    expect(topology.deployed).toBe(false);
    expect(topology.subtasks()).toEqual(['numbers#0', 'sum#1', 'numbers#1']);
    const value = topology.topology()!;
    expect(value.vertices.map((v) => [v.vertexId, v.parallelism, v.operators[0]!.role])).toEqual([
      ['numbers', 2, 'source'],
      ['sum', 2, 'operator'],
    ]);
    expect(topology.inputChannels('sum#1')).toBe(2);
    expect(topology.senderOf('sum#1', 1)).toBe('numbers#1');
  });
});
