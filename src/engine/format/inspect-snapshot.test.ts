// What inspecting a snapshot file shows: FLIP-512's savepoint_metadata rows, and per subtask its key groups,
// one row per key with its values, the source offsets, the pending transactions and the bytes each takes.
import { describe, expect, it } from 'vitest';
import { decodeSnapshotFile } from './decode-snapshot-file';
import { encodeSnapshotFile } from './encode-snapshot-file';
import { inspectSnapshot } from './inspect-snapshot';
import { EXAMPLE_SNAPSHOT, EXAMPLE_UNALIGNED_SNAPSHOT } from './snapshot-format-example.fixture';

function inspectExample(example = EXAMPLE_SNAPSHOT) {
  const decoded = decodeSnapshotFile(encodeSnapshotFile(example));
  if (!decoded.ok) throw new Error(decoded.error.message);
  return inspectSnapshot(decoded.value);
}

describe('inspecting a snapshot file', () => {
  it("lists FLIP-512's savepoint_metadata rows: uid hashes, parallelism, subtask states, total sizes", () => {
    expect(inspectExample().savepointMetadata).toEqual([
      row('Source: numbers', 'numbers', 'ca88eee0095684d687a1b6495617f957', 108),
      row('Running sum', 'sum', '239c254b5ff89532b198266322bc819f', 63),
      row('Sink: sums', 'sink', '2e588ce1c86a9d46e2e85186773ce4fd', 84),
    ]);
  });

  it('reads keyed state as the State Processor API does: one row per key, with its key group', () => {
    const keyed = inspectExample().operators[1]!.subtasks[0]!.keyedState!;
    expect(keyed.keyGroupRange).toEqual({ start: 0, end: 3 });
    expect(keyed.states).toEqual([{ name: 'sum', kind: 'VALUE' }]);
    expect(keyed.rows).toEqual([
      { keyGroup: 0, key: 'key-3', values: { sum: 6 } },
      { keyGroup: 2, key: 'key-1', values: { sum: 1 } },
      { keyGroup: 3, key: 'key-0', values: { sum: 3 } },
    ]);
    expect(keyed.keyGroups.map(({ keyGroup, keys, sizeBytes }) => [keyGroup, keys, sizeBytes])).toEqual([[0, 1, 16], [2, 1, 16], [3, 1, 16]]);
  });

  it('shows where the sources resume and which transactions a restore commits again', () => {
    const [source, , sink] = inspectExample().operators;
    expect(source!.subtasks[0]!.sourceOffsets).toEqual([
      { partition: 0, offset: 2 },
      { partition: 1, offset: 1 },
      { partition: 2, offset: 0 },
      { partition: 3, offset: 3 },
    ]);
    expect(sink!.subtasks[0]!.pendingTransactions).toEqual([{ transactionId: 'sink#0@3', checkpointId: 3, records: 1 }]);
  });

  it("lists an unaligned checkpoint's channel state per subtask: channels, buffers, records and bytes", () => {
    const inspection = inspectExample(EXAMPLE_UNALIGNED_SNAPSHOT);
    const [source, sum, sink] = inspection.operators;
    expect(source!.subtasks[0]!.channelState).toEqual({
      channels: [{ side: 'output', gateOrPartitionIndex: 0, channelIndex: 0, buffers: 1, records: 1, sizeBytes: 33 }],
      records: 1,
      persistedDataBytes: 33,
      entrySizeBytes: 28,
    });
    expect(sum!.subtasks[0]!.channelState).toEqual({
      channels: [{ side: 'input', gateOrPartitionIndex: 0, channelIndex: 0, buffers: 2, records: 3, sizeBytes: 99 }],
      records: 3,
      persistedDataBytes: 99,
      entrySizeBytes: 82,
    });
    expect(sink!.subtasks[0]!.channelState).toBeNull();
    expect(inspection.savepointMetadata.map((row) => row['operator-total-size-in-bytes'])).toEqual([108 + 28, 63 + 82, 84]);
    expect(inspectExample().operators.every((operator) => operator.subtasks.every((subtask) => subtask.channelState === null))).toBe(true);
  });
});

function row(name: string, uid: string, hash: string, size: number) {
  return {
    'checkpoint-id': 3,
    'operator-name': name,
    'operator-uid': uid,
    'operator-uid-hash': hash,
    'operator-parallelism': 1,
    'operator-max-parallelism': 4,
    'operator-subtask-state-count': 1,
    'operator-coordinator-state-size-in-bytes': 0,
    'operator-total-size-in-bytes': size,
  };
}
