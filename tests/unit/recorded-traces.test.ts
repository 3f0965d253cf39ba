// The view models against recorded traces of both runtimes (issue 10): each committed sample trace in
// public/samples/traces/ — the deterministic CLI run and a Web Worker run recorded in Chromium
// (tests/browser/worker-trace.test.ts) — read back through the trace loader gives a consistent picture in
// the Checkpoints tab, the space-time view, the state inspector and the ledger; a deterministic run with its
// samples does too, values included; and a trace tampered with is caught, so the checks are not vacuous.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events';
import type { TaskSample } from '../../src/engine/samples';
import { SimulationSession } from '../../src/runtime/sim/simulation-session';
import { formatEventsJsonl } from '../../src/runtime/trace/events-jsonl';
import { readTrace } from '../../src/runtime/trace/read-trace';
import { traceProblems, traceViews } from '../support/trace-consistency';

const TRACES = join(import.meta.dirname, '..', '..', 'public', 'samples', 'traces');
const SAMPLE_TRACES = readdirSync(TRACES).filter((name) => name.endsWith('.events.jsonl')).sort();

function read(text: string, name: string) {
  const trace = readTrace(text, name);
  if (!trace.ok) throw new Error(trace.message);
  return trace;
}

describe.each(SAMPLE_TRACES)('the sample trace %s', (name) => {
  const trace = read(readFileSync(join(TRACES, name), 'utf8'), name);

  it('gives every view a consistent picture: acknowledged checkpoints, cuts nothing crosses backwards, the inspector at the latest one', () => {
    expect(traceProblems(trace)).toEqual([]);
    const views = traceViews(trace);
    expect(views.spaceTime.cuts.filter((cut) => cut.status === 'COMPLETED').length).toBeGreaterThanOrEqual(3);
    expect(views.spaceTime.restores.length).toBeGreaterThanOrEqual(1);
  });
});

describe('the sample traces', () => {
  it('hold one recorded by each runtime', () => {
    const runtimes = SAMPLE_TRACES.map((name) => read(readFileSync(join(TRACES, name), 'utf8'), name).recordedBy);
    expect(new Set(runtimes)).toEqual(new Set(['deterministic', 'worker']));
  });

  it('stay small enough to commit (under 200 kB each)', () => {
    for (const name of SAMPLE_TRACES) expect(readFileSync(join(TRACES, name)).byteLength, name).toBeLessThan(200 * 1024);
  });
});

/** A deterministic run of running-sum with a kill, its events written and read back as a trace, its samples kept beside. */
function recordedRun(): { events: readonly EngineEvent[]; samples: readonly TaskSample[] } {
  const session = new SimulationSession({
    job: { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 300, mode: 'exactly-once', keys: 40, recordsPerSecond: 25, seed: 11, faults: [{ kind: 'kill', uid: 'sum', subtask: 0, atMs: 1700 }] },
    frames: null,
  });
  const events: EngineEvent[] = [];
  const samples: TaskSample[] = [];
  session.subscribeEvents((batch) => events.push(...batch));
  session.subscribeSamples((batch) => samples.push(...batch));
  session.advance(5000);
  session.close();
  return { events, samples };
}

describe('a deterministic run read back as a trace, with its samples', () => {
  const run = recordedRun();
  const trace = read(formatEventsJsonl(run.events), 'events.jsonl');

  it('is consistent, and every value the inspector claims for a checkpoint is what the sink committed up to it', () => {
    expect(trace.events).toEqual(run.events);
    expect(traceProblems({ ...trace, samples: run.samples })).toEqual([]);
  });

  it('is caught when an acknowledgement is missing or a snapshot is moved after records of the next epoch', () => {
    // The newest completed checkpoint: the tab's history keeps the newest ones only.
    const completed = run.events.findLast((event) => event.type === 'checkpoint-completed')!;
    const id = completed.type === 'checkpoint-completed' ? completed.checkpointId : 0;
    const withoutAck = run.events.filter((event) => !(event.type === 'checkpoint-acknowledged' && event.checkpointId === id && event.taskId === 'sum#1'));
    expect(traceProblems({ ...read(formatEventsJsonl(withoutAck), 'tampered'), samples: run.samples }).join('\n')).toMatch(new RegExp(`checkpoint ${id}: sum acknowledged by 1 of 2 subtasks`));

    const late = run.events.map((event) => (event.type === 'snapshot-sync-done' && event.checkpointId === id && event.taskId === 'sum#0' ? { ...event, time: event.time + 250 } : event));
    expect(traceProblems(read(formatEventsJsonl(late), 'tampered')).join('\n')).toMatch(new RegExp(`cut ${id}: sum#0 consumed records of epoch ${id + 1} at \\d+, before its snapshot`));
  });
});
