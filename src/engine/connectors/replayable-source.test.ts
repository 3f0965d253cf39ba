import { describe, expect, it } from 'vitest';
import { OperatorStateBackend } from '../state';
import type { Clock } from '../ports/clock';
import type { SourceStatus } from '../operators/stream-operator';
import { InMemoryExternalSystems } from './external-systems';
import { ReplayableSource, type ReplayableSourceReader, type ReplayableTopic } from './replayable-source';

/** Two partitions of three records each: `p<partition>-<offset>`. */
const TOPIC: ReplayableTopic = {
  name: 'letters',
  numberOfPartitions: 2,
  partitionLength: () => 3,
  read: (partition, offset) => `p${partition}-${offset}`,
};

function openReader(options: { bounded?: boolean; subtask?: number; parallelism?: number; topic?: ReplayableTopic }, clock: { now: number }): ReplayableSourceReader {
  const reader = new ReplayableSource({ topic: options.topic ?? TOPIC, recordsPerSecond: 1000, ...(options.bounded === undefined ? {} : { bounded: options.bounded }) }).createReader();
  const time: Clock = { now: () => clock.now, setTimeout: () => null, clearTimeout: () => {} };
  reader.open({
    taskInfo: {
      taskId: 'source#0',
      taskName: 'source',
      operatorUid: 'letters',
      indexOfThisSubtask: options.subtask ?? 0,
      numberOfParallelSubtasks: options.parallelism ?? 1,
      maxNumberOfParallelSubtasks: 128,
      attemptNumber: 0,
    },
    clock: time,
    keyedStateBackend: null,
    operatorStateBackend: new OperatorStateBackend(),
    isRestored: false,
    restoredCheckpointId: null,
    external: new InMemoryExternalSystems(),
    emit: () => {},
  });
  return reader;
}

/** Calls emitNext until it stops saying more is available; the records and the last status. */
function drain(reader: ReplayableSourceReader): { records: unknown[]; status: SourceStatus } {
  const records: unknown[] = [];
  for (let i = 0; i < 100; i++) {
    const status = reader.emitNext({ collect: (record) => records.push(record) }, 100);
    if (status.kind !== 'more-available') return { records, status };
  }
  throw new Error('the reader never stopped');
}

describe('ReplayableSource', () => {
  it('idles at the end of its partitions when unbounded (the default), waiting for more', () => {
    const clock = { now: 0 };
    const reader = openReader({}, clock);
    clock.now = 1000;
    const { records, status } = drain(reader);
    expect(records).toHaveLength(6);
    expect(status).toEqual({ kind: 'idle' });
  });

  it('reports end of input once a bounded reader has read every partition it owns to its end', () => {
    const clock = { now: 0 };
    const reader = openReader({ bounded: true }, clock);
    clock.now = 2;
    expect(drain(reader)).toEqual({ records: ['p0-0', 'p1-0'], status: { kind: 'nothing-until', timeMs: 3 } });
    clock.now = 1000;
    const rest = drain(reader);
    expect(rest.records).toEqual(['p1-1', 'p0-1', 'p1-2', 'p0-2']);
    expect(rest.status).toEqual({ kind: 'end-of-input' });
    expect(reader.readPositions()).toEqual([
      { partition: 0, offset: 3 },
      { partition: 1, offset: 3 },
    ]);
  });

  it('ends at once when bounded and it owns no partition (more subtasks than partitions)', () => {
    const clock = { now: 1000 };
    const reader = openReader({ bounded: true, subtask: 2, parallelism: 3 }, clock);
    expect(drain(reader)).toEqual({ records: [], status: { kind: 'end-of-input' } });
  });

  it('ends only once every partition of a bounded reader is read, however uneven their lengths', () => {
    const clock = { now: 0 };
    const uneven: ReplayableTopic = { ...TOPIC, partitionLength: (partition) => (partition === 0 ? 1 : 4) };
    const reader = openReader({ bounded: true, topic: uneven }, clock);
    clock.now = 1000;
    const { records, status } = drain(reader);
    expect(records).toEqual(['p0-0', 'p1-0', 'p1-1', 'p1-2', 'p1-3']);
    expect(status).toEqual({ kind: 'end-of-input' });
  });
});
