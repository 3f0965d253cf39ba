// Consistency of a completed checkpoint, counting in-flight data (test support for the property tests of the
// deterministic runtime): the records its sources' offsets say were read are exactly the records folded into the
// stateful operator's keyed state plus the records an unaligned checkpoint persisted as channel state on the way
// there — the sources' output channel state (still in their output queues) and the stateful operator's input
// channel state (arrived, not yet processed). Per key: the checkpointed state with those in-flight records folded in
// is the scenario's expected state for the offsets, and every in-flight record is one the offsets cover, once.
// An aligned checkpoint has no channel state, so this is then the check it always was: state per key is the fold
// of the input up to the offsets. For running-sum and order-totals, whose sources feed the stateful operator directly.
import { decodeJson } from '../../engine/task/record-size';
import type { KeyGroupSnapshot } from '../../engine/state';
import { decodeKeyedStateBlob, decodeKeyGroupPiece } from '../../engine/format/keyed-state-blob';
import { isIncrementalHandle, type ChannelStateHandle } from '../../engine/checkpoint/task-state';
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import type { ChannelBuffers } from '../../engine/checkpoint/channel/channel-state-writer';
import { findScenario } from '../../scenarios';
import { runningSumTopic, type KeyedNumber } from '../../scenarios/running-sum';
import { ordersTopic } from '../../scenarios/order-totals';
import type { ReplayableTopic } from '../../engine/connectors/replayable-source';
import { sourceOffsetsOf } from './run-scenario';
import type { Simulation } from './simulation';

interface Fold {
  /** The scenario's topics by source uid. */
  readonly topics: (keys: number) => ReadonlyMap<string, ReplayableTopic>;
  /** The stateful operator's state for one key after one more input record. */
  add(state: unknown, record: unknown): unknown;
}

interface Order {
  readonly key: string;
  readonly amount: number;
}

const FOLDS: Readonly<Record<string, Fold>> = {
  'running-sum': {
    topics: (keys) => new Map([['numbers', runningSumTopic(keys)]]),
    add: (state, record) => ((state as number | undefined) ?? 0) + (record as KeyedNumber).value,
  },
  'order-totals': {
    topics: (keys) => new Map([0, 1].map((region) => [ordersTopic(region, keys).name, ordersTopic(region, keys)] as const)),
    add: (state, record) => {
      const totals = (state as { count: number; total: number } | undefined) ?? { count: 0, total: 0 };
      return { count: totals.count + 1, total: totals.total + (record as Order).amount };
    },
  },
};

export const CONSISTENCY_SCENARIOS = Object.keys(FOLDS);

function blobBytes(simulation: Simulation, metadata: CheckpointMetadata, storageKey: string): Uint8Array {
  const bytes = simulation.memoryStorage.readBlobNow(storageKey);
  if (!bytes) throw new Error(`Completed checkpoint ${metadata.checkpointId} names a missing blob ${storageKey}`);
  return bytes;
}

/** A channel-state blob (JSON). */
function readBlob(simulation: Simulation, metadata: CheckpointMetadata, storageKey: string): unknown {
  return decodeJson(blobBytes(simulation, metadata, storageKey));
}

/** Keyed state per key of `uid` in a completed checkpoint, read back from storage. */
export function checkpointedState(simulation: Simulation, metadata: CheckpointMetadata, uid: string, stateName: string): Map<string, unknown> {
  const state = new Map<string, unknown>();
  const operator = metadata.operators.find((o) => o.operatorUid === uid);
  for (const subtask of operator?.subtaskStates ?? []) {
    if (!subtask?.keyed) continue;
    // A full handle's blob holds every key group; an incremental one's meta blob none, its pieces one each.
    const groups: KeyGroupSnapshot[] = [...decodeKeyedStateBlob(blobBytes(simulation, metadata, subtask.keyed.storageKey), subtask.keyed.storageKey).keyGroups];
    if (isIncrementalHandle(subtask.keyed)) {
      for (const piece of subtask.keyed.sharedState) groups.push(decodeKeyGroupPiece(blobBytes(simulation, metadata, piece.storageKey), piece.storageKey));
    }
    for (const group of groups) for (const [key, value] of group.states[stateName] ?? []) state.set(String(key), value);
  }
  return state;
}

/** The records of the channels `handles` name, read from their blobs, in channel order. */
function channelRecords<Info>(simulation: Simulation, metadata: CheckpointMetadata, handles: readonly ChannelStateHandle<Info>[], side: 'input' | 'output', same: (a: Info, b: Info) => boolean): unknown[] {
  const records: unknown[] = [];
  for (const handle of handles) {
    const blob = readBlob(simulation, metadata, handle.storageKey) as { input: ChannelBuffers<Info>[]; output: ChannelBuffers<Info>[] };
    const channel = blob[side].find((candidate) => same(candidate.info, handle.info));
    if (!channel) throw new Error(`Completed checkpoint ${metadata.checkpointId}: blob ${handle.storageKey} lacks a channel its handle names`);
    const inChannel = channel.buffers.flatMap((buffer) => buffer.records);
    if (inChannel.length !== handle.records) throw new Error(`Completed checkpoint ${metadata.checkpointId}: a handle says ${handle.records} records, its channel holds ${inChannel.length}`);
    records.push(...inChannel);
  }
  return records;
}

/** The in-flight records of `metadata` bound for the scenario's stateful operator (none for an aligned checkpoint). */
export function inFlightRecords(simulation: Simulation, metadata: CheckpointMetadata, scenario: string): unknown[] {
  const definition = findScenario(scenario);
  const sources = new Set(FOLDS[scenario]!.topics(1).keys());
  const records: unknown[] = [];
  for (const operator of metadata.operators) {
    for (const subtask of operator.subtaskStates) {
      if (!subtask) continue;
      if (sources.has(operator.operatorUid) && subtask.resultSubpartitionState) {
        records.push(...channelRecords(simulation, metadata, subtask.resultSubpartitionState, 'output', (a, b) => a.partitionIndex === b.partitionIndex && a.subpartitionIndex === b.subpartitionIndex));
      }
      if (operator.operatorUid === definition.statefulOperatorUid && subtask.inputChannelState) {
        records.push(...channelRecords(simulation, metadata, subtask.inputChannelState, 'input', (a, b) => a.gateIndex === b.gateIndex && a.inputChannelIndex === b.inputChannelIndex));
      }
    }
  }
  return records;
}

export interface ConsistencyCheck {
  readonly problems: string[];
  /** How many in-flight records the checkpoint held on the way to the stateful operator. */
  readonly inFlight: number;
}

/** Problems of one completed checkpoint (empty: consistent), counting its in-flight records. */
export function checkpointConsistency(simulation: Simulation, metadata: CheckpointMetadata, scenario: string, keys: number, recordsPerSecond: number): ConsistencyCheck {
  const definition = findScenario(scenario);
  const fold = FOLDS[scenario];
  if (!fold) throw new Error(`No consistency fold for scenario '${scenario}'`);
  const topics = fold.topics(keys);
  const offsets = sourceOffsetsOf(metadata, topics.keys());
  const problems: string[] = [];
  const id = `checkpoint ${metadata.checkpointId}`;
  // Every record the offsets cover, as a multiset; each in-flight record must be one of them, once.
  const covered = new Map<string, number>();
  for (const [uid, topic] of topics) {
    for (const [partition, offset] of offsets.get(uid) ?? []) {
      for (let o = 0; o < offset; o++) {
        const text = JSON.stringify(topic.read(partition, o));
        covered.set(text, (covered.get(text) ?? 0) + 1);
      }
    }
  }
  const inFlight = inFlightRecords(simulation, metadata, scenario);
  const state = checkpointedState(simulation, metadata, definition.statefulOperatorUid, definition.stateName);
  for (const record of inFlight) {
    const text = JSON.stringify(record);
    const left = covered.get(text) ?? 0;
    if (left === 0) problems.push(`${id} holds in-flight record ${text}, which its source offsets do not cover (or cover fewer times)`);
    else covered.set(text, left - 1);
    const key = (record as { key: string }).key;
    state.set(key, fold.add(state.get(key), record));
  }
  const expected = definition.expectedState(offsets, { keys, recordsPerSecond, mode: 'exactly-once' });
  const sorted = (map: ReadonlyMap<string, unknown>) => JSON.stringify([...map].sort(([a], [b]) => a.localeCompare(b)));
  if (sorted(state) !== sorted(expected)) {
    const differing = [...new Set([...state.keys(), ...expected.keys()])]
      .filter((key) => JSON.stringify(state.get(key)) !== JSON.stringify(expected.get(key)))
      .slice(0, 3)
      .map((key) => `${key}: state + in flight ${JSON.stringify(state.get(key))}, offsets say ${JSON.stringify(expected.get(key))}`);
    problems.push(`${id} is inconsistent with its offsets counting ${inFlight.length} in-flight records (${differing.join('; ')})`);
  }
  return { problems, inFlight: inFlight.length };
}
