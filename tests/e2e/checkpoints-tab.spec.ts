// The Checkpoints tab as a user meets it: this run's checkpoints in Flink's Web UI fields, a checkpoint's
// per-subtask timeline whose segments seek the replay, a real Flink job loaded from files saved from its
// REST API, a refused file that leaves the view as it was, and the export that loads back.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { WAIT_LIMIT_MS } from '../support/limits';
import { collectErrors, jobStatus } from './page-checks';

const SAMPLES = 'public/samples/flink-rest';
const sampleFiles = () => readdirSync(SAMPLES).filter((name) => name.endsWith('.json')).map((name) => `${SAMPLES}/${name}`);
const tab = (page: Page) => page.locator('[data-view="checkpoints-tab"]');
const panel = (page: Page) => page.locator('.checkpoints-panel');

async function completedInTab(page: Page): Promise<number> {
  await tab(page).locator('[data-tab="history"]').click();
  const completed = tab(page).locator('[data-panel="history"] [data-checkpoint-id][data-status="COMPLETED"]').first();
  await expect(completed).toBeVisible({ timeout: WAIT_LIMIT_MS });
  return Number(await completed.getAttribute('data-checkpoint-id'));
}

test('this run in the Checkpoints tab: history in Flink fields, a checkpoint timeline per subtask, a segment seeks the replay', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  await expect(tab(page).locator('header')).toContainText("this page's run");
  const id = await completedInTab(page);
  await tab(page).getByRole('button', { name: `Details of checkpoint ${id}`, exact: true }).click();
  const timeline = tab(page).locator(`[data-view="subtask-timeline"][data-checkpoint-id="${id}"]`);
  await expect(timeline).toBeVisible();
  // running-sum at the page's parallelism 2: numbers#0/1 and sum#0/1 each acknowledged.
  await expect(timeline.locator('[data-task-id]')).toHaveCount(4);
  await expect(timeline.locator('[data-task-id="sum#0"]')).toHaveAttribute('data-status', 'acknowledged');
  await tab(page).screenshot({ path: 'test-results/checkpoints-tab-run.png' });
  await timeline.locator('[data-phase]').first().click();
  await expect(page.locator('[data-mode="replay"]')).toBeVisible();
  expect(errors).toEqual([]);
});

test('a real Flink job from saved REST files, a refused file that changes nothing, and the export that loads back', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  const picker = page.getByLabel('Flink REST files');
  await picker.setInputFiles(sampleFiles());
  await expect(tab(page).locator('header')).toContainText('Flink job');
  await expect(page.locator('[data-view="rest-load-report"]')).toContainText(`Loaded ${sampleFiles().length} of ${sampleFiles().length} files`);
  await tab(page).locator('[data-tab="history"]').click();
  await expect(tab(page).locator('[data-panel="history"] [data-status="FAILED"]').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/checkpoints-tab-flink-job.png', fullPage: true });

  // Hostile and broken files: each refused with its reason, the Flink job still shown.
  await picker.setInputFiles([
    { name: 'proto.json', mimeType: 'application/json', buffer: Buffer.from('{"__proto__": {"polluted": true}, "counts": {}}') },
    { name: 'truncated.json', mimeType: 'application/json', buffer: Buffer.from(readFileSync(`${SAMPLES}/checkpoints.json`, 'utf8').slice(0, 200)) },
  ]);
  const report = page.locator('[data-view="rest-load-report"]');
  await expect(report).toContainText('Nothing loaded');
  await expect(report.locator('.refused')).toHaveCount(2);
  await expect(tab(page).locator('header')).toContainText('Flink job');
  expect(await page.evaluate(() => ({}) as Record<string, unknown>)).not.toHaveProperty('polluted');

  // Export what is shown, and load the export back.
  const download = page.waitForEvent('download');
  await panel(page).getByRole('button', { name: 'Export as JSON' }).click();
  const path = await (await download).path();
  const bundle = JSON.parse(readFileSync(path, 'utf8')) as { format: string; details: Record<string, unknown> };
  expect(bundle.format).toBe('barrierscope-checkpoints');
  await panel(page).getByRole('button', { name: 'Back to this run' }).click();
  await expect(tab(page).locator('header')).toContainText("this page's run");
  await picker.setInputFiles([{ name: 'export.json', mimeType: 'application/json', buffer: readFileSync(path) }]);
  await expect(tab(page).locator('header')).toContainText('Flink job');
  await tab(page).locator('[data-tab="history"]').click();
  await expect(tab(page).locator('[data-panel="history"] [data-checkpoint-id]')).toHaveCount(Object.keys(bundle.details).length);
  expect(errors).toEqual([]);
});

test('the space-time view draws each completed checkpoint as a cut through one snapshot per subtask', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/?runtime=deterministic');
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  const spaceTime = page.locator('[data-view="space-time"]');
  const cut = spaceTime.locator('g.cut[data-status="COMPLETED"]').first();
  await expect(cut).toBeVisible({ timeout: WAIT_LIMIT_MS });
  await expect(cut.locator('circle.snapshot[data-task-id]')).toHaveCount(4);
  await page.locator('[data-control="pause"]').click();
  await cut.focus();
  await expect(spaceTime.locator('[role="tooltip"]')).toBeVisible();
  await spaceTime.screenshot({ path: 'test-results/space-time-page.png' });
  expect(errors).toEqual([]);
});

test('the job as Flink code: the program names the same uids and the config the same interval', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/?interval=2000');
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  await page.getByText('This job as Flink code').click();
  const code = page.locator('[data-view="flink-code"]');
  await expect(code).toContainText('.uid("sum")');
  await code.getByRole('tab', { name: 'config.yaml' }).click();
  await expect(code).toContainText('execution.checkpointing.interval: 2 s');
  await code.screenshot({ path: 'test-results/flink-code-page.png' });
  expect(errors).toEqual([]);
});

test('the state inspector shows a subtask’s keys by epoch, and the calculator places a key as Flink does', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/?runtime=deterministic');
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  await page.getByText('State inspector:').click();
  const inspector = page.locator('[data-view="state-inspector"]');
  await expect(inspector.locator('[data-key][data-epoch]').first()).toBeVisible({ timeout: WAIT_LIMIT_MS });
  await expect(inspector.locator('[data-key-groups]')).toHaveAttribute('data-key-groups', /^\d+-\d+$/);
  const calculator = page.locator('[data-view="key-group-calculator"]');
  // Flink's KeyGroupRangeAssignment: "key-7" → murmur(hashCode) % 128 = key group 74 → subtask 74 × 2 / 128 = 1.
  await calculator.getByLabel('Key', { exact: true }).fill('key-7');
  await expect(calculator.locator('[data-key-group]')).toHaveAttribute('data-key-group', '74');
  await expect(calculator.locator('[data-operator-index]')).toHaveAttribute('data-operator-index', '1');
  await page.locator('[data-control="pause"]').click();
  await inspector.screenshot({ path: 'test-results/state-inspector-page.png' });
  expect(errors).toEqual([]);
});

test('polling a Flink cluster’s REST address shows its job, and a wrong address is a clear message', async ({ page }) => {
  const errors = collectErrors(page);
  const job = 'a2f3c9e1b47d4d0c9f8e6b5a4c3d2e1f';
  // A stand-in cluster at flink.test:8081 answering with the sample responses, as Flink does by default (CORS *).
  const routes = new Map<string, string>([['/jobs', JSON.stringify({ jobs: [{ id: job, status: 'RUNNING' }] })]]);
  for (const name of readdirSync(SAMPLES).filter((file) => file.endsWith('.json'))) {
    const path = name
      .replace(/^job\.json$/, `/jobs/${job}`)
      .replace(/^checkpoints\.json$/, `/jobs/${job}/checkpoints`)
      .replace(/^checkpoints-config\.json$/, `/jobs/${job}/checkpoints/config`)
      .replace(/^checkpoints-details-(\d+)-subtasks-([0-9a-f]+)\.json$/, `/jobs/${job}/checkpoints/details/$1/subtasks/$2`)
      .replace(/^checkpoints-details-(\d+)\.json$/, `/jobs/${job}/checkpoints/details/$1`);
    routes.set(path, readFileSync(`${SAMPLES}/${name}`, 'utf8'));
  }
  await page.route('http://flink.test:8081/**', (route) => {
    const body = routes.get(new URL(route.request().url()).pathname);
    return route.fulfill({ status: body === undefined ? 404 : 200, contentType: 'application/json', headers: { 'Access-Control-Allow-Origin': '*' }, body: body ?? '{"errors":["Not found."]}' });
  });
  await page.goto('/');
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  const cluster = page.getByRole('form', { name: 'Poll a Flink cluster' });
  await cluster.getByLabel('Flink REST address').fill('flink.test:8081');
  await cluster.getByRole('button', { name: 'Poll the cluster' }).click();
  await expect(page.getByTestId('poll-status')).toContainText('starts with http:// or https://');
  await cluster.getByLabel('Flink REST address').fill('http://flink.test:8081');
  await cluster.getByRole('button', { name: 'Poll the cluster' }).click();
  await expect(page.getByTestId('poll-status')).toContainText(`Job ${job} from http://flink.test:8081`);
  await expect(tab(page).locator('header')).toContainText('Flink job');
  await tab(page).locator('[data-tab="history"]').click();
  await expect(tab(page).locator('[data-panel="history"] [data-checkpoint-id="4"]')).toBeVisible();
  await cluster.getByRole('button', { name: 'Stop polling' }).click();
  expect(errors).toEqual([]);
});
