// Checks the e2e specs share: errors the page throws, and the default job's exactly-once verdict as the
// ledger shows it (100 keys, each 1, 3, 6, 10, 15).
import { expect, type Page } from '@playwright/test';

const ALL_COMMITTED = '500 records committed for 100 of 100 keys';

export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

export async function expectExactlyOnce(page: Page): Promise<void> {
  await expect(page.getByText(ALL_COMMITTED)).toBeVisible();
  await expect(page.getByText(/^Exactly-once verified: all 500 records/)).toBeVisible();
  const rows = page.locator('section[aria-label="Committed output"] tr');
  await expect(rows).toHaveCount(100);
  for (const text of await rows.allInnerTexts()) expect(text).toMatch(/^key-\d+\s+1, 3, 6, 10, 15$/);
}
