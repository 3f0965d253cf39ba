// Checks the e2e specs share: errors the page throws, and the exactly-once verdict as the output ledger
// shows it. The default job never runs dry (fresh keys keep arriving, each 1, 3, 6, 10, 15), so the verdict is
// taken once enough keys are complete: nothing lost, nothing duplicated, nothing unexpected.
import { expect, type Page } from '@playwright/test';

export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

const ledger = (page: Page) => page.locator('[data-view="output-ledger"]');

/** Waits until at least `completeKeys` keys read 1, 3, 6, 10, 15 in full, then checks that nothing was lost or duplicated. */
export async function expectExactlyOnce(page: Page, completeKeys = 100): Promise<void> {
  await expect
    .poll(async () => Number(await ledger(page).getAttribute('data-complete-keys')), { message: `${completeKeys} keys complete` })
    .toBeGreaterThanOrEqual(completeKeys);
  await expect(ledger(page)).toHaveAttribute('data-lost', '0');
  await expect(ledger(page)).toHaveAttribute('data-duplicated', '0');
  await expect(ledger(page)).toHaveAttribute('data-unexpected', '0');
  await expect(page.getByText(/^Not exactly-once/)).toHaveCount(0);
}

/** The job status pill of the top bar. */
export const jobStatus = (page: Page) => page.locator('[data-view="job-status"]');
