import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../events';
import { TaskEventBatch } from './task-event-batch';

function batch() {
  const events: EngineEvent[] = [];
  let now = 7;
  const clock = { now: () => now, setTimeout: () => null, clearTimeout: () => {} };
  return { events, batch: new TaskEventBatch((event) => events.push(event), clock, 'sum#0', 2), advance: (ms: number) => (now += ms) };
}

describe('TaskEventBatch', () => {
  it('sums consumption per channel until the batch is flushed, in the order channels were first consumed from', () => {
    const { events, batch: b } = batch();
    b.consumed(1, 3);
    b.consumed(0, 1);
    b.consumed(1, 2);
    expect(events).toEqual([]);
    b.flush();
    expect(events).toEqual([
      { type: 'records-consumed', time: 7, taskId: 'sum#0', attempt: 2, channel: 1, count: 5 },
      { type: 'records-consumed', time: 7, taskId: 'sum#0', attempt: 2, channel: 0, count: 1 },
    ]);
    b.flush();
    expect(events).toHaveLength(2);
  });

  it('sends the batch before any other event of the task, so nothing is reordered', () => {
    const { events, batch: b } = batch();
    b.consumed(0, 4);
    b.emit({ type: 'barrier-received', time: 7, taskId: 'sum#0', attempt: 2, checkpointId: 3, channel: 0 });
    b.consumed(0, 1);
    b.flush();
    expect(events.map((event) => (event.type === 'records-consumed' ? `consumed ${event.count}` : event.type))).toEqual(['consumed 4', 'barrier-received', 'consumed 1']);
  });

  it('joins the task’s own sink writes into one sink-written after the consumption that caused them', () => {
    const { events, batch: b } = batch();
    b.consumed(0, 1);
    b.emit({ type: 'sink-written', time: 7, taskId: 'sum#0', attempt: 2, written: ['a'] });
    b.consumed(1, 1);
    b.emit({ type: 'sink-written', time: 7, taskId: 'sum#0', attempt: 2, written: ['b'] });
    b.emit({ type: 'snapshot-sync-done', time: 7, taskId: 'sum#0', attempt: 2, checkpointId: 1, syncDurationMs: 0 });
    expect(events).toEqual([
      { type: 'records-consumed', time: 7, taskId: 'sum#0', attempt: 2, channel: 0, count: 1 },
      { type: 'records-consumed', time: 7, taskId: 'sum#0', attempt: 2, channel: 1, count: 1 },
      { type: 'sink-written', time: 7, taskId: 'sum#0', attempt: 2, written: ['a', 'b'] },
      { type: 'snapshot-sync-done', time: 7, taskId: 'sum#0', attempt: 2, checkpointId: 1, syncDurationMs: 0 },
    ]);
  });
});
