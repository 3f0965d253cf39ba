// A job restored from a snapshot file (Flink's `flink run -s`) on the deterministic runtime: at any parallelism
// up to the max parallelism, keyed state moves by key-group ranges and the outputs of the run that took the
// savepoint and of the restored run together are exactly-once; restore modes own or leave the snapshot.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import { decodeSnapshotFile, encodeSnapshotFile, inspectSnapshot, requiredBlobs, type SnapshotFile } from '../../engine/format';
import { findScenario } from '../../scenarios';
import { runScenario, sourceOffsetsOf, type RunScenarioOptions, type RunScenarioResult } from './run-scenario';
import { prepareRestore } from './snapshot-restore';

const RUN: RunScenarioOptions = {
  scenario: 'running-sum',
  parallelism: 2,
  checkpointIntervalMs: 200,
  mode: 'exactly-once',
  seed: 3,
  keys: 30,
  recordsPerSecond: 40,
  recordEvents: false,
};
const runningSum = findScenario('running-sum');

/** The run's stop-with-savepoint savepoint, or its last retained checkpoint, as a decoded `.bscp` file. */
function fileOf(result: RunScenarioResult, metadata: CheckpointMetadata | null = result.stop?.status === 'COMPLETED' ? result.stop.savepoint : null): SnapshotFile {
  if (metadata === null) throw new Error(`no savepoint: ${result.stopFailure}`);
  const blobs = new Map(requiredBlobs(metadata).map((key) => [key, result.simulation.memoryStorage.readBlobNow(key)!] as const));
  const decoded = decodeSnapshotFile(encodeSnapshotFile({ metadata, blobs, job: result.snapshotJob }));
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value;
}

function restoredRun(file: SnapshotFile, options: Partial<RunScenarioOptions> & { parallelism: number }): RunScenarioResult {
  const run = { ...RUN, ...options };
  const prepared = prepareRestore(file, { ...run, keys: run.keys!, recordsPerSecond: run.recordsPerSecond! }, 'savepoint.bscp');
  if (!prepared.ok) throw new Error(prepared.message);
  return runScenario({ ...run, maxParallelism: prepared.maxParallelism, restore: prepared.restore });
}

/** Every key's sum in the file, as inspection (the State Processor API's view) shows it. */
function sumsIn(file: SnapshotFile): Map<unknown, unknown> {
  const sum = inspectSnapshot(file).operators.find((operator) => operator.operatorUid === 'sum')!;
  return new Map(sum.subtasks.flatMap((subtask) => subtask.keyedState?.rows ?? []).map((row) => [row.key, row.values['sum']]));
}

const stopped = runScenario({ ...RUN, stopWithSavepointAtMs: 900 });
const savepoint = fileOf(stopped);

describe('restoring from a savepoint file', () => {
  it('gives every key exactly 1,3,6,10,15 with the stopped run, at any parallelism up to the max parallelism (seed 8)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 128 }), (parallelism) => {
        const restored = restoredRun(savepoint, { parallelism });
        expect(restored.problems, `parallelism ${parallelism}`).toEqual([]);
        expect(runningSum.checkExactlyOnce([...stopped.output, ...restored.output], stopped.parameters), `parallelism ${parallelism}`).toEqual([]);
      }),
      { seed: 8, numRuns: 6, examples: [[1], [128]] },
    );
  });

  it('rescales 2 → 3 → 1 keeping every key’s state, and the three runs commit every sum exactly once', () => {
    const atThree = restoredRun(savepoint, { parallelism: 3, stopWithSavepointAtMs: 500 });
    expect(atThree.stop).toMatchObject({ status: 'COMPLETED' });
    const second = fileOf(atThree);
    const atOne = restoredRun(second, { parallelism: 1 });
    for (const file of [savepoint, second]) {
      expect(sumsIn(file)).toEqual(runningSum.expectedState(sourceOffsetsOf(file.metadata, ['numbers']), stopped.parameters));
    }
    expect(second.document.operators.find((operator) => operator.operatorUid === 'sum')!.parallelism).toBe(3);
    expect([stopped, atThree, atOne].map((run) => run.problems)).toEqual([[], [], []]);
    expect(stopped.output.length * atThree.output.length * atOne.output.length).toBeGreaterThan(0);
    expect(runningSum.checkExactlyOnce([...stopped.output, ...atThree.output, ...atOne.output], stopped.parameters)).toEqual([]);
  });

  it('is self-contained when taken from a run with incremental checkpoints: full key-group handles only', () => {
    const incremental = { 'execution.checkpointing.incremental': true };
    const run = runScenario({ ...RUN, configuration: incremental, stopWithSavepointAtMs: 900 });
    const lastCheckpoint = run.simulation.jobMaster.stats.statistics().history.find((entry) => !entry.is_savepoint && entry.status === 'COMPLETED')!;
    expect(lastCheckpoint.checkpointed_size).toBeLessThan(lastCheckpoint.state_size);
    const file = fileOf(run);
    const handles = file.document.operators.flatMap((operator) => operator.subtaskStates.flatMap((state) => (state.managedKeyedState ? [state.managedKeyedState.type] : [])));
    expect(handles).toEqual(['KEY_GROUPS_HANDLE', 'KEY_GROUPS_HANDLE']);
    expect(file.entries.some((entry) => entry.name.startsWith('shared/'))).toBe(false);
    const restored = restoredRun(file, { parallelism: 3, configuration: incremental });
    expect(runningSum.checkExactlyOnce([...run.output, ...restored.output], run.parameters)).toEqual([]);
  });

  it("takes the savepoint's max parallelism when the job sets none (as Flink does for a derived one)", () => {
    const small = runScenario({ ...RUN, maxParallelism: 8, stopWithSavepointAtMs: 900 });
    const file = fileOf(small);
    const restored = restoredRun(file, { parallelism: 5 });
    expect(restored.simulation.jobMaster.latestCompletedCheckpoint()!.operators.map((operator) => operator.maxParallelism)).toEqual([8, 8, 8]);
    expect(runningSum.checkExactlyOnce([...small.output, ...restored.output], small.parameters)).toEqual([]);
    const refused = prepareRestore(file, { ...RUN, parallelism: 2, maxParallelism: 16, keys: 30, recordsPerSecond: 40 }, 'small.bscp');
    expect(refused).toEqual({ ok: false, message: expect.stringContaining('with max parallelism 8 to new program with max parallelism 16') });
  });
});

describe('restore modes (execution.state-recovery.claim-mode)', () => {
  const blobsOf = (run: RunScenarioResult, checkpointId: number) => run.simulation.memoryStorage.inventory().blobs.filter((key) => key.startsWith(`running-sum/chk-${checkpointId}/`));
  const { checkpointId } = savepoint.metadata;

  it('NO_CLAIM (the default) never discards the snapshot the job started from', () => {
    const restored = restoredRun(savepoint, { parallelism: 2, recordEvents: true });
    expect(restored.events.some((event) => event.type === 'checkpoint-discarded' && event.checkpointId === checkpointId)).toBe(false);
    expect(blobsOf(restored, checkpointId)).toHaveLength(2);
  });

  it('CLAIM discards it, blobs and all, once a checkpoint of the job subsumes it', () => {
    const restored = restoredRun(savepoint, { parallelism: 2, recordEvents: true, configuration: { 'execution.state-recovery.claim-mode': 'CLAIM' } });
    const discarded = restored.events.find((event) => event.type === 'checkpoint-discarded' && event.checkpointId === checkpointId);
    const firstCompleted = restored.events.find((event) => event.type === 'checkpoint-completed');
    expect(discarded?.time).toBe(firstCompleted?.time);
    expect(blobsOf(restored, checkpointId)).toEqual([]);
    expect(runningSum.checkExactlyOnce([...stopped.output, ...restored.output], stopped.parameters)).toEqual([]);
  });

  it('after an incremental checkpoint, NO_CLAIM takes the first checkpoint in full and CLAIM builds on the claimed pieces', () => {
    const incremental = { 'execution.checkpointing.incremental': true };
    const run = runScenario({ ...RUN, configuration: incremental, untilMs: 700 });
    const file = fileOf(run, run.simulation.jobMaster.latestCompletedCheckpoint());
    const firstCheckpoint = (claimMode: string) => {
      const restored = restoredRun(file, { parallelism: 2, untilMs: 250, configuration: { ...incremental, 'execution.state-recovery.claim-mode': claimMode } });
      const [first] = restored.checkpoints.history;
      return { checkpointId: first!.id, full: first!.checkpointed_size === first!.state_size };
    };
    expect(firstCheckpoint('NO_CLAIM')).toEqual({ checkpointId: file.metadata.checkpointId + 1, full: true });
    expect(firstCheckpoint('CLAIM')).toEqual({ checkpointId: file.metadata.checkpointId + 1, full: false });
  });
});
