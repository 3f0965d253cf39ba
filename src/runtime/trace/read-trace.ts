// A trace file as the page opens it: parsed and bounded (./trace-file.ts), then its job inferred
// (./trace-job.ts). Never throws: a refusal is one line, prefixed with the file's name.
import type { EngineEvent } from '../../engine/events';
import { parseTraceText } from './trace-file';
import { inferTraceJob, type TraceJob } from './trace-job';

export type TraceRead = ({ readonly ok: true; readonly events: readonly EngineEvent[] } & TraceJob) | { readonly ok: false; readonly message: string };

export function readTrace(text: unknown, name = 'the trace'): TraceRead {
  try {
    const parsed = parseTraceText(text);
    if (!parsed.ok) return { ok: false, message: `${name}: ${parsed.message}` };
    const inferred = inferTraceJob(parsed.events);
    if (!inferred.ok) return { ok: false, message: `${name}: ${inferred.message}` };
    const { ok: _ok, ...job } = inferred;
    return { ok: true, events: parsed.events, ...job };
  } catch (error) {
    // A bug here, never the file's fault: still a message, never a crash of the page.
    return { ok: false, message: `${name} could not be read (an internal error: ${error instanceof Error ? error.message : String(error)})` };
  }
}
