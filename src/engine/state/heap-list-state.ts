// HeapListState: a list per key. Appends in place when the live state owns the list, else on a copy,
// so snapshots never change. Null elements are refused and an empty update clears, as in Flink.
import type { KeyedStateAccess } from './keyed-state-access';
import type { ListState } from './state-interfaces';

const EMPTY: readonly never[] = Object.freeze([]);

export function checkListElements(values: readonly unknown[], operation: string): void {
  if (!Array.isArray(values)) throw new TypeError(`ListState.${operation} needs an array`);
  for (const value of values) {
    if (value === null || value === undefined) throw new TypeError('You cannot add null to a ListState.');
  }
}

export class HeapListState<T> implements ListState<T> {
  constructor(private readonly access: KeyedStateAccess) {}

  get(): readonly T[] {
    return (this.access.getOwned() as T[] | undefined) ?? (EMPTY as readonly T[]);
  }

  add(value: T): void {
    this.addAll([value]);
  }

  addAll(values: readonly T[]): void {
    checkListElements(values, 'addAll');
    if (values.length === 0) return;
    const list = this.access.getOwned() as T[] | undefined;
    if (list === undefined) this.access.put([...values]);
    else list.push(...values);
  }

  update(values: readonly T[]): void {
    checkListElements(values, 'update');
    if (values.length === 0) this.access.clear();
    else this.access.put([...values]);
  }

  clear(): void {
    this.access.clear();
  }
}
