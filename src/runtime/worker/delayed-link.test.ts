import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DelayedLink } from './delayed-link';
import { Scheduler } from '../sim/scheduler';
import { SimulatedClock } from '../sim/sim-clock';

function link() {
  const scheduler = new Scheduler();
  const clock = new SimulatedClock(scheduler);
  const posted: Array<{ message: unknown; at: number }> = [];
  const delayed = new DelayedLink({ postMessage: (message) => posted.push({ message, at: clock.now() }) }, clock);
  return { scheduler, clock, posted, delayed };
}

describe('DelayedLink', () => {
  it('posts at once without a delay', () => {
    const { delayed, posted } = link();
    delayed.send('a');
    expect(posted).toEqual([{ message: 'a', at: 0 }]);
  });

  it('holds each message for the delay', () => {
    const { delayed, posted, scheduler } = link();
    delayed.delayMs = 50;
    delayed.send('a');
    scheduler.runUntil(10);
    delayed.send('b');
    expect(delayed.held).toBe(2);
    scheduler.runUntil(1000);
    expect(posted).toEqual([
      { message: 'a', at: 50 },
      { message: 'b', at: 60 },
    ]);
  });

  it('never lets a message overtake a held one when the delay is lowered or removed', () => {
    const { delayed, posted, scheduler } = link();
    delayed.delayMs = 500;
    delayed.send('slow');
    delayed.delayMs = 0;
    delayed.send('fast');
    scheduler.runUntil(1000);
    expect(posted.map((p) => p.message)).toEqual(['slow', 'fast']);
    expect(posted[1]!.at).toBe(500);
  });

  it('keeps the order of any sequence of sends and delay changes', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.record({ send: fc.constant(true), wait: fc.nat(30) }), fc.record({ delay: fc.nat(200), wait: fc.nat(30) })), { maxLength: 60 }), (steps) => {
        const { delayed, posted, scheduler, clock } = link();
        let sent = 0;
        for (const step of steps) {
          if ('send' in step) delayed.send(sent++);
          else delayed.delayMs = step.delay;
          scheduler.runUntil(clock.now() + step.wait);
        }
        scheduler.runUntil(clock.now() + 10_000);
        expect(posted.map((p) => p.message)).toEqual([...Array(sent).keys()]);
        expect(delayed.held).toBe(0);
      }),
    );
  });

  it('refuses a negative delay', () => {
    expect(() => (link().delayed.delayMs = -1)).toThrow(RangeError);
  });
});
