// Keyed one-input operators: each element sets the current key (so state is scoped to it) before
// user code runs. KeyedProcessOperator hosts a KeyedProcessFunction; StreamGroupedReduce is `reduce`.
import type { Key } from '../state';
import { ValueStateDescriptor, type ValueState } from '../state';
import type { KeyedProcessFunction, KeySelector, ReduceFunction } from '../graph/functions';
import { AbstractStreamOperator, type Output } from './stream-operator';
import { RuntimeContext, type OperatorContext } from './runtime-context';

abstract class KeyedOperator extends AbstractStreamOperator {
  constructor(protected readonly keySelector: KeySelector<unknown>) {
    super();
  }

  protected setKeyFor(value: unknown): Key {
    const key = this.keySelector(value);
    const backend = this.context.keyedStateBackend;
    if (!backend) throw new Error('A keyed operator runs without a keyed state backend');
    backend.setCurrentKey(key);
    return key;
  }
}

export class KeyedProcessOperator extends KeyedOperator {
  constructor(
    keySelector: KeySelector<unknown>,
    private readonly userFunction: KeyedProcessFunction<unknown, unknown>,
  ) {
    super(keySelector);
  }

  override open(context: OperatorContext): void {
    super.open(context);
    this.userFunction.setRuntimeContext(new RuntimeContext(context));
    this.userFunction.open();
  }

  /** The key of the element being processed. */
  #currentKey: Key = 0;
  /** One context for every element, as Flink's KeyedProcessOperator keeps one ContextImpl: no allocation per record. */
  readonly #context = { getCurrentKey: (): Key => this.#currentKey };

  processElement(value: unknown, out: Output): void {
    this.#currentKey = this.setKeyFor(value);
    this.userFunction.processElement(value, this.#context, out);
  }
}

/** Flink's StreamGroupedReduceOperator: keeps the running reduction per key in ValueState "_op_state". */
export class StreamGroupedReduce extends KeyedOperator {
  private values!: ValueState<unknown>;

  constructor(
    keySelector: KeySelector<unknown>,
    private readonly reducer: ReduceFunction<unknown>,
  ) {
    super(keySelector);
  }

  override open(context: OperatorContext): void {
    super.open(context);
    this.values = new RuntimeContext(context).getState(new ValueStateDescriptor<unknown>('_op_state'));
  }

  processElement(value: unknown, out: Output): void {
    this.setKeyFor(value);
    const current = this.values.value();
    const next = current === null || current === undefined ? value : this.reducer(current, value);
    this.values.update(next as never);
    out.collect(next);
  }
}
