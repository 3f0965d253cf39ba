// A slowed task in the deterministic runtime is slow in virtual time: each record costs `factor` times
// more, so its input backs up, its producers are backpressured and checkpoints take longer to align.
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/events';
import { runScenario, type RunScenarioOptions } from './run-scenario';
import { parseFault } from './fault-plan';

const SEED = 1;

/** running-sum with 20 keys; `faults` as written on the command line. */
function run(...faults: string[]) {
  const options: RunScenarioOptions = {
    scenario: 'running-sum',
    parallelism: 2,
    checkpointIntervalMs: 500,
    mode: 'exactly-once',
    seed: SEED,
    keys: 20,
    faults: faults.map(parseFault),
  };
  return runScenario(options);
}

const endToEndDurations = (result: ReturnType<typeof run>) => result.checkpoints.history.map((entry) => entry.end_to_end_duration);
const withoutFaultEvents = (events: readonly EngineEvent[]) => events.filter((event) => event.type !== 'fault-injected');
const recordsMovedTo = (events: readonly EngineEvent[], taskId: string) =>
  events.flatMap((event) => (event.type === 'records-moved' && event.to === taskId ? [event] : []));

describe(`slow-task in the deterministic runtime (seed ${SEED})`, () => {
  const normal = run();
  const slowed = run('slow-task:sum#0@0x1000');

  it('changes the event log beyond its own fault-injected event', () => {
    expect(JSON.stringify(withoutFaultEvents(slowed.events))).not.toBe(JSON.stringify(withoutFaultEvents(normal.events)));
  });

  it('makes checkpoints take longer than the same seed at normal speed', () => {
    expect(Math.max(...endToEndDurations(slowed))).toBeGreaterThan(5 * Math.max(...endToEndDurations(normal)));
    expect(slowed.endTimeMs).toBeGreaterThan(normal.endTimeMs);
  });

  it('backpressures the producers: the sources send their last records later, in fuller buffers', () => {
    const lastMove = (events: readonly EngineEvent[]) => Math.max(...events.filter((event) => event.type === 'records-moved').map((event) => event.time));
    expect(lastMove(slowed.events)).toBeGreaterThan(lastMove(normal.events));
    const perBuffer = (events: readonly EngineEvent[]) => {
      const buffers = recordsMovedTo(events, 'sum#0');
      return buffers.reduce((sum, buffer) => sum + buffer.count, 0) / buffers.length;
    };
    expect(perBuffer(normal.events)).toBe(1);
    expect(perBuffer(slowed.events)).toBeGreaterThan(1);
  });

  it('still commits exactly-once', () => {
    expect(slowed.problems).toEqual([]);
  });

  it('gives the same event log for the same seed', () => {
    expect(JSON.stringify(run('slow-task:sum#0@0x1000').events)).toBe(JSON.stringify(slowed.events));
  });

  it('slows only from its start time on', () => {
    const late = run('slow-task:sum#0@400x1000');
    const before = (events: readonly EngineEvent[]) => JSON.stringify(withoutFaultEvents(events.filter((event) => event.time < 400)));
    expect(before(late.events)).toBe(before(normal.events));
    expect(JSON.stringify(withoutFaultEvents(late.events))).not.toBe(JSON.stringify(withoutFaultEvents(normal.events)));
  });

  it('at factor 1 leaves the run as it was, but for the fault-injected event', () => {
    expect(JSON.stringify(withoutFaultEvents(run('slow-task:sum#0@0x1').events))).toBe(JSON.stringify(normal.events));
  });
});
