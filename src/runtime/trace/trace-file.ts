// An `events.jsonl` trace read from an untrusted file: one engine event per line, as the CLI writes it
// (formatEventsJsonl). Bounded before anything is parsed (size, lines, line length, nesting); each line is
// JSON without prototype keys or infinite numbers, then checked against its event type's schema. Never throws:
// a refusal is one line naming the line number and the field.
import * as v from 'valibot';
import type { EngineEvent } from '../../engine/events';
import { SnapshotFileFailure } from '../../engine/format/snapshot-file-error';
import { METADATA_FORBIDDEN_KEYS, parseUntrustedJson } from '../../engine/format/untrusted-json';
import { EVENT_SCHEMAS, EVENT_TYPES } from './event-schema';

/** A trace larger than this is more than the page's timeline keeps (TIMELINE_MAX_EVENTS events of a few hundred bytes). */
export const MAX_TRACE_CHARS = 64 * 1024 * 1024;
/** The page's timeline keeps at most this many events (TIMELINE_MAX_EVENTS). */
export const MAX_TRACE_EVENTS = 300_000;
/** The longest event the engine writes is a sink's committed batch: far below this. */
export const MAX_LINE_CHARS = 1024 * 1024;
/** job-deployed is the deepest event (vertices → operators → operator): 4 levels; records may add a few. */
export const MAX_EVENT_DEPTH = 12;

export type TraceParse = { readonly ok: true; readonly events: readonly EngineEvent[] } | { readonly ok: false; readonly message: string };

export function parseTraceText(text: unknown): TraceParse {
  if (typeof text !== 'string') return refused('the trace is not text');
  if (text.length > MAX_TRACE_CHARS) return refused(`the trace has ${formatChars(text.length)}, more than the ${formatChars(MAX_TRACE_CHARS)} a trace may have`);
  const events: EngineEvent[] = [];
  let start = 0;
  for (let lineNumber = 1; start < text.length; lineNumber++) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const length = end - start;
    if (length > MAX_LINE_CHARS) return refused(`line ${lineNumber}: ${formatChars(length)}, more than the ${formatChars(MAX_LINE_CHARS)} an event may have`);
    const line = text.slice(start, text.charCodeAt(end - 1) === 0x0d ? end - 1 : end);
    start = end + 1;
    if (line.trim() === '') continue;
    if (events.length === MAX_TRACE_EVENTS) return refused(`line ${lineNumber}: more than ${MAX_TRACE_EVENTS} events, the most the page's timeline keeps`);
    const event = parseEventLine(line, lineNumber);
    if (typeof event === 'string') return refused(event);
    events.push(event);
  }
  if (events.length === 0) return refused('the trace holds no events (an events.jsonl file has one JSON event per line)');
  return { ok: true, events };
}

/** One line as an event, or why it is not one (`line 7: checkpointId: …`). */
export function parseEventLine(line: string, lineNumber: number): EngineEvent | string {
  const where = `line ${lineNumber}`;
  let value: unknown;
  try {
    value = parseUntrustedJson(line, { kind: 'invalid-entry', where, maxDepth: MAX_EVENT_DEPTH, forbiddenKeys: METADATA_FORBIDDEN_KEYS });
  } catch (error) {
    if (error instanceof SnapshotFileFailure) return cut(error.message);
    return `${where}: ${cut(String(error))}`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${where}: not a JSON object (each line of events.jsonl is one event)`;
  const { type } = value as { type?: unknown };
  if (typeof type !== 'string') return `${where}: type: missing, or not a string`;
  if (!EVENT_TYPES.has(type)) return `${where}: type: ${JSON.stringify(cut(type, 60))} is not an event type (docs/events.md lists them)`;
  const result = v.safeParse(EVENT_SCHEMAS.get(type)!, value);
  if (!result.success) return `${where}: ${issueText(result.issues[0])}`;
  // The line as written (its fields in the engine's order), now known to have the event's shape.
  return value as EngineEvent;
}

function issueText(issue: v.BaseIssue<unknown>): string {
  const path = (issue.path ?? []).map((item) => (typeof item.key === 'number' ? `[${item.key}]` : `.${String(item.key)}`)).join('').replace(/^\./, '');
  return `${path === '' ? '(event)' : path}: ${cut(issue.message)}`;
}

function refused(message: string): TraceParse {
  return { ok: false, message };
}

/** One line of at most `max` characters, whatever the file held. */
function cut(text: string, max = 300): string {
  const line = [...text.slice(0, max + 1)].map((char) => (char < ' ' || char === '\u2028' || char === '\u2029' ? ' ' : char)).join('');
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

function formatChars(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(chars / 1024)} kB`;
}
