// HeapAggregatingState: one accumulator per key, created on the first add and folded with the
// descriptor's AggregateFunction; get() is getResult(accumulator), or null while there is none.
import type { AggregatingStateDescriptor } from './descriptors';
import type { KeyedStateAccess } from './keyed-state-access';
import type { AggregatingState } from './state-interfaces';

export class HeapAggregatingState<IN, ACC, OUT> implements AggregatingState<IN, OUT> {
  constructor(
    private readonly descriptor: AggregatingStateDescriptor<IN, ACC, OUT>,
    private readonly access: KeyedStateAccess,
  ) {}

  get(): OUT | null {
    const accumulator = this.access.getOwned() as ACC | undefined;
    return accumulator === undefined ? null : this.descriptor.aggregateFunction.getResult(accumulator);
  }

  add(value: IN | null): void {
    if (value === null || value === undefined) {
      this.access.clear();
      return;
    }
    const aggregateFunction = this.descriptor.aggregateFunction;
    const current = this.access.getOwned() as ACC | undefined;
    const accumulator = current === undefined ? aggregateFunction.createAccumulator() : current;
    this.access.put(aggregateFunction.add(value, accumulator));
  }

  clear(): void {
    this.access.clear();
  }
}
