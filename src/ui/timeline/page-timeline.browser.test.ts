// The page's timeline replaces the views it draws every frame on every frame, the others at most once per
// period while the run plays, and all of them after a command: a table redraws a few times a second, a
// stepped picture is exact.
import { afterEach, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/events';
import type { FrameScheduler } from '../../runtime/sim/simulation-session';
import { SimulationSession } from '../../runtime/sim/simulation-session';
import type { EventFold } from '../model/event-fold';
import { PageTimeline } from './page-timeline.svelte';

class CountFold implements EventFold<{ readonly count: number }> {
  count = 0;
  apply(event: EngineEvent): void {
    void event;
    this.count += 1;
  }
  view() {
    return { count: this.count };
  }
}

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function manualFrames() {
  let pending: ((wallMs: number) => void) | null = null;
  const frames: FrameScheduler = {
    request: (callback) => {
      pending = callback;
      return 1;
    },
    cancel: () => (pending = null),
  };
  return {
    frames,
    frame(wallMs: number) {
      const callback = pending;
      pending = null;
      callback?.(wallMs);
    },
  };
}

it('replaces the moving view every frame and the others once per period, and all of them after a command', () => {
  const session = new SimulationSession({
    job: { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 300, mode: 'exactly-once', keys: 10, recordsPerSecond: 50, seed: 4 },
    frames: null,
  });
  const { frames, frame } = manualFrames();
  const timeline = new PageTimeline(session, { moving: () => new CountFold(), table: () => new CountFold() }, { frames, everyFrame: ['moving'], viewPeriodMs: 200 });
  closers.push(() => timeline.close(), () => session.close());
  frame(1000);
  const table = timeline.views.table;
  session.advance(500);
  frame(1016);
  expect(timeline.views.moving.count).toBeGreaterThan(0);
  expect(timeline.views.table).toBe(table);
  session.advance(500);
  frame(1250);
  expect(timeline.views.table).not.toBe(table);
  expect(timeline.views.table.count).toBe(timeline.views.moving.count);
  session.advance(500);
  frame(1260);
  expect(timeline.views.table.count).toBeLessThan(timeline.views.moving.count);
  timeline.step();
  expect(timeline.views.table.count).toBe(timeline.views.moving.count);
});
