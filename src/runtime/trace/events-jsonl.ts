// events.jsonl, the format of a trace: one JSON event per line, in emission order, each line ended by a newline.
// The CLI's `run --out` and the page's download write it; parseTraceText (./trace-file.ts) reads it back.
import type { EngineEvent } from '../../engine/events';

export const EVENTS_FILE_NAME = 'events.jsonl';
/** JSON Lines has no registered type; this is the one in common use. */
export const EVENTS_MEDIA_TYPE = 'application/jsonl';

export function formatEventsJsonl(events: readonly EngineEvent[]): string {
  return events.map((event) => JSON.stringify(event)).join('\n') + '\n';
}
