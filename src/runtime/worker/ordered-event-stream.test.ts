// The Worker runtime's merge of event sources, against adversarial interleavings (fast-check): two
// source Workers feed one receiver over two channels, the job master triggers and completes checkpoints,
// and every Worker's batches reach this thread whenever the schedule says. Whatever the interleaving, the
// merged stream keeps each source's order, drops nothing, and puts every cause before its effect.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../engine/events';
import { EventBatcher } from './event-batcher';
import { JOB_MASTER_SOURCE, OrderedEventStream } from './ordered-event-stream';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const SENDERS = ['src#0', 'src#1'] as const;
/** Events whose other fields this model does not care about (the contract adds metrics to them). */
const loose = (event: Record<string, unknown>) => event as unknown as EngineEvent;
const RECEIVER = 'sum#0';
const FLUSH_INTERVAL_MS = 50;
/** How late this thread may take a Worker's message in the model: more than the window, less than MAX_HOLD_MS. */
const MAX_TRANSIT_MS = 600;

type Step =
  | { kind: 'move'; sender: 0 | 1; count: number }
  | { kind: 'consume'; channel: 0 | 1; count: number }
  | { kind: 'trigger' }
  | { kind: 'flush'; source: 0 | 1 | 2 }
  | { kind: 'arrive'; source: 0 | 1 | 2 }
  | { kind: 'deliver' }
  | { kind: 'wait'; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('move' as const), sender: fc.constantFrom(0 as const, 1 as const), count: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('consume' as const), channel: fc.constantFrom(0 as const, 1 as const), count: fc.integer({ min: 1, max: 7 }) }),
  fc.constant({ kind: 'trigger' as const }),
  fc.record({ kind: fc.constant('flush' as const), source: fc.constantFrom(0 as const, 1 as const, 2 as const) }),
  fc.record({ kind: fc.constant('arrive' as const), source: fc.constantFrom(0 as const, 1 as const, 2 as const) }),
  fc.constant({ kind: 'deliver' as const }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 150 }) }),
);

/** A run of the modelled job: what each source emitted (after its batcher) and what the stream delivered. */
function run(steps: readonly Step[]) {
  let now = 0;
  const stream = new OrderedEventStream({ now: () => now, timers: false });
  const delivered: EngineEvent[] = [];
  stream.subscribe((events) => delivered.push(...events));
  const sourceOf = new Map<EngineEvent, string>();
  const emitted = new Map<string, EngineEvent[]>();
  const lastFlush = [0, 0, 0];
  // Posted batches not yet handled by this thread (a busy main thread takes them late, in order per Worker).
  const inTransit: Array<Array<{ events: readonly EngineEvent[]; postedAt: number }>> = [[], [], []];
  const arrive = (index: number, olderThan = Number.NEGATIVE_INFINITY) => {
    const queue = inTransit[index]!;
    while (queue.length > 0 && queue[0]!.postedAt <= olderThan) stream.push(queue.shift()!.events, [...SENDERS, RECEIVER][index]);
  };
  const batchers = [...SENDERS, RECEIVER].map(
    (taskId, index) =>
      new EventBatcher((events) => {
        lastFlush[index] = now;
        for (const event of events) sourceOf.set(event, taskId);
        emitted.set(taskId, [...(emitted.get(taskId) ?? []), ...events]);
        inTransit[index]!.push({ events, postedAt: now });
      }, 1_000_000),
  );
  const jobMaster = (event: EngineEvent) => {
    sourceOf.set(event, JOB_MASTER_SOURCE);
    emitted.set(JOB_MASTER_SOURCE, [...(emitted.get(JOB_MASTER_SOURCE) ?? []), event]);
    stream.push([event]);
  };
  jobMaster(
    loose({
      type: 'job-deployed',
      time: 0,
      attempt: 1,
      restoredCheckpointId: null,
      vertices: [],
      subtasks: [],
      channels: SENDERS.map((from, channel) => ({ from, to: RECEIVER, channel, partitioner: 'rebalance' })),
    }),
  );
  // What is in flight on each channel, in FIFO order: record counts and barriers.
  const channels: Array<Array<{ records: number } | { barrier: number }>> = [[], []];
  let triggered = 0;
  const emittedBarrier = [0, 0];
  const received = [0, 0];
  const tick = () => (now += 0.5);
  const emitBarriers = () => {
    for (const sender of [0, 1] as const) {
      while (emittedBarrier[sender]! < triggered) {
        const checkpointId = ++emittedBarrier[sender]!;
        batchers[sender]!.add({ type: 'barrier-emitted', time: now, taskId: SENDERS[sender], checkpointId, attempt: 1 });
        channels[sender]!.push({ barrier: checkpointId });
      }
    }
  };
  for (const s of steps) {
    tick();
    switch (s.kind) {
      case 'move':
        emitBarriers();
        batchers[s.sender]!.add({ type: 'records-moved', time: now, from: SENDERS[s.sender], to: RECEIVER, channel: s.sender, count: s.count, sizeBytes: s.count, attempt: 1 });
        channels[s.sender]!.push({ records: s.count });
        break;
      case 'consume': {
        const front = channels[s.channel]![0];
        if (!front) break;
        if ('barrier' in front) {
          channels[s.channel]!.shift();
          received[s.channel] = front.barrier;
          batchers[2]!.add({ type: 'barrier-received', time: now, taskId: RECEIVER, checkpointId: front.barrier, channel: s.channel, attempt: 1 });
          if (received[0] === front.barrier && received[1] === front.barrier) {
            batchers[2]!.add(loose({ type: 'checkpoint-acknowledged', time: now, taskId: RECEIVER, checkpointId: front.barrier, attempt: 1 }));
            batchers[2]!.flush(); // as TaskHost does before it messages the job master,
            arrive(2, now); // over the same port, so the job master hears of it after the events
            tick();
            jobMaster(loose({ type: 'checkpoint-completed', time: now, checkpointId: front.barrier, isSavepoint: false }));
          }
          break;
        }
        const count = Math.min(s.count, front.records);
        front.records -= count;
        if (front.records === 0) channels[s.channel]!.shift();
        batchers[2]!.add({ type: 'records-consumed', time: now, taskId: RECEIVER, attempt: 1, channel: s.channel, count });
        break;
      }
      case 'trigger':
        jobMaster(loose({ type: 'checkpoint-triggered', time: now, checkpointId: ++triggered, isSavepoint: false }));
        break;
      case 'flush':
        batchers[s.source]!.flush();
        break;
      case 'arrive':
        arrive(s.source, now);
        break;
      case 'deliver':
        stream.deliverDue();
        break;
      case 'wait':
        now += s.ms;
        break;
    }
    // A live Worker posts its events at least every flush interval (a killed one's are covered by MAX_HOLD_MS).
    batchers.forEach((batcher, index) => {
      if (now - lastFlush[index]! >= FLUSH_INTERVAL_MS) batcher.flush();
      arrive(index, now - MAX_TRANSIT_MS);
    });
  }
  for (const batcher of batchers) batcher.flush();
  for (const index of [0, 1, 2]) arrive(index, now);
  stream.flush();
  return { delivered, sourceOf, emitted };
}

describe('OrderedEventStream', () => {
  it('keeps each source in order, drops nothing, and delivers causes before effects in any interleaving', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 200, size: 'max' }), (steps) => {
        const { delivered, sourceOf, emitted } = run(steps);
        expect(delivered.length).toBe([...emitted.values()].reduce((sum, events) => sum + events.length, 0));
        for (const [source, events] of emitted) expect(delivered.filter((event) => sourceOf.get(event) === source)).toEqual(events);
        const moved = [0, 0];
        const consumed = [0, 0];
        const barriersEmitted = [new Set<number>(), new Set<number>()];
        const triggered = new Set<number>();
        const acknowledged = new Set<number>();
        for (const event of delivered) {
          switch (event.type) {
            case 'checkpoint-triggered':
              triggered.add(event.checkpointId);
              break;
            case 'barrier-emitted':
              expect(triggered.has(event.checkpointId), `barrier ${event.checkpointId} emitted before its trigger`).toBe(true);
              barriersEmitted[SENDERS.indexOf(event.taskId as (typeof SENDERS)[number])]!.add(event.checkpointId);
              break;
            case 'barrier-received':
              expect(barriersEmitted[event.channel]!.has(event.checkpointId), `barrier ${event.checkpointId} received before it was emitted`).toBe(true);
              break;
            case 'records-moved':
              moved[event.channel]! += event.count;
              break;
            case 'records-consumed':
              consumed[event.channel]! += event.count;
              expect(consumed[event.channel]).toBeLessThanOrEqual(moved[event.channel]!);
              break;
            case 'checkpoint-acknowledged':
              acknowledged.add(event.checkpointId);
              break;
            case 'checkpoint-completed':
              expect(acknowledged.has(event.checkpointId), `checkpoint ${event.checkpointId} completed before its acknowledgement`).toBe(true);
              break;
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('delivers in time order across sources once events have waited the window', () => {
    let now = 0;
    const stream = new OrderedEventStream({ now: () => now, timers: false, windowMs: 100 });
    const delivered: number[] = [];
    stream.subscribe((events) => delivered.push(...events.map((event) => event.time)));
    const fault = (time: number): EngineEvent => ({ type: 'fault-injected', time, fault: String(time) });
    stream.push([fault(5), fault(30)], 'a#0');
    stream.push([fault(10)], 'b#0');
    now = 50;
    stream.deliverDue();
    expect(delivered).toEqual([]);
    now = 100;
    stream.deliverDue();
    expect(delivered).toEqual([5, 10, 30]);
  });

  it('releases an effect whose cause never arrives (a killed Worker) after the hold limit', () => {
    let now = 0;
    const stream = new OrderedEventStream({ now: () => now, timers: false, windowMs: 100, maxHoldMs: 1000 });
    const delivered: EngineEvent[] = [];
    stream.subscribe((events) => delivered.push(...events));
    stream.push([{ type: 'records-consumed', time: 1, taskId: RECEIVER, attempt: 1, channel: 0, count: 3 }], RECEIVER);
    now = 500;
    stream.deliverDue();
    expect(delivered).toEqual([]);
    now = 1000;
    stream.deliverDue();
    expect(delivered.map((event) => event.type)).toEqual(['records-consumed']);
  });

  it('releases an effect at once when the Worker it waits for is reported lost', () => {
    let now = 0;
    const stream = new OrderedEventStream({ now: () => now, timers: false, windowMs: 100, maxHoldMs: 1000 });
    const delivered: EngineEvent[] = [];
    stream.subscribe((events) => delivered.push(...events));
    stream.push([{ type: 'records-moved', time: 0, from: SENDERS[0], to: RECEIVER, channel: 0, count: 1, sizeBytes: 1, attempt: 1 }], SENDERS[0]);
    stream.push([{ type: 'records-consumed', time: 1, taskId: RECEIVER, attempt: 1, channel: 0, count: 3 }], RECEIVER);
    now = 200;
    stream.deliverDue();
    expect(delivered.map((event) => event.type)).toEqual(['records-moved']);
    stream.sourceLost(SENDERS[0]);
    expect(delivered.map((event) => event.type)).toEqual(['records-moved', 'records-consumed']);
  });

  it('counts restored input channel state as moved: the restored task consuming it first is not held back', () => {
    let now = 0;
    const stream = new OrderedEventStream({ now: () => now, timers: false, windowMs: 100, maxHoldMs: 1000 });
    const delivered: EngineEvent[] = [];
    stream.subscribe((events) => delivered.push(...events));
    stream.push(
      [
        { type: 'channel-state-restored', time: 0, taskId: RECEIVER, attempt: 1, checkpointId: 3, side: 'input', channel: 0, records: 4 },
        { type: 'records-consumed', time: 1, taskId: RECEIVER, attempt: 1, channel: 0, count: 4 },
      ],
      RECEIVER,
    );
    now = 200;
    stream.deliverDue();
    expect(delivered.map((event) => event.type)).toEqual(['channel-state-restored', 'records-consumed']);
  });
});
