// What both runtimes' sessions share: the events so far (bounded) and the listeners of events and samples.
// A new event listener gets the kept history first, then every new batch in emission order.
import type { EngineEvent } from '../engine/events';
import { channelIdOf, type ChannelId } from '../engine/ids';
import type { TaskSample } from '../engine/samples';
import type { Unsubscribe } from './job-session';

/** Events a session keeps for late subscribers; past it the oldest half is dropped (the timeline keeps its own). */
export const SESSION_HISTORY_LIMIT = 200_000;

export class SessionHub {
  #history: EngineEvent[] = [];
  /** The channels of the latest `job-deployed`: what a channel fault may name. */
  #channels: ReadonlySet<ChannelId> = new Set();
  readonly #eventListeners = new Set<(events: readonly EngineEvent[]) => void>();
  readonly #sampleListeners = new Set<(samples: readonly TaskSample[]) => void>();

  constructor(private readonly historyLimit = SESSION_HISTORY_LIMIT) {}

  subscribeEvents(listener: (events: readonly EngineEvent[]) => void): Unsubscribe {
    if (this.#history.length > 0) listener([...this.#history]);
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  subscribeSamples(listener: (samples: readonly TaskSample[]) => void): Unsubscribe {
    this.#sampleListeners.add(listener);
    return () => this.#sampleListeners.delete(listener);
  }

  events(events: readonly EngineEvent[]): void {
    if (events.length === 0) return;
    for (const event of events) if (event.type === 'job-deployed') this.#channels = new Set(event.channels.map((c) => channelIdOf(c.from, c.to)));
    this.#history.push(...events);
    if (this.#history.length > this.historyLimit) this.#history = this.#history.slice(this.#history.length - Math.floor(this.historyLimit / 2));
    for (const listener of this.#eventListeners) listener(events);
  }

  /** The deployed job's channels (empty before the first `job-deployed`). */
  get channels(): ReadonlySet<ChannelId> {
    return this.#channels;
  }

  samples(samples: readonly TaskSample[]): void {
    if (samples.length === 0) return;
    for (const listener of this.#sampleListeners) listener(samples);
  }

  close(): void {
    this.#eventListeners.clear();
    this.#sampleListeners.clear();
  }
}

export const ok = (message: string) => ({ ok: true, message }) as const;
export const refused = (message: string) => ({ ok: false, message }) as const;
