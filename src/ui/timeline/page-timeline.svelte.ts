// The timeline on the page: a TimeController driven by animation frames, its state mirrored into
// reactive fields once per frame for TimeControls, Scrubber and every view component (`views.<name>`).
// Views are computed once per frame whatever the event rate: that is the page's sampling of a fast run.
import type { JobSession } from '../../runtime/job-session';
import { animationFrames, type FrameScheduler } from '../../runtime/sim/simulation-session';
import { TimeController } from './time-controller';
import type { FoldFactories, FoldViews, Mark, TimelineOptions } from './timeline';

export interface PageTimelineOptions extends TimelineOptions {
  /** Null: no frames, the owner calls `refresh` (tests). */
  readonly frames?: FrameScheduler | null;
  /** Called after every refresh (once per frame): what else the page checks as the run moves on. */
  readonly onRefresh?: () => void;
}

/** Fields holding objects are `$state.raw`: replaced whole each frame, never mutated. */
export class PageTimeline<F extends FoldFactories> {
  readonly controller: TimeController<F>;
  views = $state.raw<FoldViews<F>>(undefined as unknown as FoldViews<F>);
  live = $state(true);
  paused = $state(false);
  speed = $state(1);
  /** The clock time shown (the session's now live, the cursor's in a replay). */
  shownTime = $state(0);
  start = $state(0);
  end = $state(0);
  marks = $state.raw<readonly Mark[]>([]);
  /** Events recorded per second of real time (smoothed): above what a frame can show, the picture samples. */
  eventsPerSecond = $state(0);
  readonly #frames: FrameScheduler | null;
  readonly #onRefresh: (() => void) | undefined;
  #frame: number | null = null;
  #closed = false;
  #rate: { wallMs: number; head: number } | null = null;

  constructor(
    readonly session: JobSession,
    factories: F,
    options: PageTimelineOptions = {},
  ) {
    this.controller = new TimeController(session, factories, options);
    this.#frames = options.frames === undefined ? animationFrames : options.frames;
    this.#onRefresh = options.onRefresh;
    this.refresh();
    if (this.#frames) this.#frame = this.#frames.request((wallMs) => this.onFrame(wallMs));
  }

  /** Whether the runtime itself can pause and step (the deterministic one); the Worker runtime freezes the picture instead. */
  get virtualTime(): boolean {
    return this.session.time !== null;
  }

  play(): void {
    this.controller.play();
    this.refresh();
  }

  pause(): void {
    this.controller.pause();
    this.refresh();
  }

  togglePause(): void {
    if (this.controller.paused) this.play();
    else this.pause();
  }

  step(): void {
    this.controller.step();
    this.refresh();
  }

  seek(time: number): void {
    this.controller.seek(time);
    this.refresh();
  }

  /** Seeks to just after the event at `position` (a scrubber mark, a narration line). */
  seekPosition(position: number): void {
    this.session.time?.pause();
    this.controller.timeline.seekPosition(position);
    this.refresh();
  }

  goLive(): void {
    this.controller.goLive();
    this.refresh();
  }

  setSpeed(speed: number): void {
    this.controller.speed = speed;
    this.refresh();
  }

  refresh(): void {
    const controller = this.controller;
    this.views = controller.views();
    this.live = controller.live;
    this.paused = controller.paused;
    this.speed = controller.speed;
    this.shownTime = controller.shownTime;
    const { start, end } = controller.range;
    this.start = start;
    this.end = end;
    const marks = controller.timeline.marks;
    if (marks.length !== this.marks.length || marks.at(-1) !== this.marks.at(-1)) this.marks = [...marks];
    this.#onRefresh?.();
  }

  /** Recorded events per real second, smoothed over about a second of frames. */
  private measureRate(wallMs: number): void {
    const head = this.controller.timeline.head;
    const last = this.#rate;
    this.#rate = { wallMs, head };
    if (!last || wallMs <= last.wallMs) return;
    const rate = ((head - last.head) * 1000) / (wallMs - last.wallMs);
    const weight = Math.min(1, (wallMs - last.wallMs) / 1000);
    this.eventsPerSecond = Math.round(this.eventsPerSecond + (rate - this.eventsPerSecond) * weight);
  }

  close(): void {
    this.#closed = true;
    if (this.#frame !== null) this.#frames?.cancel(this.#frame);
    this.controller.close();
  }

  private onFrame(wallMs: number): void {
    if (this.#closed) return;
    this.controller.frame(wallMs);
    this.measureRate(wallMs);
    this.refresh();
    this.#frame = this.#frames!.request((next) => this.onFrame(next));
  }
}
