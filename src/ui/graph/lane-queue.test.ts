import { describe, expect, it } from 'vitest';
import { LaneQueue, MAX_LANE_ITEMS } from './lane-queue';

describe('LaneQueue', () => {
  it('stays bounded when its receiver never takes a barrier: the oldest items go', () => {
    const queue = new LaneQueue();
    for (let checkpoint = 1; checkpoint <= 2 * MAX_LANE_ITEMS; checkpoint++) {
      queue.pushRecords(1, checkpoint, checkpoint);
      queue.pushBarrier(checkpoint, checkpoint);
    }
    expect(queue.size).toBe(2 * MAX_LANE_ITEMS);
    expect(queue.view(0, 4, false).at(-1)).toMatchObject({ kind: 'barrier', checkpointId: 2 * MAX_LANE_ITEMS });
  });

  it('keeps records and barriers in the order they were sent', () => {
    const queue = new LaneQueue(10);
    queue.pushRecords(2, 1, 0);
    queue.pushBarrier(1, 1);
    queue.pushRecords(3, 2, 2);
    expect(queue.view(2, 10, false).map((item) => (item.kind === 'barrier' ? `|${item.checkpointId}` : `${item.count}@${item.epoch}`))).toEqual(['2@1', '|1', '3@2']);
    expect(queue.queued).toBe(5);
  });

  it('consumes records from the head, passing over a barrier not yet reported as received', () => {
    const queue = new LaneQueue();
    queue.pushRecords(2, 1, 0);
    queue.pushBarrier(1, 1);
    queue.pushRecords(3, 2, 2);
    queue.consume(3, 3);
    expect(queue.queued).toBe(2);
    expect(queue.view(2, 10, false).map((item) => item.kind)).toEqual(['barrier', 'records']);
  });

  it('drops everything ahead of a received barrier, and the barrier', () => {
    const queue = new LaneQueue();
    queue.pushRecords(2, 1, 0);
    queue.pushBarrier(1, 1);
    queue.pushRecords(3, 2, 2);
    queue.receiveBarrier(1, 3);
    expect(queue.view(5, 10, false)).toMatchObject([{ kind: 'records', count: 3, epoch: 2, slot: 0 }]);
  });

  it('still draws what the receiver took before the picture’s travel time was over, as delivered, ahead of the rest', () => {
    const queue = new LaneQueue(10);
    queue.pushRecords(2, 1, 0);
    queue.pushBarrier(1, 1);
    queue.pushRecords(1, 2, 2);
    queue.consume(2, 1);
    queue.receiveBarrier(1, 2);
    expect(queue.queued).toBe(1);
    expect(queue.view(5, 10, false).map((item) => [item.kind, item.delivered, item.progress])).toEqual([
      ['records', true, 0.5],
      ['barrier', true, 0.4],
      ['records', false, 0.3],
    ]);
    expect(queue.view(10.5, 10, false).map((item) => [item.kind, item.delivered])).toEqual([
      ['barrier', true],
      ['records', false],
    ]);
  });

  it('puts records that the stream says were ahead of a barrier on the wire before it, and never draws an item past the one ahead', () => {
    const queue = new LaneQueue(10);
    queue.pushRecords(1, 1, 0, true);
    queue.pushBarrier(1, 1);
    queue.pushRecords(2, 1, 3, true); // the sender's backlog, sent after the barrier was broadcast
    queue.pushRecords(1, 2, 4, true);
    const drawn = queue.view(5, 10, false);
    expect(drawn.map((item) => (item.kind === 'barrier' ? `|${item.checkpointId}` : `${item.count}@${item.epoch}`))).toEqual(['1@1', '2@1', '|1', '1@2']);
    expect(drawn.map((item) => item.progress)).toEqual([0.5, 0.2, 0.2, 0.1]);
  });

  it('moves items from sender (0) to receiver (1) in the travel time, then they wait in the input queue', () => {
    const queue = new LaneQueue(10);
    queue.pushRecords(1, 1, 0);
    queue.pushRecords(1, 1, 5);
    expect(queue.view(5, 10, false).map((item) => item.progress)).toEqual([0.5, 0]);
    expect(queue.view(20, 10, false).map((item) => [item.progress, item.slot, item.arrived])).toEqual([
      [1, 0, true],
      [1, 1, true],
    ]);
    expect(queue.arrived(12)).toBe(1);
  });

  it('merges batches into fewer dots to stay within the drawn limit, never across a barrier or an epoch', () => {
    const queue = new LaneQueue(100);
    for (let i = 0; i < 10; i++) queue.pushRecords(1, 1, i);
    queue.pushBarrier(1, 10);
    for (let i = 0; i < 10; i++) queue.pushRecords(1, 2, 11 + i);
    const drawn = queue.view(30, 5, false);
    expect(drawn.length).toBeLessThanOrEqual(5);
    expect(drawn.filter((item) => item.kind === 'barrier')).toHaveLength(1);
    expect(drawn.reduce((sum, item) => sum + (item.kind === 'records' ? item.count : 0), 0)).toBe(20);
    const barrier = drawn.findIndex((item) => item.kind === 'barrier');
    expect(drawn.slice(0, barrier).every((item) => item.kind === 'records' && item.epoch === 1)).toBe(true);
    expect(drawn.slice(barrier + 1).every((item) => item.kind === 'records' && item.epoch === 2)).toBe(true);
  });

  it('takes longer along a delayed channel for items sent after the delay was set, and keeps FIFO on screen', () => {
    const queue = new LaneQueue(10);
    queue.pushRecords(1, 1, 0);
    queue.delayMs = 30;
    queue.pushRecords(1, 1, 1);
    queue.pushBarrier(1, 2);
    expect(queue.view(5, 10, false).map((item) => item.progress)).toEqual([0.5, 0.1, 0.075]);
    expect(queue.arrived(10)).toBe(1);
    expect(queue.arrived(41)).toBe(2);
  });
});

describe('LaneQueue under unaligned checkpoints', () => {
  const marks = (queue: LaneQueue, now = 100) =>
    queue
      .view(now, 20, false)
      .filter((item) => !item.delivered)
      .map((item) => (item.kind === 'barrier' ? `|${item.checkpointId}` : `${item.count}@${item.epoch}${item.captured !== null ? `c${item.captured}` : ''}${item.restored ? 'r' : ''}`));

  it('a barrier taken with records still ahead (the queue is exact) overtook them: they stay, captured, and the leap is kept for a moment', () => {
    const queue = new LaneQueue(10);
    queue.pushRecords(4, 1, 0);
    queue.pushRecords(2, 1, 1);
    queue.pushBarrier(1, 2);
    queue.pushRecords(3, 2, 3);
    queue.receiveBarrier(1, 20, true);
    expect(marks(queue)).toEqual(['4@1', '2@1', '3@2']);
    expect(queue.leap(20, 50)).toEqual({ checkpointId: 1, records: 6, at: 20 });
    expect(queue.leap(70, 50)).toBeNull();
    // barrier-overtook (input) names 5 of them: the oldest, split where it ends.
    queue.capture(1, 5);
    expect(marks(queue)).toEqual(['4@1c1', '1@1c1', '1@1', '3@2']);
    queue.consume(5, 30);
    expect(marks(queue)).toEqual(['1@1', '3@2']);
    expect(queue.queued).toBe(4);
  });

  it('without an exact queue a received barrier still takes what is ahead of it (older streams)', () => {
    const queue = new LaneQueue();
    queue.pushRecords(4, 1, 0);
    queue.pushBarrier(1, 2);
    queue.receiveBarrier(1, 20);
    expect(queue.queued).toBe(0);
    expect(queue.leap(20, 50)).toBeNull();
  });

  it('captures only records sent before the barrier, never newer epochs', () => {
    const queue = new LaneQueue();
    queue.pushRecords(2, 3, 0);
    queue.pushRecords(2, 2, 0);
    queue.capture(2, 10);
    expect(marks(queue)).toEqual(['2@3', '2@2c2']);
  });

  it('marks records an older checkpoint captured in the sender’s output with the newer one whose input captures them', () => {
    const queue = new LaneQueue();
    queue.captureNextPushed(2, 2);
    queue.pushRecords(2, 2, 0, true);
    queue.capture(3, 2);
    expect(marks(queue)).toEqual(['2@2c3']);
    queue.capture(2, 2);
    expect(marks(queue)).toEqual(['2@2c3']);
  });

  it('marks the sender’s overtaken output as it goes on the wire behind the barrier (its epoch is older), then plain records again', () => {
    const queue = new LaneQueue();
    queue.pushRecords(1, 4, 0, true);
    queue.pushBarrier(4, 0);
    queue.captureNextPushed(4, 3);
    queue.pushRecords(2, 4, 1, true);
    queue.pushRecords(1, 4, 2, true);
    queue.pushRecords(2, 5, 3, true);
    expect(marks(queue)).toEqual(['1@4', '|4', '2@4c4', '1@4c4', '2@5']);
  });

  it('drops an output mark a newer buffer shows was stale', () => {
    const queue = new LaneQueue();
    queue.captureNextPushed(4, 3);
    queue.pushRecords(2, 4, 1, true);
    queue.pushRecords(2, 5, 2, true);
    expect(marks(queue)).toEqual(['2@4c4', '2@5']);
  });

  it('puts restored input channel state at the head, and marks restored output as it is sent', () => {
    const queue = new LaneQueue(10);
    queue.pushRecords(1, 3, 0);
    queue.pushRestored(2, 3, 5);
    queue.restoreNextPushed(1, 4);
    queue.pushRecords(2, 3, 6);
    expect(marks(queue)).toEqual(['2@3r', '1@3', '1@4r', '1@3']);
    expect(queue.view(6, 20, false)[0]).toMatchObject({ arrived: true, restored: true });
  });

  it('never merges a captured dot with a plain one', () => {
    const queue = new LaneQueue();
    for (let i = 0; i < 8; i++) queue.pushRecords(1, 1, i);
    queue.capture(1, 4);
    const drawn = queue.view(100, 2, false);
    expect(drawn.map((item) => item.kind === 'records' && item.captured)).toEqual([1, null]);
  });
});
