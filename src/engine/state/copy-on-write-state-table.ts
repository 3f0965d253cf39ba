// CopyOnWriteStateTable: keyed state stored by key group → state name → key → cell, with epochs so a
// snapshot is O(touched key groups) and never changes afterwards (the idea of Flink's CopyOnWriteStateMap).
// Assumes callers mutate a value in place only when it came from ownedValue() or put() in this epoch.
import type { Key } from './java-hash-code';

/**
 * A value and the epoch it belongs to; values of older epochs may be shared with snapshots. `written`: the
 * caller's write epoch of the last write (the task's checkpoint epoch, for samples), NOT_WRITTEN for a
 * restored value not written since. Kept in the cell so a write costs no second map operation.
 */
interface Cell {
  value: unknown;
  readonly epoch: number;
  written: number;
}

/** `written` of a cell restored from a snapshot and not written since. */
export const NOT_WRITTEN = -1;

interface Versioned<M> {
  readonly map: M;
  readonly epoch: number;
}

type KeyTable = Versioned<Map<Key, Cell>>;
type KeyGroupTable = Versioned<Map<string, KeyTable>>;

/** A frozen key group as a snapshot holds it: state name → key → value. Never changes. */
export type FrozenKeyGroup = ReadonlyMap<string, ReadonlyMap<Key, { readonly value: unknown }>>;

/** Cells restored from snapshots belong to no epoch, so their first write copies them. */
const RESTORED_EPOCH = -1;

export class CopyOnWriteStateTable {
  /** Incremented by every snapshot; containers and cells of an older epoch are shared, hence frozen. */
  private epoch = 0;
  /** Indexed by key group (a holey array: an index lookup costs less than a Map's on every access). */
  private readonly keyGroups: Array<KeyGroupTable | undefined> = [];
  /**
   * The cell the last get or ownedValue found, so the put that follows (a value read, then updated: the common
   * case) finds it without looking it up again. Valid while `lastCell` is of this epoch (then it is the live
   * table's own) and nothing removed, evicted or restored a cell since (those forget it).
   */
  private lastKeyGroup = -1;
  private lastStateName = '';
  private lastKey: Key | undefined = undefined;
  private lastCell: Cell | undefined = undefined;

  /** The stored value, possibly shared with a snapshot: the caller must not change it. */
  get(keyGroup: number, stateName: string, key: Key): unknown {
    return this.find(keyGroup, stateName, key)?.value;
  }

  has(keyGroup: number, stateName: string, key: Key): boolean {
    return this.keyGroups[keyGroup]?.map.get(stateName)?.map.has(key) ?? false;
  }

  /**
   * The stored value, owned by the live table so the caller may change it in place. A value shared
   * with a snapshot is first replaced by `copy(value)`, as Flink's CopyOnWriteStateMap.get copies
   * entries older than the latest snapshot.
   */
  ownedValue(keyGroup: number, stateName: string, key: Key, copy: (value: unknown) => unknown, written: number): unknown {
    const cell = this.find(keyGroup, stateName, key);
    if (cell === undefined) return undefined;
    if (cell.value === null || typeof cell.value !== 'object') return cell.value;
    // An object handed out may be changed in place: that counts as a write.
    if (cell.epoch === this.epoch) {
      cell.written = written;
      return cell.value;
    }
    const value = copy(cell.value);
    this.put(keyGroup, stateName, key, value, written);
    return value;
  }

  /** Stores `value`, which from now on belongs to the live table; `written` is the write's epoch (see Cell). */
  put(keyGroup: number, stateName: string, key: Key, value: unknown, written: number): void {
    const last = this.lastCell;
    // The cell just read, of this epoch: shared with no snapshot, so updated in place (hot path, no lookup).
    if (last !== undefined && last.epoch === this.epoch && key === this.lastKey && keyGroup === this.lastKeyGroup && stateName === this.lastStateName) {
      last.value = value;
      last.written = written;
      return;
    }
    const table = this.ownKeyTable(keyGroup, stateName);
    const cell = table.map.get(key);
    // A cell of this epoch is shared with no snapshot: update it in place (no allocation).
    if (cell !== undefined && cell.epoch === this.epoch) {
      cell.value = value;
      cell.written = written;
      this.remember(keyGroup, stateName, key, cell);
    } else {
      const created: Cell = { value, epoch: this.epoch, written };
      table.map.set(key, created);
      this.remember(keyGroup, stateName, key, created);
    }
  }

  /** The latest `written` of `key` over the states of its key group, NOT_WRITTEN if none was written (or it holds none). */
  lastWritten(keyGroup: number, key: Key): number {
    let last = NOT_WRITTEN;
    const keyGroupTable = this.keyGroups[keyGroup];
    if (keyGroupTable === undefined) return last;
    for (const keyTable of keyGroupTable.map.values()) {
      const cell = keyTable.map.get(key);
      if (cell !== undefined && cell.written > last) last = cell.written;
    }
    return last;
  }

  remove(keyGroup: number, stateName: string, key: Key): void {
    if (!this.has(keyGroup, stateName, key)) return;
    this.forget();
    const keyGroupTable = this.ownKeyGroupTable(keyGroup);
    const keyTable = this.ownKeyTable(keyGroup, stateName);
    keyTable.map.delete(key);
    if (keyTable.map.size > 0) return;
    keyGroupTable.map.delete(stateName);
    if (keyGroupTable.map.size === 0) this.keyGroups[keyGroup] = undefined;
  }

  /** Adds a value read from a snapshot without copying it: it stays shared until first changed. */
  restore(keyGroup: number, stateName: string, key: Key, value: unknown): void {
    this.forget();
    this.ownKeyTable(keyGroup, stateName).map.set(key, { value, epoch: RESTORED_EPOCH, written: NOT_WRITTEN });
  }

  /**
   * The synchronous part of a snapshot: references to every non-empty key group, which later writes
   * copy instead of changing. Costs O(key groups in use × state names), not O(state size).
   */
  snapshot(): ReadonlyMap<number, FrozenKeyGroup> {
    const frozen = new Map<number, FrozenKeyGroup>();
    for (const keyGroup of this.keyGroupsInUse()) {
      const byName = new Map<string, ReadonlyMap<Key, { readonly value: unknown }>>();
      for (const [stateName, keyTable] of this.keyGroups[keyGroup]!.map) byName.set(stateName, keyTable.map);
      frozen.set(keyGroup, byName);
    }
    this.epoch++;
    return frozen;
  }

  /** The live states of one key group (state name → key → cell), or undefined when it holds none. Read-only. */
  keyGroupStates(keyGroup: number): ReadonlyMap<string, ReadonlyMap<Key, { readonly value: unknown }>> | undefined {
    const table = this.keyGroups[keyGroup];
    if (table === undefined) return undefined;
    return new Map(Array.from(table.map, ([stateName, keyTable]) => [stateName, keyTable.map]));
  }

  /** Forgets a key group (evicted to the working store); snapshots taken before keep their frozen maps. */
  evict(keyGroup: number): void {
    this.forget();
    this.keyGroups[keyGroup] = undefined;
  }

  /** The key groups that hold any state, ascending. */
  keyGroupsInUse(): number[] {
    const inUse: number[] = [];
    const keyGroups = this.keyGroups;
    for (let keyGroup = 0; keyGroup < keyGroups.length; keyGroup++) if (keyGroups[keyGroup] !== undefined) inUse.push(keyGroup);
    return inUse;
  }

  /** Every [keyGroup, key, value] of one state, by ascending key group; values must not be changed. */
  *entries(stateName: string): Generator<[number, Key, unknown]> {
    for (const keyGroup of this.keyGroupsInUse()) {
      const keyTable = this.keyGroups[keyGroup]?.map.get(stateName);
      if (keyTable === undefined) continue;
      for (const [key, cell] of keyTable.map) yield [keyGroup, key, cell.value];
    }
  }

  private find(keyGroup: number, stateName: string, key: Key): Cell | undefined {
    const cell = this.keyGroups[keyGroup]?.map.get(stateName)?.map.get(key);
    if (cell !== undefined) this.remember(keyGroup, stateName, key, cell);
    return cell;
  }

  private remember(keyGroup: number, stateName: string, key: Key, cell: Cell): void {
    this.lastKeyGroup = keyGroup;
    this.lastStateName = stateName;
    this.lastKey = key;
    this.lastCell = cell;
  }

  private forget(): void {
    this.lastCell = undefined;
    this.lastKey = undefined;
  }

  private ownKeyGroupTable(keyGroup: number): KeyGroupTable {
    const table = this.keyGroups[keyGroup];
    if (table !== undefined && table.epoch === this.epoch) return table;
    const owned: KeyGroupTable = { map: new Map(table?.map), epoch: this.epoch };
    this.keyGroups[keyGroup] = owned;
    return owned;
  }

  private ownKeyTable(keyGroup: number, stateName: string): KeyTable {
    const keyGroupTable = this.ownKeyGroupTable(keyGroup);
    const table = keyGroupTable.map.get(stateName);
    if (table !== undefined && table.epoch === this.epoch) return table;
    const owned: KeyTable = { map: new Map(table?.map), epoch: this.epoch };
    keyGroupTable.map.set(stateName, owned);
    return owned;
  }
}
