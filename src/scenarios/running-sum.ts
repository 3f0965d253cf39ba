// running-sum: the seed's example. Each key receives 1,2,3,4,5 and a keyed running sum emits
// 1,3,6,10,15 for it. Keys are spread over 4 partitions; one key's records stay in one partition, in order,
// so under exactly-once every key's committed output is exactly [1,3,6,10,15].
import { KeyedProcessFunction, type Collector } from '../engine/graph/functions';
import { ValueStateDescriptor, type ValueState } from '../engine/state';
import { ReplayableSource, type ReplayableTopic } from '../engine/connectors/replayable-source';
import { TwoPhaseCommitSink } from '../engine/connectors/two-phase-commit-sink';
import { AtLeastOnceSink } from '../engine/connectors/at-least-once-sink';
import { groupByKey, recordsBetween, type Scenario, type ScenarioParameters } from './scenario';

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

/** Partition p holds keys i ≡ p (mod 4); it lists value 1 for each of its keys, then value 2, and so on. */
export function runningSumTopic(keys: number): ReplayableTopic {
  const keysIn = (partition: number) => Math.max(0, Math.ceil((keys - partition) / PARTITIONS));
  return {
    name: 'numbers',
    numberOfPartitions: PARTITIONS,
    partitionLength: (partition) => keysIn(partition) * VALUES_PER_KEY.length,
    read: (partition, offset): KeyedNumber => {
      const perRound = keysIn(partition);
      const round = Math.floor(offset / perRound);
      const keyIndex = partition + PARTITIONS * (offset % perRound);
      return { key: keyName(keyIndex), value: VALUES_PER_KEY[round]! };
    },
  };
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

export const runningSum: Scenario = {
  name: 'running-sum',
  description: 'Keyed running sum: each key gets 1,2,3,4,5 and must emit 1,3,6,10,15.',
  statefulOperatorUid: 'sum',
  stateName: 'sum',
  build(env, parameters) {
    const topic = runningSumTopic(parameters.keys);
    const sink = parameters.mode === 'exactly-once' ? new TwoPhaseCommitSink<KeyedNumber>('sums') : new AtLeastOnceSink<KeyedNumber>('sums');
    env
      .fromSource(new ReplayableSource<KeyedNumber>({ topic, recordsPerSecond: parameters.recordsPerSecond }), 'numbers')
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
    for (let i = 0; i < parameters.keys; i++) {
      const values = (byKey.get(keyName(i)) ?? []).map((record) => record.value);
      if (values.length < EXPECTED_SUMS.length) problems.push(`${keyName(i)}: ${values.length} outputs, expected at least ${EXPECTED_SUMS.length}`);
      else if (Math.max(...values) < 15) problems.push(`${keyName(i)}: final sum ${Math.max(...values)} < 15`);
    }
    return problems;
  },
  expectedState(offsets, parameters: ScenarioParameters) {
    const topic = runningSumTopic(parameters.keys);
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
    return recordsBetween('numbers', runningSumTopic(parameters.keys), from, to).map((record) => {
      const { key, value } = record as KeyedNumber;
      const sum = ((sums.get(key) as number | undefined) ?? 0) + value;
      sums.set(key, sum);
      return { key, value: sum };
    });
  },
};
