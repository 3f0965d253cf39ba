import { afterEach, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { flushSync, mount, unmount } from 'svelte';
import FlinkCode from './FlinkCode.svelte';
import { prepareScenarioJob } from '../../runtime/sim/scenario-job';

const JOB = prepareScenarioJob({
  scenario: 'running-sum',
  parallelism: 2,
  checkpointIntervalMs: 1000,
  mode: 'exactly-once',
  keys: 8,
  recordsPerSecond: 10,
  configuration: { 'state.backend.type': 'indexeddb', 'execution.checkpointing.incremental': true },
});

let view: Record<string, unknown> | null = null;
const original = Object.getOwnPropertyDescriptor(navigator, 'clipboard');
afterEach(() => {
  if (view) void unmount(view);
  view = null;
  document.body.replaceChildren();
  if (original) Object.defineProperty(navigator, 'clipboard', original);
  else delete (navigator as { clipboard?: unknown }).clipboard;
});

function setClipboard(clipboard: unknown): void {
  Object.defineProperty(navigator, 'clipboard', { value: clipboard, configurable: true });
}

async function render(): Promise<HTMLElement> {
  await page.viewport(1100, 900);
  const target = document.createElement('main');
  document.body.append(target);
  view = mount(FlinkCode, { target, props: { job: JOB } });
  flushSync();
  return target.querySelector<HTMLElement>('[data-view="flink-code"]')!;
}

it('shows the Java program, then the config.yaml entries, and copies each', async () => {
  const copied: string[] = [];
  setClipboard({ writeText: (text: string) => Promise.resolve(void copied.push(text)) });
  const root = await render();
  const code = () => root.querySelector('pre code')!.textContent!;
  expect(code()).toContain('public class RunningSumJob {');
  expect(code()).toContain('.uid("sum")');
  await page.screenshot({ path: '../../../test-results/flink-code-java.png', element: root });
  await userEvent.click(page.getByRole('button', { name: 'Copy' }));
  await expect.element(page.getByRole('status')).toHaveTextContent('Copied running-sum.java.');
  expect(copied).toEqual([code()]);

  await userEvent.click(page.getByRole('tab', { name: 'config.yaml' }));
  expect(page.getByRole('tab', { name: 'config.yaml' }).element().getAttribute('aria-selected')).toBe('true');
  expect(code()).toContain('execution.checkpointing.interval: 1 s');
  expect(code()).toContain('state.backend.type: rocksdb');
  await userEvent.click(page.getByRole('button', { name: 'Copy' }));
  await expect.element(page.getByRole('status')).toHaveTextContent('Copied config.yaml.');
  expect(copied[1]).toBe(code());
  await page.screenshot({ path: '../../../test-results/flink-code-yaml.png', element: root });
});

it('says how to copy by hand where the Clipboard API is unavailable or refused', async () => {
  setClipboard(undefined);
  await render();
  await userEvent.click(page.getByRole('button', { name: 'Copy' }));
  await expect.element(page.getByRole('status')).toHaveTextContent(/Copying is not available here: select the text/);

  setClipboard({ writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) });
  await userEvent.click(page.getByRole('tab', { name: 'config.yaml' }));
  await userEvent.click(page.getByRole('button', { name: 'Copy' }));
  await expect.element(page.getByRole('status')).toHaveTextContent(/The browser refused the clipboard/);
});
