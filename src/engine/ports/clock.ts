// Clock: the engine's only source of time. A superset of XState's clock (setTimeout/clearTimeout),
// so machines and engine advance together; the simulator implements it with virtual time.
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since an arbitrary epoch; monotonic within one run. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}
