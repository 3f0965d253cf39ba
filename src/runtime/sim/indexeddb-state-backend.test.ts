// The indexeddb keyed backend on the deterministic runtime: state lives in the working store with few
// key groups in memory, yet output and checkpoints equal the hashmap backend's, with failures and rescaling.
import { describe, expect, it } from 'vitest';
import { runScenario, type RunScenarioOptions } from './run-scenario';
import { IndexedDbKeyedStateBackend } from '../../engine/state';
import type { Simulation } from './simulation';

const base: RunScenarioOptions = {
  scenario: 'running-sum',
  parallelism: 2,
  checkpointIntervalMs: 200,
  mode: 'exactly-once',
  seed: 7,
  keys: 40,
  recordsPerSecond: 60,
  recordEvents: false,
};

function perKey(output: readonly unknown[]): Record<string, string> {
  const result: Record<string, string[]> = {};
  for (const record of output as Array<{ key: string }>) (result[record.key] ??= []).push(JSON.stringify(record));
  return Object.fromEntries(Object.entries(result).map(([key, values]) => [key, values.join('|')]));
}

describe('the indexeddb state backend on the deterministic runtime', () => {
  const heap = runScenario(base);

  it('commits the same output as the hashmap backend while evicting and reloading key groups', () => {
    let evictions = 0;
    let loads = 0;
    let simulation: Simulation | undefined;
    const result = runScenario({
      ...base,
      configuration: { 'state.backend.type': 'indexeddb' },
      maxResidentKeyGroups: 4,
      onEvent: (event) => {
        if (event.type !== 'checkpoint-completed') return;
        for (const task of simulation!.tasks.values()) {
          for (const backends of task.backends()) {
            if (backends.keyed instanceof IndexedDbKeyedStateBackend) {
              expect(backends.keyed.residentKeyGroups().length).toBeLessThanOrEqual(4);
              evictions = Math.max(evictions, backends.keyed.metrics.evictions);
              loads = Math.max(loads, backends.keyed.metrics.loads);
            }
          }
        }
      },
      onStart: (started) => (simulation = started),
    });
    expect(heap.problems).toEqual([]);
    expect(result.problems).toEqual([]);
    expect(perKey(result.output)).toEqual(perKey(heap.output));
    expect(evictions).toBeGreaterThan(0);
    expect(loads).toBeGreaterThan(0);
    expect(result.simulation.keyGroupStores.chunkCount()).toBeGreaterThan(0);
  });

  /** Completed checkpoints' state_size and checkpointed_size, in completion order. */
  function sizes(options: Partial<RunScenarioOptions>) {
    let simulation: Simulation | undefined;
    const completed: Array<{ stateSize: number; checkpointedSize: number }> = [];
    const result = runScenario({
      ...base,
      keys: 300,
      recordsPerSecond: 40,
      ...options,
      onStart: (started) => (simulation = started),
      onEvent: (event) => {
        if (event.type !== 'checkpoint-completed') return;
        const entry = simulation!.jobMaster.stats.statistics().history.find((e) => e.id === event.checkpointId)!;
        completed.push({ stateSize: entry.state_size, checkpointedSize: entry.checkpointed_size });
      },
    });
    return { result, completed };
  }

  it('takes incremental checkpoints that upload only changed key groups and report the same state size as the hashmap backend', () => {
    const heapRun = sizes({ configuration: { 'execution.checkpointing.incremental': true } });
    const indexeddb = sizes({ configuration: { 'execution.checkpointing.incremental': true, 'state.backend.type': 'indexeddb' }, maxResidentKeyGroups: 8 });
    expect(indexeddb.result.problems).toEqual([]);
    expect(perKey(indexeddb.result.output)).toEqual(perKey(heapRun.result.output));
    const later = indexeddb.completed.slice(1);
    expect(later.some((entry) => entry.checkpointedSize < entry.stateSize * 0.8)).toBe(true);
    const last = (runs: typeof heapRun) => runs.completed.at(-1)!.stateSize;
    // The same pieces, byte for byte in size; the binary meta blob names its backend by a one-byte code.
    expect(last(indexeddb)).toBe(last(heapRun));
  });

  it.each([false, true])('restores after kills and failed uploads with the same output (incremental: %s)', (incremental) => {
    const faults = [
      { kind: 'kill', uid: 'sum', subtask: 1, atMs: 900 },
      { kind: 'fail-snapshot', uid: 'sum', subtask: 0, checkpointId: 5 },
      { kind: 'kill', uid: 'sum', subtask: 0, atMs: 2_600 },
    ] as const;
    const configuration = { 'execution.checkpointing.incremental': incremental };
    const heapRun = runScenario({ ...base, faults, configuration });
    const indexeddb = runScenario({ ...base, faults, configuration: { ...configuration, 'state.backend.type': 'indexeddb' }, maxResidentKeyGroups: 3 });
    expect(indexeddb.problems).toEqual([]);
    expect(indexeddb.numRestarts).toBeGreaterThan(0);
    expect(perKey(indexeddb.output)).toEqual(perKey(heapRun.output));
    // Earlier attempts' working stores were cleaned up when the next attempt opened its own.
    expect(indexeddb.simulation.keyGroupStores.attempts()).toHaveLength(1);
  });
});
