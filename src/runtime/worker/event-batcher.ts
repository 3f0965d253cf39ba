// Batches a worker's events for the main thread: one postMessage per interval (or sooner, when a batch
// is full — never dropping), and `records-moved` folded into one event per channel per batch (a Worker
// moves millions of records per second).
import type { EngineEvent } from '../../engine/events';

export const MAX_EVENTS_PER_BATCH = 2000;

export class EventBatcher {
  #pending: EngineEvent[] = [];
  readonly #moved = new Map<string, Extract<EngineEvent, { type: 'records-moved' }>>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly post: (events: readonly EngineEvent[]) => void,
    private readonly intervalMs: number,
  ) {}

  add(event: EngineEvent): void {
    if (event.type === 'records-moved') {
      const key = `${event.to}/${event.channel}`;
      const previous = this.#moved.get(key);
      // Folded events keep the time of the first buffer in the batch.
      this.#moved.set(key, previous ? { ...previous, count: previous.count + event.count, sizeBytes: previous.sizeBytes + event.sizeBytes } : event);
    } else {
      this.#pending.push(event);
      if (this.#pending.length >= MAX_EVENTS_PER_BATCH) return this.flush();
    }
    this.#timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const events = [...this.#pending, ...this.#moved.values()];
    this.#pending = [];
    this.#moved.clear();
    if (events.length > 0) this.post(events);
  }
}
