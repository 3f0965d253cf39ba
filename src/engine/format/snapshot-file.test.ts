// Round trips of real checkpoints from the deterministic runtime: encode → decode gives back the identical
// CheckpointMetadata and byte-identical blobs, for full, incremental and savepoint snapshots, on both backends.
import { describe, expect, it } from 'vitest';
import { isIncrementalHandle } from '../checkpoint/task-state';
import { decodeSnapshotFile } from './decode-snapshot-file';
import { encodeSnapshotFile, type SnapshotFileInput } from './encode-snapshot-file';
import { isIncremental, realCheckpoints } from '../../runtime/sim/real-checkpoints.fixture';
import type { SnapshotFile } from './snapshot-file';

function decodeOk(bytes: Uint8Array): SnapshotFile {
  const decoded = decodeSnapshotFile(bytes);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value;
}

function expectIdentical(input: SnapshotFileInput, file: SnapshotFile): void {
  expect(file.metadata).toEqual(input.metadata);
  expect([...file.blobs.keys()].sort()).toEqual([...input.blobs.keys()].sort());
  for (const [key, bytes] of input.blobs) expect(file.blobs.get(key), key).toEqual(bytes);
  expect(file.job.jobName).toBe(input.job.jobName);
  expect(file.job.configuration).toEqual(input.job.configuration);
  expect([...file.job.operatorNames]).toEqual([...input.job.operatorNames].filter(([uid]) => input.metadata.operators.some((o) => o.operatorUid === uid)));
}

describe('a snapshot file', () => {
  it('gives back every full checkpoint of a run identically: metadata, blobs, job', () => {
    const { snapshots } = realCheckpoints({ untilMs: 2_000 });
    expect(snapshots.length).toBeGreaterThan(5);
    for (const input of snapshots) expectIdentical(input, decodeOk(encodeSnapshotFile(input)));
  });

  it('bundles every piece an incremental checkpoint references, also pieces earlier checkpoints uploaded', () => {
    const { snapshots } = realCheckpoints({ untilMs: 2_000, configuration: { 'execution.checkpointing.incremental': true } });
    const incremental = snapshots.filter((input) => isIncremental(input.metadata));
    const reusing = incremental.filter(({ metadata }) =>
      metadata.operators.some((o) => o.subtaskStates.some((s) => s.keyed && isIncrementalHandle(s.keyed) && s.keyed.sharedState.some((p) => p.checkpointId < metadata.checkpointId))),
    );
    expect(reusing.length).toBeGreaterThan(3);
    for (const input of incremental) {
      const file = decodeOk(encodeSnapshotFile(input));
      expectIdentical(input, file);
      const shared = file.entries.filter((entry) => entry.name.startsWith('shared/'));
      const pieces = input.metadata.operators.flatMap((o) => o.subtaskStates.flatMap((s) => (s.keyed && isIncrementalHandle(s.keyed) ? s.keyed.sharedState : [])));
      expect(shared).toHaveLength(pieces.length);
    }
  });

  it('writes savepoints canonical and self-contained: full handles, SAVEPOINT, never discarded by the job', () => {
    const { snapshots } = realCheckpoints({ untilMs: 1_500, savepointAtMs: [700], configuration: { 'execution.checkpointing.incremental': true } });
    const savepoint = snapshots.find((input) => input.metadata.isSavepoint)!;
    expect(isIncremental(savepoint.metadata)).toBe(false);
    const file = decodeOk(encodeSnapshotFile(savepoint));
    expectIdentical(savepoint, file);
    expect(file.checkpointType).toBe('SAVEPOINT');
    expect(file.properties).toMatchObject({ forced: true, savepointFormat: 'CANONICAL', discardSubsumed: false, discardCancelled: false });
  });

  it('round-trips the indexeddb backend, whose key groups come from its working store', () => {
    const { snapshots } = realCheckpoints({ untilMs: 1_500, configuration: { 'state.backend.type': 'indexeddb', 'execution.checkpointing.incremental': true } });
    expect(snapshots.length).toBeGreaterThan(3);
    for (const input of snapshots) expectIdentical(input, decodeOk(encodeSnapshotFile(input)));
  });

  it('is deterministic: the same checkpoint always gives the same bytes', () => {
    const first = realCheckpoints({ untilMs: 1_000 }).snapshots.at(-1)!;
    const second = realCheckpoints({ untilMs: 1_000 }).snapshots.at(-1)!;
    expect(encodeSnapshotFile(first)).toEqual(encodeSnapshotFile(second));
    expect(encodeSnapshotFile(first)).toEqual(encodeSnapshotFile(first));
  });

  it('refuses to write a checkpoint whose blobs were not all given', () => {
    const input = realCheckpoints({ untilMs: 1_000 }).snapshots.at(-1)!;
    const [missing] = input.blobs.keys();
    const blobs = new Map([...input.blobs].filter(([key]) => key !== missing));
    expect(() => encodeSnapshotFile({ ...input, blobs })).toThrow(`names blob ${missing}, which was not given`);
  });
});

describe('writing a snapshot file', () => {
  it('refuses a checkpoint the reader would refuse, with the reader\'s reason', () => {
    const input = realCheckpoints({ untilMs: 600 }).snapshots.at(-1)!;
    const job = { ...input.job, configuration: { 'not an option': 'x' } };
    expect(() => encodeSnapshotFile({ ...input, job })).toThrow('Cannot write this checkpoint: _metadata: configuration["not an option"]: Invalid key: Expected a Flink option name');
  });
});
