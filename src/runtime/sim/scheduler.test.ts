// The deterministic scheduler: actions run in virtual-time order, ties in the order they were
// scheduled; cancelled actions never run; runUntil advances the clock to the target even when idle.
import { describe, expect, it } from 'vitest';
import { Scheduler } from './scheduler';
import { SimulatedClock } from './sim-clock';

/** Schedules one labelled action per entry and records the label and the clock when it runs. */
function recording(scheduler: Scheduler) {
  const ran: string[] = [];
  const at = (time: number, label: string) => scheduler.schedule(time, () => ran.push(`${label}@${scheduler.now}`));
  return { ran, at };
}

describe('Scheduler', () => {
  it('runs actions in order of their time, whatever order they were scheduled in', () => {
    const scheduler = new Scheduler();
    const { ran, at } = recording(scheduler);
    for (const [time, label] of [[30, 'c'], [10, 'a'], [50, 'e'], [20, 'b'], [40, 'd']] as const) at(time, label);
    scheduler.runUntil(100);
    expect(ran).toEqual(['a@10', 'b@20', 'c@30', 'd@40', 'e@50']);
  });

  it('runs actions due at the same time in the order they were scheduled', () => {
    const scheduler = new Scheduler();
    const { ran, at } = recording(scheduler);
    const labels = Array.from({ length: 20 }, (_, i) => `t${i}`);
    for (const label of labels) at(5, label);
    at(1, 'first');
    scheduler.runUntil(5);
    expect(ran).toEqual(['first@1', ...labels.map((label) => `${label}@5`)]);
  });

  it('runs an action scheduled by a running action at the same time after those already queued for it', () => {
    const scheduler = new Scheduler();
    const ran: string[] = [];
    scheduler.schedule(10, () => {
      ran.push('outer');
      scheduler.schedule(10, () => ran.push('nested'));
    });
    scheduler.schedule(10, () => ran.push('sibling'));
    scheduler.runUntil(10);
    expect(ran).toEqual(['outer', 'sibling', 'nested']);
  });

  it('never runs a cancelled action, and does not count it as executed', () => {
    const scheduler = new Scheduler();
    const { ran, at } = recording(scheduler);
    at(10, 'kept');
    const cancelled = at(20, 'cancelled');
    at(30, 'also kept');
    scheduler.cancel(cancelled);
    scheduler.runUntil(100);
    expect(ran).toEqual(['kept@10', 'also kept@30']);
    expect(scheduler.executed).toBe(2);
  });

  it('runs actions due up to and including the target time, leaves later ones queued, and sets the clock to the target', () => {
    const scheduler = new Scheduler();
    const { ran, at } = recording(scheduler);
    at(10, 'a');
    at(25, 'b');
    at(26, 'c');
    expect(scheduler.runUntil(25)).toBe(true);
    expect(ran).toEqual(['a@10', 'b@25']);
    expect(scheduler.now).toBe(25);
    expect(scheduler.size).toBe(1);
    scheduler.runUntil(26);
    expect(ran).toEqual(['a@10', 'b@25', 'c@26']);
  });

  it('advances the clock to the target even when nothing is due, and never moves it backwards', () => {
    const scheduler = new Scheduler();
    scheduler.runUntil(500);
    expect(scheduler.now).toBe(500);
    scheduler.runUntil(100);
    expect(scheduler.now).toBe(500);
  });

  it('runs an action scheduled in the past at the current time, not before it', () => {
    const scheduler = new Scheduler();
    scheduler.runUntil(100);
    const { ran, at } = recording(scheduler);
    at(40, 'late');
    scheduler.runUntil(100);
    expect(ran).toEqual(['late@100']);
  });

  it('stops early when asked, leaving the clock at the last action that ran', () => {
    const scheduler = new Scheduler();
    const { ran, at } = recording(scheduler);
    at(10, 'a');
    at(20, 'b');
    at(30, 'c');
    expect(scheduler.runUntil(100, () => ran.length === 2)).toBe(false);
    expect(ran).toEqual(['a@10', 'b@20']);
    expect(scheduler.now).toBe(20);
    expect(scheduler.runUntil(100)).toBe(true);
    expect(ran).toEqual(['a@10', 'b@20', 'c@30']);
  });

  it('throws on an action storm that exceeds the bound (a livelock) instead of spinning forever', () => {
    const scheduler = new Scheduler();
    const again = () => scheduler.schedule(scheduler.now, again);
    again();
    expect(() => scheduler.runUntil(10, undefined, 1_000)).toThrow(/livelock/);
    expect(scheduler.now).toBe(0);
  });
});

describe('SimulatedClock', () => {
  it('fires timeouts after their delay in virtual time and not after clearTimeout', () => {
    const scheduler = new Scheduler();
    const clock = new SimulatedClock(scheduler);
    const fired: string[] = [];
    scheduler.runUntil(1_000);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 50);
    const cleared = clock.setTimeout(() => fired.push('cleared'), 10);
    clock.setTimeout(() => fired.push(`negative@${clock.now()}`), -5);
    clock.clearTimeout(cleared);
    scheduler.runUntil(1_049);
    expect(fired).toEqual(['negative@1000']);
    scheduler.runUntil(1_050);
    expect(fired).toEqual(['negative@1000', 'a@1050']);
  });

  it('runNext runs exactly one action (the earliest), skipping cancelled ones, and moves the clock to it', () => {
    const scheduler = new Scheduler();
    const { ran, at } = recording(scheduler);
    at(20, 'b');
    scheduler.cancel(at(5, 'cancelled'));
    at(10, 'a');
    expect(scheduler.runNext()).toBe(true);
    expect(ran).toEqual(['a@10']);
    expect(scheduler.runNext(15)).toBe(false);
    expect(scheduler.now).toBe(10);
    expect(scheduler.runNext()).toBe(true);
    expect(scheduler.runNext()).toBe(false);
    expect(ran).toEqual(['a@10', 'b@20']);
  });
});
