// Merges events from the job master and every Worker into one stream ordered by time: events are held
// for a short window, then delivered in time order (ties keep arrival order). Bounded: past the limit
// the oldest undelivered events are delivered early rather than dropped.
import type { EngineEvent } from '../../engine/events';

export const ORDERING_WINDOW_MS = 100;
export const MAX_BUFFERED_EVENTS = 20_000;

export class OrderedEventStream {
  #buffer: EngineEvent[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #listeners = new Set<(events: readonly EngineEvent[]) => void>();

  subscribe(listener: (events: readonly EngineEvent[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  push(events: readonly EngineEvent[]): void {
    this.#buffer.push(...events);
    if (this.#buffer.length > MAX_BUFFERED_EVENTS) this.flush();
    this.#timer ??= setTimeout(() => this.flush(), ORDERING_WINDOW_MS);
  }

  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#buffer.length === 0) return;
    const batch = this.#buffer.map((event, index) => ({ event, index })).sort((a, b) => a.event.time - b.event.time || a.index - b.index).map(({ event }) => event);
    this.#buffer = [];
    for (const listener of this.#listeners) listener(batch);
  }
}
