import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../runtime/sim/run-scenario';
import { EXPECTED_SUMS, VALUES_PER_KEY, runningSum, runningSumLedger, runningSumTopic, unboundedRunningSumTopic, type KeyedNumber } from './running-sum';
import { checkAgainstLedger, type ScenarioParameters, type SourceOffsets } from './scenario';

const unbounded = (keys: number): ScenarioParameters => ({ keys, recordsPerSecond: 25, mode: 'exactly-once', unbounded: true });
const offsetsOf = (positions: readonly number[]): SourceOffsets => new Map([['numbers', new Map(positions.map((offset, partition) => [partition, offset]))]]);

describe('running-sum, unbounded', () => {
  it('never runs dry, and its first generation is the bounded topic', () => {
    const topic = unboundedRunningSumTopic(10);
    const bounded = runningSumTopic(10);
    for (let partition = 0; partition < 4; partition++) {
      expect(topic.partitionLength(partition)).toBe(Number.POSITIVE_INFINITY);
      expect(topic.generationLength(partition)).toBe(bounded.partitionLength(partition));
      for (let offset = 0; offset < bounded.partitionLength(partition); offset++) expect(topic.read(partition, offset)).toEqual(bounded.read(partition, offset));
    }
    // Generation 1 brings keys 10 … 19, each again 1, 2, 3, 4, 5.
    expect(topic.read(0, bounded.partitionLength(0))).toEqual({ key: 'key-10', value: 1 });
    expect(topic.read(3, 1_000_000 * topic.generationLength(3))).toEqual({ key: 'key-10000003', value: 1 });
  });

  it("restores a snapshot of the unbounded job into the bounded one consistently: past its end the bounded topic reads the same records", () => {
    const bounded = runningSumTopic(10);
    const endless = unboundedRunningSumTopic(10);
    for (const offset of [15, 16, 29, 1_000]) expect(bounded.read(0, offset)).toEqual(endless.read(0, offset));
    const offsets = offsetsOf([40, 30, 25, 25]);
    expect(runningSum.expectedState(offsets, { keys: 10, recordsPerSecond: 1, mode: 'exactly-once' })).toEqual(runningSum.expectedState(offsets, unbounded(10)));
  });

  it('leaves a partition empty when a generation has no key for it', () => {
    const topic = unboundedRunningSumTopic(2);
    expect([0, 1, 2, 3].map((partition) => topic.partitionLength(partition))).toEqual([Infinity, Infinity, 0, 0]);
  });

  it('reads the same record at the same offset, keeps each key in one partition, and gives each key 1, 2, 3, 4, 5 in order (fast-check, seed 7)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 1_000_000 }), (keys, prefix, far) => {
        const topic = unboundedRunningSumTopic(keys);
        const again = unboundedRunningSumTopic(keys);
        const partitionOf = new Map<string, number>();
        const valuesOf = new Map<string, number[]>();
        for (let partition = 0; partition < 4; partition++) {
          if (topic.partitionLength(partition) === 0) continue;
          expect(topic.read(partition, far)).toEqual(again.read(partition, far));
          for (let offset = 0; offset < prefix; offset++) {
            const record = topic.read(partition, offset) as KeyedNumber;
            expect(again.read(partition, offset)).toEqual(record);
            expect(partitionOf.get(record.key) ?? partition).toBe(partition);
            partitionOf.set(record.key, partition);
            valuesOf.set(record.key, [...(valuesOf.get(record.key) ?? []), record.value]);
          }
        }
        for (const values of valuesOf.values()) expect(values).toEqual(VALUES_PER_KEY.slice(0, values.length));
      }),
      { seed: 7 },
    );
  });

  it('accepts any prefix of a failure-free run and counts the keys completed (fast-check, seed 7)', () => {
    const positions = fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), positions, (keys, prefix) => {
        const parameters = unbounded(keys);
        const output = runningSum.expectedOutput(null, offsetsOf(prefix), parameters);
        expect(runningSum.checkExactlyOnce(output, parameters)).toEqual([]);
        const topic = unboundedRunningSumTopic(keys);
        const completed = prefix.reduce((sum, offset, partition) => {
          const length = topic.generationLength(partition);
          if (length === 0) return sum;
          const perRound = length / 5;
          // Whole generations, then the keys of the current one whose fifth value is read.
          return sum + Math.floor(offset / length) * perRound + Math.max(0, (offset % length) - 4 * perRound);
        }, 0);
        expect(checkAgainstLedger(output, runningSumLedger(parameters)).completedKeys).toBe(completed);
      }),
      { seed: 7 },
    );
  });

  it('names a lost, duplicated or foreign value in a prefix, and reports completed and under-way keys', () => {
    const parameters = unbounded(4);
    const output = runningSum.expectedOutput(null, offsetsOf([8, 5, 5, 2]), parameters) as KeyedNumber[];
    expect(checkAgainstLedger(output, runningSumLedger(parameters))).toEqual({ completedKeys: 3, keysInProgress: 2, problems: [] });
    const lost = output.filter((record) => !(record.key === 'key-4' && record.value === 1));
    expect(runningSum.checkExactlyOnce(lost, parameters)).toEqual(['key-4: committed 3,6, expected 1,3,6,10,15 or a beginning of it']);
    const duplicated = [...output, { key: 'key-1', value: 15 }];
    expect(runningSum.checkExactlyOnce(duplicated, parameters)).toEqual(['key-1: committed 1,3,6,10,15,15, expected 1,3,6,10,15 or a beginning of it']);
    expect(runningSum.checkExactlyOnce([{ key: 'other', value: 1 }], parameters)).toEqual(['other: committed 1, expected nothing (no such key in the input)']);
  });

  it('finishes every key begun when asked for the output up to the end of the input', () => {
    const parameters = unbounded(8);
    const from = offsetsOf([3, 10, 0, 11]);
    const rest = runningSum.expectedOutput(from, null, parameters);
    const whole = [...runningSum.expectedOutput(null, from, parameters), ...rest];
    const progress = checkAgainstLedger(whole, runningSumLedger(parameters));
    expect(progress).toEqual({ completedKeys: 2 + 2 + 0 + 4, keysInProgress: 0, problems: [] });
  });

  it('keeps the bounded checks whole: a key under way is a problem there', () => {
    const parameters: ScenarioParameters = { keys: 4, recordsPerSecond: 25, mode: 'exactly-once' };
    const output = runningSum.expectedOutput(null, offsetsOf([5, 5, 5, 4]), parameters);
    expect(runningSum.checkExactlyOnce(output, parameters)).toEqual(['key-3: expected 1,3,6,10,15, got 1,3,6,10']);
    expect(runningSum.checkExactlyOnce(runningSum.expectedOutput(null, null, parameters), parameters)).toEqual([]);
  });

  it('runs past the bounded input with a kill, exactly-once on a prefix, keys of later generations completed', () => {
    const keys = 20;
    const result = runScenario({
      scenario: 'running-sum',
      parallelism: 2,
      checkpointIntervalMs: 200,
      mode: 'exactly-once',
      seed: 3,
      keys,
      recordsPerSecond: 50,
      unbounded: true,
      // 20 keys × 5 records at 2 × 50 per second run dry after 1 s when bounded.
      untilMs: 6_000,
      faults: [{ kind: 'kill', uid: 'sum', subtask: 1, atMs: 2_500 }],
      recordEvents: false,
    });
    expect(result.numRestarts).toBe(1);
    expect(runningSum.checkExactlyOnce(result.output, result.parameters)).toEqual([]);
    const progress = checkAgainstLedger(result.output, runningSumLedger(result.parameters));
    expect(progress.completedKeys).toBeGreaterThan(3 * keys);
    expect((result.output as KeyedNumber[]).filter((record) => record.value === EXPECTED_SUMS.at(-1))).toHaveLength(progress.completedKeys);
  });
});
