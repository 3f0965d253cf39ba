// The time controls and the scrubber on a deterministic session in Chromium: accessible names, "Paused"
// instead of the job status while paused, step shows one more event, the scrubber seeks into a replay
// (REPLAY) with ticks for checkpoints and faults, and "go live" returns.
import { afterEach, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import { page, userEvent } from 'vitest/browser';
import type { EngineEvent } from '../../engine/events';
import { SimulationSession } from '../../runtime/sim/simulation-session';
import type { EventFold } from '../model/event-fold';
import { PageTimeline } from './page-timeline.svelte';
import Scrubber from './Scrubber.svelte';
import TimeControls from './TimeControls.svelte';

const mounted: Array<Record<string, unknown>> = [];
const closers: Array<() => void> = [];
afterEach(() => {
  for (const component of mounted.splice(0)) void unmount(component);
  for (const close of closers.splice(0)) close();
  document.body.replaceChildren();
});

class CountFold implements EventFold<number> {
  count = 0;
  apply(event: EngineEvent): void {
    void event;
    this.count += 1;
  }
  view(): number {
    return this.count;
  }
}

it('pauses, steps one event, scrubs into a replay with ticks, and goes live', async () => {
  const session = new SimulationSession({
    job: { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 300, mode: 'exactly-once', keys: 10, recordsPerSecond: 50, seed: 4, faults: [{ kind: 'kill', uid: 'sum', subtask: 0, atMs: 800 }] },
    frames: null,
  });
  const timeline = new PageTimeline(session, { count: () => new CountFold() }, { frames: null });
  closers.push(() => timeline.close(), () => session.close());
  session.advance(2000);
  timeline.refresh();
  const target = document.body.appendChild(document.createElement('div'));
  mounted.push(mount(TimeControls, { target, props: { timeline, status: 'RUNNING' } }), mount(Scrubber, { target, props: { timeline } }));
  flushSync();

  await expect.element(page.getByRole('button', { name: 'Play' })).toBeDisabled();
  await expect.element(page.getByText('Job RUNNING')).toBeVisible();
  await expect.element(page.getByText('LIVE', { exact: true })).toBeVisible();
  await userEvent.click(page.getByRole('button', { name: 'Pause' }));
  await expect.element(page.getByText('Paused', { exact: true })).toBeVisible();
  const before = timeline.views.count;
  await userEvent.click(page.getByRole('button', { name: 'Step one event' }));
  expect(timeline.views.count).toBe(before + 1);
  expect(document.querySelectorAll('[data-mark="checkpoint-completed"]').length).toBeGreaterThan(0);
  expect(document.querySelectorAll('[data-mark="fault"]').length).toBe(1);

  const scrubber = page.getByRole('slider', { name: 'Scrub through the run' });
  await expect.element(scrubber).toBeVisible();
  timeline.seek(500);
  flushSync();
  await expect.element(page.getByText('REPLAY', { exact: true })).toBeVisible();
  expect(timeline.views.count).toBeLessThan(before);
  await userEvent.click(page.getByRole('button', { name: 'Go live' }));
  await expect.element(page.getByText('LIVE', { exact: true })).toBeVisible();
  expect(timeline.views.count).toBe(before + 1);
  await expect.element(page.getByRole('slider', { name: 'Speed' })).toBeVisible();
});
