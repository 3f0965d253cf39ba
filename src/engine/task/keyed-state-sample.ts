// A bounded look at one keyed state backend for a task sample: the smallest `limit` keys (in natural
// order, so key-2 comes before key-10) with their values and write epochs, and how many keys it holds.
// One pass over the keys in memory, keeping only `limit` of them: O(keys · log limit), whatever the state's size.
import type { HeapKeyedStateBackend, Key } from '../state';
import { SAMPLE_VALUE_CHARS, type SampledKey } from '../samples';
import type { KeyWriteEpochs } from './key-write-epochs';

export interface KeyedStateSample {
  readonly keys: readonly SampledKey[];
  readonly totalKeys: number;
}

export function sampleKeyedState(backend: HeapKeyedStateBackend, epochs: KeyWriteEpochs, limit: number): KeyedStateSample {
  const stateNames = backend.getRegisteredStateNames();
  const smallest = new SmallestKeys(limit);
  const distinct = stateNames.length > 1 ? new Set<Key>() : null;
  let totalKeys = 0;
  for (const stateName of stateNames) {
    for (const key of backend.keys(stateName)) {
      if (distinct) distinct.add(key);
      else totalKeys += 1;
      smallest.offer(key);
    }
  }
  if (distinct) totalKeys = distinct.size;
  const selected = smallest.sorted();
  const values = new Map<Key, Record<string, unknown>>(selected.map((key) => [key, {}]));
  for (const stateName of stateNames) {
    for (const [key, value] of backend.entries(stateName)) {
      const byState = values.get(key);
      if (byState) byState[stateName] = value;
    }
  }
  const keys = selected.map((key) => {
    const byState = values.get(key)!;
    // One state (the common case, e.g. reduce's `_op_state`): its value; several: state name → value.
    const value = stateNames.length === 1 ? byState[stateNames[0]!] : byState;
    return { key: String(key), value: bounded(value), epoch: epochs.epochOf(key) };
  });
  return { keys, totalKeys };
}

/** Natural order: numbers first, by value; strings compared run by run, digit runs as numbers. */
export function compareKeys(a: Key, b: Key): number {
  if (typeof a === 'number' || typeof b === 'number') {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return typeof a === 'number' ? -1 : 1;
  }
  const runsA = a.match(/\d+|\D+/g) ?? [];
  const runsB = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(runsA.length, runsB.length); i++) {
    const x = runsA[i]!;
    const y = runsB[i]!;
    if (x === y) continue;
    const numeric = /^\d/.test(x) && /^\d/.test(y);
    if (numeric && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  if (runsA.length !== runsB.length) return runsA.length - runsB.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A value as JSON-serialisable data of bounded size: a long one becomes a string cut at SAMPLE_VALUE_CHARS. */
function bounded(value: unknown): unknown {
  const json = JSON.stringify(value) ?? 'null';
  return json.length <= SAMPLE_VALUE_CHARS ? value : `${json.slice(0, SAMPLE_VALUE_CHARS - 1)}…`;
}

/** The `limit` smallest distinct keys seen, kept sorted. */
class SmallestKeys {
  readonly #keys: Key[] = [];
  readonly #members = new Set<Key>();

  constructor(private readonly limit: number) {}

  offer(key: Key): void {
    const keys = this.#keys;
    if (this.limit <= 0 || this.#members.has(key)) return;
    if (keys.length >= this.limit && compareKeys(key, keys[keys.length - 1]!) >= 0) return;
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (compareKeys(keys[middle]!, key) < 0) low = middle + 1;
      else high = middle;
    }
    keys.splice(low, 0, key);
    this.#members.add(key);
    if (keys.length > this.limit) this.#members.delete(keys.pop()!);
  }

  sorted(): readonly Key[] {
    return this.#keys;
  }
}
