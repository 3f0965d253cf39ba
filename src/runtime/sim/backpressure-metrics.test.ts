// Backpressure as Flink measures it, in the deterministic runtime: a subtask slowed ×200 samples busy near
// 1000 ms/s and its producers sample backpressured; an unslowed quiet job samples mostly idle; the three
// stay whole ms in [0, 1000] summing to 1000 under random fault plans; and samples leave the events alone.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { TaskSample } from '../../engine/samples';
import { parseFault, randomFaultPlan, type Fault } from './fault-plan';
import { seededRandom } from '../../engine/ports/random';
import { SimulationSession } from './simulation-session';

const JOB = { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 500, mode: 'exactly-once', keys: 20, recordsPerSecond: 500, unbounded: true, seed: 4 } as const;

/** Samples taken every 200 ms of virtual time up to `untilMs`, and the events. */
function sampled(untilMs: number, faults: readonly Fault[] = [], job: { readonly recordsPerSecond?: number; readonly seed?: number } = {}) {
  const session = new SimulationSession({ job: { ...JOB, ...job, faults }, frames: null });
  const samples: TaskSample[] = [];
  const events: unknown[] = [];
  session.subscribeSamples((batch) => samples.push(...batch));
  session.subscribeEvents((batch) => events.push(...batch));
  session.advance(untilMs);
  session.close();
  return { samples, events };
}

const of = (samples: readonly TaskSample[], taskId: string, fromMs: number) => samples.filter((s) => s.taskId === taskId && s.time >= fromMs && s.state === 'RUNNING');
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('busy, backpressured and idle time per second in samples (deterministic runtime)', () => {
  const slowed = sampled(4000, [parseFault('slow-task:sum#0@0x200')]);

  it('reads busy near 1000 ms/s for a subtask slowed ×200', () => {
    const sum0 = of(slowed.samples, 'sum#0', 1500);
    expect(sum0.length).toBeGreaterThan(5);
    expect(mean(sum0.map((s) => s.busyTimeMsPerSecond))).toBeGreaterThan(900);
  });

  it('reads backpressured above 0 for its producers, and more for them than for the unslowed subtask', () => {
    for (const source of ['numbers#0', 'numbers#1']) {
      const readings = of(slowed.samples, source, 1500).map((s) => s.backPressuredTimeMsPerSecond);
      expect(Math.max(...readings), source).toBeGreaterThan(0);
      expect(mean(readings), source).toBeGreaterThan(300);
    }
    expect(mean(of(slowed.samples, 'sum#1', 1500).map((s) => s.backPressuredTimeMsPerSecond))).toBe(0);
  });

  it('reads mostly idle for an unslowed quiet job', () => {
    const quiet = sampled(3000, [], { recordsPerSecond: 20 });
    const running = quiet.samples.filter((s) => s.state === 'RUNNING' && s.time >= 1000);
    expect(running.length).toBeGreaterThan(10);
    for (const sample of running) {
      expect(sample.idleTimeMsPerSecond, sample.taskId).toBeGreaterThan(900);
      expect(sample.backPressuredTimeMsPerSecond, sample.taskId).toBe(0);
    }
  });

  it('stays whole ms in [0, 1000], summing to 1000 while RUNNING and 0 otherwise, under random fault plans', () => {
    const targets = [{ uid: 'numbers', parallelism: 2 }, { uid: 'sum', parallelism: 2 }];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 500 }), (seed, factor) => {
        const plan = [...randomFaultPlan(seededRandom(seed), targets, [{ uid: 'sum', parallelism: 2 }], 3000, 500), parseFault(`slow-task:sum#${seed % 2}@300x${factor}`)];
        for (const sample of sampled(2500, plan, { seed }).samples) {
          const values = [sample.busyTimeMsPerSecond, sample.backPressuredTimeMsPerSecond, sample.idleTimeMsPerSecond];
          for (const value of values) expect(Number.isInteger(value) && value >= 0 && value <= 1000).toBe(true);
          expect(values.reduce((a, b) => a + b, 0)).toBe(sample.state === 'RUNNING' ? 1000 : 0);
        }
      }),
      { numRuns: 6 },
    );
  });

  it('leaves the event log as it was: the same options give the same events whether or not samples are read', () => {
    const session = new SimulationSession({ job: { ...JOB, faults: [parseFault('slow-task:sum#0@0x200')] }, frames: null });
    const events: unknown[] = [];
    session.subscribeEvents((batch) => events.push(...batch));
    session.advance(4000);
    session.close();
    expect(JSON.stringify(events)).toBe(JSON.stringify(slowed.events));
  });
});
