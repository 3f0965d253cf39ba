// HeapMapState: a map of user keys to values per key, stored as a JS Map (Flink's heap backend keeps a
// HashMap per key). Removing the last entry clears the key's state, as Flink's HeapMapState does.
import type { KeyedStateAccess } from './keyed-state-access';
import type { MapState } from './state-interfaces';

export class HeapMapState<UK extends string | number, V> implements MapState<UK, V> {
  constructor(private readonly access: KeyedStateAccess) {}

  get(key: UK): V | null {
    return this.owned()?.get(key) ?? null;
  }

  put(key: UK, value: V): void {
    checkUserKey(key);
    const map = this.owned();
    if (map === undefined) this.access.put(new Map([[key, value]]));
    else map.set(key, value);
  }

  putAll(entries: Iterable<readonly [UK, V]> | ReadonlyMap<UK, V>): void {
    for (const [key, value] of entries) this.put(key, value);
  }

  remove(key: UK): void {
    if (!this.contains(key)) return;
    const map = this.owned();
    map?.delete(key);
    if (map?.size === 0) this.access.clear();
  }

  contains(key: UK): boolean {
    return this.shared()?.has(key) ?? false;
  }

  entries(): Array<[UK, V]> {
    return Array.from(this.owned() ?? []);
  }

  keys(): UK[] {
    return Array.from(this.shared()?.keys() ?? []);
  }

  values(): V[] {
    return Array.from(this.owned()?.values() ?? []);
  }

  isEmpty(): boolean {
    return (this.shared()?.size ?? 0) === 0;
  }

  clear(): void {
    this.access.clear();
  }

  private shared(): ReadonlyMap<UK, V> | undefined {
    return this.access.get() as ReadonlyMap<UK, V> | undefined;
  }

  private owned(): Map<UK, V> | undefined {
    return this.access.getOwned() as Map<UK, V> | undefined;
  }
}

function checkUserKey(key: unknown): void {
  const valid = typeof key === 'string' || (typeof key === 'number' && Number.isFinite(key));
  if (!valid) throw new TypeError(`A MapState key must be a string or a finite number, got ${String(key)}`);
}
