// The page's record of a run and its cursor (issue 7, "Time"): every event and sample the session
// delivers, and a set of EventFolds kept current at the cursor. The cursor is live (at the head: new
// events are applied as they arrive) or at a past moment: seeking forward applies the recorded events up
// to it, seeking back builds fresh folds and applies the recorded events up to it, then, either way, each
// task's latest sample at or before it (every kept one up to it, for a fold that reads sample history).
// Pure: no Svelte, no DOM, no clock (PageTimeline drives it).
//
// Positions: events are kept in arrival order; a position counts the events applied. Time to position
// uses the running maximum of event times, so it is monotone even where the Worker runtime's merged
// stream steps back in time across sources (docs/events.md).
//
// Bounded memory: at most `maxEvents` events (default 300 000) — past it the oldest half is dropped,
// except each attempt's `job-deployed` (the topology a rebuilt fold needs); seeking before the oldest kept
// event lands on it. At most `maxSamplesPerTask` samples per task (default 2 000: over 8 minutes at 4 per
// second), oldest dropped first; at most `maxMarks` scrubber marks (default 5 000).
import type { EngineEvent } from '../../engine/events';
import type { TaskSample } from '../../engine/samples';
import type { EventFold, FoldFactory } from '../model/event-fold';

export const TIMELINE_MAX_EVENTS = 300_000;
export const TIMELINE_MAX_SAMPLES_PER_TASK = 2_000;
export const TIMELINE_MAX_MARKS = 5_000;

export type FoldFactories = Readonly<Record<string, FoldFactory<unknown>>>;
export type FoldViews<F extends FoldFactories> = { readonly [K in keyof F]: F[K] extends FoldFactory<infer View> ? View : never };

export type Cursor = { readonly live: true } | { readonly live: false; readonly time: number; readonly position: number };

/** What the scrubber marks: checkpoints triggered, completed and failed, and faults. */
export type MarkKind = 'checkpoint-triggered' | 'checkpoint-completed' | 'checkpoint-failed' | 'fault';

export interface Mark {
  readonly time: number;
  readonly kind: MarkKind;
  /** "checkpoint 4 completed", "kill:sum#0@1300" */
  readonly label: string;
  /** The event's position: seeking to the mark shows its effect. */
  readonly position: number;
}

export interface TimelineOptions {
  readonly maxEvents?: number;
  readonly maxSamplesPerTask?: number;
  readonly maxMarks?: number;
  /**
   * Live, the picture is drawn this many clock ms behind the session's now (0 by default). The Worker runtime's
   * events reach the page after its batching and ordering windows; drawing a little behind lets each arrive
   * before the moment it happened is drawn, so records are seen moving rather than appearing where they landed.
   */
  readonly liveDelayMs?: number;
}

export class Timeline<F extends FoldFactories> {
  readonly #factories: F;
  readonly #maxEvents: number;
  readonly #maxSamplesPerTask: number;
  readonly #maxMarks: number;
  /** Kept events, and the running maximum of their times (same indices). */
  #events: EngineEvent[] = [];
  #maxTime: number[] = [];
  /** Events dropped from the front: the global position of `#events[0]`. */
  #dropped = 0;
  readonly #samples = new Map<string, TaskSample[]>();
  #marks: Mark[] = [];
  #folds: Record<keyof F, EventFold<unknown>>;
  /** Events applied to the folds (global position). */
  #applied = 0;
  #cursor: Cursor = { live: true };

  constructor(factories: F, options: TimelineOptions = {}) {
    this.#factories = factories;
    this.#maxEvents = options.maxEvents ?? TIMELINE_MAX_EVENTS;
    this.#maxSamplesPerTask = options.maxSamplesPerTask ?? TIMELINE_MAX_SAMPLES_PER_TASK;
    this.#maxMarks = options.maxMarks ?? TIMELINE_MAX_MARKS;
    this.#folds = this.freshFolds();
  }

  get cursor(): Cursor {
    return this.#cursor;
  }

  get live(): boolean {
    return this.#cursor.live;
  }

  /** Global position of the head (every event recorded so far). */
  get head(): number {
    return this.#dropped + this.#events.length;
  }

  /** The oldest position still recorded. */
  get earliest(): number {
    return this.#dropped;
  }

  /** Time of the first kept event, or null before any. */
  get startTime(): number | null {
    return this.#events[0]?.time ?? null;
  }

  /** Latest event time recorded (the running maximum), or null before any. */
  get endTime(): number | null {
    return this.#maxTime.at(-1) ?? null;
  }

  get marks(): readonly Mark[] {
    return this.#marks;
  }

  /** The event at a global position, if it is still kept. */
  eventAt(position: number): EngineEvent | undefined {
    return this.#events[position - this.#dropped];
  }

  /** Events in [from, to) still kept, for views that list them. */
  eventsBetween(from: number, to: number): readonly EngineEvent[] {
    return this.#events.slice(Math.max(0, from - this.#dropped), Math.max(0, to - this.#dropped));
  }

  record(events: readonly EngineEvent[]): void {
    for (const event of events) {
      const position = this.head;
      this.#events.push(event);
      this.#maxTime.push(Math.max(event.time, this.#maxTime.at(-1) ?? Number.NEGATIVE_INFINITY));
      this.mark(event, position);
      if (this.#cursor.live) {
        for (const fold of this.foldList()) fold.apply(event);
        this.#applied = this.head;
      }
    }
    if (this.#events.length > this.#maxEvents) this.dropOldest();
  }

  recordSamples(samples: readonly TaskSample[]): void {
    for (const sample of samples) {
      let list = this.#samples.get(sample.taskId);
      if (!list) {
        list = [];
        this.#samples.set(sample.taskId, list);
      }
      list.push(sample);
      if (list.length > this.#maxSamplesPerTask) list.splice(0, list.length - this.#maxSamplesPerTask);
      // A task's samples come in time order, so one at or before a past cursor is the latest there.
      if (this.#cursor.live || sample.time <= this.#cursor.time) for (const fold of this.foldList()) fold.applySample?.(sample);
    }
  }

  /** Every fold's view at clock time `now` (live) or at the cursor's time (past). */
  views(now: number): FoldViews<F> {
    const views: Record<string, unknown> = {};
    for (const name of this.viewNames()) views[name] = this.view(name, now);
    return views as FoldViews<F>;
  }

  viewNames(): readonly (keyof F & string)[] {
    return Object.keys(this.#folds) as (keyof F & string)[];
  }

  /** One fold's view at clock time `now` (live) or at the cursor's time (past). */
  view<K extends keyof F & string>(name: K, now: number): FoldViews<F>[K] {
    return this.#folds[name].view(this.#cursor.live ? now : this.#cursor.time) as FoldViews<F>[K];
  }

  /** Moves the cursor to `time` (clamped to the recorded run): the folds show the run as it was then. */
  seek(time: number): void {
    this.seekPosition(this.positionAt(time), Math.max(time, this.startTime ?? time));
  }

  /** Moves the cursor to just after the event at `position` (and its time, unless `time` is given). */
  seekPosition(position: number, time?: number): void {
    const target = Math.min(this.head, Math.max(this.#dropped, position));
    const at = time ?? this.timeAtPosition(target);
    // Back in events, or in time (samples applied since then cannot be taken back): fresh folds.
    const shownTime = this.#cursor.live ? Number.POSITIVE_INFINITY : this.#cursor.time;
    if (target < this.#applied || at < shownTime) this.rebuild(target);
    else this.applyUpTo(target);
    this.#cursor = { live: false, time: at, position: target };
    this.applyLatestSamples(at);
  }

  /** One recorded event further (replay stepping); at the head it stays there. */
  stepForward(): void {
    const position = this.#cursor.live ? this.head : this.#cursor.position;
    this.seekPosition(Math.min(this.head, position + 1));
  }

  /** Back to the head: every recorded event applied, and new ones as they come. */
  goLive(): void {
    if (this.#cursor.live) return;
    this.applyUpTo(this.head);
    const lastTime = this.endTime ?? 0;
    this.applyLatestSamples(Math.max(lastTime, this.latestSampleTime()));
    this.#cursor = { live: true };
  }

  /** The number of events whose running-maximum time is at most `time`. */
  positionAt(time: number): number {
    let low = 0;
    let high = this.#maxTime.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.#maxTime[middle]! <= time) low = middle + 1;
      else high = middle;
    }
    return this.#dropped + low;
  }

  /** The time the run had reached once `position` events were applied. */
  timeAtPosition(position: number): number {
    const index = position - this.#dropped - 1;
    if (index < 0) return this.startTime ?? 0;
    return this.#maxTime[Math.min(index, this.#maxTime.length - 1)]!;
  }

  private rebuild(position: number): void {
    this.#folds = this.freshFolds();
    this.#applied = this.#dropped;
    this.applyUpTo(position);
  }

  private applyUpTo(position: number): void {
    const folds = this.foldList();
    for (let index = this.#applied - this.#dropped; index < position - this.#dropped; index++) {
      const event = this.#events[index]!;
      for (const fold of folds) fold.apply(event);
    }
    this.#applied = Math.max(this.#applied, position);
  }

  /** Each task's latest sample at or before `time`; a fold that reads sample history gets all of them up to it. */
  private applyLatestSamples(time: number): void {
    const folds = this.foldList().filter((fold) => fold.applySample);
    if (folds.length === 0) return;
    const historyFolds = folds.filter((fold) => fold.readsSampleHistory);
    const latestFolds = folds.filter((fold) => !fold.readsSampleHistory);
    for (const list of this.#samples.values()) {
      for (const fold of historyFolds) {
        for (const sample of list) {
          if (sample.time > time) break;
          fold.applySample!(sample);
        }
      }
      const sample = latestAtOrBefore(list, time);
      if (sample) for (const fold of latestFolds) fold.applySample!(sample);
    }
  }

  private latestSampleTime(): number {
    let latest = Number.NEGATIVE_INFINITY;
    for (const list of this.#samples.values()) latest = Math.max(latest, list.at(-1)?.time ?? latest);
    return latest;
  }

  private mark(event: EngineEvent, position: number): void {
    let mark: Omit<Mark, 'time' | 'position'> | null = null;
    switch (event.type) {
      case 'checkpoint-triggered':
        mark = { kind: 'checkpoint-triggered', label: `${event.isSavepoint ? 'savepoint' : 'checkpoint'} ${event.checkpointId} triggered` };
        break;
      case 'checkpoint-completed':
        mark = { kind: 'checkpoint-completed', label: `${event.isSavepoint ? 'savepoint' : 'checkpoint'} ${event.checkpointId} completed` };
        break;
      case 'checkpoint-aborted':
        mark = { kind: 'checkpoint-failed', label: `checkpoint ${event.checkpointId} failed: ${event.reason}` };
        break;
      case 'checkpoint-expired':
        mark = { kind: 'checkpoint-failed', label: `checkpoint ${event.checkpointId} expired` };
        break;
      case 'fault-injected':
        mark = { kind: 'fault', label: event.fault };
        break;
    }
    if (!mark) return;
    this.#marks.push({ ...mark, time: event.time, position: position + 1 });
    if (this.#marks.length > this.#maxMarks) this.#marks = this.#marks.slice(this.#marks.length - Math.floor(this.#maxMarks / 2));
  }

  /** Drops the oldest half, keeping each attempt's job-deployed; the folds already applied are unaffected. */
  private dropOldest(): void {
    const cut = this.#events.length - Math.floor(this.#maxEvents / 2);
    const kept = this.#events.slice(0, cut).filter((event) => event.type === 'job-deployed');
    const rest = this.#events.slice(cut);
    const restTimes = this.#maxTime.slice(cut);
    // The kept deployments move up to just before the remaining events (they still come first in order).
    this.#events = [...kept, ...rest];
    this.#maxTime = [...kept.map((event) => Math.min(event.time, restTimes[0] ?? event.time)), ...restTimes];
    this.#dropped += cut - kept.length;
    this.#applied = Math.max(this.#applied, this.#dropped);
    if (!this.#cursor.live && this.#cursor.position < this.#dropped) this.#cursor = { ...this.#cursor, position: this.#dropped };
    this.#marks = this.#marks.filter((mark) => mark.position > this.#dropped);
  }

  private freshFolds(): Record<keyof F, EventFold<unknown>> {
    const folds = {} as Record<keyof F, EventFold<unknown>>;
    for (const name of Object.keys(this.#factories) as Array<keyof F>) folds[name] = this.#factories[name]!();
    return folds;
  }

  private foldList(): EventFold<unknown>[] {
    return Object.values(this.#folds);
  }
}

function latestAtOrBefore(samples: readonly TaskSample[], time: number): TaskSample | undefined {
  let low = 0;
  let high = samples.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (samples[middle]!.time <= time) low = middle + 1;
    else high = middle;
  }
  return low > 0 ? samples[low - 1] : undefined;
}
