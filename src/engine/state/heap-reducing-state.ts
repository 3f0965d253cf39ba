// HeapReducingState: one value per key, folded with the descriptor's reduce function on every add.
// The reduce function receives an owned copy, so it may change its first argument and return it.
import type { ReducingStateDescriptor } from './descriptors';
import type { KeyedStateAccess } from './keyed-state-access';
import type { ReducingState } from './state-interfaces';

export class HeapReducingState<T> implements ReducingState<T> {
  constructor(
    private readonly descriptor: ReducingStateDescriptor<T>,
    private readonly access: KeyedStateAccess,
  ) {}

  get(): T | null {
    return (this.access.getOwned() as T | undefined) ?? null;
  }

  add(value: T | null): void {
    if (value === null || value === undefined) {
      this.access.clear();
      return;
    }
    const current = this.access.getOwned() as T | undefined;
    this.access.put(current === undefined ? value : this.descriptor.reduceFunction(current, value));
  }

  clear(): void {
    this.access.clear();
  }
}
