// Jobs that finish (FLIP-147) under random fault plans, on the deterministic runtime (fast-check over seeds):
// every bounded job ends FINISHED with exactly the committed output of its failure-free run, each record once;
// at least once nothing is lost; and once it finished, its checkpoints are gone from storage (Flink discards
// them when a job FINISHES). Besides the random plan (kills while the input is read) every run gets one kill
// near the end — while tasks finish, after some have, or during the final checkpoint — so restores of
// checkpoints with finished tasks happen. A failing seed is printed by fast-check; pin it in PINNED as a regression.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runScenario, type RunScenarioOptions } from './run-scenario';
import type { Fault } from './fault-plan';
import type { Simulation } from './simulation';

const PROPERTY_SEED = 20261202;
const RUNS = 30;
/** [seed, parallelism, late kill] that once failed; each stays a regression test. */
const PINNED: Array<[number, number, LateKill]> = [];

const KEYS = 24;
const RATE = 40;

interface LateKill {
  /** Which operator: an index into the scenario's uids. */
  readonly operator: number;
  readonly subtask: number;
  /** When, as a share of the time the sources need to read all input (0.6 … 1.6). */
  readonly share: number;
}

const UIDS: Readonly<Record<string, readonly string[]>> = {
  'running-sum': ['numbers', 'sum', 'sink'],
  'order-totals': ['orders-eu', 'orders-us', 'totals', 'sink'],
};

const BACKENDS = {
  hashmap: {},
  'indexeddb + incremental': { configuration: { 'state.backend.type': 'indexeddb', 'execution.checkpointing.incremental': true }, maxResidentKeyGroups: 3 },
} satisfies Record<string, Partial<RunScenarioOptions>>;

const base = (scenario: string, seed: number, parallelism: number, backend: keyof typeof BACKENDS): RunScenarioOptions => ({
  ...BACKENDS[backend],
  scenario,
  parallelism,
  checkpointIntervalMs: 200,
  mode: 'exactly-once',
  seed,
  keys: KEYS,
  recordsPerSecond: RATE,
  bounded: true,
  recordEvents: false,
});

/** The time the sources need for all input: running-sum's 4 partitions and order-totals' 2 per region, read by `parallelism` subtasks. */
function readingTimeMs(scenario: string, parallelism: number): number {
  const records = scenario === 'running-sum' ? KEYS * 5 : KEYS * 3;
  const partitions = scenario === 'running-sum' ? 4 : 2;
  const perSubtask = (records / partitions) * Math.ceil(partitions / Math.min(parallelism, partitions));
  return (perSubtask / RATE) * 1000;
}

function lateKill(scenario: string, parallelism: number, kill: LateKill): Fault {
  const uids = UIDS[scenario]!;
  return {
    kind: 'kill',
    uid: uids[kill.operator % uids.length]!,
    subtask: kill.subtask % parallelism,
    atMs: Math.round(readingTimeMs(scenario, parallelism) * kill.share),
  };
}

/**
 * What a run committed, as far as the scenario fixes it: running-sum's sums per key in commit order; order-totals'
 * counts per key and each customer's final total (the totals in between depend on how the two regions interleave).
 */
function committed(scenario: string, output: readonly unknown[]): unknown {
  if (scenario !== 'running-sum') {
    const byKey: Record<string, { counts: number[]; final: number }> = {};
    for (const { key, count, total } of output as Array<{ key: string; count: number; total: number }>) {
      const entry = (byKey[key] ??= { counts: [], final: 0 });
      entry.counts.push(count);
      if (count === Math.max(...entry.counts)) entry.final = total;
    }
    return Object.entries(byKey)
      .map(([key, { counts, final }]) => [key, counts.sort((a, b) => a - b), final] as const)
      .sort(([a], [b]) => a.localeCompare(b));
  }
  const byKey: Record<string, string[]> = {};
  for (const record of output as Array<{ key: string }>) (byKey[record.key] ??= []).push(JSON.stringify(record));
  return Object.entries(byKey).sort(([a], [b]) => a.localeCompare(b));
}

const lateKillArbitrary = fc.record({
  operator: fc.nat({ max: 3 }),
  subtask: fc.nat({ max: 3 }),
  share: fc.double({ min: 0.6, max: 1.6, noNaN: true }),
});

describe.each([
  ['running-sum', 'hashmap'],
  ['order-totals', 'hashmap'],
  ['running-sum', 'indexeddb + incremental'],
  ['order-totals', 'indexeddb + incremental'],
] as const)('bounded %s with the %s state backend on the deterministic runtime', (scenario, backend) => {
  const failureFree = runScenario(base(scenario, 1, 2, backend));

  it('finishes FINISHED with exactly the failure-free committed output, whatever faults are injected', () => {
    expect(failureFree.jobStatus).toBe('FINISHED');
    expect(failureFree.problems).toEqual([]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 4 }), lateKillArbitrary, (seed, parallelism, kill) => {
        let simulation: Simulation | null = null;
        const faults = [lateKill(scenario, parallelism, kill)];
        const result = runScenario({ ...base(scenario, seed, parallelism, backend), randomFaults: true, faults, onStart: (started) => (simulation = started) });
        const label = `seed ${seed}, parallelism ${parallelism}, faults ${JSON.stringify(result.faults)}`;
        expect(result.jobStatus, label).toBe('FINISHED');
        expect(result.problems, label).toEqual([]);
        expect(committed(scenario, result.output), label).toEqual(committed(scenario, failureFree.output));
        // Flink discards every checkpoint of a job that FINISHED: nothing stays in storage once discards settle.
        const settled = simulation as unknown as Simulation;
        settled.runUntil(settled.now + 1_000);
        expect(settled.memoryStorage.inventory(), label).toMatchObject({ checkpoints: [], blobs: [] });
      }),
      { seed: PROPERTY_SEED, numRuns: RUNS, examples: PINNED },
    );
  });

  it('loses nothing at least once, and finishes FINISHED, whatever faults are injected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 4 }), lateKillArbitrary, (seed, parallelism, kill) => {
        const faults = [lateKill(scenario, parallelism, kill)];
        const result = runScenario({ ...base(scenario, seed, parallelism, backend), mode: 'at-least-once', randomFaults: true, faults });
        const label = `seed ${seed}, parallelism ${parallelism}, faults ${JSON.stringify(result.faults)}`;
        expect(result.jobStatus, label).toBe('FINISHED');
        expect(result.problems, label).toEqual([]);
      }),
      { seed: PROPERTY_SEED + 1, numRuns: RUNS / 2 },
    );
  });
});
