// Play, pause, step, speed, seek and live, the same for both runtimes (issue 7, "Time"). Live, the
// deterministic runtime pauses, steps one event and changes speed itself; the Worker runtime cannot, so
// pausing it freezes the picture at that moment (a replay at the head) while the job runs on. At a past
// moment either runtime replays the recorded run: play moves the cursor forward at the speed until it
// reaches the head and goes live again (the deterministic runtime then resumes), step moves it one
// recorded event. Seeking pauses the deterministic runtime so the head waits for the viewer.
// Pure: frames come from the owner (PageTimeline), the clock from the session.
import type { JobSession, Unsubscribe } from '../../runtime/job-session';
import type { FoldFactories, FoldViews } from './timeline';
import { Timeline, type TimelineOptions } from './timeline';

/** The speed slider's range (virtual or replayed ms per real ms), from slow motion to fast. */
export const MIN_SPEED = 0.01;
export const MAX_SPEED = 100;
/** Largest real-time gap one frame of replay moves the cursor by. */
const MAX_FRAME_MS = 250;

/** The slider's position (0…1) for a speed, on a log scale. */
export function speedToSlider(speed: number): number {
  const clamped = Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
  return (Math.log10(clamped) - Math.log10(MIN_SPEED)) / (Math.log10(MAX_SPEED) - Math.log10(MIN_SPEED));
}

export function sliderToSpeed(position: number): number {
  const clamped = Math.min(1, Math.max(0, position));
  const speed = 10 ** (Math.log10(MIN_SPEED) + clamped * (Math.log10(MAX_SPEED) - Math.log10(MIN_SPEED)));
  // Round to two significant digits, so the label reads 0.25×, 1×, 40×.
  return Number(speed.toPrecision(2));
}

export class TimeController<F extends FoldFactories> {
  readonly timeline: Timeline<F>;
  #replaying = false;
  readonly #liveDelayMs: number;
  #replaySpeed = 1;
  #lastWallMs: number | null = null;
  readonly #unsubscribe: Unsubscribe[];

  constructor(
    readonly session: JobSession,
    factories: F,
    options: TimelineOptions = {},
  ) {
    this.timeline = new Timeline(factories, options);
    this.#liveDelayMs = Math.max(0, options.liveDelayMs ?? 0);
    this.#unsubscribe = [session.subscribeEvents((events) => this.timeline.record(events)), session.subscribeSamples((samples) => this.timeline.recordSamples(samples))];
  }

  get live(): boolean {
    return this.timeline.live;
  }

  /** Whether the picture stands still: a paused deterministic run, or a replay not playing. */
  get paused(): boolean {
    if (!this.timeline.live) return !this.#replaying;
    return this.session.time?.paused ?? false;
  }

  /** Whether pressing play does something (a live Worker run always plays). */
  get canPlay(): boolean {
    return this.paused;
  }

  get speed(): number {
    return this.session.time?.speed ?? this.#replaySpeed;
  }

  set speed(speed: number) {
    const clamped = Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
    this.#replaySpeed = clamped;
    if (this.session.time) this.session.time.speed = clamped;
  }

  /** The clock time shown: the session's now (less the live delay) live, the cursor's time in a replay. */
  get shownTime(): number {
    const cursor = this.timeline.cursor;
    return cursor.live ? this.session.now() - this.#liveDelayMs : cursor.time;
  }

  /** The scrubber's range: the first recorded event to the head. */
  get range(): { readonly start: number; readonly end: number } {
    const now = this.session.now();
    const start = this.timeline.startTime ?? now;
    return { start, end: Math.max(start, this.timeline.endTime ?? start, now) };
  }

  views(): FoldViews<F> {
    return this.timeline.views(this.shownTime);
  }

  view<K extends keyof F & string>(name: K): FoldViews<F>[K] {
    return this.timeline.view(name, this.shownTime);
  }

  play(): void {
    if (!this.timeline.live) {
      this.#replaying = true;
      this.#lastWallMs = null;
    } else {
      this.session.time?.resume();
    }
  }

  pause(): void {
    if (!this.timeline.live) this.#replaying = false;
    else if (this.session.time) this.session.time.pause();
    else this.timeline.seek(this.session.now()); // real time cannot stop: freeze the picture here
  }

  /** One event: the deterministic run's next (it pauses first), or the replay's next recorded one. */
  step(): void {
    if (this.timeline.live && this.session.time) {
      this.session.time.pause();
      this.session.time.stepEvent();
      return;
    }
    if (this.timeline.live) this.timeline.seek(this.session.now());
    this.#replaying = false;
    this.timeline.stepForward();
  }

  seek(time: number): void {
    this.session.time?.pause();
    this.#replaying = false;
    const { end } = this.range;
    if (time >= end) return this.goLive();
    this.timeline.seek(time);
  }

  /** Back to the head; a deterministic run stays paused until play. */
  goLive(): void {
    this.#replaying = false;
    this.timeline.goLive();
  }

  /** Called once per animation frame: a playing replay moves on by real time × speed. */
  frame(wallMs: number): void {
    const last = this.#lastWallMs;
    this.#lastWallMs = wallMs;
    if (!this.#replaying || this.timeline.live || last === null) return;
    const cursor = this.timeline.cursor;
    if (cursor.live) return;
    const next = cursor.time + Math.min(MAX_FRAME_MS, Math.max(0, wallMs - last)) * this.speed;
    if (next >= (this.timeline.endTime ?? next)) {
      this.goLive();
      this.session.time?.resume();
    } else {
      this.timeline.seek(next);
    }
  }

  close(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
  }
}
