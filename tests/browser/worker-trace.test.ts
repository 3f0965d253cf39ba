// A trace recorded on the Web Worker runtime in real Chromium (issue 10: view models against recorded traces
// of both runtimes): running-sum at parallelism 2 with sum#1 killed after three checkpoints, its events written
// through events.jsonl (the CLI's and the page's writer), read back through the trace loader, and the page's
// folds checked for a consistent picture (tests/support/trace-consistency.ts) — with the run's samples beside it,
// every value the state inspector claims for a checkpoint equal to what the sink committed. The file is left in
// test-results/; docs/traces.md says how it becomes public/samples/traces/running-sum-worker.events.jsonl.
import { afterEach, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import type { EngineEvent } from '../../src/engine/events';
import type { TaskSample } from '../../src/engine/samples';
import { realClock } from '../../src/runtime/worker/real-clock';
import { WorkerSession } from '../../src/runtime/worker/worker-session';
import { formatEventsJsonl } from '../../src/runtime/trace/events-jsonl';
import { readTrace } from '../../src/runtime/trace/read-trace';
import { MemoryCheckpointStorage } from '../../src/storage/memory-checkpoint-storage';
import { traceProblems, traceViews } from '../support/trace-consistency';
import { until } from '../support/until';

const WORKER_TRACE_OUTPUT = 'test-results/running-sum-worker.events.jsonl';

const sessions: WorkerSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.close();
});

const completed = (events: readonly EngineEvent[], after = 0) => events.slice(after).filter((event) => event.type === 'checkpoint-completed').length;

it('records a Worker run whose events.jsonl reads back into consistent views in every fold', async () => {
  const session = new WorkerSession({
    jobId: `worker-trace-${Math.random()}`,
    scenario: {
      scenario: 'running-sum',
      parallelism: 2,
      checkpointIntervalMs: 300,
      mode: 'exactly-once',
      keys: 40,
      recordsPerSecond: 25,
      configuration: { 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.delay': '200 ms' },
    },
    storage: new MemoryCheckpointStorage(realClock, { fixedMs: 1, bytesPerMs: 1e6 }),
    databaseName: null,
  });
  sessions.push(session);
  const events: EngineEvent[] = [];
  const samples: TaskSample[] = [];
  session.subscribeEvents((batch) => events.push(...batch));
  session.subscribeSamples((batch) => samples.push(...batch));
  session.start();

  await until(() => completed(events) >= 3, 'three completed checkpoints');
  expect(session.kill('sum#1').ok).toBe(true);
  await until(() => events.some((event) => event.type === 'job-deployed' && event.restoredCheckpointId !== null), 'the restore');
  const restoredAt = events.findIndex((event) => event.type === 'job-deployed' && event.restoredCheckpointId !== null);
  await until(() => completed(events, restoredAt) >= 3, 'three checkpoints completed after the restore');
  session.close();

  const text = formatEventsJsonl(events);
  const trace = readTrace(text, 'running-sum-worker.events.jsonl');
  if (!trace.ok) throw new Error(trace.message);
  expect(trace.recordedBy).toBe('worker');
  expect(trace.options).toMatchObject({ scenario: 'running-sum', parallelism: 2, mode: 'exactly-once' });
  expect(trace.events).toEqual(JSON.parse(JSON.stringify(events)));

  expect(traceProblems({ ...trace, samples })).toEqual([]);
  const views = traceViews({ ...trace, samples });
  expect(views.spaceTime.restores).toHaveLength(1);
  expect(views.inspector.checkpoints.length).toBeGreaterThanOrEqual(4);
  await commands.writeFile(WORKER_TRACE_OUTPUT, text);
});
