// The page's default job, seen as a user sees it: it runs, completes checkpoints, commits output,
// survives a killed subtask, and reacts to the keyboard shortcuts.
import { expect, test } from '@playwright/test';

test('the default job runs, checkpoints and commits exactly-once output, even after a kill', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await expect(page.getByText('Job RUNNING')).toBeVisible();
  await page.getByLabel('Speed').selectOption('4');
  await expect(page.locator('tr.completed').first()).toBeVisible({ timeout: 15_000 });

  await page.getByRole('button', { name: 'Kill subtask' }).click();
  await expect(page.getByText(/restarts: 1/)).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('Job RUNNING')).toBeVisible({ timeout: 15_000 });

  // 100 keys × 5 values, every key reading exactly 1, 3, 6, 10, 15 once the input is drained.
  await expect(page.getByText('500 records committed for 100 of 100 keys')).toBeVisible({ timeout: 40_000 });
  const rows = page.locator('section[aria-label="Committed output"] tr');
  await expect(rows).toHaveCount(100);
  for (const text of await rows.allInnerTexts()) expect(text).toMatch(/^key-\d+\s+1, 3, 6, 10, 15$/);
  await page.screenshot({ path: 'test-results/page-after-kill.png' });
  expect(errors).toEqual([]);
});

test('space pauses and resumes the job', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
  const time = await page.getByText(/^t = /).innerText();
  await page.waitForTimeout(500);
  expect(await page.getByText(/^t = /).innerText()).toBe(time);
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
});
