// Play, pause, step, speed, seek and live over the deterministic session: stepping shows exactly one more
// event, seeking pauses the run and shows the past, a playing replay catches up with the head and goes
// live, and the speed slider is logarithmic.
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/events';
import type { JobSession } from '../../runtime/job-session';
import { SessionHub } from '../../runtime/session-hub';
import { SimulationSession } from '../../runtime/sim/simulation-session';
import type { EventFold } from '../model/event-fold';
import { MAX_SPEED, MIN_SPEED, sliderToSpeed, speedToSlider, TimeController } from './time-controller';

class CountFold implements EventFold<{ count: number; last: EngineEvent | null }> {
  count = 0;
  last: EngineEvent | null = null;
  apply(event: EngineEvent): void {
    this.count += 1;
    this.last = event;
  }
  view() {
    return { count: this.count, last: this.last };
  }
}

const JOB = { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 300, mode: 'exactly-once', keys: 10, recordsPerSecond: 50, seed: 2 } as const;

function controlled() {
  const session = new SimulationSession({ job: JOB, frames: null });
  const controller = new TimeController(session, { count: () => new CountFold() });
  return { session, controller };
}

describe('TimeController', () => {
  it('steps one event while paused and shows exactly that event', () => {
    const { session, controller } = controlled();
    session.advance(1000);
    const before = controller.views().count.count;
    controller.step();
    expect(controller.paused).toBe(true);
    expect(controller.live).toBe(true);
    const after = controller.views().count;
    expect(after.count).toBe(before + 1);
    controller.step();
    expect(controller.views().count.count).toBe(before + 2);
  });

  it('seeks back (pausing the run), replays to the head and goes live again', () => {
    const { session, controller } = controlled();
    session.advance(2000);
    const head = controller.views().count.count;
    controller.seek(500);
    expect(controller.live).toBe(false);
    expect(session.time!.paused).toBe(true);
    expect(controller.paused).toBe(true);
    const past = controller.views().count.count;
    expect(past).toBeLessThan(head);
    controller.step();
    expect(controller.views().count.count).toBe(past + 1);
    controller.speed = 10;
    controller.play();
    expect(controller.paused).toBe(false);
    let wall = 0;
    for (let frame = 0; frame < 200 && !controller.live; frame++) controller.frame((wall += 16));
    expect(controller.live).toBe(true);
    expect(controller.views().count.count).toBe(head);
    expect(session.time!.paused).toBe(false);
  });

  it('maps the speed slider on a log scale from slow motion to fast', () => {
    expect(sliderToSpeed(0)).toBe(MIN_SPEED);
    expect(sliderToSpeed(1)).toBe(MAX_SPEED);
    expect(sliderToSpeed(0.5)).toBe(1);
    expect(speedToSlider(1)).toBeCloseTo(0.5);
    expect(sliderToSpeed(speedToSlider(4))).toBe(4);
  });

  it('on a real-time runtime, pause freezes the picture while events keep coming, and going live catches up', () => {
    const hub = new SessionHub();
    let clock = 1000;
    const unused = () => ({ ok: false, message: 'unused' }) as const;
    const session: JobSession = {
      runtime: 'worker',
      time: null,
      subscribeEvents: (listener) => hub.subscribeEvents(listener),
      subscribeSamples: (listener) => hub.subscribeSamples(listener),
      requestSamples: () => {},
      now: () => clock,
      kill: unused,
      crash: unused,
      failNextSnapshot: unused,
      slow: unused,
      slowdownOf: () => 1,
      delayChannel: unused,
      channelDelayOf: () => 0,
      triggerCheckpoint: unused,
      triggerSavepoint: unused,
      cancel: unused,
      close: () => hub.close(),
    };
    const controller = new TimeController(session, { count: () => new CountFold() });
    const fault = (time: number): EngineEvent => ({ type: 'fault-injected', time, fault: String(time) });
    hub.events([fault(1000), fault(1010)]);
    clock = 1020;
    expect(controller.paused).toBe(false);
    controller.pause();
    expect(controller.paused).toBe(true);
    expect(controller.live).toBe(false);
    hub.events([fault(1030)]);
    clock = 1040;
    expect(controller.views().count.count).toBe(2);
    expect(controller.shownTime).toBe(1020);
    controller.step();
    expect(controller.views().count.count).toBe(3);
    controller.goLive();
    hub.events([fault(1050)]);
    expect(controller.views().count.count).toBe(4);
    expect(controller.range).toEqual({ start: 1000, end: 1050 });
  });
});
