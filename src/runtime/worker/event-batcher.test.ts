import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventBatcher, MAX_EVENTS_PER_BATCH } from './event-batcher';
import type { EngineEvent } from '../../engine/events';

afterEach(() => vi.useRealTimers());

const fault = (i: number): EngineEvent => ({ type: 'fault-injected', time: i, fault: `f${i}` });
const moved = (time: number, count: number, channel = 1): EngineEvent => ({ type: 'records-moved', time, from: 'a#0', to: 'b#0', channel, count, sizeBytes: count * 10, attempt: 1 });
const consumed = (time: number, count: number, channel = 0): EngineEvent => ({ type: 'records-consumed', time, taskId: 'a#0', attempt: 1, channel, count });
const barrier = (time: number): EngineEvent => ({ type: 'barrier-emitted', time, taskId: 'a#0', checkpointId: 1, attempt: 1 });

describe('EventBatcher', () => {
  it('flushes a full batch at once instead of dropping events', () => {
    const batches: number[] = [];
    const batcher = new EventBatcher((events) => batches.push(events.length), 1000);
    for (let i = 0; i < MAX_EVENTS_PER_BATCH + 5; i++) batcher.add(fault(i));
    batcher.flush();
    expect(batches).toEqual([MAX_EVENTS_PER_BATCH, 5]);
  });

  it('folds consecutive records-moved of one channel into the first, and posts after the interval', () => {
    vi.useFakeTimers();
    const posted: EngineEvent[][] = [];
    const batcher = new EventBatcher((events) => posted.push([...events]), 50);
    batcher.add(moved(1, 3));
    batcher.add(moved(2, 4));
    expect(posted).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(posted).toEqual([[{ type: 'records-moved', time: 1, from: 'a#0', to: 'b#0', channel: 1, count: 7, sizeBytes: 70, attempt: 1 }]]);
  });

  it('never folds records across a barrier: records sent after it stay after it', () => {
    const posted: EngineEvent[] = [];
    const batcher = new EventBatcher((events) => posted.push(...events), 1_000_000);
    batcher.add(moved(1, 3));
    batcher.add(barrier(2));
    batcher.add(moved(3, 4));
    batcher.add(consumed(4, 1));
    batcher.add(consumed(5, 2));
    batcher.add(consumed(6, 2, 1));
    batcher.flush();
    expect(posted.map((event) => [event.type, event.time, 'count' in event ? event.count : null])).toEqual([
      ['records-moved', 1, 3],
      ['barrier-emitted', 2, null],
      ['records-moved', 3, 4],
      ['records-consumed', 4, 3],
      ['records-consumed', 6, 2],
    ]);
  });

  it('posts what it was given in order, only folding runs of one channel (fast-check)', () => {
    const event = fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 1 })).map(([count, channel]) => ({ kind: 'moved' as const, count, channel })),
      fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 1 })).map(([count, channel]) => ({ kind: 'consumed' as const, count, channel })),
      fc.constant({ kind: 'other' as const, count: 0, channel: 0 }),
      fc.constant({ kind: 'flush' as const, count: 0, channel: 0 }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 80 }), (script) => {
        const posted: EngineEvent[] = [];
        const given: EngineEvent[] = [];
        const batcher = new EventBatcher((events) => posted.push(...events), 1_000_000);
        script.forEach((item, time) => {
          if (item.kind === 'flush') return batcher.flush();
          const next = item.kind === 'moved' ? moved(time, item.count, item.channel) : item.kind === 'consumed' ? consumed(time, item.count, item.channel) : fault(time);
          given.push(next);
          batcher.add(next);
        });
        batcher.flush();
        // Unfolding what was posted gives back what was given, run by run: same order, same counts.
        const key = (e: EngineEvent) => (e.type === 'records-moved' ? `m${e.channel}` : e.type === 'records-consumed' ? `c${e.channel}` : `o${e.time}`);
        const runs = (events: EngineEvent[]) => {
          const out: Array<[string, number]> = [];
          for (const e of events) {
            const count = 'count' in e ? e.count : 0;
            const last = out.at(-1);
            if (last && last[0] === key(e) && !last[0].startsWith('o')) last[1] += count;
            else out.push([key(e), count]);
          }
          return out;
        };
        expect(runs(posted)).toEqual(runs(given));
        for (let i = 1; i < posted.length; i++) expect(posted[i]!.time).toBeGreaterThanOrEqual(posted[i - 1]!.time);
      }),
    );
  });
});
