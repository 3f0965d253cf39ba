// User functions, shaped like Flink's DataStream API (MapFunction, FilterFunction, KeySelector,
// ReduceFunction, KeyedProcessFunction). Values are JSON-serialisable so state and output can be exported.
import type { Key } from '../state';
import type { RuntimeContext } from '../operators/runtime-context';

export type MapFunction<IN, OUT> = (value: IN) => OUT;
export type FilterFunction<T> = (value: T) => boolean;
export type KeySelector<T> = (value: T) => Key;
export type ReduceFunction<T> = (accumulated: T, value: T) => T;

export interface Collector<T> {
  collect(value: T): void;
}

/** Flink's KeyedProcessFunction: processElement sees state scoped to the current key. */
export abstract class KeyedProcessFunction<IN, OUT> {
  private runtimeContext: RuntimeContext | null = null;

  /** Called by the operator before `open`; user code reads it with getRuntimeContext(). */
  setRuntimeContext(context: RuntimeContext): void {
    this.runtimeContext = context;
  }

  getRuntimeContext(): RuntimeContext {
    if (!this.runtimeContext) throw new Error('getRuntimeContext() called before the function was opened');
    return this.runtimeContext;
  }

  open(): void {}

  abstract processElement(value: IN, context: { getCurrentKey(): Key }, out: Collector<OUT>): void;
}
