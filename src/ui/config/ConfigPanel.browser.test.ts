import { afterEach, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { flushSync, mount, unmount } from 'svelte';
import ConfigPanel from './ConfigPanel.svelte';
import { DEFAULT_RUN_OPTIONS, type PageRunOptions } from './run-options';
import { parsePageParameters } from '../page-parameters';

let panel: Record<string, unknown> | null = null;
afterEach(() => {
  if (panel) void unmount(panel);
  panel = null;
  document.body.replaceChildren();
});

async function render(applied: PageRunOptions[], current: PageRunOptions = DEFAULT_RUN_OPTIONS): Promise<HTMLElement> {
  await page.viewport(1280, 900);
  const target = document.createElement('main');
  document.body.append(target);
  panel = mount(ConfigPanel, { target, props: { current, onapply: (options: PageRunOptions) => applied.push(options) } });
  flushSync();
  return target;
}

const row = (root: HTMLElement, option: string) => root.querySelector<HTMLElement>(`[data-option="${option}"]`)!;
const applyButton = (root: HTMLElement) => root.querySelector<HTMLButtonElement>('[data-control="apply-restart"]')!;

it("shows every control with Flink's option name and applies the validated options", async () => {
  const applied: PageRunOptions[] = [];
  const root = await render(applied);
  for (const key of ['parallelism.default', 'pipeline.max-parallelism', 'execution.checkpointing.interval', 'execution.checkpointing.mode', 'state.backend.type', 'execution.checkpointing.incremental', 'restart-strategy.type']) {
    expect(row(root, key).textContent).toContain(key);
  }
  await userEvent.fill(page.getByLabelText('Parallelism', { exact: true }), '3');
  await userEvent.selectOptions(page.getByLabelText('Checkpointing mode'), 'at-least-once');
  await userEvent.click(page.getByLabelText('Incremental checkpoints'));
  await expect.element(page.getByText(/expect duplicates after a failure/)).toBeVisible();
  await userEvent.click(page.getByRole('button', { name: 'Apply and restart' }));
  expect(applied).toEqual([{ ...DEFAULT_RUN_OPTIONS, parallelism: 3, mode: 'at-least-once', incremental: true }]);
  await page.screenshot({ path: '../../../test-results/config-panel.png', element: root });
});

it('explains what is wrong before restarting, and applies nothing', async () => {
  const applied: PageRunOptions[] = [];
  const root = await render(applied);
  await userEvent.fill(page.getByLabelText('Parallelism', { exact: true }), '6');
  await userEvent.fill(page.getByLabelText('Max parallelism'), '4');
  await userEvent.fill(page.getByLabelText('Fault plan'), 'kill:sum#9@100');
  await expect.element(page.getByRole('alert')).toHaveTextContent(/parallelism.default 6 is above pipeline.max-parallelism 4/);
  await expect.element(page.getByRole('alert')).toHaveTextContent(/deterministic runtime only/);
  expect(applyButton(root).disabled).toBe(true);
  await userEvent.fill(page.getByLabelText('Checkpoint interval'), '2 hours');
  await expect.element(page.getByText(/Must be from 10ms/)).toBeVisible();
  expect(row(root, 'execution.checkpointing.interval').dataset['invalid']).toBe('true');
  await page.screenshot({ path: '../../../test-results/config-panel-problems.png', element: root });
  expect(applied).toEqual([]);
});

it("copies the running run's link, which reopens the same run", async () => {
  const current: PageRunOptions = { ...DEFAULT_RUN_OPTIONS, runtime: 'deterministic', seed: 4, faults: [{ kind: 'kill', uid: 'sum', subtask: 0, atMs: 3000 }] };
  const root = await render([], current);
  let copied: string | null = null;
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: (text: string) => ((copied = text), Promise.resolve()) } });
  await userEvent.click(page.getByRole('button', { name: 'Copy link' }));
  await expect.element(page.getByText('Link copied.')).toBeVisible();
  expect(parsePageParameters(new URL(copied!).search)).toEqual({ parameters: { ...current, storage: 'indexeddb' }, problems: [] });
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: () => Promise.reject(new Error('denied')) } });
  await userEvent.click(page.getByRole('button', { name: 'Copy link' }));
  await expect.element(page.getByText(/copy the link from here/)).toBeVisible();
  expect(root.querySelector<HTMLInputElement>('.fallback input')!.value).toBe(copied);
});

it('fills the draft from a preset, says what it shows, and applies it only on Apply', async () => {
  const applied: PageRunOptions[] = [];
  const root = await render(applied);
  await userEvent.click(page.getByRole('button', { name: 'Backpressure, unaligned' }));
  await expect.element(page.getByRole('status')).toHaveTextContent(/barriers overtake the queue/);
  expect(page.getByLabelText('Unaligned checkpoints').element()).toHaveProperty('checked', true);
  expect(page.getByLabelText('Fault plan').element()).toHaveProperty('value', 'slow-task:sum#1@0x4000');
  expect(applied).toEqual([]);
  await page.screenshot({ path: '../../../test-results/config-panel-preset.png', element: root });
  await userEvent.click(page.getByRole('button', { name: 'Apply and restart' }));
  expect(applied).toMatchObject([{ runtime: 'deterministic', unaligned: true, alignedCheckpointTimeoutMs: 0, faults: [{ kind: 'slow-task', uid: 'sum', subtask: 1, atMs: 0, factor: 4000 }] }]);
});
