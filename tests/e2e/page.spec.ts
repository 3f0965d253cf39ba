// The page's default job, seen as a user sees it: it runs on Web Workers with checkpoints in IndexedDB,
// commits exactly-once output through a kill and a crash, offers to resume after a reload, falls back to
// memory visibly without IndexedDB, rejects bad URL parameters, and keeps the deterministic replay mode.
// Playwright's context keeps IndexedDB across page.reload() within one test, and starts empty in each test.
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, expectExactlyOnce, jobStatus } from './page-checks';

/** 4 partitions × 125 records over 2 source subtasks: 50 records/s each drains the input in about 5 s. */
const FAST = '/?rate=50';

/** The job controls' subtask picker (the shelf's "Checkpoints by subtask" is a label too). */
const subtaskPicker = (page: Page) => page.getByRole('combobox', { name: 'Subtask', exact: true });

const counts = (page: Page) => page.locator('section[aria-label="Checkpoint history"] .counts');

/** "will fail" until the snapshot is taken, then "failed, as injected": a fast machine may show only the second. */
const uploadNotice = (taskId: string) =>
  new RegExp(`^(The next snapshot upload of ${taskId} will fail\\.|The snapshot upload of ${taskId} for checkpoint \\d+ failed, as injected: ${taskId} declined the checkpoint\\.)$`);

test('the default job runs on Workers with IndexedDB and commits exactly-once after a kill', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(FAST);
  await expect(jobStatus(page)).toHaveText('Job RUNNING');
  await expect(page.getByTestId('runtime')).toHaveText(/Web Workers/);
  await expect(page.getByTestId('storage')).toHaveText("IndexedDB 'barrierscope', job id 'running-sum' (survives a reload)");
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.locator('tr.completed').first()).toBeVisible();

  await subtaskPicker(page).selectOption('sum#0');
  await page.getByRole('button', { name: 'Kill subtask' }).click();
  await expect(page.getByText('Terminated the Worker of sum#0.')).toBeVisible();
  await expect(page.getByText(/restarts: 1/)).toBeVisible();
  await expect(jobStatus(page)).toHaveText('Job RUNNING');
  await expect(counts(page)).toContainText('restored 1');

  await expectExactlyOnce(page);
  // The only restart is the kill's, explained as injected; nothing restarted on its own (heartbeat.timeout is 50 s).
  await expect(page.getByTestId('restart-notice')).toHaveCount(1);
  await expect(page.getByTestId('restart-notice')).toContainText('The job restarted because sum#0 was killed (its Worker terminated), as injected from this page.');
  await page.screenshot({ path: 'test-results/page-after-kill.png' });
  expect(errors).toEqual([]);
});

test('Workers slow to start (their script arrives seconds late, as on a busy machine) are not taken for lost: nothing restarts', async ({ page }) => {
  const errors = collectErrors(page);
  // Longer than the 3 s that once restarted the job twice on a cold load; heartbeats are checked only once a Worker is deployed.
  let delayedScripts = 0;
  await page.route(/task\.worker.*\.js/, async (route) => {
    delayedScripts++;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await route.continue();
  });
  await page.goto(FAST);
  await expect(counts(page)).toContainText(/completed [2-9]/);
  await expect(page.getByText('restarts: 0', { exact: true })).toBeVisible();
  await expect(page.getByTestId('restart-notice')).toHaveCount(0);
  // The slow start really happened: every Worker's script went through the delay.
  expect(delayedScripts).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});

test('keyboard shortcuts crash a subtask and trigger a savepoint, and output stays exactly-once', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(FAST);
  await expect(page.locator('tr.completed').first()).toBeVisible();
  await page.keyboard.press('s');
  await expect(page.locator('tr.completed', { hasText: 'SAVEPOINT' })).toBeVisible();

  await subtaskPicker(page).selectOption('sum#1');
  await page.locator('h1').click();
  await page.keyboard.press('c');
  await expect(page.getByText('Crashed sum#1: its operator threw inside its Worker.')).toBeVisible();
  await expect(page.getByText(/restarts: 1/)).toBeVisible();
  await expectExactlyOnce(page);
  expect(errors).toEqual([]);
});

test('a reload offers to resume from the latest checkpoint, and resuming restores it with output still exactly-once', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(FAST);
  await expect(counts(page)).toContainText(/completed [2-9]/);
  await expect(page.getByText(/^[1-9]\d* records committed/)).toBeVisible();

  await page.reload();
  const resume = page.getByRole('button', { name: /^Resume from checkpoint \d+ \(taken \d\d:\d\d:\d\d\)$/ });
  await expect(resume).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start fresh' })).toBeVisible();
  await expect(jobStatus(page)).toHaveCount(0);
  await page.screenshot({ path: 'test-results/page-resume-offer.png' });
  const checkpointId = Number(/checkpoint (\d+)/.exec(await resume.innerText())?.[1]);

  await resume.click();
  await expect(jobStatus(page)).toHaveText('Job RUNNING');
  await expect(counts(page)).toContainText('restored 1');
  await expect(page.getByText(`Latest restore: checkpoint ${checkpointId}`)).toBeVisible();
  // Checkpoint ids continue after the restored one, as Flink's do.
  const newestCompleted = async () => Number((await page.locator('tr.completed td:first-child').first().textContent()) ?? 0);
  await expect.poll(newestCompleted).toBeGreaterThan(checkpointId);
  await expectExactlyOnce(page);
  await page.screenshot({ path: 'test-results/page-after-resume.png' });
  expect(errors).toEqual([]);
});

test('starting fresh after a reload discards the old checkpoints and output', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(FAST);
  await expect(page.getByText(/^[1-9]\d* records committed/)).toBeVisible();
  await page.reload();
  await page.getByRole('button', { name: 'Start fresh' }).click();
  await expect(jobStatus(page)).toHaveText('Job RUNNING');
  await expect(counts(page)).toContainText('restored 0');
  // Old commits kept beside new ones of the same transaction ids would show as loss or duplicates.
  await expectExactlyOnce(page);
  expect(errors).toEqual([]);
});

test('without IndexedDB the page says so and runs with checkpoints in memory', async ({ page }) => {
  const errors = collectErrors(page);
  await page.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined }));
  await page.goto('/?rate=200');
  await expect(page.getByRole('alert')).toHaveText(
    'IndexedDB is unavailable (this browser context has no indexedDB): checkpoints are kept in memory and will not survive a reload',
  );
  await expect(page.getByTestId('storage')).toHaveText(/^in memory/);
  await expect(page.locator('tr.completed').first()).toBeVisible();
  await expectExactlyOnce(page);
  await page.screenshot({ path: 'test-results/page-without-indexeddb.png' });
  expect(errors).toEqual([]);
});

test('bad URL parameters are reported and the page runs with the defaults', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/?rate=fast&runtime=threads&rte=3');
  await expect(page.getByText("URL parameter 'rate' must be a whole number of records per second from 1 to 10000, got 'fast'; using 25.")).toBeVisible();
  await expect(page.getByText("URL parameter 'runtime' must be one of worker, deterministic, got 'threads'; using 'worker'.")).toBeVisible();
  await expect(page.getByText("Unknown URL parameter 'rte' (did you mean 'rate'?)")).toBeVisible();
  await expect(jobStatus(page)).toHaveText('Job RUNNING');
  await expect(page.getByTestId('runtime')).toHaveText(/Web Workers/);
  await expect(page.getByText('25 records/s per source subtask')).toBeVisible();
  await page.screenshot({ path: 'test-results/page-bad-parameters.png' });
  expect(errors).toEqual([]);
});

const REPEATED_OR_NAMELESS = [
  { search: '?rate=1&rate=2&rate=3', notice: "URL parameter 'rate' is given 3 times ('1', '2', '3'); give it once. Using the default, 25." },
  { search: '?foo=1&foo=2', notice: "Unknown URL parameter 'foo' (given 2 times); known: scenario, runtime, rate, parallelism, max-parallelism, interval, mode, backend, incremental, unaligned, aligned-timeout, restart, seed, faults, storage." },
  { search: '?&&&=&=', notice: "Ignored 2 URL parameters without a name (such as '=' or '=value')." },
];

for (const [index, { search, notice }] of REPEATED_OR_NAMELESS.entries()) {
  test(`repeated or nameless URL parameters (${search}) get one notice and the default job runs`, async ({ page }) => {
    const errors = collectErrors(page);
    await page.goto(`/${search}`);
    await expect(page.getByText(notice, { exact: true })).toHaveCount(1);
    await expect(jobStatus(page)).toHaveText('Job RUNNING');
    await expect(page.getByText('25 records/s per source subtask')).toBeVisible();
    await expect(page.getByTestId('runtime')).toHaveText(/Web Workers/);
    await expect(page.locator('tr.completed').first()).toBeVisible();
    await page.screenshot({ path: `test-results/page-parameters-${index}.png` });
    expect(errors).toEqual([]);
  });
}

test('pause, step and play on both runtimes; switching back to Workers offers to resume', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(FAST);
  await expect(page.locator('tr.completed').first()).toBeVisible();
  // Workers cannot stop: pausing freezes the picture (a replay of that moment) while the job runs on.
  await page.locator('h1').click();
  await page.keyboard.press(' ');
  await expect(page.locator('[data-mode="replay"]')).toBeVisible();
  await expect(jobStatus(page)).toHaveText('Paused');
  await page.keyboard.press('l');
  await expect(page.locator('[data-mode="live"]')).toBeVisible();
  await expect(jobStatus(page)).toHaveText('Job RUNNING');

  await page.keyboard.press('d');
  await expect(page.getByTestId('runtime')).toHaveText(/deterministic replay/);
  await expect(jobStatus(page)).toHaveText('Job RUNNING');
  await page.keyboard.press(' ');
  await expect(jobStatus(page)).toHaveText('Paused');
  const clock = page.getByLabel('Time into the run');
  const time = await clock.innerText();
  // Paused means the page keeps drawing and the clock stands still: let it draw 30 frames, however long they take.
  await page.evaluate(() => new Promise<void>((resolve) => {
    let frames = 30;
    const tick = () => (--frames === 0 ? resolve() : requestAnimationFrame(tick));
    requestAnimationFrame(tick);
  }));
  expect(await clock.innerText()).toBe(time);
  // A step is one event; the clock (10 ms resolution) moves once a step reaches a later moment.
  for (let steps = 0; steps < 500 && (await clock.innerText()) === time; steps++) await page.keyboard.press('.');
  expect(await clock.innerText()).not.toBe(time);
  await expect(jobStatus(page)).toHaveText('Paused');
  await page.keyboard.press(' ');
  await expect(jobStatus(page)).toHaveText('Job RUNNING');

  await page.getByLabel('Deterministic replay').click();
  await expect(page.getByRole('button', { name: /^Resume from checkpoint \d+/ })).toBeVisible();
  await page.keyboard.press('r');
  await expect(page.getByTestId('runtime')).toHaveText(/Web Workers/);
  await expect(counts(page)).toContainText('restored 1');
  expect(errors).toEqual([]);
});

test('a failed snapshot upload fails the checkpoint and, with no tolerable failures, restarts the job; slowing a subtask is reversible', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(FAST);
  await expect(page.locator('tr.completed').first()).toBeVisible();
  await subtaskPicker(page).selectOption('sum#1');

  await page.keyboard.press('w');
  await expect(page.getByText('sum#1 now runs 10× slower: watch backpressure and alignment grow.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Unslow' })).toBeVisible();
  await page.getByRole('button', { name: 'Unslow' }).click();
  await expect(page.getByText('sum#1 runs at normal speed again.')).toBeVisible();

  await page.getByRole('button', { name: 'Fail next upload' }).click();
  await expect(page.getByText(uploadNotice('sum#1'))).toBeVisible();
  // execution.checkpointing.tolerable-failed-checkpoints is 0 (Flink's default): one async failure fails the job over.
  await expect(page.locator('tr.failed').first()).toBeVisible();
  await expect(page.locator('tr.failed').first()).toContainText('Injected failure: upload of checkpoint');
  await expect(page.getByText(/restarts: 1/)).toBeVisible();
  await expectExactlyOnce(page);
  expect(errors).toEqual([]);
});

test("failing a source's next upload fails its checkpoint, says so once it happened, and explains the restart", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(FAST);
  await expect(page.locator('tr.completed').first()).toBeVisible();
  await subtaskPicker(page).selectOption('numbers#0');
  await page.getByRole('button', { name: 'Fail next upload' }).click();
  await expect(page.getByText(uploadNotice('numbers#0'))).toBeVisible();
  await expect(page.locator('tr.failed').first()).toContainText(/Injected failure: upload of checkpoint \d+ by numbers#0 failed/);
  await expect(page.getByText(/^The snapshot upload of numbers#0 for checkpoint \d+ failed, as injected: numbers#0 declined the checkpoint\.$/)).toBeVisible();
  await expect(page.getByTestId('restart-notice')).toContainText(
    /The job restarted because checkpoint \d+ failed \(a snapshot upload failed\) and execution\.checkpointing\.tolerable-failed-checkpoints tolerates none, as injected from this page\./,
  );
  await page.screenshot({ path: 'test-results/page-source-upload-failed.png' });
  await expectExactlyOnce(page);
  expect(errors).toEqual([]);
});
