// Where a running task's time goes — busy, backpressured, idle — as Flink's TaskIOMetricGroup reports it
// (`busyTimeMsPerSecond`, `backPressuredTimeMsPerSecond`, `idleTimeMsPerSecond`): bounded (eleven buckets
// of 100 ms), read from the injected clock only, rates over the last second.
//
// Flink (flink-runtime TaskIOMetricGroup, TimerGauge; flink-streaming-java StreamTask#processInput):
// when the mailbox's default action cannot go on it checks the output first — `!recordWriter.isAvailable()`
// starts the soft-backpressure timer — then the input — `!inputProcessor.isAvailable()` starts the idle
// timer; backPressuredTimeMsPerSecond = soft + hard backpressure; busyTimeMsPerSecond = 1000 − min(idle +
// backPressured, 1000), the rest of the time. Flink's TimerGauge averages over 60 s, updated every 5 s; a
// simulator's job changes in seconds, so here the window is the last second, kept in 100 ms buckets (the
// oldest one, partly inside the window, counted pro rata).
import type { Clock } from '../ports/clock';

/** What a running task is doing between two readings of the clock. */
export type TaskTimeState = 'busy' | 'backPressured' | 'idle';

export interface TaskTimeRates {
  readonly busyTimeMsPerSecond: number;
  readonly backPressuredTimeMsPerSecond: number;
  readonly idleTimeMsPerSecond: number;
}

export const NO_TASK_TIME: TaskTimeRates = { busyTimeMsPerSecond: 0, backPressuredTimeMsPerSecond: 0, idleTimeMsPerSecond: 0 };

/** The rates' window, the width of one bucket, and the buckets kept (enough to cover a window at any offset). */
export const TASK_TIME_WINDOW_MS = 1000;
export const TASK_TIME_BUCKET_MS = 100;
export const TASK_TIME_BUCKETS = TASK_TIME_WINDOW_MS / TASK_TIME_BUCKET_MS + 1;

interface Bucket {
  index: number;
  busy: number;
  backPressured: number;
  idle: number;
}

export class TaskTimeMeter {
  readonly #buckets: Bucket[] = Array.from({ length: TASK_TIME_BUCKETS }, () => ({ index: -1, busy: 0, backPressured: 0, idle: 0 }));
  /** When measuring started (the task went RUNNING), or null before and after. */
  #startedAt: number | null = null;
  #state: TaskTimeState = 'idle';
  /** Time accounted up to here; from here on the current state (after any busy time charged) runs. */
  #since = 0;
  /** Work done but not yet paid for in time: until here the task counts busy whatever its state. */
  #busyUntil = 0;

  constructor(private readonly clock: Pick<Clock, 'now'>) {}

  /** Starts measuring now, in `state`. */
  start(state: TaskTimeState): void {
    const now = this.clock.now();
    this.#startedAt = now;
    this.#since = now;
    this.#busyUntil = now;
    this.#state = state;
    for (const bucket of this.#buckets) Object.assign(bucket, { index: -1, busy: 0, backPressured: 0, idle: 0 });
  }

  /** Stops measuring (the task left RUNNING): the rates read 0 from now on. */
  stop(): void {
    this.#startedAt = null;
  }

  /** Accounts the time until now to what the task was doing, then goes on in `state`. */
  enter(state: TaskTimeState): void {
    if (this.#startedAt === null) return;
    this.accountUntil(this.clock.now());
    this.#state = state;
  }

  /**
   * The runtime's word for work whose time the clock did not see pass: the deterministic runtime's virtual
   * clock stands still inside step(), so the simulator charges the modelled cost of what a step did. It
   * runs from now (or from the end of busy time charged before) and counts busy whatever the state.
   */
  chargeBusy(durationMs: number): void {
    if (this.#startedAt === null || !(durationMs > 0)) return;
    const now = this.clock.now();
    this.accountUntil(now);
    this.#busyUntil = Math.max(this.#busyUntil, now) + durationMs;
  }

  /** Each state's time over the last second (since start, if that is sooner), per second, in whole ms. */
  rates(): TaskTimeRates {
    const startedAt = this.#startedAt;
    if (startedAt === null) return NO_TASK_TIME;
    const now = this.clock.now();
    this.accountUntil(now);
    const windowStart = Math.max(startedAt, now - TASK_TIME_WINDOW_MS);
    const covered = now - windowStart;
    if (covered <= 0) return NO_TASK_TIME;
    const oldest = Math.floor(windowStart / TASK_TIME_BUCKET_MS);
    let backPressured = 0;
    let idle = 0;
    for (const bucket of this.#buckets) {
      if (bucket.index < oldest) continue;
      // The bucket holds time from its start (or the meter's) to its end (or now); count the part inside the window.
      const from = Math.max(startedAt, bucket.index * TASK_TIME_BUCKET_MS);
      const to = Math.min(now, (bucket.index + 1) * TASK_TIME_BUCKET_MS);
      const share = to > from ? Math.min(1, (to - Math.max(from, windowStart)) / (to - from)) : 0;
      backPressured += bucket.backPressured * share;
      idle += bucket.idle * share;
    }
    // As Flink: idle and backpressured are measured (whole ms), busy is the rest of the second.
    const backPressuredTimeMsPerSecond = clampMs((backPressured / covered) * 1000);
    const idleTimeMsPerSecond = Math.min(1000 - backPressuredTimeMsPerSecond, clampMs((idle / covered) * 1000));
    return { busyTimeMsPerSecond: 1000 - backPressuredTimeMsPerSecond - idleTimeMsPerSecond, backPressuredTimeMsPerSecond, idleTimeMsPerSecond };
  }

  private accountUntil(now: number): void {
    if (now <= this.#since) return;
    const busyEnd = Math.min(now, Math.max(this.#since, this.#busyUntil));
    this.add('busy', this.#since, busyEnd);
    this.add(this.#state, busyEnd, now);
    this.#since = now;
  }

  /** Adds [from, to) to the buckets it overlaps; only the last TASK_TIME_BUCKETS buckets are kept. */
  private add(state: TaskTimeState, from: number, to: number): void {
    if (to <= from) return;
    const last = Math.floor(to / TASK_TIME_BUCKET_MS);
    const start = Math.max(from, (last - TASK_TIME_BUCKETS + 1) * TASK_TIME_BUCKET_MS);
    for (let index = Math.floor(start / TASK_TIME_BUCKET_MS); index <= last; index++) {
      const overlap = Math.min(to, (index + 1) * TASK_TIME_BUCKET_MS) - Math.max(start, index * TASK_TIME_BUCKET_MS);
      if (overlap <= 0) continue;
      const bucket = this.#buckets[index % TASK_TIME_BUCKETS]!;
      if (bucket.index !== index) Object.assign(bucket, { index, busy: 0, backPressured: 0, idle: 0 });
      bucket[state] += overlap;
    }
  }
}

function clampMs(value: number): number {
  return Math.max(0, Math.min(1000, Math.round(value)));
}
