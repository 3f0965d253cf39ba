// running-sum: the seed's example. Each key receives 1,2,3,4,5 and a keyed running sum emits
// 1,3,6,10,15 for it. Keys are spread over 4 partitions; one key's records stay in one partition, in order,
// so under exactly-once every key's committed output is exactly [1,3,6,10,15]. Bounded (the CLI's and the
// tests' `keys` keys), or unbounded (the page's default job): fresh keys in generations of `keys`, forever.
import { KeyedProcessFunction, type Collector } from '../engine/graph/functions';
import { ValueStateDescriptor, type ValueState } from '../engine/state';
import { ReplayableSource, type ReplayableTopic } from '../engine/connectors/replayable-source';
import { TwoPhaseCommitSink } from '../engine/connectors/two-phase-commit-sink';
import { AtLeastOnceSink } from '../engine/connectors/at-least-once-sink';
import {
  checkAgainstLedger,
  groupByKey,
  recordsBetween,
  sourceOptionsFor,
  type GenerationalTopic,
  type LedgerExpectation,
  type Scenario,
  type ScenarioParameters,
} from './scenario';

export interface KeyedNumber {
  readonly key: string;
  readonly value: number;
}

export const VALUES_PER_KEY = [1, 2, 3, 4, 5] as const;
export const EXPECTED_SUMS = [1, 3, 6, 10, 15] as const;
const PARTITIONS = 4;

export function keyName(index: number): string {
  return `key-${index}`;
}

/**
 * Partition p holds keys i ≡ p (mod 4); it lists value 1 for each of its keys, then value 2, and so on. Past its
 * end an offset reads what the unbounded topic holds there, so the state of a snapshot the unbounded job took
 * (the page's) is what this topic's records up to its offsets make, and such a snapshot restores here consistently.
 */
export function runningSumTopic(keys: number): ReplayableTopic {
  return {
    name: 'numbers',
    numberOfPartitions: PARTITIONS,
    partitionLength: (partition) => keysInPartition(keys, partition) * VALUES_PER_KEY.length,
    read: (partition, offset): KeyedNumber => readAt(keys, partition, offset),
  };
}

/**
 * The unbounded input: keys in generations of `keys` keys each. Generation g holds keys g·keys … g·keys + keys − 1,
 * laid out as the bounded topic lays out its keys, so generation 0 is the bounded topic; each partition lists its
 * generations one after another, forever. A key's five records stay in one partition, in order, and the same
 * offset always reads the same record, so a restore replays exactly.
 */
export function unboundedRunningSumTopic(keys: number): GenerationalTopic {
  return {
    name: 'numbers',
    numberOfPartitions: PARTITIONS,
    partitionLength: (partition) => (keysInPartition(keys, partition) > 0 ? Number.POSITIVE_INFINITY : 0),
    generationLength: (partition) => keysInPartition(keys, partition) * VALUES_PER_KEY.length,
    read: (partition, offset): KeyedNumber => readAt(keys, partition, offset),
  };
}

/** Record `offset` of `partition` in the endless sequence of generations. */
function readAt(keys: number, partition: number, offset: number): KeyedNumber {
  const length = keysInPartition(keys, partition) * VALUES_PER_KEY.length;
  if (length === 0) throw new RangeError(`partition ${partition} of 'numbers' is empty (${keys} keys per generation)`);
  const generation = Math.floor(offset / length);
  return readGeneration(keys, partition, offset - generation * length, generation);
}

function keysInPartition(keys: number, partition: number): number {
  return Math.max(0, Math.ceil((keys - partition) / PARTITIONS));
}

/** Record `offset` (within its generation) of `partition` in generation `generation`. */
function readGeneration(keys: number, partition: number, offset: number, generation: number): KeyedNumber {
  const perRound = keysInPartition(keys, partition);
  const round = Math.floor(offset / perRound);
  const keyIndex = generation * keys + partition + PARTITIONS * (offset % perRound);
  return { key: keyName(keyIndex), value: VALUES_PER_KEY[round]! };
}

/** The topic a run reads: unbounded when the parameters ask for it (the page's default job), bounded otherwise. */
export function runningSumTopicFor(parameters: ScenarioParameters): ReplayableTopic {
  return parameters.unbounded ? unboundedRunningSumTopic(parameters.keys) : runningSumTopic(parameters.keys);
}

export class RunningSum extends KeyedProcessFunction<KeyedNumber, KeyedNumber> {
  private sum!: ValueState<number>;

  override open(): void {
    this.sum = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('sum', 0));
  }

  processElement(input: KeyedNumber, _context: unknown, out: Collector<KeyedNumber>): void {
    const next = (this.sum.value() ?? 0) + input.value;
    this.sum.update(next);
    out.collect({ key: input.key, value: next });
  }
}

/** Which key `name` is (its index), or null when it is no key of the topic's first `keys` (bounded) or of any generation. */
function keyIndexOf(name: string, parameters: ScenarioParameters): number | null {
  const match = /^key-(0|[1-9]\d*)$/.exec(name);
  if (!match) return null;
  const index = Number(match[1]);
  if (!Number.isSafeInteger(index)) return null;
  return parameters.unbounded || index < parameters.keys ? index : null;
}

const EXPECTED_SUM_TEXTS: readonly string[] = Object.freeze(EXPECTED_SUMS.map(String));

/** What the output ledger shows for running-sum: per key the committed sums, against 1, 3, 6, 10, 15. */
export function runningSumLedger(parameters: ScenarioParameters): LedgerExpectation {
  return {
    keyOf: (record) => (record as KeyedNumber).key,
    valueOf: (record) => String((record as KeyedNumber).value),
    expected: (key) => (keyIndexOf(key, parameters) === null ? [] : EXPECTED_SUM_TEXTS),
  };
}

export const runningSum: Scenario = {
  name: 'running-sum',
  description: 'Keyed running sum: each key gets 1,2,3,4,5 and must emit 1,3,6,10,15.',
  statefulOperatorUid: 'sum',
  stateName: 'sum',
  build(env, parameters) {
    const topic = runningSumTopicFor(parameters);
    const sink = parameters.mode === 'exactly-once' ? new TwoPhaseCommitSink<KeyedNumber>('sums') : new AtLeastOnceSink<KeyedNumber>('sums');
    env
      .fromSource(new ReplayableSource<KeyedNumber>(sourceOptionsFor(topic, parameters)), 'numbers')
      .uid('numbers')
      .keyBy((record) => record.key)
      .process(new RunningSum())
      .uid('sum')
      .name('Running sum')
      .sinkTo(sink)
      .uid('sink');
    return { sources: new Map([['numbers', topic]]), outputName: 'sums' };
  },
  checkExactlyOnce(output, parameters) {
    // A prefix of an endless run: a key may still be under way, but never off its sums (a loss or a duplicate).
    if (parameters.unbounded) return [...checkAgainstLedger(output, runningSumLedger(parameters)).problems];
    const problems: string[] = [];
    const byKey = groupByKey<KeyedNumber>(output);
    for (let i = 0; i < parameters.keys; i++) {
      const values = (byKey.get(keyName(i)) ?? []).map((record) => record.value);
      if (values.join(',') !== EXPECTED_SUMS.join(',')) problems.push(`${keyName(i)}: expected ${EXPECTED_SUMS.join(',')}, got ${values.join(',') || 'nothing'}`);
    }
    if (byKey.size !== parameters.keys) problems.push(`expected ${parameters.keys} keys, got ${byKey.size}`);
    return problems;
  },
  checkAtLeastOnce(output, parameters) {
    // With duplicates replayed into state, sums may overshoot; nothing may be missing.
    const problems: string[] = [];
    const byKey = groupByKey<KeyedNumber>(output);
    if (parameters.unbounded) {
      // A prefix of an endless run: only what has surely gone wrong, a key of no generation or one that began with no 1.
      for (const [key, records] of byKey) {
        if (keyIndexOf(key, parameters) === null) problems.push(`${key}: no such key in the input`);
        else if (records[0]!.value !== EXPECTED_SUMS[0]) problems.push(`${key}: first output ${records[0]!.value}, expected ${EXPECTED_SUMS[0]}`);
      }
      return problems;
    }
    for (let i = 0; i < parameters.keys; i++) {
      const values = (byKey.get(keyName(i)) ?? []).map((record) => record.value);
      if (values.length < EXPECTED_SUMS.length) problems.push(`${keyName(i)}: ${values.length} outputs, expected at least ${EXPECTED_SUMS.length}`);
      else if (Math.max(...values) < 15) problems.push(`${keyName(i)}: final sum ${Math.max(...values)} < 15`);
    }
    return problems;
  },
  expectedState(offsets, parameters: ScenarioParameters) {
    const topic = runningSumTopicFor(parameters);
    const state = new Map<string, unknown>();
    for (const [partition, offset] of offsets.get('numbers') ?? []) {
      for (let o = 0; o < offset; o++) {
        const record = topic.read(partition, o) as KeyedNumber;
        state.set(record.key, ((state.get(record.key) as number | undefined) ?? 0) + record.value);
      }
    }
    return state;
  },
  expectedOutput(from, to, parameters) {
    const sums = from === null ? new Map<string, unknown>() : runningSum.expectedState(from, parameters);
    return recordsBetween('numbers', runningSumTopicFor(parameters), from, to).map((record) => {
      const { key, value } = record as KeyedNumber;
      const sum = ((sums.get(key) as number | undefined) ?? 0) + value;
      sums.set(key, sum);
      return { key, value: sum };
    });
  },
  ledger: runningSumLedger,
};
