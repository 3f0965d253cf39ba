// The sample the page offers ("Open a sample snapshot"), made by the page itself (tests/e2e/snapshot-files.spec.ts
// with UPDATE_SAMPLES=1): a savepoint of the page's job that decodes, is consistent, and restores at every
// parallelism the page runs, continuing exactly-once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSnapshotFile, inspectSnapshot } from '../../engine/format';
import { sourceOffsetsOf } from '../../runtime/sim/run-scenario';
import { DEFAULT_JOB } from '../live-job.svelte';
import { SAMPLE_SNAPSHOT_PATH } from './opened-snapshot.svelte';
import { planRestore } from './restore-plan';
import { committedBefore } from './restored-output';

const bytes = new Uint8Array(readFileSync(join(import.meta.dirname, '..', '..', '..', 'public', SAMPLE_SNAPSHOT_PATH)));
const PAGE_JOB = { ...DEFAULT_JOB, mode: 'exactly-once' as const };

describe('the sample snapshot', () => {
  const decoded = decodeSnapshotFile(bytes);
  if (!decoded.ok) throw new Error(decoded.error.message);
  const file = decoded.value;

  it('is a savepoint of the running sum made on Web Workers with IndexedDB', () => {
    expect(file.checkpointType).toBe('SAVEPOINT');
    // Written before format version 2 (channel state) existed, and read as it was.
    expect(file.formatVersion).toBe(1);
    expect(file.job.jobName).toBe('running-sum');
    expect(file.job.configuration['state.backend.type']).toBe('hashmap');
    expect(inspectSnapshot(file).savepointMetadata.map((row) => row['operator-uid'])).toEqual(['numbers', 'sum', 'sink']);
    // Taken in real time (epoch milliseconds of this century), not the CLI's virtual clock.
    expect(file.metadata.completionTimestamp).toBeGreaterThan(Date.UTC(2020, 0, 1));
  });

  it('holds, per key, the sum its source offsets imply, and a restore from it at 1 to 8 completes every key exactly once', () => {
    for (let parallelism = 1; parallelism <= 8; parallelism++) {
      const plan = planRestore(file.metadata, { ...PAGE_JOB, parallelism }, 'browser-savepoint.bscp');
      if (!plan.ok) throw new Error(plan.message);
      const offsets = sourceOffsetsOf(file.metadata, plan.job.built.sources.keys());
      const sums = new Map(inspectSnapshot(file).operators.find((operator) => operator.operatorUid === 'sum')!.subtasks.flatMap((subtask) => subtask.keyedState!.rows.map((row) => [row.key, row.values['sum']])));
      expect(sums).toEqual(plan.job.scenario.expectedState(offsets, plan.job.parameters));
      const before = committedBefore(file.metadata, plan.job);
      const whole = [...before.earlier.records, ...before.pending.flatMap((transaction) => transaction.records), ...plan.job.scenario.expectedOutput(offsets, null, plan.job.parameters)];
      expect(plan.job.scenario.checkExactlyOnce(whole, plan.job.parameters)).toEqual([]);
    }
  });
});
