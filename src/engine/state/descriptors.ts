// State descriptors: the name and kind (plus reduce/aggregate function) under which state is registered,
// as Flink's StateDescriptor subclasses. Values must be JSON-serialisable (see json.ts); that is not checked.

/** Flink's StateDescriptor.Type, less the removed FOLDING. */
export type StateKind = 'VALUE' | 'LIST' | 'MAP' | 'REDUCING' | 'AGGREGATING';

/** Flink's ReduceFunction: combines two values into one of the same type. */
export type ReduceFunction<T> = (value1: T, value2: T) => T;

/** Flink's AggregateFunction. `add` may return a new accumulator or the given one, changed. */
export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  merge?(a: ACC, b: ACC): ACC;
}

function checkName(name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError('A state name must be a non-empty string');
  return name;
}

export class ValueStateDescriptor<T> {
  readonly kind = 'VALUE' as const;
  readonly name: string;
  /** Returned by value() while the key has no value (Flink deprecates it but still honours it). */
  readonly defaultValue: T | null;

  constructor(name: string, defaultValue?: T) {
    this.name = checkName(name);
    this.defaultValue = defaultValue === undefined ? null : defaultValue;
  }
}

export class ListStateDescriptor<T> {
  readonly kind = 'LIST' as const;
  readonly name: string;
  /** Phantom field: keeps T in the type so descriptors of different element types do not mix. */
  declare readonly elementType?: T;

  constructor(name: string) {
    this.name = checkName(name);
  }
}

export class MapStateDescriptor<UK extends string | number, V> {
  readonly kind = 'MAP' as const;
  readonly name: string;
  declare readonly userKeyType?: UK;
  declare readonly userValueType?: V;

  constructor(name: string) {
    this.name = checkName(name);
  }
}

export class ReducingStateDescriptor<T> {
  readonly kind = 'REDUCING' as const;
  readonly name: string;

  constructor(
    name: string,
    readonly reduceFunction: ReduceFunction<T>,
  ) {
    this.name = checkName(name);
    if (typeof reduceFunction !== 'function') throw new TypeError(`ReducingState "${name}" needs a reduce function`);
  }
}

export class AggregatingStateDescriptor<IN, ACC, OUT> {
  readonly kind = 'AGGREGATING' as const;
  readonly name: string;

  constructor(
    name: string,
    readonly aggregateFunction: AggregateFunction<IN, ACC, OUT>,
  ) {
    this.name = checkName(name);
    if (typeof aggregateFunction?.createAccumulator !== 'function' || typeof aggregateFunction.add !== 'function') {
      throw new TypeError(`AggregatingState "${name}" needs an aggregate function with createAccumulator and add`);
    }
  }
}

/** What every descriptor has: enough to register state and to check a name is not reused for another kind. */
export interface StateDescriptorInfo {
  readonly kind: StateKind;
  readonly name: string;
}
