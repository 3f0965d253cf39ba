import { afterEach, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { flushSync, mount, unmount } from 'svelte';
import { parseFault } from '../../runtime/sim/fault-plan';
import { deployedRun } from '../graph/deployed-run.fixture';
import { foldAll } from '../model/event-fold';
import { SpaceTimeFold } from './space-time-fold';
import SpaceTime from './SpaceTime.svelte';

// running-sum at parallelism 2; every message into sum#1 takes 30 ms more (its barriers arrive late, so
// its snapshots come later and the cuts slant); sum#0 is killed at 1565 ms and the job restores a checkpoint.
const EVENTS = deployedRun({
  scenario: 'running-sum',
  parallelism: 2,
  checkpointIntervalMs: 500,
  mode: 'exactly-once',
  seed: 3,
  untilMs: 3800,
  faults: [parseFault('delay-channel:sum#1@0+30'), parseFault('kill:sum#0@1565')],
});
const VIEW = foldAll(() => new SpaceTimeFold(), EVENTS).view(EVENTS.at(-1)!.time);

let component: Record<string, unknown> | null = null;
afterEach(() => {
  if (component) void unmount(component);
  component = null;
  document.body.replaceChildren();
});

async function render(props: { domain?: readonly [number, number]; onseek?: (timeMs: number) => void } = {}): Promise<HTMLElement> {
  await page.viewport(1280, 800);
  const target = document.createElement('main');
  target.style.width = '1100px';
  target.style.padding = '8px';
  target.style.background = '#fff';
  document.body.append(target);
  component = mount(SpaceTime, { target, props: { view: VIEW, originMs: 0, ...props } });
  flushSync();
  return target;
}

it('draws lanes, cuts by status, the restart and the jump back through the test contract', async () => {
  const root = await render();
  expect(root.querySelector('[data-view="space-time"]')).not.toBeNull();
  expect([...root.querySelectorAll('.lane[data-task-id]')].map((lane) => lane.getAttribute('data-task-id'))).toEqual(['numbers#0', 'numbers#1', 'sum#0', 'sum#1']);
  const completed = [...root.querySelectorAll('[data-checkpoint-id][data-status="COMPLETED"]')];
  expect(completed.length).toBeGreaterThanOrEqual(4);
  for (const cut of completed) expect(cut.querySelectorAll('circle.snapshot')).toHaveLength(4);
  expect(root.querySelectorAll('[data-barrier]').length).toBeGreaterThan(0);
  expect(root.querySelectorAll('.restart')).toHaveLength(1);
  const restored = VIEW.restores[0]!.restoredCheckpointId;
  const jump = root.querySelector(`[data-restored-checkpoint-id="${restored}"]`)!;
  expect(jump.querySelector('path')).not.toBeNull();
  expect(root.querySelector(`.cut[data-checkpoint-id="${restored}"]`)!.getAttribute('data-status')).toBe('COMPLETED');
  await page.screenshot({ path: '../../../test-results/space-time-run.png', element: root });
});

it('lists a cut’s source offsets and state size on focus, and seeks to it on Enter or click', async () => {
  const seeks: number[] = [];
  const cut = VIEW.cuts.find((c) => c.checkpointId === 2)!;
  const start = cut.triggeredAt - 30;
  const root = await render({ domain: [start, cut.endedAt! + 60], onseek: (timeMs) => seeks.push(timeMs) });
  const element = root.querySelector<SVGGElement>('.cut[data-checkpoint-id="2"]')!;
  expect(element.querySelector('title')!.textContent).toMatch(/source offsets numbers: p0 \d+/);
  element.focus();
  await expect.element(page.getByRole('tooltip')).toBeVisible();
  const tooltip = root.querySelector('[role="tooltip"]')!.textContent!;
  expect(tooltip).toMatch(/Checkpoint 2 · COMPLETED/);
  expect(tooltip).toMatch(/state \d[\d.]* KiB/);
  expect(tooltip).toMatch(/offsets numbers: p0 \d+, p1 \d+/);
  await page.screenshot({ path: '../../../test-results/space-time-cut.png', element: root });
  await userEvent.keyboard('{Enter}');
  element.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  expect(seeks).toEqual([cut.endedAt, cut.endedAt]);
  element.blur();
  await expect.element(page.getByRole('tooltip')).not.toBeInTheDocument();
});

const windowOf = (root: HTMLElement) => {
  const figure = root.querySelector('[data-view="space-time"]')!;
  return [Number(figure.getAttribute('data-window-start')), Number(figure.getAttribute('data-window-end'))] as const;
};

it('zooms in time with + and −, pans with the arrows, and 0 or Reset follows the run again', async () => {
  const root = await render();
  const figure = root.querySelector('[data-view="space-time"]')!;
  const [start, end] = windowOf(root);
  expect(figure.getAttribute('data-zoomed')).toBe('false');
  root.querySelector<HTMLElement>('.plot')!.focus();
  await userEvent.keyboard('++');
  await expect.poll(() => figure.getAttribute('data-zoomed')).toBe('true');
  const [zoomedStart, zoomedEnd] = windowOf(root);
  expect(zoomedEnd - zoomedStart).toBeCloseTo((end - start) / 2.25, -1);
  expect((zoomedStart + zoomedEnd) / 2).toBeCloseTo((start + end) / 2, -1);
  expect(root.querySelector('.zoom-state')!.textContent).toMatch(/×2\.3: .* held still/);
  await page.screenshot({ path: '../../../test-results/space-time-zoomed.png', element: root });

  await userEvent.keyboard('{ArrowRight}');
  const [pannedStart] = windowOf(root);
  expect(pannedStart - zoomedStart).toBeCloseTo(0.2 * (zoomedEnd - zoomedStart), -1);
  await userEvent.keyboard('-');
  expect(windowOf(root)[1] - windowOf(root)[0]).toBeCloseTo((end - start) / 1.5, -1);
  await userEvent.keyboard('0');
  expect(windowOf(root)).toEqual([start, end]);
  expect(figure.getAttribute('data-zoomed')).toBe('false');

  await userEvent.click(page.getByRole('button', { name: 'Zoom in' }));
  expect(figure.getAttribute('data-zoomed')).toBe('true');
  await userEvent.click(page.getByRole('button', { name: 'Reset zoom' }));
  expect(windowOf(root)).toEqual([start, end]);
});

it('zooms with Ctrl+wheel (a trackpad pinch) around the pointer, and a plain wheel leaves it to the page', async () => {
  const root = await render();
  const svg = root.querySelector('svg')!;
  const [start, end] = windowOf(root);
  const box = svg.getBoundingClientRect();
  const wheel = (ctrlKey: boolean) => svg.dispatchEvent(new WheelEvent('wheel', { deltaY: -100, ctrlKey, clientX: box.left + box.width / 2, clientY: box.top + 60, bubbles: true, cancelable: true }));
  wheel(false);
  flushSync();
  expect(windowOf(root)).toEqual([start, end]);
  wheel(true);
  await expect.poll(() => root.querySelector('[data-view="space-time"]')!.getAttribute('data-zoomed')).toBe('true');
  const [zoomedStart, zoomedEnd] = windowOf(root);
  expect(zoomedEnd - zoomedStart).toBeLessThan(end - start);
  expect(zoomedStart).toBeGreaterThan(start);
});
