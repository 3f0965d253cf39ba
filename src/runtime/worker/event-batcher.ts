// Batches a worker's events for the main thread: one postMessage per interval (or sooner, when a batch
// is full — never dropping), in emission order. A Worker moves millions of records per second, so a run
// of consecutive `records-moved` (or `records-consumed`) events on the same channel of the same attempt
// is folded into its first event (its time, the counts summed). Only consecutive ones: any other event of
// the task in between — a barrier, another channel's records — ends the run, so folding never moves
// records across a barrier or changes the order of anything (docs/events.md, "Ordering guarantees").
import type { EngineEvent, EventOf } from '../../engine/events';

export const MAX_EVENTS_PER_BATCH = 2000;

type Foldable = EventOf<'records-moved'> | EventOf<'records-consumed'>;

/** The fold of `next` into `previous` when `next` continues its run on the same channel, else null. */
export function foldRecords(previous: EngineEvent, next: EngineEvent): Foldable | null {
  if (previous.type === 'records-moved' && next.type === 'records-moved') {
    if (previous.from !== next.from || previous.to !== next.to || previous.channel !== next.channel || previous.attempt !== next.attempt || previous.epoch !== next.epoch) return null;
    return { ...previous, count: previous.count + next.count, sizeBytes: previous.sizeBytes + next.sizeBytes };
  }
  if (previous.type === 'records-consumed' && next.type === 'records-consumed') {
    if (previous.taskId !== next.taskId || previous.channel !== next.channel || previous.attempt !== next.attempt) return null;
    return { ...previous, count: previous.count + next.count };
  }
  return null;
}

export class EventBatcher {
  #pending: EngineEvent[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly post: (events: readonly EngineEvent[]) => void,
    private readonly intervalMs: number,
  ) {}

  add(event: EngineEvent): void {
    const last = this.#pending.at(-1);
    const folded = last === undefined ? null : foldRecords(last, event);
    if (folded) {
      this.#pending[this.#pending.length - 1] = folded;
    } else {
      this.#pending.push(event);
      if (this.#pending.length >= MAX_EVENTS_PER_BATCH) return this.flush();
    }
    this.#timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const events = this.#pending;
    this.#pending = [];
    if (events.length > 0) this.post(events);
  }
}
