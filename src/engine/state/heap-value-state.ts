// HeapValueState: one value per key, with the descriptor's default while unset. Updating to null
// clears, as in Flink. Object values are copied before being handed out when a snapshot shares them.
import type { ValueStateDescriptor } from './descriptors';
import type { KeyedStateAccess } from './keyed-state-access';
import type { ValueState } from './state-interfaces';

export class HeapValueState<T> implements ValueState<T> {
  constructor(
    private readonly descriptor: ValueStateDescriptor<T>,
    private readonly access: KeyedStateAccess,
  ) {}

  value(): T | null {
    const value = this.access.getOwned() as T | undefined;
    return value === undefined ? this.descriptor.defaultValue : value;
  }

  update(value: T | null): void {
    if (value === null || value === undefined) this.access.clear();
    else this.access.put(value);
  }

  clear(): void {
    this.access.clear();
  }
}
