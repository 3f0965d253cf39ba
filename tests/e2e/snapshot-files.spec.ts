// Snapshots as files, through the page as a user meets them: download a checkpoint, open it again with the
// file picker, read the inspect view, restore the job from it at another parallelism with output still
// exactly-once; a savepoint restored in place; bad files refused with their one-line reason, by picker and
// by drop, leaving the job alone. The savepoint test also writes the page's sample (UPDATE_SAMPLES=1).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, expectExactlyOnce, jobStatus } from './page-checks';
import { encodeSnapshotFile } from '../../src/engine/format/encode-snapshot-file';
import { realCheckpoints } from '../../src/runtime/sim/real-checkpoints.fixture';
import { WAIT_LIMIT_MS } from '../support/limits';

/** 500 records over 2 source subtasks at 20/s each: about 12 s, so a checkpoint taken early is mid-run. */
const MID_RUN = '/?rate=20';
const SUM_UID_HASH = '239c254b5ff89532b198266322bc819f';
const SAMPLE = join(import.meta.dirname, '..', '..', 'public', 'samples', 'browser-savepoint.bscp');

/** Checkpoints tried before giving up, and how long a click on one may wait before the next newest is tried. */
const MAX_DOWNLOAD_ATTEMPTS = 10;
const CLICK_LIMIT_MS = 15_000;

const inspector = (page: Page) => page.locator('[data-view="snapshot-inspector"]');

/**
 * Downloads the newest completed checkpoint still retained; returns its id and where the file was saved. The table
 * follows the event stream a moment behind the job, so the newest row may have been subsumed just now: the page
 * then says so instead of downloading, and the next newest is tried (a bounded number of times).
 */
async function downloadNewestCheckpoint(page: Page, testInfo: { outputPath(name: string): string }): Promise<{ checkpointId: number; path: string }> {
  const notice = page.getByTestId('snapshot-notice');
  for (let attempt = 1; ; attempt++) {
    const button = page.getByRole('button', { name: /^Download checkpoint \d+$/ }).first();
    await expect(button).toBeVisible();
    const checkpointId = Number(/(\d+)$/.exec((await button.getAttribute('aria-label')) ?? '')?.[1]);
    const downloaded = page.waitForEvent('download', { timeout: WAIT_LIMIT_MS }).catch(() => null);
    // Its row leaves the table once the checkpoint is subsumed (a second later at the default interval): then try
    // the newest again rather than wait for a button that is gone.
    const clicked = await page
      .getByRole('button', { name: `Download checkpoint ${checkpointId}`, exact: true })
      .click({ timeout: CLICK_LIMIT_MS })
      .then(
        () => true,
        () => false,
      );
    if (!clicked) {
      expect(attempt, 'checkpoints subsumed before each download').toBeLessThan(MAX_DOWNLOAD_ATTEMPTS);
      continue;
    }
    // The page answers every press: the file, or that the checkpoint was subsumed meanwhile.
    await expect(notice).toHaveText(new RegExp(`^(Downloaded checkpoint-${checkpointId}\\.bscp|Checkpoint ${checkpointId} is no longer retained)`));
    if (!(await notice.innerText()).startsWith('Downloaded')) {
      expect(attempt, 'checkpoints subsumed before each download').toBeLessThan(MAX_DOWNLOAD_ATTEMPTS);
      // The table follows a moment behind: wait until it no longer offers the subsumed one.
      await expect(page.getByRole('button', { name: `Download checkpoint ${checkpointId}`, exact: true })).toHaveCount(0);
      continue;
    }
    const download = await downloaded;
    expect(download, 'the download the page announced').not.toBeNull();
    expect(download!.suggestedFilename()).toBe(`checkpoint-${checkpointId}.bscp`);
    const path = testInfo.outputPath(download!.suggestedFilename());
    await download!.saveAs(path);
    return { checkpointId, path };
  }
}

async function openWithPicker(page: Page, path: string | { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: WAIT_LIMIT_MS }), page.getByRole('button', { name: 'Open snapshot file…' }).click()]);
  await chooser.setFiles(path);
}

/** A drop of `bytes` as a file onto the page, as the browser dispatches one (Playwright has no file drag). */
async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, data }) => {
      const dataTransfer = new DataTransfer();
      dataTransfer.items.add(new File([new Uint8Array(data)], name));
      return dataTransfer;
    },
    { name, data: [...bytes] },
  );
  await page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await page.dispatchEvent('main', 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
}

test('a checkpoint downloaded through the page opens in the file picker, shows its state, and restores at parallelism 3 exactly-once', async ({ page }, testInfo) => {
  const errors = collectErrors(page);
  await page.goto(MID_RUN);
  await expect(page.getByText(/^[1-9]\d* records committed/)).toBeVisible();
  const { checkpointId, path } = await downloadNewestCheckpoint(page, testInfo);
  await expect(page.getByTestId('snapshot-notice')).toHaveText(new RegExp(`^Downloaded checkpoint-${checkpointId}\\.bscp \\(\\d`));

  await openWithPicker(page, path);
  await expect(inspector(page).getByRole('heading', { name: `Checkpoint ${checkpointId} in checkpoint-${checkpointId}.bscp` })).toBeVisible();
  const metadata = page.getByTestId('savepoint-metadata');
  await expect(metadata.locator('tbody tr')).toHaveCount(3);
  const sumRow = metadata.locator('tbody tr', { hasText: SUM_UID_HASH }).locator('td');
  await expect(sumRow).toHaveText([String(checkpointId), 'Running sum', 'sum', SUM_UID_HASH, '2', '128', /^\d+$/]);
  const sum = inspector(page).locator('[data-operator-uid="sum"]');
  await expect(sum.locator('tr[data-subtask="0"]')).toContainText('0–63');
  await expect(sum.locator('tr[data-subtask="1"]')).toContainText('64–127');
  await expect(sum.getByTestId('keyed-state').locator('tbody tr').first()).toBeVisible();
  await expect(inspector(page).locator('[data-operator-uid="numbers"]').getByTestId('source-offsets').locator('tbody tr')).toHaveCount(4);
  await page.screenshot({ path: 'test-results/snapshot-inspect.png', fullPage: true });

  await inspector(page).getByLabel('Parallelism').fill('3');
  await inspector(page).getByRole('button', { name: 'Restore at parallelism 3' }).click();
  await expect(inspector(page)).toHaveCount(0);
  await expect(page.getByTestId('restored-notice')).toContainText(`Restored from checkpoint ${checkpointId} from the file checkpoint-${checkpointId}.bscp at parallelism 3.`);
  await expect(page.getByText('at parallelism 3 over 100 keys')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Subtask', exact: true }).locator('option')).toHaveText(['numbers#0', 'numbers#1', 'numbers#2', 'sum#0', 'sum#1', 'sum#2']);
  await expect(page.getByText(`Latest restore: checkpoint ${checkpointId}`)).toBeVisible();
  await expectExactlyOnce(page);
  // Checkpoint ids continue after every id storage has seen.
  const newest = Number((await page.locator('tr.completed td:first-child').first().textContent()) ?? 0);
  expect(newest).toBeGreaterThan(checkpointId);
  await page.screenshot({ path: 'test-results/snapshot-restored.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('bad files are refused with the reader’s one-line reason, by picker and by drop, and the job runs on untouched', async ({ page }, testInfo) => {
  const errors = collectErrors(page);
  await page.goto(MID_RUN);
  await expect(page.locator('tr.completed').first()).toBeVisible();
  const { path } = await downloadNewestCheckpoint(page, testInfo);
  const good = readFileSync(path);

  await openWithPicker(page, { name: 'notes.bscp', mimeType: 'text/plain', buffer: Buffer.from('these are my notes, not a snapshot\n') });
  await expect(inspector(page).getByRole('heading', { name: 'Cannot open notes.bscp' })).toBeVisible();
  await expect(page.getByTestId('snapshot-error')).toHaveAttribute('data-error-kind', 'not-a-zip');
  await expect(page.getByTestId('snapshot-error')).toHaveText(/^file: does not start with a zip signature/);

  await openWithPicker(page, { name: 'truncated.bscp', mimeType: 'application/zip', buffer: good.subarray(0, Math.floor(good.length / 2)) });
  await expect(page.getByTestId('snapshot-error')).toHaveAttribute('data-error-kind', /^(not-a-zip|corrupt-zip)$/);
  await page.screenshot({ path: 'test-results/snapshot-bad-file.png' });

  const flipped = Buffer.from(good);
  flipped[60]! ^= 0x10; // inside _metadata's compressed bytes: its CRC-32 no longer matches
  await dropFile(page, 'flipped.bscp', flipped);
  await expect(inspector(page).getByRole('heading', { name: 'Cannot open flipped.bscp' })).toBeVisible();
  await expect(page.getByTestId('drop-overlay')).toHaveCount(0);
  const message = await page.getByTestId('snapshot-error').innerText();
  expect(message.split('\n')).toHaveLength(1);
  expect(message.length).toBeGreaterThan(10);

  // The job was never touched: still running, no restart, no restore, and it finishes exactly-once.
  await expect(jobStatus(page)).toHaveText('Job RUNNING');
  await expect(page.getByText('restarts: 0', { exact: true })).toBeVisible();
  await expect(page.locator('section[aria-label="Checkpoint history"] .counts')).toContainText('restored 0');
  await expectExactlyOnce(page);
  await inspector(page).getByRole('button', { name: 'Close' }).click();
  await expect(inspector(page)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a savepoint taken and downloaded with a key restores in place at parallelism 1, and the sample snapshot opens', async ({ page }, testInfo) => {
  const errors = collectErrors(page);
  await page.goto(MID_RUN);
  // Some way into the run, so the sample shows sums beyond the first values: 150 of the 500 records.
  await expect(page.getByText(/^(1[5-9]\d|[2-4]\d\d) records committed/)).toBeVisible();
  await page.locator('h1').click();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT_LIMIT_MS }), page.keyboard.press('e')]);
  expect(download.suggestedFilename()).toMatch(/^savepoint-\d+\.bscp$/);
  const savepointId = Number(/(\d+)/.exec(download.suggestedFilename())![1]);
  const path = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(path);
  await expect(page.getByTestId('snapshot-notice')).toContainText(`Savepoint ${savepointId} completed; downloaded savepoint-${savepointId}.bscp`);
  writeFileSync('test-results/browser-savepoint.bscp', readFileSync(path));
  if (process.env.UPDATE_SAMPLES === '1') {
    mkdirSync(dirname(SAMPLE), { recursive: true });
    copyFileSync(path, SAMPLE);
  }

  await page.getByRole('button', { name: `Inspect savepoint ${savepointId}` }).click();
  await expect(page.getByTestId('snapshot-summary')).toContainText('still in this page’s storage');
  await expect(page.getByTestId('snapshot-summary')).toContainText('CANONICAL format');
  await inspector(page).getByLabel('Parallelism').fill('1');
  await inspector(page).getByRole('button', { name: 'Restore at parallelism 1' }).click();
  await expect(page.getByTestId('restored-notice')).toContainText(`Restored from savepoint ${savepointId} in storage at parallelism 1.`);
  await expect(page.getByRole('combobox', { name: 'Subtask', exact: true }).locator('option')).toHaveText(['numbers#0', 'sum#0']);
  await expectExactlyOnce(page);
  // NO_CLAIM: the savepoint the job started from is still in storage, and still downloadable.
  await expect(page.getByRole('button', { name: `Download savepoint ${savepointId}` })).toHaveCount(0);
  expect(await page.evaluate(async (id) => {
    const request = indexedDB.open('barrierscope');
    const database = await new Promise<IDBDatabase>((resolve) => (request.onsuccess = () => resolve(request.result)));
    const stored = database.transaction('checkpoints').objectStore('checkpoints').get(['running-sum', id]);
    return new Promise((resolve) => (stored.onsuccess = () => resolve(stored.result !== undefined)));
  }, savepointId)).toBe(true);

  await page.getByRole('button', { name: 'Open a sample snapshot' }).click();
  await expect(inspector(page).getByRole('heading', { name: /^Savepoint \d+ in browser-savepoint\.bscp$/ })).toBeVisible();
  await expect(page.getByTestId('savepoint-metadata').locator('tbody tr')).toHaveCount(3);
  await page.screenshot({ path: 'test-results/snapshot-sample.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('a file of another job is opened but cannot restore, with Flink’s reason, and "o" opens the file picker', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(MID_RUN);
  await expect(jobStatus(page)).toHaveText('Job RUNNING');
  // Listening first, and a round trip to the page before the key: the chooser must be intercepted by then.
  const choosing = page.waitForEvent('filechooser', { timeout: WAIT_LIMIT_MS });
  await page.locator('h1').click();
  await page.keyboard.press('o');
  const chooser = await choosing;
  const orderTotals = realCheckpoints({ scenario: 'order-totals', untilMs: 600 }).snapshots.at(-1)!;
  await chooser.setFiles({ name: 'order-totals.bscp', mimeType: 'application/zip', buffer: Buffer.from(encodeSnapshotFile(orderTotals)) });
  await expect(page.getByTestId('savepoint-metadata').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('restore-problem')).toHaveText(
    /^Cannot restore: Failed to rollback to checkpoint\/savepoint order-totals\.bscp\. Cannot map checkpoint\/savepoint state for operator [0-9a-f]{32} \(uid 'orders-\w+'\) to the new program/,
  );
  await expect(inspector(page).getByRole('button', { name: /^Restore at parallelism/ })).toBeDisabled();
  await inspector(page).getByLabel('Parallelism').fill('9');
  await expect(page.getByTestId('restore-problem')).toHaveText('Cannot restore: Give a whole number from 1 to 8: this page runs two Web Workers per unit of parallelism, not 9.');
  await page.screenshot({ path: 'test-results/snapshot-other-job.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('stopping with a savepoint (flink stop) finishes the job and downloads the savepoint; the job restored from that file at parallelism 4 completes exactly-once', async ({ page }, testInfo) => {
  const errors = collectErrors(page);
  await page.goto(MID_RUN);
  await expect(page.getByText(/^[1-9]\d* records committed/)).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: WAIT_LIMIT_MS }),
    page.getByRole('button', { name: 'Stop with savepoint and download' }).click(),
  ]);
  const path = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(path);
  await expect(jobStatus(page)).toHaveText('Job FINISHED');
  await expect(page.getByTestId('snapshot-notice')).toContainText('The job stopped with it');
  const committed = Number(/^(\d+) records committed/.exec(await page.getByText(/^\d+ records committed/).innerText())?.[1]);
  expect(committed).toBeGreaterThan(0);
  expect(committed).toBeLessThan(500);

  await openWithPicker(page, path);
  await expect(inspector(page).getByRole('heading', { name: /^Savepoint \d+ in savepoint-\d+\.bscp$/ })).toBeVisible();
  // Pre-committed in the savepoint, committed by the stopping job once it completed: the restored sink's re-commit is a no-op.
  await expect(inspector(page).getByTestId('pending-transactions').locator('tbody tr')).toHaveCount(2);
  await inspector(page).getByLabel('Parallelism').fill('4');
  await inspector(page).getByRole('button', { name: 'Restore at parallelism 4' }).click();
  await expect(page.getByTestId('restored-notice')).toContainText(`The committed output starts with the ${committed} records`);
  await expectExactlyOnce(page);
  expect(errors).toEqual([]);
});

test('the CLI’s sample savepoint (virtual time) opens in the page and restores at parallelism 3, completing the stopped run exactly-once', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(MID_RUN);
  await expect(jobStatus(page)).toHaveText('Job RUNNING');
  await page.getByRole('button', { name: '…or one the CLI made' }).click();
  await expect(inspector(page).getByRole('heading', { name: /^Savepoint \d+ in running-sum-savepoint\.bscp$/ })).toBeVisible();
  await expect(page.getByTestId('snapshot-summary')).toContainText('s into a deterministic run, in virtual time');
  await inspector(page).getByLabel('Parallelism').fill('3');
  await inspector(page).getByRole('button', { name: 'Restore at parallelism 3' }).click();
  await expect(page.getByTestId('restored-notice')).toContainText('Restored from savepoint');
  await expectExactlyOnce(page);
  expect(errors).toEqual([]);
});

test('without IndexedDB a file still restores, imported into the page’s memory; the replay’s checkpoints download too', async ({ page }, testInfo) => {
  const errors = collectErrors(page);
  await page.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined }));
  await page.goto(MID_RUN);
  await expect(page.getByTestId('storage')).toHaveText(/^in memory/);
  await expect(page.locator('tr.completed').first()).toBeVisible();
  await page.locator('h1').click();
  await page.keyboard.press('d');
  await expect(page.getByTestId('runtime')).toHaveText(/deterministic replay/);
  const { path } = await downloadNewestCheckpoint(page, testInfo);

  await openWithPicker(page, path);
  await inspector(page).getByLabel('Parallelism').fill('3');
  await inspector(page).getByRole('button', { name: 'Restore at parallelism 3' }).click();
  await expect(page.getByTestId('runtime')).toHaveText(/Web Workers/);
  await expect(page.getByTestId('restored-notice')).toContainText('at parallelism 3');
  await expectExactlyOnce(page);
  expect(errors).toEqual([]);
});
