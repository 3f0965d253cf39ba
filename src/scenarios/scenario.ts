// A named job with the knowledge to check it: how to build it, what its committed output must be
// (exactly-once, at-least-once), and what a consistent checkpoint's keyed state is for given source offsets.
import type { StreamExecutionEnvironment } from '../engine/graph/stream-execution-environment';
import type { ReplayableSourceOptions, ReplayableTopic } from '../engine/connectors/replayable-source';

export interface ScenarioParameters {
  /** Number of distinct keys. */
  readonly keys: number;
  /** Emission rate per source subtask. */
  readonly recordsPerSecond: number;
  readonly mode: 'exactly-once' | 'at-least-once';
  /** How often each key's input repeats, for scenarios with rounds (keyed-sum); others ignore it. */
  readonly rounds?: number;
  /**
   * Input that never runs dry (running-sum; others ignore it): fresh keys keep arriving in generations of `keys`
   * keys, each key's input as in a bounded run. The page's default job; the CLI and the tests run bounded.
   * checkExactlyOnce then checks a prefix of the run (keys still under way are no problem).
   */
  readonly unbounded?: boolean;
  /**
   * The bounded variant (FLIP-147's jobs that finish): every source ends where its partitions end (Flink's
   * Boundedness.BOUNDED), its tasks finish, the last records are committed by the final checkpoint and the job
   * ends FINISHED. Absent: the sources idle at the end of their input, as a Kafka source does, and the job runs on.
   * Not with `unbounded` (input that never ends cannot be bounded).
   */
  readonly bounded?: boolean;
}

/** A topic whose partitions repeat in generations of fresh keys, forever (partitionLength is infinite). */
export interface GenerationalTopic extends ReplayableTopic {
  /** Records of one generation in `partition`; every key begun in a generation ends in it. */
  generationLength(partition: number): number;
}

/**
 * What the output ledger compares committed output with, per key: the failure-free values in the order they are
 * committed, as displayed. The ledger view (src/ui/views/ledger-model.ts) defines the same interface; this one
 * matches it structurally.
 */
export interface LedgerExpectation {
  keyOf(record: unknown): string;
  valueOf(record: unknown): string;
  /** The failure-free output for `key` (empty for a key the input does not hold, or a job that commits nothing). */
  expected(key: string): readonly string[];
}

/** Committed output measured against a ledger expectation. */
export interface LedgerProgress {
  /** Keys whose committed values are all of their expected ones, in order. */
  readonly completedKeys: number;
  /** Keys with a proper prefix of their expected values committed: under way, nothing wrong yet. */
  readonly keysInProgress: number;
  /** Keys whose committed values are not a prefix of the expected ones: a loss, a duplicate or a wrong value. */
  readonly problems: readonly string[];
}

export interface BuiltScenario {
  /** Topic read by each source operator, by uid. */
  readonly sources: ReadonlyMap<string, ReplayableTopic>;
  /** The external output the sink writes to. */
  readonly outputName: string;
}

/** Offsets recorded by a checkpoint: source uid → partition → next offset. */
export type SourceOffsets = ReadonlyMap<string, ReadonlyMap<number, number>>;

export interface Scenario {
  readonly name: string;
  readonly description: string;
  build(env: StreamExecutionEnvironment, parameters: ScenarioParameters): BuiltScenario;
  /** Problems with committed output under exactly-once (empty = no loss, no duplicate, right values). */
  checkExactlyOnce(output: readonly unknown[], parameters: ScenarioParameters): string[];
  /** Problems with output under at-least-once (empty = nothing lost). */
  checkAtLeastOnce(output: readonly unknown[], parameters: ScenarioParameters): string[];
  /** The keyed operator whose state a checkpoint must hold consistently, and that state for the offsets. */
  readonly statefulOperatorUid: string;
  readonly stateName: string;
  expectedState(offsets: SourceOffsets, parameters: ScenarioParameters): Map<string, unknown>;
  /**
   * What an exactly-once run commits for the records between two snapshots' source offsets (`from` null: the
   * start of the input; `to` null: its end), in an order checkExactlyOnce accepts. With it a run restored from
   * a snapshot, or stopped with a savepoint, is checked as the part of a whole run that it is.
   */
  expectedOutput(from: SourceOffsets | null, to: SourceOffsets | null, parameters: ScenarioParameters): unknown[];
  /** The output ledger's expectation for this job's committed output. */
  ledger(parameters: ScenarioParameters): LedgerExpectation;
}

/** The options of a scenario's source over `topic`: its rate, and bounded in the bounded variant. */
export function sourceOptionsFor(topic: ReplayableTopic, parameters: ScenarioParameters): ReplayableSourceOptions {
  if (parameters.bounded && parameters.unbounded) throw new Error('A scenario is either bounded or unbounded, not both');
  return { topic, recordsPerSecond: parameters.recordsPerSecond, ...(parameters.bounded ? { bounded: true } : {}) };
}

export function isGenerational(topic: ReplayableTopic): topic is GenerationalTopic {
  return typeof (topic as Partial<GenerationalTopic>).generationLength === 'function';
}

/** Whether `values` is `expected` or a beginning of it. */
export function isPrefix(values: readonly string[], expected: readonly string[]): boolean {
  return values.length <= expected.length && values.every((value, i) => value === expected[i]);
}

/**
 * Counts complete and under-way keys of committed `output` (in commit order), and names every key whose values are
 * not a beginning of its expected ones. Works on any prefix of a run, so on an unbounded one too.
 */
export function checkAgainstLedger(output: readonly unknown[], ledger: LedgerExpectation): LedgerProgress {
  const byKey = new Map<string, string[]>();
  for (const record of output) {
    const key = ledger.keyOf(record);
    const values = byKey.get(key);
    if (values) values.push(ledger.valueOf(record));
    else byKey.set(key, [ledger.valueOf(record)]);
  }
  let completedKeys = 0;
  let keysInProgress = 0;
  const problems: string[] = [];
  for (const [key, values] of byKey) {
    const expected = ledger.expected(key);
    if (!isPrefix(values, expected)) {
      const wanted = expected.length === 0 ? 'nothing (no such key in the input)' : `${expected.join(',')} or a beginning of it`;
      problems.push(`${key}: committed ${values.join(',')}, expected ${wanted}`);
    } else if (values.length === expected.length) completedKeys++;
    else keysInProgress++;
  }
  return { completedKeys, keysInProgress, problems };
}

export function totalLength(topic: ReplayableTopic): number {
  let total = 0;
  for (let partition = 0; partition < topic.numberOfPartitions; partition++) total += topic.partitionLength(partition);
  return total;
}

/**
 * The records of source `uid`'s topic from the `from` offsets (or 0) up to the `to` offsets (or the end), partition
 * by partition. An unbounded topic has no end: there `to` null means the end of the generation `from` is in, so
 * every key begun is finished.
 */
export function recordsBetween(uid: string, topic: ReplayableTopic, from: SourceOffsets | null, to: SourceOffsets | null): unknown[] {
  const records: unknown[] = [];
  for (let partition = 0; partition < topic.numberOfPartitions; partition++) {
    const start = from?.get(uid)?.get(partition) ?? 0;
    const end = Math.min(to?.get(uid)?.get(partition) ?? endOf(topic, partition, start), topic.partitionLength(partition));
    for (let offset = start; offset < end; offset++) records.push(topic.read(partition, offset));
  }
  return records;
}

/** Where a partition's input ends, read from `start`: its length, or for an unbounded one its current generation's end. */
function endOf(topic: ReplayableTopic, partition: number, start: number): number {
  const length = topic.partitionLength(partition);
  if (Number.isFinite(length)) return length;
  if (!isGenerational(topic)) throw new RangeError(`partition ${partition} of '${topic.name}' has no end and no generations`);
  const generation = topic.generationLength(partition);
  return generation > 0 ? Math.ceil(start / generation) * generation : start;
}

/** Group output records by their `key` field, keeping order. */
export function groupByKey<T extends { key: string }>(records: readonly unknown[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const record of records as T[]) groups.set(record.key, [...(groups.get(record.key) ?? []), record]);
  return groups;
}
