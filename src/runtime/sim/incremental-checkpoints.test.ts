// Incremental checkpoints on the deterministic runtime: after the first checkpoint only changed key
// groups are uploaded (checkpointed_size < state_size, FLINK-25557), the committed output is the same
// as with full checkpoints, and a restored task builds on the pieces of the checkpoint it restored.
import { describe, expect, it } from 'vitest';
import { runScenario, type RunScenarioOptions, type RunScenarioResult } from './run-scenario';
import type { Simulation } from './simulation';

interface CompletedSizes {
  readonly id: number;
  readonly triggeredAt: number;
  readonly checkpointedSize: number;
  readonly stateSize: number;
}

const base: RunScenarioOptions = {
  scenario: 'running-sum',
  parallelism: 2,
  checkpointIntervalMs: 200,
  mode: 'exactly-once',
  seed: 11,
  keys: 300,
  recordsPerSecond: 40,
  recordEvents: false,
};

/** Runs the scenario and records the statistics of every completed checkpoint as it completes. */
function run(options: Partial<RunScenarioOptions>, incremental: boolean): { result: RunScenarioResult; completed: CompletedSizes[]; restoredAt: number[] } {
  let simulation: Simulation | null = null;
  const completed: CompletedSizes[] = [];
  const restoredAt: number[] = [];
  const result = runScenario({
    ...base,
    ...options,
    configuration: { 'execution.checkpointing.incremental': incremental },
    onStart: (started) => (simulation = started),
    onEvent: (event) => {
      if (event.type === 'task-restored') restoredAt.push(event.time);
      if (event.type !== 'checkpoint-completed' || event.isSavepoint) return;
      const statistics = simulation!.jobMaster.stats.statistics().history.find((entry) => entry.id === event.checkpointId)!;
      completed.push({ id: event.checkpointId, triggeredAt: statistics.trigger_timestamp, checkpointedSize: statistics.checkpointed_size, stateSize: statistics.state_size });
    },
  });
  return { result, completed, restoredAt };
}

function perKey(output: readonly unknown[]): Record<string, string> {
  const result: Record<string, string[]> = {};
  for (const record of output as Array<{ key: string }>) (result[record.key] ??= []).push(JSON.stringify(record));
  return Object.fromEntries(Object.entries(result).map(([key, values]) => [key, values.join('|')]));
}

const total = (sizes: readonly CompletedSizes[], field: 'checkpointedSize' | 'stateSize') => sizes.reduce((sum, s) => sum + s[field], 0);

describe('incremental checkpoints on the deterministic runtime', () => {
  it('upload less than full checkpoints after the first one and commit the same output', () => {
    const full = run({}, false);
    const incremental = run({}, true);
    expect(full.result.problems).toEqual([]);
    expect(incremental.result.problems).toEqual([]);
    expect(perKey(incremental.result.output)).toEqual(perKey(full.result.output));

    expect(full.completed.length).toBeGreaterThan(5);
    for (const sizes of full.completed) expect(sizes.checkpointedSize).toBe(sizes.stateSize);
    const [first, ...later] = incremental.completed;
    expect(first!.checkpointedSize).toBe(first!.stateSize);
    expect(later.length).toBeGreaterThan(5);
    for (const sizes of later) expect(sizes.checkpointedSize, `checkpoint ${sizes.id}`).toBeLessThan(sizes.stateSize);
    expect(total(incremental.completed, 'checkpointedSize')).toBeLessThan(total(full.completed, 'checkpointedSize') * 0.8);
  });

  it('report the full state size as full checkpoints do (pieces add no more than their framing)', () => {
    const full = run({}, false);
    const incremental = run({}, true);
    const last = (sizes: readonly CompletedSizes[]) => sizes.at(-1)!.stateSize;
    expect(last(incremental.completed)).toBeGreaterThan(last(full.completed) * 0.9);
    expect(last(incremental.completed)).toBeLessThan(last(full.completed) * 1.2);
  });

  it('build on the restored checkpoint after a restart, as Flink re-uses restored SST files', () => {
    const killed = run({ faults: [{ kind: 'kill', uid: 'sum', subtask: 0, atMs: 1_500 }] }, true);
    expect(killed.result.problems).toEqual([]);
    expect(killed.result.numRestarts).toBe(1);
    const restoredAt = killed.restoredAt[0]!;
    const afterRestore = killed.completed.filter((sizes) => sizes.triggeredAt > restoredAt);
    expect(afterRestore.length).toBeGreaterThan(0);
    expect(afterRestore[0]!.checkpointedSize).toBeLessThan(afterRestore[0]!.stateSize);
  });

  it('commit the same output with kills and failed uploads as with full checkpoints', () => {
    const faults = [
      { kind: 'kill', uid: 'sum', subtask: 1, atMs: 900 },
      { kind: 'fail-snapshot', uid: 'sum', subtask: 0, checkpointId: 9 },
      { kind: 'kill', uid: 'numbers', subtask: 0, atMs: 2_600 },
    ] as const;
    const full = run({ faults }, false);
    const incremental = run({ faults }, true);
    expect(incremental.result.problems).toEqual([]);
    expect(perKey(incremental.result.output)).toEqual(perKey(full.result.output));
  });
});
