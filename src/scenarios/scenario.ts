// A named job with the knowledge to check it: how to build it, what its committed output must be
// (exactly-once, at-least-once), and what a consistent checkpoint's keyed state is for given source offsets.
import type { StreamExecutionEnvironment } from '../engine/graph/stream-execution-environment';
import type { ReplayableTopic } from '../engine/connectors/replayable-source';

export interface ScenarioParameters {
  /** Number of distinct keys. */
  readonly keys: number;
  /** Emission rate per source subtask. */
  readonly recordsPerSecond: number;
  readonly mode: 'exactly-once' | 'at-least-once';
  /** How often each key's input repeats, for scenarios with rounds (keyed-sum); others ignore it. */
  readonly rounds?: number;
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
}

export function totalLength(topic: ReplayableTopic): number {
  let total = 0;
  for (let partition = 0; partition < topic.numberOfPartitions; partition++) total += topic.partitionLength(partition);
  return total;
}

/** The records of source `uid`'s topic from the `from` offsets (or 0) up to the `to` offsets (or the end), partition by partition. */
export function recordsBetween(uid: string, topic: ReplayableTopic, from: SourceOffsets | null, to: SourceOffsets | null): unknown[] {
  const records: unknown[] = [];
  for (let partition = 0; partition < topic.numberOfPartitions; partition++) {
    const start = from?.get(uid)?.get(partition) ?? 0;
    const end = Math.min(to?.get(uid)?.get(partition) ?? topic.partitionLength(partition), topic.partitionLength(partition));
    for (let offset = start; offset < end; offset++) records.push(topic.read(partition, offset));
  }
  return records;
}

/** Group output records by their `key` field, keeping order. */
export function groupByKey<T extends { key: string }>(records: readonly unknown[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const record of records as T[]) groups.set(record.key, [...(groups.get(record.key) ?? []), record]);
  return groups;
}
