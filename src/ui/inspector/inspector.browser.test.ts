// The state inspector and the key-group calculator in a browser, over a real deterministic run of
// running-sum (sum#1 killed at 1.5 s, restored from checkpoint 3), with screenshots in test-results/.
import { afterEach, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { flushSync, mount, unmount, type Component } from 'svelte';
import { inspectedRun } from './inspected-run.fixture';
import { StateInspectorFold } from './state-inspector-fold';
import KeyGroupCalculator from './KeyGroupCalculator.svelte';
import StateInspector from './StateInspector.svelte';

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) void unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
});

function foldedView(untilMs = Number.POSITIVE_INFINITY, run = inspectedRun()) {
  const fold = new StateInspectorFold();
  for (const item of run.delivered) {
    if (('event' in item ? item.event.time : item.sample.time) > untilMs) break;
    if ('event' in item) fold.apply(item.event);
    else fold.applySample(item.sample);
  }
  return fold.view();
}

async function render<Props extends Record<string, unknown>>(component: Component<Props>, props: Props): Promise<HTMLElement> {
  await page.viewport(1280, 900);
  const target = document.createElement('main');
  target.style.width = '640px';
  target.style.padding = '12px';
  target.style.fontFamily = 'system-ui, sans-serif';
  document.body.append(target);
  mounted = mount(component, { target, props });
  flushSync();
  return target;
}

it("shows a subtask's key-group range, its keys tinted and numbered by epoch, and what the restore rolled back", async () => {
  const root = await render(StateInspector, { view: foldedView() });
  const view = root.querySelector('[data-view="state-inspector"]')!;
  expect(view).not.toBeNull();
  await expect.element(page.getByRole('combobox', { name: 'Subtask to inspect' })).toHaveValue('sum#0');
  await expect.element(page.getByText(/owns key groups/)).toHaveTextContent(/sum#0 owns key groups 0–63 of 128/);

  await userEvent.selectOptions(page.getByRole('combobox', { name: 'Subtask to inspect' }), 'sum#1');
  await expect.element(page.getByText(/owns key groups/)).toHaveTextContent(/sum#1 owns key groups 64–127 of 128/);
  const rows = [...root.querySelectorAll('table:first-of-type tbody tr[data-key]')];
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row.textContent).toContain(row.getAttribute('data-epoch'));
  expect(root.querySelector('tr[data-key="key-2"] [data-in-checkpoint]')?.textContent).toBe('yes');

  const rolledBack = root.querySelector('[data-rolled-back]')!;
  expect(rolledBack.textContent).toMatch(/Rolled back to checkpoint 3/);
  const rolled = [...rolledBack.querySelectorAll('tr[data-key]')];
  expect(rolled.length).toBeGreaterThan(0);
  expect(rolled.every((row) => Number(row.getAttribute('data-epoch')) > 3)).toBe(true);
  expect(rolledBack.querySelector('tr[data-key="key-6"]')?.textContent).toMatch(/15.*4.*10 \(restored\)/);
  await page.screenshot({ path: '../../../test-results/state-inspector.png', element: root });
});

it('mid-run, marks which sampled values the latest completed checkpoint holds and which it does not', async () => {
  const root = await render(StateInspector, { view: foldedView(1000) });
  await userEvent.selectOptions(page.getByRole('combobox', { name: 'Subtask to inspect' }), 'sum#1');
  const marks = [...root.querySelectorAll('[data-in-checkpoint]')].map((cell) => cell.getAttribute('data-in-checkpoint'));
  expect(marks).toContain('yes');
  expect(marks).toContain('no');
  expect(root.querySelector('[data-rolled-back]')).toBeNull();
  await page.screenshot({ path: '../../../test-results/state-inspector-mid-run.png', element: root });
});

it('compares the state of two checkpoints: keys added and changed with both values, the source offsets, by keyboard', async () => {
  const run = inspectedRun(3000, null, 40);
  const root = await render(StateInspector, { view: foldedView(Number.POSITIVE_INFINITY, run) });
  const compare = root.querySelector('[data-view="checkpoint-compare"]')!;
  expect(compare.getAttribute('data-from')).toBe('6');
  expect(compare.getAttribute('data-to')).toBe('7');
  const counts = compare.querySelector('[data-changed]')!;
  expect(Number(counts.getAttribute('data-changed'))).toBeGreaterThan(0);
  const changed = compare.querySelector('tr[data-change="changed"]')!;
  expect(changed.querySelectorAll('.value')).toHaveLength(2);
  expect(compare.querySelectorAll('tr[data-change="unchanged"]')).toHaveLength(0);
  expect(compare.querySelector('tr[data-source="numbers"][data-partition="0"]')?.textContent).toMatch(/numbers #0\s*24\s*28\s*4/);
  await page.screenshot({ path: '../../../test-results/state-inspector-compare.png', element: compare });

  // By keyboard: Tab to the From picker, pick the first checkpoint; tick "all subtasks" with Space.
  const from = page.getByRole('combobox', { name: 'From' });
  (from.element() as HTMLSelectElement).focus();
  await userEvent.keyboard('{Home}');
  await expect.poll(() => compare.getAttribute('data-from')).toBe('1');
  await userEvent.tab();
  await userEvent.tab();
  await userEvent.tab();
  await userEvent.keyboard(' ');
  await expect.poll(() => compare.querySelector('th[scope="col"]:nth-child(2)')?.textContent).toBe('Subtask');
  expect(Number(compare.querySelector('[data-added]')!.getAttribute('data-added'))).toBeGreaterThan(0);
  expect(new Set([...compare.querySelectorAll('tr[data-subtask]')].map((row) => row.getAttribute('data-subtask')))).toEqual(new Set(['sum#0', 'sum#1']));
  await page.screenshot({ path: '../../../test-results/state-inspector-compare-operator.png', element: compare });

  await userEvent.click(page.getByRole('button', { name: 'Swap From and To' }));
  await expect.poll(() => compare.getAttribute('data-from')).toBe('7');
  expect(Number(compare.querySelector('[data-removed]')!.getAttribute('data-removed'))).toBeGreaterThan(0);
});

it('says when only one checkpoint is retained yet and compares it with now, and when none has completed', async () => {
  const run = inspectedRun(3000, null, 40);
  const root = await render(StateInspector, { view: foldedView(700, run) });
  const compare = root.querySelector('[data-view="checkpoint-compare"]')!;
  expect(compare.querySelector('[data-empty="one-checkpoint"]')?.textContent).toMatch(/Only one checkpoint retained yet \(checkpoint 1\)/);
  expect(compare.getAttribute('data-to')).toBe('now');
  await page.screenshot({ path: '../../../test-results/state-inspector-compare-one.png', element: compare });
  if (mounted) void unmount(mounted);
  document.body.replaceChildren();
  const early = await render(StateInspector, { view: foldedView(300, run) });
  expect(early.querySelector('[data-empty="no-checkpoint"]')).not.toBeNull();
});

it('computes key group and subtask as Flink does and says what is wrong with bad input', async () => {
  const root = await render(KeyGroupCalculator, {});
  const view = root.querySelector('[data-view="key-group-calculator"]')!;
  await userEvent.fill(page.getByRole('textbox', { name: 'Key' }), 'key-7');
  await userEvent.fill(page.getByRole('textbox', { name: 'Max parallelism' }), '128');
  await userEvent.fill(page.getByRole('textbox', { name: 'Parallelism', exact: true }), '4');
  await expect.element(page.getByText('1686813898')).toBeVisible();
  expect(view.querySelector('dl')?.getAttribute('data-key-group')).toBe('74');
  expect(view.querySelector('dl')?.getAttribute('data-operator-index')).toBe('2');
  await page.screenshot({ path: '../../../test-results/key-group-calculator.png', element: root });

  await userEvent.fill(page.getByRole('textbox', { name: 'Parallelism', exact: true }), '200');
  await expect.element(page.getByText('Parallelism must not be larger than max parallelism (128).')).toBeVisible();
  await expect.element(page.getByRole('textbox', { name: 'Parallelism', exact: true })).toHaveAttribute('aria-invalid', 'true');
  await userEvent.fill(page.getByRole('textbox', { name: 'Max parallelism' }), '40000');
  await expect.element(page.getByText('Max parallelism must lie in 1…32768.')).toBeVisible();
  expect(view.querySelector('dl')).toBeNull();
  await page.screenshot({ path: '../../../test-results/key-group-calculator-errors.png', element: root });
});
