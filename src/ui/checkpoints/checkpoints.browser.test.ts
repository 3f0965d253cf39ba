import { afterEach, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { flushSync, mount, unmount } from 'svelte';
import { flinkShapedSource, FLINK_TRIGGER_MS, recordedRunSource } from './checkpoints.fixture';
import type { CheckpointsSource } from './checkpoints-source';
import CheckpointsTab from './CheckpointsTab.svelte';
import SubtaskTimeline from './SubtaskTimeline.svelte';

const WINDOW = 'Window(TumblingEventTimeWindows) -> Sink';
let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) void unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
});

async function renderTab(source: CheckpointsSource, seeks: number[] = [], nowMs?: number): Promise<HTMLElement> {
  await page.viewport(1280, 900);
  const target = document.createElement('main');
  target.style.width = '940px';
  document.body.append(target);
  mounted = mount(CheckpointsTab, { target, props: { source, nowMs, onseek: (timeMs: number) => seeks.push(timeMs) } });
  flushSync();
  return target;
}

const rowsOf = (root: ParentNode) => [...root.querySelectorAll('[data-view="subtask-timeline"] [data-task-id]')];

it('opens on the Overview with the counts and moves between tabs with the arrow keys', async () => {
  const root = await renderTab(recordedRunSource());
  expect(root.querySelector('[data-view="checkpoints-tab"]')).not.toBeNull();
  expect([...root.querySelectorAll('[role="tab"]')].map((tab) => tab.getAttribute('data-tab'))).toEqual(['overview', 'history', 'summary', 'configuration']);
  await expect.element(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
  await expect.element(page.getByRole('tabpanel', { name: 'Overview' })).toHaveTextContent(/Triggered: 6.*In Progress: 1.*Completed: 4.*Failed: 1.*Restored: 0/);
  await expect.element(page.getByRole('tabpanel', { name: 'Overview' })).toHaveTextContent(/Latest Failed Checkpoint.*Cause: Injected failure/);

  await userEvent.click(page.getByRole('tab', { name: 'Overview' }));
  await userEvent.keyboard('{ArrowRight}');
  await expect.element(page.getByRole('tab', { name: 'History' })).toHaveFocus();
  await expect.element(page.getByRole('tab', { name: 'History' })).toHaveAttribute('aria-selected', 'true');
  await expect.element(page.getByRole('tabpanel', { name: 'History' })).toBeVisible();
  await userEvent.keyboard('{End}');
  await expect.element(page.getByRole('tabpanel', { name: 'Configuration' })).toHaveTextContent(/Checkpointing Mode\s*Exactly Once/);
  await userEvent.keyboard('{ArrowRight}');
  await expect.element(page.getByRole('tab', { name: 'Overview' })).toHaveFocus();
  await userEvent.keyboard('{ArrowLeft}{ArrowLeft}');
  await expect.element(page.getByRole('tabpanel', { name: 'Summary' })).toHaveTextContent(/Minimum\s*17 ms/);
  expect(root.querySelector('[data-panel="overview"]')!.hasAttribute('hidden')).toBe(true);
});

it('lists the history with statuses and expands a checkpoint into operators, subtasks and its timeline', async () => {
  const seeks: number[] = [];
  const root = await renderTab(recordedRunSource(), seeks);
  await userEvent.click(page.getByRole('tab', { name: 'History' }));
  const rows = [...root.querySelectorAll('[data-panel="history"] tr[data-checkpoint-id]')];
  expect(rows.map((row) => [row.getAttribute('data-checkpoint-id'), row.getAttribute('data-status')])).toEqual([
    ['6', 'IN_PROGRESS'],
    ['5', 'COMPLETED'],
    ['4', 'COMPLETED'],
    ['3', 'FAILED'],
    ['2', 'COMPLETED'],
    ['1', 'COMPLETED'],
  ]);
  const headers = [...root.querySelectorAll('[data-panel="history"] thead th')].map((th) => th.textContent);
  expect(headers).toContain('Full Checkpoint Data Size');
  expect(headers).toContain('Processed (persisted) in-flight data');

  await userEvent.click(page.getByRole('button', { name: 'Details of checkpoint 2' }));
  await expect.element(page.getByRole('button', { name: 'Details of checkpoint 2' })).toHaveAttribute('aria-expanded', 'true');
  await userEvent.click(page.getByRole('button', { name: 'Subtasks of Running sum -> Sink: sums' }));
  const subtasks = page.getByRole('table', { name: 'Subtasks of Running sum -> Sink: sums' });
  await expect.element(subtasks).toHaveTextContent(/Sync Duration.*Async Duration.*Alignment Duration.*Start Delay.*Unaligned Checkpoint/);
  await expect.element(subtasks).toHaveTextContent(/Minimum.*Average.*Maximum/);

  const timeline = root.querySelector('[data-view="subtask-timeline"]')!;
  expect(timeline.getAttribute('data-checkpoint-id')).toBe('2');
  expect(rowsOf(timeline).map((row) => row.getAttribute('data-task-id'))).toEqual(['sum#2', 'sum#0', 'sum#1', 'sum#3', 'numbers#0', 'numbers#1', 'numbers#2', 'numbers#3']);
  expect(rowsOf(timeline).map((row) => row.getAttribute('data-outlier'))).toEqual(['true', 'false', 'false', 'false', 'false', 'false', 'false', 'false']);
  const slowest = rowsOf(timeline)[0]!;
  expect([...slowest.querySelectorAll('[data-phase]')].map((segment) => segment.getAttribute('data-phase'))).toEqual(['start-delay', 'alignment', 'async']);

  await userEvent.click(page.getByRole('button', { name: /^sum#2 alignment 16 ms/ }));
  expect(seeks).toEqual([403]);
  await page.screenshot({ path: '../../../test-results/checkpoints-tab-history.png', element: root });
});

it("draws a failed checkpoint's never-acknowledged subtasks and an in-progress checkpoint's waiting ones", async () => {
  const root = await renderTab(recordedRunSource(), [], 1203);
  await userEvent.click(page.getByRole('tab', { name: 'History' }));
  await userEvent.click(page.getByRole('button', { name: 'Details of checkpoint 3' }));
  await userEvent.click(page.getByRole('button', { name: 'Details of checkpoint 6' }));
  const [inProgress, failed] = [...root.querySelectorAll('[data-view="subtask-timeline"]')];
  expect(failed!.getAttribute('data-status')).toBe('FAILED');
  expect(rowsOf(failed!).slice(0, 2).map((row) => [row.getAttribute('data-task-id'), row.getAttribute('data-status')])).toEqual([
    ['sum#0', 'pending'],
    ['sum#2', 'pending'],
  ]);
  expect(inProgress!.getAttribute('data-status')).toBe('IN_PROGRESS');
  expect(rowsOf(inProgress!).filter((row) => row.getAttribute('data-status') === 'pending')).toHaveLength(4);
  expect(root.querySelector('[data-checkpoint-id="3"][data-view="checkpoint-details"]')!.textContent).toMatch(/Failure Message:\s*Injected failure/);
});

it("shows a real Flink job's unaligned checkpoint: the ack's remainder as 'other', the slow window subtask first", async () => {
  const seeks: number[] = [];
  await page.viewport(1280, 700);
  const target = document.createElement('main');
  target.style.width = '940px';
  document.body.append(target);
  mounted = mount(SubtaskTimeline, { target, props: { source: flinkShapedSource(), checkpointId: 12, onseek: (timeMs: number) => seeks.push(timeMs) } });
  flushSync();
  const rows = rowsOf(target);
  expect(rows[0]!.getAttribute('data-task-id')).toBe(`${WINDOW}#3`);
  expect(rows[0]!.getAttribute('data-outlier')).toBe('true');
  expect(rows[0]!.getAttribute('data-unaligned')).toBe('true');
  expect(rows.filter((row) => row.getAttribute('data-outlier') === 'true')).toHaveLength(1);
  expect([...rows[0]!.querySelectorAll('[data-phase]')].map((segment) => segment.getAttribute('data-phase'))).toEqual(['start-delay', 'sync', 'async', 'other', 'alignment']);
  await userEvent.click(page.getByRole('button', { name: new RegExp(`^${WINDOW.replace(/[()]/g, '\\$&')}#3 other`) }));
  expect(seeks).toEqual([FLINK_TRIGGER_MS + 181]);
  await page.screenshot({ path: '../../../test-results/subtask-timeline-unaligned.png', element: target });
});

it("reads a real job's history with wall-clock times and its failed checkpoint's aborted subtask", async () => {
  const root = await renderTab(flinkShapedSource());
  await userEvent.click(page.getByRole('tab', { name: 'History' }));
  expect(root.querySelector('[data-checkpoint-id="12"]')!.textContent).toMatch(/\[Unaligned checkpoint\].*\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
  await userEvent.click(page.getByRole('button', { name: 'Details of checkpoint 13' }));
  const aborted = root.querySelector(`[data-view="subtask-timeline"] [data-task-id="${WINDOW}#2"]`)!;
  expect(aborted.getAttribute('data-status')).toBe('aborted');
  expect(aborted.getAttribute('data-outlier')).toBe('true');
  await page.screenshot({ path: '../../../test-results/checkpoints-tab-flink-failed.png', element: root });
});
