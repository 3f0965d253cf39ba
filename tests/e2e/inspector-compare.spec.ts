// Comparing the state of two checkpoints on the page, as a learner meets it: the inspector opened on the
// deterministic replay, the two newest checkpoints compared once two have completed, then one of them
// against now for the whole operator, chosen by keyboard; screenshots in test-results/.
import { expect, test } from '@playwright/test';
import { WAIT_LIMIT_MS } from '../support/limits';
import { collectErrors, jobStatus } from './page-checks';

test('the state inspector compares two checkpoints key by key, and one against now, by keyboard', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/?runtime=deterministic');
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  await page.getByText('State inspector:').click();
  const compare = page.locator('[data-view="checkpoint-compare"]');
  await expect(compare).toBeVisible();
  // Two completed checkpoints: From and To are both checkpoints (the newest retained, the one it subsumed).
  await expect(compare).toHaveAttribute('data-to', /^\d+$/, { timeout: WAIT_LIMIT_MS });
  await expect(compare).toHaveAttribute('data-from', /^\d+$/);
  await page.locator('[data-control="pause"]').click();
  const [from, to] = [Number(await compare.getAttribute('data-from')), Number(await compare.getAttribute('data-to'))];
  expect(from).toBeLessThan(to);
  await expect(compare.locator('[data-added]')).toBeVisible();
  await compare.screenshot({ path: 'test-results/inspector-compare-page.png' });

  // By keyboard: To → now, then the whole operator.
  await compare.getByRole('combobox', { name: 'To' }).focus();
  await page.keyboard.press('End');
  await expect(compare).toHaveAttribute('data-to', 'now');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await expect(compare.locator('th[scope="col"]', { hasText: 'Subtask' })).toBeVisible();
  await expect(compare.locator('tr[data-subtask="sum#1"]').first()).toBeVisible();
  await compare.screenshot({ path: 'test-results/inspector-compare-page-now.png' });
  expect(errors).toEqual([]);
});
