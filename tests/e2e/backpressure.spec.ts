// Backpressure and unaligned checkpoints on the page, as a learner gets there: the config panel's presets slow
// sum#1 so its input queues fill and the sources are backpressured. Unaligned, barriers leap over the queued
// records, which the lanes mark as channel state, the shelf counts and the narration names; after a kill the
// restored channel state waits at the head of its lanes, and nothing is lost or duplicated. With an aligned
// timeout, a checkpoint visibly switches to unaligned. Screenshots: test-results/backpressure-*.png. Every wait
// is for a condition (bounded by tests/support/limits.ts).
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, expectExactlyOnce, jobStatus } from './page-checks';

const graph = (page: Page) => page.locator('[data-view="job-graph"]');
const shelf = (page: Page) => page.locator('[data-view="snapshot-shelf"]');
const narration = (page: Page) => page.locator('[data-view="narration"]');

async function runPreset(page: Page, name: string): Promise<void> {
  await page.goto('/');
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  await page.getByRole('button', { name: 'Configure…' }).click();
  await page.getByRole('button', { name }).click();
  await page.locator('[data-control="apply-restart"]').click();
  await expect(page).toHaveURL(/runtime=deterministic/);
  await expect(page).toHaveURL(/faults=slow-task/);
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
}

test('unaligned under backpressure: barriers overtake the queue, the overtaken records become channel state, a restore puts them back first', async ({ page }) => {
  const errors = collectErrors(page);
  await runPreset(page, 'Backpressure, unaligned');
  await expect(page).toHaveURL(/unaligned=true/);
  await expect(graph(page).locator('[data-task-id="numbers#0"][data-backpressure]')).not.toHaveAttribute('data-backpressure', 'ok');
  await expect(graph(page).locator('g.record[data-captured]').first()).toBeAttached();
  await expect(graph(page).locator('[data-task-id="sum#1"][data-unaligned="true"]')).toBeAttached();
  await expect(narration(page)).toContainText(/Barrier \d+ overtook \d+ records? .* persisted as channel state/);
  await expect(shelf(page).locator('[data-channel-state-records]:not([data-channel-state-records="0"])').first()).toBeAttached();
  await expect(graph(page).locator('[data-leap]').first()).toBeAttached();
  await graph(page).screenshot({ path: 'test-results/backpressure-unaligned.png' });
  await shelf(page).screenshot({ path: 'test-results/backpressure-unaligned-shelf.png' });

  // Break it: the restart restores the latest completed (unaligned) checkpoint, its channel state first.
  await graph(page).locator('[data-task-id="sum#1"]').click();
  await page.locator('[data-fault="kill"]').click();
  await expect(narration(page)).toContainText(/Attempt 1 deployed:/);
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  await expectExactlyOnce(page, 20);
  expect(errors).toEqual([]);
});

test('an aligned checkpoint that outlasts the aligned-checkpoint timeout switches to unaligned, and says so', async ({ page }) => {
  const errors = collectErrors(page);
  await runPreset(page, 'Backpressure, aligned timeout 200ms');
  await expect(page).toHaveURL(/aligned-timeout=200ms/);
  await expect(graph(page).locator('[data-unaligned="switched"]').first()).toBeAttached();
  await expect(narration(page)).toContainText(/outlasted execution.checkpointing.aligned-checkpoint-timeout: it switches to an unaligned checkpoint/);
  await graph(page).screenshot({ path: 'test-results/backpressure-timeout.png' });
  expect(errors).toEqual([]);
});
