// A trace recorded through the CLI's code path (`barrierscope run --out`), opened as a TraceSession, gives
// the page's folds the views the live run gave: the same checkpoint statistics, the same job graph at the end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldCheckpointStatistics } from '../../engine/checkpoint/checkpoint-stats-fold';
import { cli, temporaryDirectory } from '../../cli/testing';
import { parseFault } from '../../runtime/sim/fault-plan';
import { runScenario } from '../../runtime/sim/run-scenario';
import { prepareScenarioJob } from '../../runtime/sim/scenario-job';
import { formatEventsJsonl } from '../../runtime/trace/events-jsonl';
import { readTrace } from '../../runtime/trace/read-trace';
import { TRACE_REFUSAL, TraceSession } from '../../runtime/trace/trace-session';
import { pageFolds } from '../timeline/page-folds';
import { TimeController } from '../timeline/time-controller';
import { Timeline } from '../timeline/timeline';
import { eventsJsonlOf } from './trace-download';

const RUN = { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 200, mode: 'exactly-once', seed: 3, keys: 20, recordsPerSecond: 100, faults: [parseFault('kill:sum#1@700')] } as const;

const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

async function recordThroughCli(): Promise<string> {
  const out = temporaryDirectory();
  const run = await cli('run', '--keys', '20', '--checkpoint-interval', '200ms', '--seed', '3', '--fault', 'kill:sum#1@700', '--out', out);
  expect(run.code).toBe(0);
  return readFileSync(join(out, 'events.jsonl'), 'utf8');
}

describe('a trace from the CLI, replayed', () => {
  it('is read with the job it ran: running-sum at parallelism 2, 200 ms interval, 20 keys, drained', async () => {
    const read = readTrace(await recordThroughCli(), 'events.jsonl');
    if (!read.ok) throw new Error(read.message);
    expect(read.options).toMatchObject({ scenario: 'running-sum', parallelism: 2, maxParallelism: 128, checkpointIntervalMs: 200, mode: 'exactly-once', keys: 20 });
    expect(read.options.unbounded).toBeUndefined();
    expect(read.recordedBy).toBe('deterministic');
    expect(read.assumptions[0]).toBe('it is running-sum (its operators are numbers, sink, sum)');
  });

  it("gives the page's folds the live run's views: statistics, job graph, shelf, ledger at the end", async () => {
    const text = await recordThroughCli();
    const read = readTrace(text, 'events.jsonl');
    if (!read.ok) throw new Error(read.message);
    const live = runScenario(RUN);
    expect(foldCheckpointStatistics(read.events)).toEqual(foldCheckpointStatistics(live.events));

    const session = new TraceSession(read.events, read.recordedBy);
    const replayed = new TimeController(session, pageFolds(read.job, [], { travelMs: 100 }));
    const { seed: _seed, faults: _faults, ...options } = RUN;
    const recorded = new Timeline(pageFolds(prepareScenarioJob(options), [], { travelMs: 100 }));
    recorded.record(live.events);
    const end = session.now();
    expect(end).toBe(Math.max(...live.events.map((event) => event.time)));
    for (const name of ['checkpoints', 'graph', 'shelf', 'ledger', 'sources', 'lifecycle', 'coordinator'] as const) {
      // Through JSON: a view may hold methods (the checkpoints source), each a closure of its own fold.
      expect(asJson(replayed.timeline.view(name, end)), name).toEqual(asJson(recorded.view(name, end)));
    }
    expect(replayed.view('panels').verdict).toEqual({ kind: 'verified' });
    replayed.close();
  });

  it('downloads as the CLI wrote it, byte for byte', async () => {
    const text = await recordThroughCli();
    const read = readTrace(text);
    if (!read.ok) throw new Error(read.message);
    expect(eventsJsonlOf(new TraceSession(read.events, 'deterministic'))).toBe(text);
    expect(formatEventsJsonl(runScenario(RUN).events)).toBe(text);
  });

  it('refuses every command in words, and has no time controls', async () => {
    const read = readTrace(await recordThroughCli());
    if (!read.ok) throw new Error(read.message);
    const session = new TraceSession(read.events, 'deterministic');
    expect(session.time).toBeNull();
    for (const result of [session.kill('sum#0'), session.crash('sum#0'), session.triggerCheckpoint(), session.triggerSavepoint(), session.cancel(), session.delayChannel()]) {
      expect(result).toEqual({ ok: false, message: TRACE_REFUSAL });
    }
  });

  it('refuses a trace of a job no scenario has', () => {
    const text = readFileSync(new URL('../../../public/samples/traces/running-sum.events.jsonl', import.meta.url), 'utf8').replaceAll('"uid":"sum"', '"uid":"summe"');
    expect(readTrace(text, 'x.jsonl')).toEqual({ ok: false, message: "x.jsonl: the trace's operators (numbers, sink, summe) are not those of any scenario this page runs (running-sum, order-totals, keyed-sum)" });
  });
});
