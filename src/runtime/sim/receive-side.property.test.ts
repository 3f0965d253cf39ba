// The receive side of the event stream under random fault plans (fast-check over seeds): what a task
// consumes per channel never exceeds what was moved to it within an attempt, nothing is consumed from a
// channel while aligned checkpointing blocks it, sources read contiguously from where they were rewound,
// and buffers carry epochs that never go back on a channel.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runScenario, type RunScenarioOptions } from './run-scenario';
import { receiveSideProblems } from '../../engine/event-invariants';
import type { EngineEvent } from '../../engine/events';
import { parseFault } from './fault-plan';

const PROPERTY_SEED = 20261202;
const RUNS = 12;

const options = (scenario: string, seed: number, parallelism: number, mode: RunScenarioOptions['mode']): RunScenarioOptions => ({
  scenario,
  parallelism,
  checkpointIntervalMs: 200,
  mode,
  seed,
  keys: 24,
  recordsPerSecond: 40,
  randomFaults: true,
});

const count = (events: readonly EngineEvent[], type: EngineEvent['type']) => events.filter((event) => event.type === type).length;

describe.each([
  ['running-sum', 'exactly-once'],
  ['order-totals', 'exactly-once'],
  ['running-sum', 'at-least-once'],
] as const)('the receive side of %s (%s) on the deterministic runtime', (scenario, mode) => {
  it('consumes no more than was moved, nothing from a blocked channel, and reads sources contiguously, whatever faults are injected', () => {
    let blockedSeen = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 4 }), (seed, parallelism) => {
        const result = runScenario(options(scenario, seed, parallelism, mode));
        expect(receiveSideProblems(result.events), `seed ${seed}, parallelism ${parallelism}, faults ${JSON.stringify(result.faults)}`).toEqual([]);
        expect(count(result.events, 'records-consumed')).toBeGreaterThan(0);
        expect(count(result.events, 'source-read')).toBeGreaterThan(0);
        expect(result.events.every((event) => event.type !== 'records-moved' || event.epoch !== undefined)).toBe(true);
        if (mode === 'at-least-once') expect(count(result.events, 'channel-blocked')).toBe(0);
        blockedSeen += count(result.events, 'channel-blocked');
      }),
      { seed: PROPERTY_SEED, numRuns: RUNS },
    );
    if (mode === 'exactly-once') expect(blockedSeen).toBeGreaterThan(0);
  });
});

it('a drained failure-free run consumes every record moved, and reads every record once', () => {
  const result = runScenario({ ...options('running-sum', 1, 2, 'exactly-once'), randomFaults: false });
  const moved = result.events.reduce((total, event) => total + (event.type === 'records-moved' ? event.count : 0), 0);
  const consumed = result.events.reduce((total, event) => total + (event.type === 'records-consumed' ? event.count : 0), 0);
  expect(consumed).toBe(moved);
  const read = result.events.reduce((total, event) => total + (event.type === 'source-read' ? event.toOffset - event.fromOffset : 0), 0);
  expect(read).toBe(24 * 5);
});

it('flags a log that consumes from a blocked channel or more than was moved', () => {
  const base = { time: 1, attempt: 0 };
  expect(
    receiveSideProblems([
      { ...base, type: 'records-moved', from: 'a#0', to: 'b#0', channel: 0, count: 2, sizeBytes: 10 },
      { ...base, type: 'channel-blocked', taskId: 'b#0', channel: 0, checkpointId: 1 },
      { ...base, type: 'records-consumed', taskId: 'b#0', channel: 0, count: 3 },
    ]),
  ).toEqual(['1 ms: b#0 consumed 3 records from channel 0 (attempt 0), more than the 2 moved to it', '1 ms: b#0 consumed from channel 0 while it was blocked for checkpoint 1']);
});

it('counts restored input channel state as records at the channel, output channel state only once it is moved', () => {
  const base = { time: 1, attempt: 1, checkpointId: 3 };
  expect(
    receiveSideProblems([
      { ...base, type: 'channel-state-restored', taskId: 'b#0', side: 'output', channel: 0, to: 'c#0', records: 4 },
      { ...base, type: 'channel-state-restored', taskId: 'b#0', side: 'input', channel: 1, records: 2 },
      { ...base, type: 'records-consumed', taskId: 'b#0', channel: 1, count: 2 },
      { ...base, type: 'records-consumed', taskId: 'c#0', channel: 0, count: 1 },
      { ...base, type: 'records-moved', from: 'b#0', to: 'c#0', channel: 0, count: 4, sizeBytes: 40, epoch: 3 },
      { ...base, type: 'records-consumed', taskId: 'c#0', channel: 0, count: 3 },
      { ...base, type: 'records-consumed', taskId: 'b#0', channel: 1, count: 1 },
    ]),
  ).toEqual(['1 ms: c#0 consumed 1 records from channel 0 (attempt 1), more than the 0 moved to it', '1 ms: b#0 consumed 3 records from channel 1 (attempt 1), more than the 2 moved to it']);
});

it('gives a buffer sent behind a backlog the epoch it was written in, not the sender’s latest', () => {
  // sum#1 slowed a hundredfold: its input backs up, the sources' backlogs to it hold records of an older epoch
  // when the next barrier is broadcast behind them.
  const result = runScenario({ ...options('running-sum', 3, 2, 'exactly-once'), keys: 200, recordsPerSecond: 2_000, randomFaults: false, faults: [parseFault('slow-task:sum#1@0x100')], untilMs: 3_000 });
  expect(receiveSideProblems(result.events)).toEqual([]);
  const lastBarrier = new Map<string, number>();
  let behindBarrier = 0;
  for (const event of result.events) {
    if (event.type === 'barrier-emitted') lastBarrier.set(event.taskId, event.checkpointId);
    if (event.type === 'records-moved' && event.epoch !== undefined && event.epoch <= (lastBarrier.get(event.from) ?? 0)) behindBarrier += 1;
  }
  expect(behindBarrier).toBeGreaterThan(0);
});
