// The output a snapshot says was committed before it, checked against a real deterministic run: for every
// completed checkpoint it is exactly what the sink had committed by then, and with the rest of the input's
// output it makes every key's 1, 3, 6, 10, 15 exactly once.
import { describe, expect, it } from 'vitest';
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import type { EngineEvent } from '../../engine/events';
import { InMemoryExternalOutput } from '../../engine/connectors/external-systems';
import { runScenario, sourceOffsetsOf } from '../../runtime/sim/run-scenario';
import { prepareScenarioJob, type ScenarioJobOptions } from '../../runtime/sim/scenario-job';
import type { Simulation } from '../../runtime/sim/simulation';
import { commitInto, committedBefore, recordCount } from './restored-output';

const JOB: ScenarioJobOptions = { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 200, mode: 'exactly-once', keys: 100, recordsPerSecond: 40 };

/** Every completed checkpoint, with the sink's transactions committed by then, from a run without faults. */
function run(savepointAtMs: number) {
  let simulation: Simulation | null = null;
  const commits: Array<{ transactionId: string; records: number }> = [];
  const completed: Array<{ metadata: CheckpointMetadata; commitsBefore: number }> = [];
  const result = runScenario({
    ...JOB,
    seed: 3,
    untilMs: 3_000,
    recordEvents: false,
    onStart: (started) => {
      simulation = started;
      started.scheduler.schedule(savepointAtMs, () => started.jobMaster.triggerSavepoint());
    },
    onEvent: (event: EngineEvent) => {
      if (event.type === 'sink-committed') commits.push({ transactionId: event.transactionId, records: event.records });
      if (event.type !== 'checkpoint-completed') return;
      const { store } = simulation!.jobMaster;
      const metadata = [...store.retained(), ...store.savepoints()].find((candidate) => candidate.checkpointId === event.checkpointId)!;
      completed.push({ metadata, commitsBefore: commits.length });
    },
  });
  return { result, commits, completed };
}

/** The records of the transactions of checkpoints up to `checkpointId`, as the sink committed them. */
function committedUpTo(output: readonly unknown[], commits: ReadonlyArray<{ transactionId: string; records: number }>, checkpointId: number): string[] {
  const records: string[] = [];
  let at = 0;
  for (const commit of commits) {
    const slice = output.slice(at, at + commit.records);
    at += commit.records;
    if (Number(commit.transactionId.split('@')[1]) <= checkpointId) records.push(...slice.map((record) => JSON.stringify(record)));
  }
  return records.sort();
}

describe('the output committed before a snapshot', () => {
  const { result, commits, completed } = run(700);
  const job = prepareScenarioJob(JOB);

  it('is what the sink had committed for every checkpoint and savepoint up to it, the pending transactions included', () => {
    expect(completed.length).toBeGreaterThan(5);
    expect(completed.some(({ metadata }) => metadata.isSavepoint)).toBe(true);
    for (const { metadata } of completed) {
      const before = committedBefore(metadata, job);
      const records = [...before.earlier.records, ...before.pending.flatMap((transaction) => transaction.records)].map((record) => JSON.stringify(record)).sort();
      expect(records, `checkpoint ${metadata.checkpointId}`).toEqual(committedUpTo(result.output, commits, metadata.checkpointId));
      expect(recordCount(before)).toBe(records.length);
    }
  });

  it('with the output of the rest of the input, is every key exactly once', () => {
    for (const { metadata } of completed) {
      const output = new InMemoryExternalOutput();
      commitInto(output, committedBefore(metadata, job));
      const rest = job.scenario.expectedOutput(sourceOffsetsOf(metadata, job.built.sources.keys()), null, job.parameters);
      expect(job.scenario.checkExactlyOnce([...output.records(), ...rest], job.parameters), `checkpoint ${metadata.checkpointId}`).toEqual([]);
    }
  });

  it('files the pending transactions under their own ids, so the restored sink commits them again as a no-op', () => {
    const { metadata } = completed.at(-1)!;
    const before = committedBefore(metadata, job);
    expect(before.pending.map((transaction) => transaction.transactionId).sort()).toEqual([`sink#0@${metadata.checkpointId}`, `sink#1@${metadata.checkpointId}`]);
    const output = new InMemoryExternalOutput();
    commitInto(output, before);
    expect(output.commitTransaction(`sink#0@${metadata.checkpointId}`, before.pending[0]!.records)).toBe(false);
    expect(before.earlier.transactionId).toBe(`committed-before-checkpoint-${metadata.checkpointId}`);
  });
});
