// What sinks say in the event stream: a 2PC commit carries its checkpoint and records (the committed output
// is exactly the records of every sink-committed), the open transaction is aborted when its task closes
// (cancel or failure, not a kill), and an at-least-once sink's writes are sink-written events.
import { describe, expect, it } from 'vitest';
import type { EngineEvent, EventOf } from '../../engine/events';
import { runScenario } from './run-scenario';
import { parseFault } from './fault-plan';

const of = <T extends EngineEvent['type']>(events: readonly EngineEvent[], type: T) => events.filter((event): event is EventOf<T> => event.type === type);

const run = (mode: 'exactly-once' | 'at-least-once', faults: string[] = [], crashAtMs?: number) =>
  runScenario({
    scenario: 'running-sum',
    parallelism: 2,
    checkpointIntervalMs: 300,
    mode,
    seed: 4,
    keys: 40,
    recordsPerSecond: 50,
    faults: faults.map(parseFault),
    ...(crashAtMs === undefined ? {} : { onStart: (sim) => sim.scheduler.schedule(crashAtMs, () => sim.tasks.get('sum#0')?.fail('Injected crash')) }),
  });

describe('sink events', () => {
  it('sink-committed carries the pre-committing checkpoint and the records: together they are the committed output', () => {
    const result = run('exactly-once', ['kill:numbers#1@900']);
    const commits = of(result.events, 'sink-committed');
    expect(commits.length).toBeGreaterThan(0);
    expect(commits.flatMap((commit) => commit.committed)).toEqual(result.output);
    for (const commit of commits) {
      expect(commit.records).toBe(commit.committed.length);
      expect(commit.transactionId).toBe(`sink#${commit.taskId.split('#')[1]}@${commit.checkpointId}`);
    }
    expect(result.problems).toEqual([]);
  });

  it('aborts the open transaction when the task is cancelled on failover, before it is CANCELED; a killed task says nothing', () => {
    const result = run('exactly-once', ['kill:sum#1@900']);
    const aborted = of(result.events, 'sink-aborted');
    expect(aborted.map((event) => [event.taskId, event.attempt])).toEqual([['sum#0', 0]]);
    expect(aborted[0]!.transactionId).toMatch(/^sink#0@attempt-0-after-\d+$/);
    const canceled = result.events.findIndex((event) => event.type === 'task-state-changed' && event.taskId === 'sum#0' && event.state === 'CANCELED');
    expect(result.events.indexOf(aborted[0]!)).toBeLessThan(canceled);
    expect(result.problems).toEqual([]);
  });

  it('aborts the open transaction of a failing task before it is FAILED, with its records', () => {
    const result = run('exactly-once', [], 700);
    const [aborted] = of(result.events, 'sink-aborted').filter((event) => event.taskId === 'sum#0');
    expect(aborted!.records).toBeGreaterThan(0);
    const failed = result.events.findIndex((event) => event.type === 'task-failed' && event.taskId === 'sum#0');
    expect(result.events.indexOf(aborted!)).toBeLessThan(failed);
    expect(result.problems).toEqual([]);
  });

  it('at-least-once: sink-written events hold exactly what the output received, duplicates included', () => {
    const result = run('at-least-once', ['kill:sum#1@900']);
    const written = of(result.events, 'sink-written');
    expect(written.flatMap((event) => event.written)).toEqual(result.output);
    expect(of(result.events, 'sink-committed')).toEqual([]);
    expect(result.output.length).toBeGreaterThan(40 * 5);
  });
});
