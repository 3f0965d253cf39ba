// "Fail next upload" from the page, on the deterministic runtime: the subtask's next snapshot fails in its
// async part — a source's too, whose snapshot is its offsets — so it declines the checkpoint, the checkpoint
// fails, the job fails over (no tolerable failures by default), and output stays exactly-once; what the
// failed snapshot wrote is discarded with it.
import { describe, expect, it } from 'vitest';
import { stateObjectsOfCheckpoint } from '../../engine/checkpoint/shared-state-registry';
import type { TaskId } from '../../engine/ids';
import { runScenario, type RunScenarioOptions } from './run-scenario';

const RUNNING_SUM: RunScenarioOptions = { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 100, mode: 'exactly-once', seed: 3 };
/** Virtual time after the first checkpoints completed, when every subtask is RUNNING. */
const INJECT_AT_MS = 250;

function runWithUploadFailure(taskId: TaskId) {
  let accepted: boolean | null = null;
  const result = runScenario({
    ...RUNNING_SUM,
    onStart: (simulation) => simulation.scheduler.schedule(INJECT_AT_MS, () => (accepted = simulation.tasks.get(taskId)!.failNextSnapshotUpload())),
  });
  return { ...result, accepted };
}

describe.each(['numbers#0', 'sum#1'])('an upload failure injected into %s', (taskId) => {
  const result = runWithUploadFailure(taskId);
  const { counts, latest } = result.checkpoints;

  it('fails exactly the next checkpoint of that subtask, with its decline as the failure', () => {
    expect(result.accepted).toBe(true);
    expect(counts.failed).toBe(1);
    const checkpointId = latest.failed!.id;
    expect(latest.failed).toMatchObject({ failure_message: `Injected failure: upload of checkpoint ${checkpointId} by ${taskId} failed` });
    const own = result.events.filter((event) => 'taskId' in event && event.taskId === taskId && 'checkpointId' in event && event.checkpointId === checkpointId);
    expect(own.map((event) => event.type)).toContain('snapshot-failed');
    expect(own.map((event) => event.type)).not.toContain('checkpoint-acknowledged');
    expect(result.events).toContainEqual(expect.objectContaining({ type: 'fault-injected', fault: `fail-snapshot:${taskId}@${checkpointId}` }));
  });

  it('fails the job over once, as with no tolerable failed checkpoints, and output stays exactly-once', () => {
    expect(result.numRestarts).toBe(1);
    expect(result.drained).toBe(true);
    expect(result.problems).toEqual([]);
  });

  it('leaves no blob of the failed checkpoint behind', () => {
    const { simulation } = result;
    simulation.jobMaster.cancel();
    simulation.runUntil(simulation.now + 60_000);
    const store = simulation.jobMaster.store;
    const referenced = new Set([...store.retained(), ...store.savepoints()].flatMap((metadata) => stateObjectsOfCheckpoint(metadata).map((reference) => reference.storageKey)));
    expect(simulation.memoryStorage.inventory().blobs.filter((key) => !referenced.has(key))).toEqual([]);
  });
});

it('refuses an upload failure for a subtask that is not RUNNING', () => {
  const answers: boolean[] = [];
  runScenario({
    ...RUNNING_SUM,
    untilMs: INJECT_AT_MS + 10,
    onStart: (simulation) =>
      simulation.scheduler.schedule(INJECT_AT_MS, () => {
        const task = simulation.tasks.get('sum#0')!;
        answers.push(task.failNextSnapshotUpload());
        simulation.kill('sum#0', 'kill:sum#0 (test)');
        answers.push(task.failNextSnapshotUpload());
      }),
  });
  expect(answers).toEqual([true, false]);
});
