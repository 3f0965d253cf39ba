// Stateless one-input operators: map and filter (Flink's StreamMap, StreamFilter).
import type { FilterFunction, MapFunction } from '../graph/functions';
import { AbstractStreamOperator, type Output } from './stream-operator';

export class StreamMap extends AbstractStreamOperator {
  constructor(private readonly mapper: MapFunction<unknown, unknown>) {
    super();
  }

  processElement(value: unknown, out: Output): void {
    out.collect(this.mapper(value));
  }
}

export class StreamFilter extends AbstractStreamOperator {
  constructor(private readonly predicate: FilterFunction<unknown>) {
    super();
  }

  processElement(value: unknown, out: Output): void {
    if (this.predicate(value)) out.collect(value);
  }
}
