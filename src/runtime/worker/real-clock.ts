// The engine's Clock over real time: epoch milliseconds (performance.timeOrigin + now(), monotonic
// within a page or worker) and the global timers. Used by the Worker runtime and the main thread.
import type { Clock, TimerHandle } from '../../engine/ports/clock';

export const realClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs) as TimerHandle,
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};
