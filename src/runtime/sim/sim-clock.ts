// The engine's Clock (and XState's) over the scheduler's virtual time.
import type { Clock, TimerHandle } from '../../engine/ports/clock';
import type { Scheduler, ScheduledHandle } from './scheduler';

export class SimulatedClock implements Clock {
  constructor(private readonly scheduler: Scheduler) {}

  now(): number {
    return this.scheduler.now;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    return this.scheduler.schedule(this.scheduler.now + Math.max(0, delayMs), callback);
  }

  clearTimeout(handle: TimerHandle): void {
    if (handle) this.scheduler.cancel(handle as ScheduledHandle);
  }
}
