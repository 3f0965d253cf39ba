// The page controller's restart with a new configuration (the config panel's Apply): the running session
// is closed and a new one opened with the options — deterministic at least once with a fault plan from
// the options, then back on Web Workers — each running and drawn from its own events. And a trace file
// opened (checked before the run stops) and left again for a live run.
import { afterEach, expect, it } from 'vitest';
import { until } from '../../tests/support/until';
import { DEFAULT_RUN_OPTIONS } from './config/run-options';
import { PageController } from './page-controller.svelte';
import { DEFAULT_PAGE_PARAMETERS } from './page-parameters';

const pages: PageController[] = [];
afterEach(() => {
  for (const page of pages.splice(0)) page.stop();
});

it('restarts with a new configuration on either runtime', async () => {
  const page = new PageController({ ...DEFAULT_PAGE_PARAMETERS, storage: 'memory', runtime: 'deterministic', checkpointIntervalMs: 200, recordsPerSecond: 100 });
  pages.push(page);
  await page.boot();
  const running = () => (page.phase.kind === 'running' ? page.phase.job : null);
  expect(running()?.kind).toBe('deterministic');

  await page.restartWith({ ...DEFAULT_RUN_OPTIONS, runtime: 'deterministic', mode: 'at-least-once', parallelism: 3, checkpointIntervalMs: 200, recordsPerSecond: 200, seed: 9, faults: [{ kind: 'kill', uid: 'sum', subtask: 2, atMs: 600 }] });
  const replay = running()!;
  expect(replay.kind).toBe('deterministic');
  expect(replay.runtimeLabel).toContain('seed 9, at-least-once');
  expect(replay.job.jobGraph.vertices.every((vertex) => vertex.parallelism === 3)).toBe(true);
  await until(() => replay.view.restarts.length === 1 && replay.view.counts.completed > 0, 'the planned kill and a completed checkpoint');
  expect(replay.view.restarts[0]!.injected).toBe(true);
  expect(replay.timeline.marks.some((mark) => mark.kind === 'fault')).toBe(true);

  await page.restartWith({ ...DEFAULT_RUN_OPTIONS, runtime: 'worker', checkpointIntervalMs: 200, recordsPerSecond: 200 });
  const workers = running()!;
  expect(workers.kind).toBe('worker');
  await until(() => workers.view.status === 'RUNNING' && workers.view.counts.completed > 0 && workers.view.committedRecords > 0, 'a completed checkpoint on Workers');
  expect(workers.view.verdict.kind).not.toBe('problems');
});

/** The sample trace, as the page fetches it (public/ is served at the root). */
async function sampleTrace(): Promise<{ name: string; text: () => Promise<string> }> {
  const text = await (await fetch('/samples/traces/running-sum.events.jsonl')).text();
  return { name: 'running-sum.events.jsonl', text: () => Promise.resolve(text) };
}

it('opens a trace only once it is checked: a refused one leaves the run as it was, a good one replays, and the page goes back to a live run', async () => {
  const page = new PageController({ ...DEFAULT_PAGE_PARAMETERS, storage: 'memory', runtime: 'deterministic', checkpointIntervalMs: 200, recordsPerSecond: 100 });
  pages.push(page);
  await page.boot();
  const live = page.phase.kind === 'running' ? page.phase.job : null;
  expect(live?.kind).toBe('deterministic');

  const good = await sampleTrace();
  const broken = (await good.text()).replace('"attempt":0,"state":"DEPLOYING"', '"attempt":0,"state":"NAPPING"');
  const refused = await page.openTrace({ name: 'broken.jsonl', text: () => Promise.resolve(broken) });
  expect(refused.ok).toBe(false);
  expect(refused.message).toMatch(/^broken\.jsonl: line 2: state: Invalid type/);
  expect(page.phase.kind === 'running' && page.phase.job).toBe(live);
  expect(page.trace).toBeNull();

  const opened = await page.openTrace(good);
  expect(opened.ok).toBe(true);
  const replay = page.phase.kind === 'running' ? page.phase.job : null;
  expect(replay?.kind).toBe('trace');
  expect(page.trace).toMatchObject({ name: 'running-sum.events.jsonl', events: 981 });
  expect(page.trace!.assumptions[0]).toContain('running-sum');
  replay!.timeline.seek(replay!.timeline.end);
  expect(replay!.view.counts.completed).toBe(10);
  expect(replay!.view.verdict.kind).toBe('verified');
  replay!.faults.kill('sum#0');
  expect(replay!.view.notice).toContain('A recorded trace cannot be changed');

  await page.closeTrace();
  expect(page.trace).toBeNull();
  expect(page.phase.kind === 'running' && page.phase.job.kind).toBe('deterministic');
});
