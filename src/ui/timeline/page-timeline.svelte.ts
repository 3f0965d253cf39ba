// The timeline on the page: a TimeController driven by animation frames, its state mirrored into
// reactive fields once per frame for TimeControls, Scrubber and every view component (`views.<name>`).
// Views are computed at most once per frame whatever the event rate: that is the page's sampling of a fast
// run. Each view is its own reactive cell, so a component redraws only when its view was replaced: the
// views named in `everyFrame` (what moves: the job graph) are replaced on every frame, the others at most
// every `viewPeriodMs` while the run plays (a table need not change 60 times a second), and every view
// at once after a command (pause, step, seek, play, speed), so a paused or stepped picture is exact.
import type { JobSession } from '../../runtime/job-session';
import { animationFrames, type FrameScheduler } from '../../runtime/sim/simulation-session';
import { TimeController } from './time-controller';
import type { FoldFactories, FoldViews, Mark, TimelineOptions } from './timeline';

export interface PageTimelineOptions extends TimelineOptions {
  /** Null: no frames, the owner calls `refresh` (tests). */
  readonly frames?: FrameScheduler | null;
  /** Called after every refresh (once per frame): what else the page checks as the run moves on. */
  readonly onRefresh?: () => void;
  /** Views replaced on every frame (the others at most every `viewPeriodMs`). Default: all of them. */
  readonly everyFrame?: readonly string[];
  /** Real ms between replacements of the other views while the run plays (default SECONDARY_VIEW_PERIOD_MS). */
  readonly viewPeriodMs?: number;
}

/** How often the views that do not move (tables, shelf, narration, statecharts) are refreshed while playing. */
export const SECONDARY_VIEW_PERIOD_MS = 200;

/** One view's reactive cell: replacing its value with the same object notifies nobody. */
class ViewCell<V> {
  value = $state.raw<V>(undefined as V);
}

/** Fields holding objects are `$state.raw`: replaced whole each frame, never mutated. */
export class PageTimeline<F extends FoldFactories> {
  readonly controller: TimeController<F>;
  /** Every fold's view, each read from its own cell (see the top of this file). */
  readonly views: FoldViews<F>;
  // Built once in the constructor, never changed: the cells inside are what is reactive.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #cells = new Map<string, ViewCell<unknown>>();
  readonly #everyFrame: ReadonlySet<string> | null;
  readonly #viewPeriodMs: number;
  /** Wall ms of the last refresh of the views that are not drawn every frame. */
  #lastFullRefreshMs = Number.NEGATIVE_INFINITY;
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
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a constant option, not state
    this.#everyFrame = options.everyFrame ? new Set(options.everyFrame) : null;
    this.#viewPeriodMs = options.viewPeriodMs ?? SECONDARY_VIEW_PERIOD_MS;
    const views: Record<string, unknown> = {};
    for (const name of this.controller.timeline.viewNames()) {
      const cell = new ViewCell<unknown>();
      this.#cells.set(name, cell);
      Object.defineProperty(views, name, { enumerable: true, get: () => cell.value });
    }
    this.views = views as FoldViews<F>;
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

  /** Mirrors the controller; `all` false (a frame while playing): the views not drawn every frame only once their period is over. */
  refresh(all = true, wallMs = performance.now()): void {
    const controller = this.controller;
    const full = all || this.#everyFrame === null || wallMs < this.#lastFullRefreshMs || wallMs - this.#lastFullRefreshMs >= this.#viewPeriodMs;
    if (full) this.#lastFullRefreshMs = wallMs;
    for (const [name, cell] of this.#cells) if (full || this.#everyFrame!.has(name)) cell.value = controller.view(name);
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
    // Paused, nothing moves but what a command changed (and commands refresh everything themselves).
    this.refresh(this.controller.paused, wallMs);
    this.#frame = this.#frames!.request((next) => this.onFrame(next));
  }
}
