// The task's time meter reads like Flink's busy / backpressured / idle ms per second: whole ms summing to
// 1000 over the last second, charged busy time first, only the last second kept, 0 when not running.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TaskTimeMeter, type TaskTimeState } from './task-time-meter';

function meterAt(start = 0) {
  let now = start;
  const meter = new TaskTimeMeter({ now: () => now });
  return { meter, advance: (ms: number) => (now += ms), at: (ms: number) => (now = ms) };
}

describe('TaskTimeMeter', () => {
  it('reads 0, 0, 0 before it starts and after it stops', () => {
    const { meter, advance } = meterAt();
    expect(meter.rates()).toEqual({ busyTimeMsPerSecond: 0, backPressuredTimeMsPerSecond: 0, idleTimeMsPerSecond: 0 });
    meter.start('idle');
    advance(500);
    expect(meter.rates().idleTimeMsPerSecond).toBe(1000);
    meter.stop();
    expect(meter.rates()).toEqual({ busyTimeMsPerSecond: 0, backPressuredTimeMsPerSecond: 0, idleTimeMsPerSecond: 0 });
  });

  it('splits the time since start between the states it was in, per second', () => {
    const { meter, advance } = meterAt(1000);
    meter.start('idle');
    advance(200);
    meter.enter('busy');
    advance(500);
    meter.enter('backPressured');
    advance(300);
    expect(meter.rates()).toEqual({ busyTimeMsPerSecond: 500, backPressuredTimeMsPerSecond: 300, idleTimeMsPerSecond: 200 });
  });

  it('counts charged busy time first, whatever the state, and from the end of busy time charged before', () => {
    const { meter, advance } = meterAt(0);
    meter.start('idle');
    meter.chargeBusy(300);
    meter.chargeBusy(300);
    meter.enter('backPressured');
    advance(1000);
    expect(meter.rates()).toEqual({ busyTimeMsPerSecond: 600, backPressuredTimeMsPerSecond: 400, idleTimeMsPerSecond: 0 });
  });

  it('does not count charged time that lies in the future', () => {
    const { meter, advance } = meterAt(0);
    meter.start('idle');
    advance(100);
    meter.chargeBusy(5000);
    advance(100);
    expect(meter.rates()).toEqual({ busyTimeMsPerSecond: 500, backPressuredTimeMsPerSecond: 0, idleTimeMsPerSecond: 500 });
  });

  it('forgets what happened more than a second ago', () => {
    const { meter, advance } = meterAt(0);
    meter.start('backPressured');
    advance(5000);
    meter.enter('idle');
    advance(1000);
    expect(meter.rates()).toEqual({ busyTimeMsPerSecond: 0, backPressuredTimeMsPerSecond: 0, idleTimeMsPerSecond: 1000 });
  });

  it('stays within [0, 1000] and sums to 1000 for any history', () => {
    const state = fc.constantFrom<TaskTimeState>('busy', 'backPressured', 'idle');
    const action = fc.oneof(
      fc.record({ kind: fc.constant('advance' as const), ms: fc.double({ min: 0, max: 700, noNaN: true }) }),
      fc.record({ kind: fc.constant('enter' as const), state }),
      fc.record({ kind: fc.constant('charge' as const), ms: fc.double({ min: 0, max: 400, noNaN: true }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.array(action, { maxLength: 60 }), (start, actions) => {
        const { meter, advance } = meterAt(start);
        meter.start('idle');
        for (const a of actions) {
          if (a.kind === 'advance') advance(a.ms);
          else if (a.kind === 'enter') meter.enter(a.state);
          else meter.chargeBusy(a.ms);
          const rates = meter.rates();
          const values = Object.values(rates);
          for (const value of values) expect(value >= 0 && value <= 1000 && Number.isInteger(value)).toBe(true);
          const sum = values.reduce((x, y) => x + y, 0);
          expect(sum === 1000 || sum === 0).toBe(true);
        }
      }),
    );
  });
});
