// HeapRestoreOperation: reads keyed snapshots (possibly from untrusted files) into a backend, keeping
// only key groups in the backend's range — which is how rescaling redistributes key groups. Rejects a
// changed maxParallelism as Flink does, and any key filed under a key group it does not hash to.
import type { StateKind } from './descriptors';
import { checkKey, type Key } from './java-hash-code';
import type { Json } from './json';
import { KeyGroupRange } from './key-group-range';
import { assignToKeyGroup } from './key-groups';
import { fromSnapshotValue, type KeyedStateSnapshot } from './keyed-state-snapshot';

/** Where restored state goes. */
export interface RestoreTarget {
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  registerRestoredState(stateName: string, kind: StateKind): void;
  restoreValue(keyGroup: number, stateName: string, key: Key, value: unknown): void;
}

const STATE_KINDS: ReadonlySet<string> = new Set(['VALUE', 'LIST', 'MAP', 'REDUCING', 'AGGREGATING']);

export function restoreKeyedState(target: RestoreTarget, snapshots: readonly KeyedStateSnapshot[]): void {
  const kinds = new Map<string, StateKind>();
  const restoredKeyGroups = new Set<number>();
  snapshots.forEach((snapshot, index) => {
    const where = `keyed state snapshot ${index}`;
    if (snapshot === null || typeof snapshot !== 'object') throw new TypeError(`The ${where} is not an object`);
    checkMaxParallelism(snapshot.maxParallelism, target.maxParallelism);
    const snapshotRange = readRange(snapshot.keyGroupRange, snapshot.maxParallelism, where);
    const snapshotKinds = readStateMetaInfo(snapshot.stateMetaInfo, where);
    for (const [stateName, kind] of snapshotKinds) {
      const known = kinds.get(stateName);
      if (known !== undefined && known !== kind) {
        throw new Error(`State "${stateName}" is ${known} in one snapshot and ${kind} in another`);
      }
      kinds.set(stateName, kind);
      target.registerRestoredState(stateName, kind);
    }
    if (!Array.isArray(snapshot.keyGroups)) throw new TypeError(`The ${where} has no keyGroups array`);
    for (const keyGroupSnapshot of snapshot.keyGroups) {
      const keyGroup = keyGroupSnapshot?.keyGroup;
      if (!Number.isInteger(keyGroup) || !snapshotRange.contains(keyGroup)) {
        throw new RangeError(`The ${where} holds key group ${String(keyGroup)}, outside its ${snapshotRange}`);
      }
      if (!target.keyGroupRange.contains(keyGroup)) continue;
      if (restoredKeyGroups.has(keyGroup)) throw new Error(`Key group ${keyGroup} appears in more than one snapshot`);
      restoredKeyGroups.add(keyGroup);
      restoreKeyGroup(target, keyGroup, keyGroupSnapshot.states, snapshotKinds, where);
    }
  });
}

function checkMaxParallelism(snapshotMaxParallelism: unknown, maxParallelism: number): void {
  if (snapshotMaxParallelism === maxParallelism) return;
  throw new Error(
    `The maximum parallelism (${String(snapshotMaxParallelism)}) with which the keyed state snapshot was taken ` +
      `and the current maximum parallelism (${maxParallelism}) differ. This is currently not supported.`,
  );
}

function readRange(json: unknown, maxParallelism: number, where: string): KeyGroupRange {
  const { start, end } = (json ?? {}) as { start?: unknown; end?: unknown };
  if (!Number.isInteger(start) || !Number.isInteger(end)) throw new TypeError(`The ${where} has no valid keyGroupRange`);
  const range = KeyGroupRange.of(start as number, end as number);
  if (range.startKeyGroup < 0 || range.endKeyGroup >= maxParallelism) {
    throw new RangeError(`The ${where} has ${range}, outside [0, ${maxParallelism})`);
  }
  return range;
}

function readStateMetaInfo(json: unknown, where: string): Map<string, StateKind> {
  if (json === null || typeof json !== 'object') throw new TypeError(`The ${where} has no stateMetaInfo`);
  const kinds = new Map<string, StateKind>();
  for (const [stateName, info] of Object.entries(json as Record<string, { kind?: unknown }>)) {
    const kind = info?.kind;
    if (typeof kind !== 'string' || !STATE_KINDS.has(kind)) {
      throw new TypeError(`The ${where} gives state "${stateName}" an unknown kind ${String(kind)}`);
    }
    kinds.set(stateName, kind as StateKind);
  }
  return kinds;
}

function restoreKeyGroup(
  target: RestoreTarget,
  keyGroup: number,
  states: unknown,
  kinds: ReadonlyMap<string, StateKind>,
  where: string,
): void {
  if (states === null || typeof states !== 'object') throw new TypeError(`Key group ${keyGroup} in the ${where} has no states`);
  for (const [stateName, entries] of Object.entries(states as Record<string, unknown>)) {
    const kind = kinds.get(stateName);
    if (kind === undefined) throw new Error(`The ${where} holds state "${stateName}" without stateMetaInfo`);
    if (!Array.isArray(entries)) throw new TypeError(`State "${stateName}" in the ${where} is not a list of entries`);
    for (const entry of entries as unknown[]) {
      if (!Array.isArray(entry) || entry.length !== 2) {
        throw new TypeError(`State "${stateName}" in the ${where} has an entry that is not a [key, value] pair`);
      }
      const [key, value] = entry as [unknown, Json];
      checkKey(key);
      const expected = assignToKeyGroup(key, target.maxParallelism);
      if (expected !== keyGroup) {
        throw new Error(`Key ${JSON.stringify(key)} is filed under key group ${keyGroup} but belongs to key group ${expected}`);
      }
      if (kind === 'MAP') checkMapValue(value, stateName, where);
      target.restoreValue(keyGroup, stateName, key, fromSnapshotValue(kind, value));
    }
  }
}

function checkMapValue(value: unknown, stateName: string, where: string): void {
  const valid = Array.isArray(value) && value.every((pair) => Array.isArray(pair) && pair.length === 2);
  if (!valid) throw new TypeError(`MAP state "${stateName}" in the ${where} has a value that is not [userKey, value] pairs`);
}
