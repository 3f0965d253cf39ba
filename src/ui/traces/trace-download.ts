// The running job's events as events.jsonl, the CLI's format (formatEventsJsonl): what its session holds
// (a session keeps its latest SESSION_HISTORY_LIMIT events; an opened trace, all of its own).
import type { EngineEvent } from '../../engine/events';
import type { JobSession } from '../../runtime/job-session';
import { EVENTS_FILE_NAME, EVENTS_MEDIA_TYPE, formatEventsJsonl } from '../../runtime/trace/events-jsonl';
import { downloadBytes } from '../snapshots/download';

/** The sample trace in public/ (made by the CLI: docs/traces.md). */
export const SAMPLE_TRACE_PATH = 'samples/traces/running-sum.events.jsonl';

/** Every event the session holds: a session delivers its history to a new listener at once. */
export function eventsOf(session: JobSession): readonly EngineEvent[] {
  let events: readonly EngineEvent[] = [];
  const unsubscribe = session.subscribeEvents((history) => {
    events = history;
  });
  unsubscribe();
  return events;
}

export function eventsJsonlOf(session: JobSession): string {
  return formatEventsJsonl(eventsOf(session));
}

/** Downloads the session's events as `events.jsonl`; returns how many. */
export function downloadEvents(session: JobSession, fileName = EVENTS_FILE_NAME): number {
  const events = eventsOf(session);
  downloadBytes(new TextEncoder().encode(formatEventsJsonl(events)), fileName, EVENTS_MEDIA_TYPE);
  return events.length;
}
