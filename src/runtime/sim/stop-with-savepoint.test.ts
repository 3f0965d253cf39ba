// Stop-with-savepoint (Flink's `flink stop`, no drain) on the deterministic runtime: periodic checkpoints stop,
// the sources stop at a synchronous savepoint's barrier, the 2PC sink commits on its completion, every task and
// the job end FINISHED — or, when the savepoint fails, the job goes on and periodic checkpointing resumes.
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/events';
import { groupByKey } from '../../scenarios/scenario';
import type { KeyedNumber } from '../../scenarios/running-sum';
import { runScenario, sourceOffsetsOf, type RunScenarioOptions } from './run-scenario';

const RUN: RunScenarioOptions = { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 500, mode: 'exactly-once', seed: 1, keys: 40, recordsPerSecond: 40 };

function ofType<T extends EngineEvent['type']>(events: readonly EngineEvent[], type: T): Array<Extract<EngineEvent, { type: T }>> {
  return events.filter((event): event is Extract<EngineEvent, { type: T }> => event.type === type);
}

describe('stop-with-savepoint', () => {
  it('takes a synchronous savepoint, commits it, and ends every task and the job FINISHED', () => {
    const result = runScenario({ ...RUN, stopWithSavepointAtMs: 1_200 });
    expect(result.stop).toMatchObject({ status: 'COMPLETED', checkpointId: 3 });
    expect(result.jobStatus).toBe('FINISHED');
    expect(result.stopFailure).toBeNull();
    expect(result.problems).toEqual([]);
    const { events } = result;
    expect(ofType(events, 'checkpoint-triggered').map((event) => [event.checkpointId, event.time, event.isSavepoint])).toEqual([
      [1, 500, false],
      [2, 1_000, false],
      [3, 1_200, true],
    ]);
    const completedAt = ofType(events, 'checkpoint-completed').find((event) => event.checkpointId === 3)!.time;
    // The savepoint subsumes the checkpoint before it; its transactions are committed; then the tasks finish.
    expect(ofType(events, 'checkpoint-discarded').map((event) => event.checkpointId)).toEqual([1, 2]);
    expect(ofType(events, 'sink-committed').filter((event) => event.transactionId.endsWith('@3')).map((event) => event.transactionId).sort()).toEqual(['sink#0@3', 'sink#1@3']);
    const finished = ofType(events, 'task-state-changed').filter((event) => event.state === 'FINISHED');
    expect(finished.map((event) => event.taskId).sort()).toEqual(['numbers#0', 'numbers#1', 'sum#0', 'sum#1']);
    for (const event of finished) expect(event.time).toBeGreaterThan(completedAt);
    expect(ofType(events, 'job-status-changed').at(-1)).toMatchObject({ status: 'FINISHED', previous: 'RUNNING' });
    expect(result.checkpoints.latest.savepoint).toMatchObject({ id: 3, is_savepoint: true, checkpoint_type: 'SYNC_SAVEPOINT' });
  });

  it('commits exactly what the savepoint covers: every sum of the records before its offsets, once', () => {
    const result = runScenario({ ...RUN, stopWithSavepointAtMs: 1_200 });
    const { stop } = result;
    const savepoint = stop?.status === 'COMPLETED' ? stop.savepoint : null;
    const offsets = sourceOffsetsOf(savepoint!, ['numbers']);
    const expected = groupByKey<KeyedNumber>(result.scenario.expectedOutput(null, offsets, result.parameters));
    const committed = groupByKey<KeyedNumber>(result.output);
    expect(committed.size).toBeGreaterThan(10);
    expect(new Map([...committed].map(([key, records]) => [key, records.map((record) => record.value)]))).toEqual(
      new Map([...expected].map(([key, records]) => [key, records.map((record) => record.value)])),
    );
    // And what it covers is the state it holds.
    expect(result.scenario.expectedState(offsets, result.parameters).size).toBe(committed.size);
  });

  it('fails while the job restarts, and the job goes on to drain', () => {
    const result = runScenario({ ...RUN, faults: [{ kind: 'kill', uid: 'sum', subtask: 1, atMs: 1_100 }], stopWithSavepointAtMs: 1_200 });
    expect(result.stop).toEqual({ status: 'FAILED', checkpointId: null, reason: 'Not all required tasks are currently running.' });
    expect(result.stopFailure).toBe('stop-with-savepoint at 1200 ms failed: Not all required tasks are currently running.');
    expect(result.jobStatus).toBe('RUNNING');
    expect(result.drained).toBe(true);
    expect(result.problems).toEqual([result.stopFailure]);
  });

  it('fails when a task declines its savepoint, without failing the job, and periodic checkpoints resume', () => {
    const result = runScenario({ ...RUN, faults: [{ kind: 'fail-snapshot', uid: 'sum', subtask: 0, checkpointId: 3 }], stopWithSavepointAtMs: 1_200 });
    expect(result.stop).toMatchObject({ status: 'FAILED', checkpointId: 3, reason: 'Injected failure: upload of checkpoint 3 by sum#0 failed' });
    expect(result.numRestarts).toBe(0);
    expect(result.jobStatus).toBe('RUNNING');
    const triggered = ofType(result.events, 'checkpoint-triggered');
    expect(triggered.filter((event) => event.checkpointId > 3 && !event.isSavepoint).length).toBeGreaterThan(0);
    // The sources resumed after the failed stop: all input was read and committed once.
    expect(result.drained).toBe(true);
    expect(result.scenario.checkExactlyOnce(result.output, result.parameters)).toEqual([]);
  });
});
