// Restore validation as Flink's Checkpoints.loadAndValidateCheckpoint and StateAssignmentOperation decide it:
// operators matched by operator id, unclaimed state refused unless ignored, max parallelism kept, parallelism within it.
import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment, type Source } from '../graph/stream-execution-environment';
import { computeKeyGroupRangeForOperatorIndex } from '../state';
import type { CheckpointMetadata, OperatorStateMetadata } from './checkpoint-metadata';
import { validateSavepointRestore } from './savepoint-restore';

const SUM_ID = '239c254b5ff89532b198266322bc819f';

/** numbers → keyBy → sum (keyed) → sink, with uids `numbers`, `sum` (or `sumUid`) and `sink`. */
function jobGraph(parallelism: number, maxParallelism = 128, sumUid = 'sum') {
  const env = new StreamExecutionEnvironment().setParallelism(parallelism).setMaxParallelism(maxParallelism);
  const source: Source<{ key: string; value: number }> = {
    name: 'numbers',
    createReader: () => {
      throw new Error('validation never runs operators');
    },
  };
  env
    .fromSource(source)
    .uid('numbers')
    .keyBy((record) => record.key)
    .reduce((a, b) => ({ key: a.key, value: a.value + b.value }))
    .uid(sumUid)
    .sinkTo({ name: 'sums', createWriter: () => source.createReader() })
    .uid('sink');
  return env.getJobGraph();
}

function sum(parallelism: number, maxParallelism: number, uid = 'sum'): OperatorStateMetadata {
  return {
    operatorUid: uid,
    parallelism,
    maxParallelism,
    subtaskStates: Array.from({ length: parallelism }, (_, subtask) => {
      const range = computeKeyGroupRangeForOperatorIndex(maxParallelism, parallelism, subtask);
      return { operatorUid: uid, keyed: { storageKey: `${uid}-${subtask}`, keyGroupRange: { start: range.startKeyGroup, end: range.endKeyGroup }, stateSizeBytes: 10 }, operator: null };
    }),
  };
}

function numbers(parallelism: number, maxParallelism: number): OperatorStateMetadata {
  return {
    operatorUid: 'numbers',
    parallelism,
    maxParallelism,
    subtaskStates: Array.from({ length: parallelism }, (_, subtask) => ({
      operatorUid: 'numbers',
      keyed: null,
      operator: { states: { 'partition-offsets': { mode: 'SPLIT_DISTRIBUTE' as const, entries: [{ partition: subtask, offset: 3 }] } } },
    })),
  };
}

function savepoint(operators: OperatorStateMetadata[]): CheckpointMetadata {
  return { version: 1, jobId: 'running-sum', checkpointId: 9, isSavepoint: true, triggerTimestamp: 10, completionTimestamp: 20, operators };
}

const RUNNING_SUM = savepoint([numbers(2, 128), sum(2, 128)]);

describe('validateSavepointRestore', () => {
  it('accepts a savepoint at the same, a higher and a lower parallelism, up to the max parallelism', () => {
    for (const parallelism of [1, 2, 3, 128]) {
      expect(validateSavepointRestore(RUNNING_SUM, jobGraph(parallelism))).toEqual({ ok: true, maxParallelism: 128, skippedOperators: [] });
    }
  });

  it("refuses state for an operator the job lacks in Flink's words, naming its operator id, uid and the pointer", () => {
    const result = validateSavepointRestore(RUNNING_SUM, jobGraph(2, 128, 'total'), { pointer: 'savepoint-9.bscp' });
    expect(result).toEqual({
      ok: false,
      message:
        `Failed to rollback to checkpoint/savepoint savepoint-9.bscp. Cannot map checkpoint/savepoint state for operator ${SUM_ID} (uid 'sum') ` +
        'to the new program, because the operator is not available in the new program. If you want to allow to skip this, ' +
        "set execution.state-recovery.ignore-unclaimed-state to true (Flink's --allowNonRestoredState).",
    });
  });

  it('skips that state with ignore-unclaimed-state, and says which operators it skipped', () => {
    expect(validateSavepointRestore(RUNNING_SUM, jobGraph(2, 128, 'total'), { ignoreUnclaimedState: true })).toEqual({ ok: true, maxParallelism: 128, skippedOperators: ['sum'] });
  });

  it('skips empty state of an operator the job lacks without complaint, as Flink does', () => {
    const empty: OperatorStateMetadata = { operatorUid: 'old-map', parallelism: 1, maxParallelism: 128, subtaskStates: [{ operatorUid: 'old-map', keyed: null, operator: { states: {} } }] };
    expect(validateSavepointRestore(savepoint([...RUNNING_SUM.operators, empty]), jobGraph(2))).toEqual({ ok: true, maxParallelism: 128, skippedOperators: [] });
  });

  it('refuses a max parallelism other than the configured one, naming both values', () => {
    const result = validateSavepointRestore(savepoint([numbers(2, 64), sum(2, 64)]), jobGraph(2, 128));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toBe(
      'Failed to rollback to checkpoint/savepoint chk-9. Max parallelism mismatch between checkpoint/savepoint state and new program. ' +
        `Cannot map operator ca88eee0095684d687a1b6495617f957 (uid 'numbers') with max parallelism 64 to new program with max parallelism 128. ` +
        'This indicates that the program has been changed in a non-compatible way after the checkpoint/savepoint.',
    );
  });

  it("takes the state's max parallelism when the job's was derived, as Flink rescales a derived one", () => {
    expect(validateSavepointRestore(savepoint([numbers(2, 64), sum(2, 64)]), jobGraph(2, 128), { maxParallelismConfigured: false })).toEqual({
      ok: true,
      maxParallelism: 64,
      skippedOperators: [],
    });
  });

  it('refuses a parallelism above the state’s max parallelism, even when the job’s was derived', () => {
    const result = validateSavepointRestore(savepoint([numbers(2, 4), sum(2, 4)]), jobGraph(5, 128), { maxParallelismConfigured: false });
    expect(result).toEqual({
      ok: false,
      message:
        'The state for task numbers can not be restored. The maximum parallelism (4) of the restored state is lower than the configured parallelism (5). ' +
        'Please reduce the parallelism of the task to be lower or equal to the maximum parallelism.',
    });
  });

  it('refuses, when the job takes the state’s max parallelism, operators that disagree on it', () => {
    const result = validateSavepointRestore(savepoint([numbers(2, 64), sum(2, 256)]), jobGraph(2, 128), { maxParallelismConfigured: false });
    expect(!result.ok && result.message).toContain(`Cannot map operator ${SUM_ID} (uid 'sum') with max parallelism 256 to new program with max parallelism 64.`);
  });

  it('accepts a snapshot without some of the job’s operators: they start empty', () => {
    expect(validateSavepointRestore(savepoint([numbers(2, 128)]), jobGraph(3)).ok).toBe(true);
  });
});
