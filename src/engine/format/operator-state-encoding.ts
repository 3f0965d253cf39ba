// The binary encoding of one subtask's operator state (Flink's OperatorStreamStateHandle): every list
// element as length-prefixed JSON, states one after another; `_metadata` keeps each element's offset and the mode.
import type { Json } from '../state/json';
import type { OperatorListStateSnapshot, OperatorStateDistributionMode, OperatorStateSnapshot } from '../state/operator-state-snapshot';
import { ByteReader } from './byte-reader';
import { ByteWriter } from './byte-writer';
import { parseUntrustedJson, VALUE_FORBIDDEN_KEYS } from './untrusted-json';

/** Flink's OperatorStateHandle.StateMetaInfo: the distribution mode and where each element starts. */
export interface OperatorStateMetaInfo {
  readonly name: string;
  readonly distributionMode: OperatorStateDistributionMode;
  readonly offsets: readonly number[];
}

export interface EncodedOperatorState {
  readonly bytes: Uint8Array;
  readonly states: readonly OperatorStateMetaInfo[];
}

export function encodeOperatorState(snapshot: OperatorStateSnapshot): EncodedOperatorState {
  const writer = new ByteWriter();
  const states = Object.entries(snapshot.states).map(([name, state]): OperatorStateMetaInfo => {
    const offsets = state.entries.map((element) => {
      const offset = writer.length;
      writer.json(element);
      return offset;
    });
    return { name, distributionMode: state.mode, offsets };
  });
  return { bytes: writer.finish(), states };
}

/** The snapshot back from its entry; every offset must be exactly where an element begins. */
export function decodeOperatorState(bytes: Uint8Array, entry: string, states: readonly OperatorStateMetaInfo[], maxJsonDepth: number): OperatorStateSnapshot {
  const reader = new ByteReader(bytes, entry);
  const decoded = states.map(({ name, distributionMode, offsets }): [string, OperatorListStateSnapshot] => {
    const entries = offsets.map((offset, index): Json => {
      if (reader.offset !== offset) reader.fail(`element ${index} of state ${JSON.stringify(name)} should begin at byte ${offset} (from _metadata)`);
      const where = `${entry} @ byte ${offset}`;
      const text = reader.string(`element ${index} of state ${JSON.stringify(name)}`, Number.MAX_SAFE_INTEGER);
      return parseUntrustedJson(text, { kind: 'invalid-entry', where, maxDepth: maxJsonDepth, forbiddenKeys: VALUE_FORBIDDEN_KEYS }) as Json;
    });
    return [name, { mode: distributionMode, entries }];
  });
  reader.expectEnd('the last element');
  return { states: Object.fromEntries(decoded) };
}
