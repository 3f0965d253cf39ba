// The picture, used as a new user would: the default job's records and barriers move through the job graph,
// stepping the deterministic run shows an alignment (a blocked lane with records held behind its gate), a
// checkpoint lands on the snapshot shelf, killing a subtask from its menu restarts the job and rewinds the
// source logs with nothing lost or duplicated, at-least-once shows duplicates, pause / step / scrub work, and
// a shared link reopens the same run. Each test saves screenshots under test-results/picture-*.png to look at.
// Every wait is for a condition (bounded by tests/support/limits.ts); stepping is bounded by a count of steps.
import { expect, test, type Page } from '@playwright/test';
import { WAIT_LIMIT_MS } from '../support/limits';
import { collectErrors, expectExactlyOnce, jobStatus } from './page-checks';

const graph = (page: Page) => page.locator('[data-view="job-graph"]');
const shelf = (page: Page) => page.locator('[data-view="snapshot-shelf"]');
const ledger = (page: Page) => page.locator('[data-view="output-ledger"]');
const narration = (page: Page) => page.locator('[data-view="narration"]');
const clock = (page: Page) => page.getByLabel('Time into the run');
const completedOnShelf = (page: Page) => shelf(page).locator('[data-status="COMPLETED"]');

/** The deterministic run at the page's defaults (0.5×, a 100 ± 60 ms network), so each hop can be stepped through. */
const DETERMINISTIC = '/?runtime=deterministic';
/** Most steps the alignment test takes before giving up: a bound on events, not on time. */
const MAX_STEPS = 4000;
/** The narration's sentence for the job deployed again after a restart. */
const REDEPLOYED = /Attempt 1 deployed:/;

/** Most steps a pause test takes to see the picture move on (events of one millisecond that the narration passes over). */
const MAX_QUIET_STEPS = 50;

/** Where the picture stands: the scrubber's value (ms), how many narration lines, and the newest one. */
async function pictureMoment(page: Page): Promise<{ head: number; lines: number; newest: string }> {
  return page.evaluate(() => {
    const lines = document.querySelectorAll('[data-view="narration"] li[data-time]');
    return { head: Number(document.querySelector<HTMLInputElement>('[data-control="scrubber"]')!.value), lines: lines.length, newest: lines[0]?.textContent ?? '' };
  });
}

/** Seconds shown by the top bar's clock ("t = 1.23 s"). */
async function clockSeconds(page: Page): Promise<number> {
  const text = await clock(page).innerText();
  const match = /t = (-?[\d.]+) s/.exec(text);
  if (!match) throw new Error(`unexpected clock text: ${text}`);
  return Number(match[1]);
}

async function completedIds(page: Page): Promise<number[]> {
  return completedOnShelf(page).evaluateAll((frames) => frames.map((frame) => Number(frame.getAttribute('data-checkpoint-id'))));
}

/** Waits until the shelf shows a completed checkpoint with an id above `after`, and returns the newest such id. */
async function waitForCompletedAfter(page: Page, after: number): Promise<number> {
  await expect.poll(async () => Math.max(0, ...(await completedIds(page))), { message: `a checkpoint after ${after} completed`, timeout: WAIT_LIMIT_MS }).toBeGreaterThan(after);
  return Math.max(...(await completedIds(page)));
}

/** Offsets read per source partition, keyed `source/partition`. */
async function sourceOffsets(page: Page): Promise<Record<string, number>> {
  return page.locator('[data-view="source-log"]').evaluateAll((logs) =>
    Object.fromEntries(logs.map((log) => [`${log.getAttribute('data-source')}/${log.getAttribute('data-partition')}`, Number(log.getAttribute('data-offset'))])),
  );
}

/** Narration lines oldest first, as `time text`. */
async function narrationLines(page: Page): Promise<{ time: number; text: string }[]> {
  const lines = await narration(page)
    .locator('li[data-time]')
    .evaluateAll((items) => items.map((item) => ({ time: Number(item.getAttribute('data-time')), text: item.querySelector('.text')?.textContent ?? '' })));
  return lines.reverse();
}

/** Every contract attribute the job graph shows, subtask by subtask and lane by lane (dots and barriers excluded: they glide with render time). */
async function graphState(page: Page): Promise<string[]> {
  return graph(page).evaluate((root) => [
    ...[...root.querySelectorAll('[data-task-id]')].map((node) => `${node.getAttribute('data-task-id')} ${node.getAttribute('data-state')} aligning=${node.getAttribute('data-aligning')}`),
    ...[...root.querySelectorAll('[data-channel]')].map((node) => `${node.getAttribute('data-channel')} blocked=${node.getAttribute('data-blocked')} queued=${node.getAttribute('data-queued')}`),
    ...[...root.querySelectorAll('[data-view="source-log"]')].map((node) => `${node.getAttribute('data-source')}/${node.getAttribute('data-partition')} offset=${node.getAttribute('data-offset')} checkpointed=${node.getAttribute('data-checkpointed-offset')}`),
  ]);
}

test('the default job starts on Workers and records and barriers move through the job graph', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  await expect(page.getByTestId('runtime')).toHaveText(/Web Workers/);
  await expect(graph(page).locator('[data-task-id="numbers#0"]')).toBeVisible();
  await expect(graph(page).locator('[data-task-id="sum#1"]')).toBeVisible();
  // Dots and barriers come and go; look at every frame until one frame shows a record and one shows a barrier.
  await page.waitForFunction(() => document.querySelector('[data-view="job-graph"] [data-record]') !== null, undefined, { polling: 'raf', timeout: WAIT_LIMIT_MS });
  await page.screenshot({ path: 'test-results/picture-records.png' });
  await page.waitForFunction(() => document.querySelector('[data-view="job-graph"] [data-barrier]') !== null, undefined, { polling: 'raf', timeout: WAIT_LIMIT_MS });
  await page.screenshot({ path: 'test-results/picture-barrier.png' });
  expect(errors).toEqual([]);
});

test('stepping the paused deterministic run shows an alignment: a blocked lane holds records while its receiver aligns', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(DETERMINISTIC);
  await expect(page.locator('[data-control="pause"]')).toBeEnabled();
  await page.locator('[data-control="pause"]').click();
  await expect(jobStatus(page)).toHaveText('Paused');
  // One step at a time (the step button, as a user clicks it), one frame apart, until the picture shows an alignment.
  const steps = await page.evaluate(async (maxSteps) => {
    const aligned = () =>
      [...document.querySelectorAll('[data-view="job-graph"] [data-channel][data-blocked="true"]')].some((lane) => {
        if (Number(lane.getAttribute('data-queued')) <= 0) return false;
        const receiver = lane.getAttribute('data-channel')?.split('->')[1];
        return document.querySelector(`[data-view="job-graph"] [data-task-id="${receiver}"][data-aligning="true"]`) !== null;
      });
    const step = document.querySelector<HTMLButtonElement>('[data-control="step"]')!;
    for (let taken = 0; taken < maxSteps; taken++) {
      if (aligned()) return taken;
      step.click();
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    return aligned() ? maxSteps : -1;
  }, MAX_STEPS);
  expect(steps, `an alignment within ${MAX_STEPS} steps`).toBeGreaterThanOrEqual(0);
  const blocked = graph(page).locator('[data-channel][data-blocked="true"]').first();
  await expect(blocked).toBeVisible();
  const channel = (await blocked.getAttribute('data-channel'))!;
  expect(Number(await blocked.getAttribute('data-queued'))).toBeGreaterThan(0);
  await expect(graph(page).locator(`[data-task-id="${channel.split('->')[1]}"]`)).toHaveAttribute('data-aligning', 'true');
  // Paused and stepped: the picture stands still on the alignment.
  await expect(jobStatus(page)).toHaveText('Paused');
  await page.screenshot({ path: 'test-results/picture-alignment.png' });
  await graph(page).screenshot({ path: 'test-results/picture-alignment-graph.png' });
  expect(errors).toEqual([]);
});

test('a checkpoint completes and lands on the snapshot shelf', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  const id = await waitForCompletedAfter(page, 0);
  await expect(shelf(page).locator(`[data-checkpoint-id="${id}"]`).first()).toHaveAttribute('data-status', 'COMPLETED');
  await expect(page.locator('[data-view="statechart"][data-machine]').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/picture-checkpoint-completed.png' });
  await shelf(page).screenshot({ path: 'test-results/picture-shelf.png' });
  expect(errors).toEqual([]);
});

test('killing sum#0 from its menu restarts the job, rewinds the source logs, and the ledger shows nothing lost or duplicated', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  await waitForCompletedAfter(page, 0);
  // Read on past the checkpoint, so the restore has somewhere to rewind to.
  await expect.poll(async () => Math.max(...Object.values(await sourceOffsets(page))), { timeout: WAIT_LIMIT_MS }).toBeGreaterThan(0);

  await graph(page).locator('[data-task-id="sum#0"]').click();
  const kill = page.locator('[data-fault="kill"]');
  await expect(kill).toBeVisible();
  await page.screenshot({ path: 'test-results/picture-fault-menu.png' });
  const before = await sourceOffsets(page);
  await kill.click();

  // RESTARTING lasts the restart backoff, less once the lost Worker is noticed late on a busy machine: look
  // at every frame for the pill, and accept the narration's sentence for a frame the picture skipped.
  await page.waitForFunction(
    () =>
      document.querySelector('[data-view="job-status"]')?.getAttribute('data-status') === 'RESTARTING' ||
      [...document.querySelectorAll('[data-view="narration"] li[data-time]')].some((line) => /The job is RESTARTING/.test(line.textContent ?? '')),
    undefined,
    { polling: 'raf', timeout: WAIT_LIMIT_MS },
  );
  await page.screenshot({ path: 'test-results/picture-restarting.png' });
  await expect(narration(page)).toContainText(/The job is RESTARTING \(was RUNNING\): sum#0/);
  // Some source log's head jumps back below where it was before the kill (it reads again from the restored
  // checkpoint's offsets); the narration says so too. Either shows the rewind; look at every frame.
  await page.waitForFunction(
    (earlier) =>
      [...document.querySelectorAll('[data-view="source-log"]')].some((log) => {
        const key = `${log.getAttribute('data-source')}/${log.getAttribute('data-partition')}`;
        return key in earlier && Number(log.getAttribute('data-offset')) < earlier[key]!;
      }) || [...document.querySelectorAll('[data-view="narration"] li[data-time]')].some((line) => / rewound /.test(line.textContent ?? '')),
    before,
    { polling: 'raf', timeout: WAIT_LIMIT_MS },
  );
  await page.screenshot({ path: 'test-results/picture-rewound.png' });
  await expect(narration(page)).toContainText(/ rewound /);
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');

  // Two more checkpoints complete after the restore; the committed output is still exactly-once.
  const first = await waitForCompletedAfter(page, Math.max(0, ...(await completedIds(page))));
  await waitForCompletedAfter(page, first);
  await expect(ledger(page)).toHaveAttribute('data-lost', '0');
  await expect(ledger(page)).toHaveAttribute('data-duplicated', '0');
  expect(Number(await ledger(page).getAttribute('data-committed'))).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/picture-after-kill.png' });
  expect(errors).toEqual([]);
});

test('a channel slowed from its lane carries its latency on Workers: the lane shows it, the narration says it, checkpoints still complete', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  const lane = graph(page).locator('[data-channel="numbers#0->sum#1"]');
  await lane.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('menuitem', { name: /Delay it by 500 ms/ }).click();
  await expect(lane).toHaveAttribute('data-delay-ms', '500');
  await expect(lane).toContainText('+500 ms');
  await expect(narration(page)).toContainText('the channel numbers#0->sum#1 is slowed');
  const before = Math.max(0, ...(await completedIds(page)));
  await waitForCompletedAfter(page, before + 1);
  await graph(page).screenshot({ path: 'test-results/picture-delayed-channel.png' });
  // The menu now offers to take the delay away, and the runtime does.
  await lane.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('menuitem', { name: /Remove its delay/ }).click();
  await expect(lane).toHaveAttribute('data-delay-ms', '0');
  await expectExactlyOnce(page, 0);
  expect(errors).toEqual([]);
});

test('at-least-once shows duplicates in the ledger after a kill', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(`${DETERMINISTIC}&mode=at-least-once&faults=kill:sum%230@2500`);
  await expect(ledger(page)).toHaveAttribute('data-mode', /at-least-once/);
  await expect.poll(async () => Number(await ledger(page).getAttribute('data-duplicated')), { message: 'duplicates committed', timeout: WAIT_LIMIT_MS }).toBeGreaterThan(0);
  await expect(ledger(page)).toHaveAttribute('data-lost', '0');
  await page.screenshot({ path: 'test-results/picture-at-least-once.png' });
  await ledger(page).screenshot({ path: 'test-results/picture-at-least-once-ledger.png' });
  expect(errors).toEqual([]);
});

test('pause, step and scrub: Paused stands still, a step moves on, the scrubber replays the past and l goes live', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(DETERMINISTIC);
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  await expect.poll(() => clockSeconds(page), { timeout: WAIT_LIMIT_MS }).toBeGreaterThan(1);

  await page.locator('[data-control="pause"]').click();
  await expect(jobStatus(page)).toHaveText('Paused');
  await expect(page.locator('[data-control="play"]')).toBeEnabled();
  // Paused stands still: the scrubber's head and the narration do not move while the page draws 30 frames, however long they take.
  const pausedAt = await pictureMoment(page);
  await page.evaluate(() => new Promise<void>((resolve) => {
    let frames = 30;
    const tick = () => (--frames === 0 ? resolve() : requestAnimationFrame(tick));
    requestAnimationFrame(tick);
  }));
  expect(await pictureMoment(page)).toEqual(pausedAt);
  // Each step runs the job to exactly its next event: some events land in the same millisecond and tell
  // nothing new, so step (a bounded number of times) until the scrubber's head or the narration moves on.
  await page.locator('h1').click();
  let steps = 0;
  while (steps < MAX_QUIET_STEPS && JSON.stringify(await pictureMoment(page)) === JSON.stringify(pausedAt)) {
    await page.keyboard.press('.');
    steps++;
  }
  expect(await pictureMoment(page), `a step moved the picture on within ${MAX_QUIET_STEPS} steps`).not.toEqual(pausedAt);
  expect((await pictureMoment(page)).head).toBeGreaterThanOrEqual(pausedAt.head);
  await expect(jobStatus(page)).toHaveText('Paused');
  await page.screenshot({ path: 'test-results/picture-paused-step.png' });

  await page.locator('[data-control="play"]').click();
  await expect(jobStatus(page)).toHaveText('Job RUNNING');
  await expect.poll(() => clockSeconds(page), { timeout: WAIT_LIMIT_MS }).toBeGreaterThan(3);
  const liveSeconds = await clockSeconds(page);
  // Click a quarter of the way along the scrubber: the picture replays that earlier moment.
  const scrubber = page.locator('[data-control="scrubber"]');
  const box = (await scrubber.boundingBox())!;
  await scrubber.click({ position: { x: box.width * 0.25, y: box.height / 2 } });
  await expect(page.locator('[data-mode="replay"]')).toBeVisible();
  expect(await clockSeconds(page)).toBeLessThan(liveSeconds);
  await page.screenshot({ path: 'test-results/picture-replay.png' });

  // The scrubber keeps the focus; the page's keys still act on it.
  await page.keyboard.press('l');
  await expect(page.locator('[data-mode="live"]')).toBeVisible();
  await expect(page.locator('[data-mode="replay"]')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/picture-live-again.png' });
  expect(errors).toEqual([]);
});

test('a shared link reopens the same run: two pages of one link tell the same story and show the same picture at the same moment', async ({ page, context }) => {
  const link = '/?runtime=deterministic&seed=7&faults=kill:sum%231@2500';
  const second = await context.newPage();
  const errors = [...[page, second].map(collectErrors)];
  await Promise.all([page.goto(link), second.goto(link)]);
  // The narration shows its newest 200 sentences: about 10 s of this run. Loading two pages on a busy machine
  // can take longer than that, so both show only what the story needs (the job, failures, recovery).
  for (const p of [page, second]) {
    for (const kind of ['checkpoints', 'alignment', 'snapshots', 'sinks']) {
      const filter = narration(p).locator(`button.filter.${kind}`);
      await filter.click();
      await expect(filter).toHaveAttribute('aria-pressed', 'false');
    }
  }
  // Both run past the injected kill until the restarted job is deployed; then they stand still.
  for (const p of [page, second]) {
    await expect(narration(p)).toContainText(REDEPLOYED, { timeout: WAIT_LIMIT_MS });
    await p.locator('[data-control="pause"]').click();
    await expect(jobStatus(p)).toHaveText('Paused');
  }
  const [a, b] = await Promise.all([narrationLines(page), narrationLines(second)]);
  // Each page keeps only its newest lines: compare the moments both still show, up to the redeployment.
  const redeployed = Math.min(...[a, b].map((lines) => lines.find((line) => REDEPLOYED.test(line.text))!.time));
  const from = Math.max(a[0]!.time, b[0]!.time);
  const shared = (lines: { time: number; text: string }[]) => lines.filter((line) => line.time > from && line.time <= redeployed);
  expect(shared(a).length).toBeGreaterThan(3);
  expect(shared(a)).toEqual(shared(b));

  expect(shared(a).some((line) => /Fault: the worker running sum#1 was killed/.test(line.text))).toBe(true);
  // Click the same narration line (the redeployment) on both: the picture at that moment is the same.
  for (const p of [page, second]) {
    await narration(p).locator('li[data-time]', { hasText: REDEPLOYED }).last().locator('button').click();
    await expect(p.locator('[data-mode="replay"]')).toBeVisible();
  }
  await expect.poll(async () => JSON.stringify(await graphState(second))).toBe(JSON.stringify(await graphState(page)));
  expect(await clock(page).innerText()).toBe(await clock(second).innerText());
  await page.screenshot({ path: 'test-results/picture-shared-link-a.png', fullPage: true });
  await second.screenshot({ path: 'test-results/picture-shared-link-b.png', fullPage: true });
  expect(errors.flat()).toEqual([]);
});

test('the keys act right after scrubbing, while the scrubber has the focus', async ({ page }) => {
  // Once a bug: the scrubber (a range input) counted as typing, so after a click on it l, Space and . did nothing.
  const errors = collectErrors(page);
  await page.goto(DETERMINISTIC);
  await expect.poll(() => clockSeconds(page), { timeout: WAIT_LIMIT_MS }).toBeGreaterThan(2);
  const scrubber = page.locator('[data-control="scrubber"]');
  const box = (await scrubber.boundingBox())!;
  await scrubber.click({ position: { x: box.width * 0.25, y: box.height / 2 } });
  await expect(page.locator('[data-mode="replay"]')).toBeVisible();
  await page.keyboard.press('l');
  await expect(page.locator('[data-mode="live"]')).toBeVisible();
  expect(errors).toEqual([]);
});

test('on Workers the narration tells times into the run, as the clock does', async ({ page }) => {
  // Once a bug: Workers' event times are epoch milliseconds, and the narration printed them as they are.
  const errors = collectErrors(page);
  await page.goto('/');
  const first = narration(page).locator('li[data-time]', { hasText: 'The job is RUNNING (was CREATED).' }).locator('.time');
  // Seconds into the run, as the clock reads them ("0 ms", "7.9 ms", "1.2 s"), never epoch milliseconds.
  await expect(first).toHaveText(/^(\d{1,3}(,\d{3})?(\.\d+)? ms|\d{1,2}(\.\d+)? s)$/);
  expect(errors).toEqual([]);
});

test('a malformed link shows its notices and the default job runs', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/?parallelism=abc&faults=nonsense');
  await expect(page.getByText("URL parameter 'parallelism' (parallelism.default) must be a whole number from 1 to 8, got 'abc'; using 2.", { exact: true })).toBeVisible();
  await expect(page.getByText(/^URL parameter 'faults': Cannot read fault 'nonsense'\. Expected one of: kill:.*; using no faults\.$/)).toBeVisible();
  await expect(jobStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  await expect(page.getByTestId('runtime')).toHaveText(/Web Workers/);
  await expect(graph(page).locator('[data-task-id="sum#1"]')).toBeVisible();
  await waitForCompletedAfter(page, 0);
  await page.screenshot({ path: 'test-results/picture-malformed-link.png' });
  expect(errors).toEqual([]);
});
