// Flink's DiscardingSink: drops every record. For throughput benchmarks, where writing output would
// measure the sink instead of the engine.
import type { Sink } from '../graph/data-stream';
import { AbstractStreamOperator } from '../operators/stream-operator';

export class DiscardingSink<T = unknown> implements Sink<T> {
  declare readonly __type?: T;
  readonly name = 'discard';

  createWriter(): AbstractStreamOperator {
    return new DiscardingSinkWriter();
  }
}

class DiscardingSinkWriter extends AbstractStreamOperator {
  processElement(): void {}
}
