// Traces as a user meets them: the run's events download as events.jsonl in the CLI's format, a trace opens
// and replays in every view (nothing can be broken in it), a broken file is refused with the line at fault
// while the running job goes on, and the page goes back to a live run.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { WAIT_LIMIT_MS } from '../support/limits';
import { collectErrors, jobStatus } from './page-checks';

test('download the run as events.jsonl, open it again, refuse a broken trace, go back to a live run', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/?runtime=deterministic');
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  await expect(page.locator('[data-view="snapshot-shelf"] [data-status="COMPLETED"]').first()).toBeVisible({ timeout: WAIT_LIMIT_MS });
  const bar = page.getByRole('region', { name: 'Traces' });

  const download = page.waitForEvent('download');
  await bar.getByRole('button', { name: 'Download events.jsonl' }).click();
  const saved = await (await download).path();
  const lines = readFileSync(saved, 'utf8').trimEnd().split('\n');
  expect(lines.length).toBeGreaterThan(10);
  expect(JSON.parse(lines[0]!)).toHaveProperty('type');

  // A broken trace: refused, naming the line; the running job is untouched.
  await page.getByTestId('trace-file-input').setInputFiles({ name: 'broken.jsonl', mimeType: 'application/jsonl', buffer: Buffer.from(`${lines[0]}\n{"type":"records-moved","time":"soon"}\n`) });
  await expect(page.getByTestId('trace-result')).toContainText('line 2');
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');

  await page.getByTestId('trace-file-input').setInputFiles(saved);
  await expect(page.getByTestId('trace-notice')).toContainText('Replaying');
  await expect(page.locator('[data-view="snapshot-shelf"] [data-status="COMPLETED"]').first()).toBeVisible();
  await expect(page.locator('[data-view="job-graph"] [data-task-id="sum#0"]')).toBeVisible();
  await page.screenshot({ path: 'test-results/trace-replay.png' });

  await bar.getByRole('button', { name: 'Back to a live run' }).click();
  await expect(page.getByTestId('trace-notice')).toHaveCount(0);
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  expect(errors).toEqual([]);
});

test('the sample trace opens: a recorded kill and its recovery, exactly-once', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  await page.getByRole('region', { name: 'Traces' }).getByRole('button', { name: 'Open the sample trace' }).click();
  await expect(page.getByTestId('trace-notice')).toContainText('running-sum.events.jsonl');
  await expect(page.locator('[data-view="output-ledger"]')).toHaveAttribute('data-lost', '0');
  await expect(page.locator('[data-view="output-ledger"]')).toHaveAttribute('data-duplicated', '0');
  await expect(page.locator('[data-view="narration"]')).toContainText('killed');
  expect(errors).toEqual([]);
});
