import { afterEach, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { flushSync, mount, unmount } from 'svelte';
import type { EngineEvent } from '../../engine/events';
import { parseFault } from '../../runtime/sim/fault-plan';
import { SimulationSession } from '../../runtime/sim/simulation-session';
import { deployedRun } from './deployed-run.fixture';
import { JobGraphFold } from './job-graph-fold';
import type { ChannelFault, SubtaskFault } from './faults';
import JobGraph from './JobGraph.svelte';

// running-sum at parallelism 2 whose source numbers#1 gets its triggers 40 ms late: sum#0 blocks its
// channel from numbers#0 for checkpoint 2 and holds that channel's records until numbers#1's barrier comes.
// Last, a slowed run's samples colour the subtasks by busy / backpressured time.
const EVENTS = deployedRun({
  scenario: 'running-sum',
  parallelism: 2,
  checkpointIntervalMs: 500,
  mode: 'exactly-once',
  seed: 3,
  untilMs: 1200,
  faults: [parseFault('delay-channel:numbers#1@0+40')],
});

let graph: Record<string, unknown> | null = null;
afterEach(() => {
  if (graph) void unmount(graph);
  graph = null;
  document.body.replaceChildren();
});

function viewBefore(predicate: (event: EngineEvent) => boolean) {
  const last = EVENTS.findIndex(predicate);
  const fold = new JobGraphFold({ travelMs: 2 });
  for (const event of EVENTS.slice(0, last)) fold.apply(event);
  return fold.view(EVENTS[last]!.time - 0.5);
}

async function render(faults: Array<[string, SubtaskFault | ChannelFault]>): Promise<HTMLElement> {
  await page.viewport(1280, 800);
  const target = document.createElement('main');
  target.style.width = '832px';
  document.body.append(target);
  const blockedAt = EVENTS.findIndex((e) => e.type === 'channel-blocked' && e.taskId === 'sum#0' && e.checkpointId === 2);
  const view = viewBefore((e) => EVENTS.indexOf(e) > blockedAt && e.type === 'barrier-received' && e.taskId === 'sum#0');
  graph = mount(JobGraph, { target, props: {
      view,
      reducedMotion: true,
      onfault: (taskId: string, fault: SubtaskFault) => faults.push([taskId, fault]),
      onchannelfault: (channel: string, fault: ChannelFault) => faults.push([channel, fault]),
    },
  });
  flushSync();
  return target;
}

it('draws an alignment through the test contract: aligning subtask, blocked lane with its queued records, dots by epoch', async () => {
  const root = await render([]);
  expect(root.querySelector('[data-view="job-graph"]')).not.toBeNull();
  const sum0 = root.querySelector('[data-task-id="sum#0"]')!;
  expect(sum0.getAttribute('data-state')).toBe('RUNNING');
  expect(sum0.getAttribute('data-aligning')).toBe('true');
  expect(root.querySelector('[data-task-id="sum#1"]')!.getAttribute('data-aligning')).toBe('false');
  const blocked = root.querySelector('[data-channel="numbers#0->sum#0"]')!;
  expect(blocked.getAttribute('data-blocked')).toBe('true');
  expect(Number(blocked.getAttribute('data-queued'))).toBeGreaterThan(1);
  const held = [...blocked.querySelectorAll('[data-record]')].map((dot) => dot.getAttribute('data-epoch'));
  expect(held.length).toBeGreaterThan(0);
  expect(new Set(held)).toEqual(new Set(['3']));
  expect(root.querySelector('[data-channel="numbers#1->sum#0"]')!.getAttribute('data-blocked')).toBe('false');
  expect(root.querySelectorAll('[data-channel]')).toHaveLength(4);
  await page.screenshot({ path: '../../../test-results/job-graph-alignment.png', element: root });
});

it('opens a fault menu on a subtask, moves with the keyboard, closes on Escape and reports the chosen fault', async () => {
  const faults: Array<[string, SubtaskFault | ChannelFault]> = [];
  const root = await render(faults);
  await userEvent.click(page.getByRole('button', { name: /^sum#1,/ }));
  const menu = page.getByRole('menu', { name: 'Faults for sum#1' });
  await expect.element(menu).toBeVisible();
  expect([...root.querySelectorAll('[data-fault]')].map((item) => item.getAttribute('data-fault'))).toEqual(['kill', 'crash', 'fail-snapshot', 'slow']);
  expect(root.querySelector('[data-fault="kill"]')!.getAttribute('title')).toMatch(/TaskManager/);
  await expect.element(page.getByRole('menuitem', { name: /Kill its worker/ })).toHaveFocus();
  await userEvent.keyboard('{ArrowDown}');
  await expect.element(page.getByRole('menuitem', { name: /Crash the operator/ })).toHaveFocus();
  await userEvent.keyboard('{Escape}');
  await expect.element(menu).not.toBeInTheDocument();
  await expect.element(page.getByRole('button', { name: /^sum#1,/ })).toHaveFocus();
  await userEvent.keyboard('{Enter}');
  await userEvent.click(page.getByRole('menuitem', { name: /Fail its next snapshot/ }));
  expect(faults).toEqual([['sum#1', 'fail-snapshot']]);
  await expect.element(page.getByRole('menu')).not.toBeInTheDocument();
});

it('opens a channel\'s menu from its lane, by click or keyboard, and reports the delay chosen', async () => {
  const faults: Array<[string, SubtaskFault | ChannelFault]> = [];
  const root = await render(faults);
  const lane = page.getByRole('button', { name: /^Channel 0 of sum#1 from numbers#0/ });
  // Lanes cross one another, so the middle of a lane's bounding box may be another lane: click its track.
  const track = root.querySelector('[data-channel="numbers#0->sum#1"] path.hit')!;
  track.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  const menu = page.getByRole('menu', { name: 'Faults for numbers#0->sum#1' });
  await expect.element(menu).toBeVisible();
  expect([...root.querySelectorAll('[data-fault]')].map((item) => item.getAttribute('data-fault'))).toEqual(['delay-channel']);
  expect(root.querySelector('[data-fault="delay-channel"]')!.getAttribute('title')).toMatch(/slow link between two TaskManagers/);
  await page.screenshot({ path: '../../../test-results/job-graph-channel-menu.png', element: root });
  await userEvent.keyboard('{Escape}');
  await expect.element(menu).not.toBeInTheDocument();
  await expect.element(lane).toHaveFocus();
  await userEvent.keyboard('{Enter}');
  await userEvent.click(page.getByRole('menuitem', { name: /Delay it by 500 ms/ }));
  expect(faults).toEqual([['numbers#0->sum#1', 'delay-channel']]);
});

it('colours subtasks by their samples\' busy and backpressured time, as Flink\'s Web UI: a subtask slowed ×200 busy, its sources backpressured', async () => {
  // The deterministic runtime, sampled every 200 ms: sum#0 slowed ×200 at 500 records/s cannot keep up.
  const session = new SimulationSession({
    job: { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 500, mode: 'exactly-once', keys: 20, recordsPerSecond: 500, unbounded: true, seed: 4, faults: [parseFault('slow-task:sum#0@0x200')] },
    frames: null,
  });
  const fold = new JobGraphFold({ travelMs: 2 });
  session.subscribeEvents((events) => events.forEach((event) => fold.apply(event)));
  session.subscribeSamples((samples) => samples.forEach((sample) => fold.applySample(sample)));
  session.advance(2000);
  const view = fold.view(session.run.simulation.now);
  session.close();

  await page.viewport(1280, 800);
  const target = document.createElement('main');
  target.style.width = '832px';
  document.body.append(target);
  graph = mount(JobGraph, { target, props: { view, reducedMotion: true } });
  flushSync();

  const box = (taskId: string) => target.querySelector(`[data-task-id="${taskId}"]`)!;
  const sum0 = box('sum#0');
  expect(sum0.getAttribute('data-state')).toBe('RUNNING');
  expect(sum0.getAttribute('data-aligning')).toMatch(/^(true|false)$/);
  expect(sum0.getAttribute('data-backpressure')).toBe('ok');
  expect(sum0.getAttribute('aria-label')).toMatch(/busy (9\d\d|1000), backpressured 0, idle \d+ ms per second \(back pressure OK\)/);
  expect(sum0.querySelector('title')!.textContent).toBe(sum0.getAttribute('aria-label'));
  for (const source of ['numbers#0', 'numbers#1']) {
    expect(['low', 'high']).toContain(box(source).getAttribute('data-backpressure'));
    expect(box(source).getAttribute('aria-label')).toMatch(/backpressured [1-9]\d+,/);
  }
  expect(box('sum#1').getAttribute('data-backpressure')).toBe('ok');
  expect(box('sum#1').getAttribute('aria-label')).toMatch(/idle 9\d\d ms per second/);
  // Busy is red-ish, backpressured grey-ish, idle Flink's blue, as the legend says.
  const fillOf = (taskId: string) => getComputedStyle(box(taskId).querySelector('rect.body')!).fill;
  const rgb = (taskId: string) => fillOf(taskId).match(/\d+/g)!.map(Number);
  const [r0, , b0] = rgb('sum#0');
  expect(r0).toBeGreaterThan(b0!);
  const [r1, , b1] = rgb('sum#1');
  expect(b1).toBeGreaterThan(r1!);
  expect(target.querySelector('[data-legend="subtask-time"]')!.textContent).toMatch(/idle.*busy.*backpressured/);
  await page.screenshot({ path: '../../../test-results/job-graph-backpressure.png', element: target });
});
