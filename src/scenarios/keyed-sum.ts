// keyed-sum: the benchmark's job. `keys` keys each receive the value 1 in every round (ROUNDS rounds),
// spread over 8 partitions; a keyed ValueState sum counts them; output is discarded (Flink's
// DiscardingSink) so throughput measures the engine: source, keyBy exchange, keyed state, checkpoints.
import { KeyedProcessFunction } from '../engine/graph/functions';
import { ValueStateDescriptor, type ValueState } from '../engine/state';
import { ReplayableSource, type ReplayableTopic } from '../engine/connectors/replayable-source';
import { DiscardingSink } from '../engine/connectors/discarding-sink';
import { sourceOptionsFor, type LedgerExpectation, type Scenario } from './scenario';

export const KEYED_SUM_PARTITIONS = 8;
/** Default rounds; the benchmark sets more through ScenarioParameters.rounds. */
export const KEYED_SUM_ROUNDS = 30;

interface Count {
  readonly key: string;
  readonly value: number;
}

export function keyedSumTopic(keys: number, rounds = KEYED_SUM_ROUNDS): ReplayableTopic {
  const names = Array.from({ length: keys }, (_, i) => `k${i}`);
  const perPartition = Math.ceil((keys * rounds) / KEYED_SUM_PARTITIONS);
  return {
    name: 'counts',
    numberOfPartitions: KEYED_SUM_PARTITIONS,
    partitionLength: (partition) => Math.max(0, Math.min(perPartition, keys * rounds - partition * perPartition)),
    read: (partition, offset): Count => ({ key: names[(partition * perPartition + offset) % keys]!, value: 1 }),
  };
}

/** Flink's DiscardingSink commits nothing: the ledger expects nothing for any key. */
export const KEYED_SUM_LEDGER: LedgerExpectation = Object.freeze({
  keyOf: (record: unknown) => (record as Count).key,
  valueOf: (record: unknown) => String((record as Count).value),
  expected: (): readonly string[] => [],
});

class KeyedCount extends KeyedProcessFunction<Count, never> {
  private count!: ValueState<number>;

  override open(): void {
    this.count = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('count', 0));
  }

  processElement(input: Count): void {
    this.count.update((this.count.value() ?? 0) + input.value);
  }
}

export const keyedSum: Scenario = {
  name: 'keyed-sum',
  description: `Benchmark job: each key gets 1 in each of ${KEYED_SUM_ROUNDS} rounds; a keyed count; output discarded.`,
  statefulOperatorUid: 'count',
  stateName: 'count',
  build(env, parameters) {
    const topic = keyedSumTopic(parameters.keys, parameters.rounds);
    env
      .fromSource(new ReplayableSource<Count>(sourceOptionsFor(topic, parameters)), 'counts')
      .uid('counts')
      .keyBy((record) => record.key)
      .process(new KeyedCount())
      .uid('count')
      .sinkTo(new DiscardingSink())
      .uid('discard');
    return { sources: new Map([['counts', topic]]), outputName: 'discarded' };
  },
  checkExactlyOnce: () => [],
  checkAtLeastOnce: () => [],
  /** Flink's DiscardingSink commits nothing. */
  expectedOutput: () => [],
  expectedState(offsets, parameters) {
    const topic = keyedSumTopic(parameters.keys, parameters.rounds);
    const state = new Map<string, unknown>();
    for (const [partition, offset] of offsets.get('counts') ?? []) {
      for (let o = 0; o < offset; o++) {
        const record = topic.read(partition, o) as Count;
        state.set(record.key, ((state.get(record.key) as number | undefined) ?? 0) + 1);
      }
    }
    return state;
  },
  ledger: () => KEYED_SUM_LEDGER,
};
