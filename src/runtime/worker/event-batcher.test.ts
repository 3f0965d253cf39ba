import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventBatcher, MAX_EVENTS_PER_BATCH } from './event-batcher';
import type { EngineEvent } from '../../engine/events';

afterEach(() => vi.useRealTimers());

const ack = (i: number): EngineEvent => ({ type: 'checkpoint-acknowledged', time: i, taskId: 't#0', checkpointId: i });

describe('EventBatcher', () => {
  it('flushes a full batch at once instead of dropping events', () => {
    const batches: number[] = [];
    const batcher = new EventBatcher((events) => batches.push(events.length), 1000);
    for (let i = 0; i < MAX_EVENTS_PER_BATCH + 5; i++) batcher.add(ack(i));
    batcher.flush();
    expect(batches).toEqual([MAX_EVENTS_PER_BATCH, 5]);
  });

  it('folds records-moved per channel, keeping the first buffer time, and posts after the interval', () => {
    vi.useFakeTimers();
    const posted: EngineEvent[][] = [];
    const batcher = new EventBatcher((events) => posted.push([...events]), 50);
    const moved = (time: number, count: number): EngineEvent => ({ type: 'records-moved', time, from: 'a#0', to: 'b#0', channel: 1, count, sizeBytes: count * 10 });
    batcher.add(moved(1, 3));
    batcher.add(moved(2, 4));
    expect(posted).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(posted).toEqual([[{ type: 'records-moved', time: 1, from: 'a#0', to: 'b#0', channel: 1, count: 7, sizeBytes: 70 }]]);
  });
});
