// A recorded run as a JobSession: every event of the trace is delivered at subscribe, the clock stands at
// the trace's last event, and nothing can be changed — there is no job behind it. No time controls (as with
// Workers), so the page's timeline replays it by seeking and scrubbing. Commands are refused in words.
import type { EngineEvent } from '../../engine/events';
import type { TaskId } from '../../engine/ids';
import type { TaskSample } from '../../engine/samples';
import type { CommandResult, JobSession, Unsubscribe } from '../job-session';

export const TRACE_REFUSAL = 'A recorded trace cannot be changed; start a run to break things.';

export class TraceSession implements JobSession {
  readonly time = null;
  readonly #events: readonly EngineEvent[];
  readonly #endMs: number;
  #closed = false;

  constructor(
    events: readonly EngineEvent[],
    /** The runtime that recorded the trace (its events' clock). */
    readonly runtime: 'deterministic' | 'worker',
  ) {
    this.#events = events;
    // The latest time, not the last line's: the Worker runtime's merged stream may step back across sources.
    this.#endMs = events.reduce((latest, event) => Math.max(latest, event.time), 0);
  }

  get events(): readonly EngineEvent[] {
    return this.#events;
  }

  subscribeEvents(listener: (events: readonly EngineEvent[]) => void): Unsubscribe {
    if (!this.#closed && this.#events.length > 0) listener(this.#events);
    return () => {};
  }

  /** A trace holds events only: samples were never recorded. */
  subscribeSamples(_listener: (samples: readonly TaskSample[]) => void): Unsubscribe {
    return () => {};
  }

  requestSamples(): void {}

  now(): number {
    return this.#endMs;
  }

  kill(_taskId: TaskId): CommandResult {
    return refused();
  }

  crash(_taskId: TaskId): CommandResult {
    return refused();
  }

  failNextSnapshot(_taskId: TaskId): CommandResult {
    return refused();
  }

  slow(_taskId: TaskId, _factor: number): CommandResult {
    return refused();
  }

  slowdownOf(_taskId: TaskId): number {
    return 1;
  }

  delayChannel(): CommandResult {
    return refused();
  }

  channelDelayOf(): number {
    return 0;
  }

  triggerCheckpoint(): CommandResult {
    return refused();
  }

  triggerSavepoint(): CommandResult {
    return refused();
  }

  cancel(): CommandResult {
    return refused();
  }

  close(): void {
    this.#closed = true;
  }
}

function refused(): CommandResult {
  return { ok: false, message: TRACE_REFUSAL };
}
