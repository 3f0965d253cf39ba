// The user-facing state types, with Flink's method names. Keyed instances are scoped to the backend's
// current key; operator list state is scoped to the subtask. Returned values must be treated as read-only.

/** Flink's State: everything can be cleared. */
export interface State {
  clear(): void;
}

export interface ValueState<T> extends State {
  /** The value for the current key, the descriptor's default, or null. */
  value(): T | null;
  /** Sets the value; updating to null clears it, as in Flink. */
  update(value: T | null): void;
}

export interface ListState<T> extends State {
  /** The list for the current key; empty when there is none. */
  get(): readonly T[];
  add(value: T): void;
  addAll(values: readonly T[]): void;
  /** Replaces the list; an empty list clears the state. */
  update(values: readonly T[]): void;
}

export interface MapState<UK extends string | number, V> extends State {
  get(key: UK): V | null;
  put(key: UK, value: V): void;
  putAll(entries: Iterable<readonly [UK, V]> | ReadonlyMap<UK, V>): void;
  remove(key: UK): void;
  contains(key: UK): boolean;
  entries(): Array<[UK, V]>;
  keys(): UK[];
  values(): V[];
  isEmpty(): boolean;
}

export interface ReducingState<T> extends State {
  get(): T | null;
  /** Reduces `value` into the current value; adding null clears the state, as Flink's heap state does. */
  add(value: T | null): void;
}

export interface AggregatingState<IN, OUT> extends State {
  get(): OUT | null;
  /** Aggregates `value` into the accumulator; adding null clears the state, as Flink's heap state does. */
  add(value: IN | null): void;
}
