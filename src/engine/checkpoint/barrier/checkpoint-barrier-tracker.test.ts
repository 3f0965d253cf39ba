// Sequences ported from Flink's CheckpointBarrierTrackerTest, replayed against the at-least-once
// tracker. Expected notifications use Flink's CheckpointSequenceValidator notation: id = triggered,
// -id = aborted, in order.
import { describe, expect, it } from 'vitest';
import { replayBarrierSequence as replay, signedNotifications } from './barrier-sequence';
import { MAX_CHECKPOINTS_TO_TRACK } from './checkpoint-barrier-tracker';
import { createBarrierHandler } from './create-barrier-handler';
import type { CheckpointBarrierHandler } from './types';

const tracker = (numberOfChannels: number, checkpointsAfterTasksFinish = true): CheckpointBarrierHandler =>
  createBarrierHandler('at-least-once', numberOfChannels, { checkpointsAfterTasksFinish });

const notifications = (handler: CheckpointBarrierHandler, sequence: string): number[] =>
  signedNotifications(replay(handler, sequence));

describe('barrier tracker (at-least-once)', () => {
  it('triggers every barrier of a single channel (testSingleChannelWithBarriers, testSingleChannelWithSkippedBarriers)', () => {
    expect(notifications(tracker(1), 'd0 d0 d0 B(1,0) d0 d0 d0 d0 B(2,0) B(3,0) d0 d0 B(4,0) B(5,0) B(6,0) d0')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(notifications(tracker(1), 'd0 B(1,0) d0 d0 B(3,0) d0 B(4,0) B(6,0) d0 B(7,0) d0 B(10,0) d0')).toEqual([1, 3, 4, 6, 7, 10]);
  });

  it('never blocks: it reads records after a barrier before the checkpoint triggers, which is why it is only at-least-once', () => {
    const handler = tracker(3);
    const result = replay(handler, 'B(1,1) d1 d1 B(1,2) d2 d1');
    expect(result).toMatchObject({ started: [1], triggered: [], blocked: [] });
    expect(handler.isBlocked(1)).toBe(false);
    expect(handler.kind).toBe('CheckpointBarrierTracker');
    expect(replay(handler, 'B(1,0)').triggered).toEqual([1]);
  });

  it('triggers a run of checkpoints on several channels (testMultiChannelWithBarriers)', () => {
    const sequence =
      'd0 d2 d0 B(1,1) B(1,2) d2 d1 B(1,0) d0 d0 d1 d1 d2 B(2,0) B(2,1) B(2,2) d2 d2 B(3,2) d2 d2 B(3,0) B(3,1) B(4,1) B(4,2) B(4,0) d0';
    expect(notifications(tracker(3), sequence)).toEqual([1, 2, 3, 4]);
  });

  it('drops a checkpoint silently when a newer one completes first (testMultiChannelSkippingCheckpoints)', () => {
    const sequence =
      'd0 d2 d0 B(1,1) B(1,2) d2 d1 B(1,0) d0 d0 d1 d1 d2 B(2,0) B(2,1) B(2,2) d2 d2 B(3,2) d2 d2 B(4,0) d0 d1 d2 B(4,1) d1 B(4,2) d0';
    const handler = tracker(3);
    expect(notifications(handler, sequence)).toEqual([1, 2, 4]);
    expect(handler.pendingCheckpointIds()).toEqual([]);
  });

  it('does not abort an older checkpoint when a newer barrier arrives (testCompleteCheckpointsOnLateBarriers)', () => {
    const sequence = [
      'd1 d1 d0 d2 B(2,1) B(2,0) B(2,2)',
      'd1 d0 B(3,1) B(3,2)',
      'd1 d0 B(4,2) B(4,1) d1 d2',
      'B(3,0)',
      'd0 B(4,0)',
      'd1 d2 B(5,1) d0 B(5,0) d1 B(5,2)',
      'd1 B(6,1) d0 B(6,0)',
      'd1 B(7,1) d0 B(7,2) d2 B(8,2) d0 B(8,1) d1 B(9,1)',
      'B(7,0) d0 B(9,2) d2 B(10,2)',
      'B(8,0) d1 d2 B(9,0)',
      'd1 d0 d2',
      'B(10,0) B(10,1)',
    ].join(' ');
    expect(notifications(tracker(3), sequence)).toEqual([2, 3, 4, 5, 7, 8, 9, 10]);
  });

  it('completes both of two overlapping checkpoints in order (testTwoLastBarriersOneByOne)', () => {
    expect(notifications(tracker(2), 'B(1,1) B(2,1) B(1,0) B(2,0)')).toEqual([1, 2]);
  });

  it('aborts the older checkpoint on its cancellation marker and still completes the newer one (testNextFirstCheckpointBarrierOvertakesCancellationBarrier)', () => {
    expect(notifications(tracker(2), 'B(1,1) B(2,1) C(1,0) B(2,0)')).toEqual([-1, 2]);
  });

  it('aborts on cancellation markers with a single channel (testSingleChannelAbortCheckpoint)', () => {
    const handler = tracker(1);
    const result = replay(handler, 'd0 B(1,0) d0 B(2,0) C(4,0) B(5,0) d0 C(6,0) d0');
    expect(signedNotifications(result)).toEqual([1, 2, -4, 5, -6]);
    expect(result.aborted.every((aborted) => aborted.reason === 'CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER')).toBe(true);
    expect(handler.latestCheckpointId).toBe(6);
  });

  it('aborts on a marker at the first, the last or several barriers (testMultiChannelAbortCheckpoint)', () => {
    const sequence = [
      'd0 d2 d0 B(1,1) B(1,2) d2 d1 B(1,0)',
      'd0 d2 B(2,0) B(2,2) d0 d2 C(2,1)',
      'd2 d1 B(3,1) B(3,2) B(3,0)',
      'd0 d1 C(4,1) B(4,2) d0 B(4,0)',
      'd0 d1 d2 B(5,2) B(5,1) B(5,0)',
      'd0 d1 C(6,1) C(6,2) B(6,0) d0',
    ].join(' ');
    const handler = tracker(3);
    expect(notifications(handler, sequence)).toEqual([1, -2, 3, -4, 5, -6]);
    expect(handler.pendingCheckpointIds()).toEqual([]);
  });

  it('aborts each checkpoint once when cancellation markers of two checkpoints interleave (testInterleavedCancellationBarriers)', () => {
    expect(notifications(tracker(3), 'B(1,0) C(2,0) C(1,1) C(2,1) C(1,2) C(2,2) d0')).toEqual([-1, -2]);
  });

  it('tracks at most MAX_CHECKPOINTS_TO_TRACK incomplete checkpoints, dropping the oldest silently', () => {
    const handler = tracker(2);
    const barriers = Array.from({ length: MAX_CHECKPOINTS_TO_TRACK + 1 }, (_, index) => `B(${index + 1},0)`).join(' ');
    expect(replay(handler, barriers).aborted).toEqual([]);
    expect(handler.pendingCheckpointIds()).toHaveLength(MAX_CHECKPOINTS_TO_TRACK);
    expect(handler.pendingCheckpointIds()[0]).toBe(2);
    expect(notifications(handler, 'B(1,1) B(2,1)')).toEqual([2]);
  });
});

describe('barrier tracker: end of partition', () => {
  it('counts an ended channel for the newest checkpoint it completes and drops older ones (testTriggerCheckpointsWithEndOfPartition)', () => {
    const handler = tracker(3);
    expect(notifications(handler, 'B(1,0) B(2,0) B(2,1) B(3,0) B(4,0) B(4,1) B(5,1) E(2)')).toEqual([4]);
    expect(handler.pendingCheckpointIds()).toEqual([5]);
    expect(handler.openChannels()).toEqual([0, 1]);
  });

  it('counts a channel once when it delivers both a barrier and its end (testDeduplicateChannelsWithBothBarrierAndEndOfPartition)', () => {
    const handler = tracker(3);
    expect(notifications(handler, 'B(2,0) B(2,1) E(1)')).toEqual([]);
    expect(notifications(handler, 'B(2,2)')).toEqual([2]);
  });

  it('completes a pending checkpoint when every channel ends, one of them after its barrier (checkAlignmentOnEndOfPartitionIfEnabled)', () => {
    const handler = tracker(3);
    expect(notifications(handler, 'B(3,0) d0 E(0) d1 E(1)')).toEqual([]);
    expect(handler.pendingCheckpointIds()).toEqual([3]);
    expect(notifications(handler, 'E(2)')).toEqual([3]);
    expect(handler.pendingCheckpointIds()).toEqual([]);
    expect(handler.openChannels()).toEqual([]);
  });

  it('keeps triggering after channels end, down to the single-channel fast path (testTriggerCheckpointsAfterReceivedEndOfPartition)', () => {
    expect(notifications(tracker(3), 'E(2) B(5,0) B(6,0) B(6,1) E(1) B(7,0)')).toEqual([6, 7]);
  });

  it('finishes a checkpoint begun before a channel ended rather than take the fast path (testNoFastPathWithChannelFinishedDuringCheckpoints)', () => {
    const handler = tracker(2);
    expect(notifications(handler, 'B(1,0) E(0) B(1,1)')).toEqual([1]);
    expect(handler.pendingCheckpointIds()).toEqual([]);
  });

  it('removes an aborted checkpoint once an end of partition completes its count (testCompleteAndRemoveAbortedCheckpointWithEndOfPartition)', () => {
    const handler = tracker(3);
    const result = replay(handler, 'C(4,0) B(4,1) B(5,1) E(2)');
    expect(signedNotifications(result)).toEqual([-4]);
    expect(handler.pendingCheckpointIds()).toEqual([5]);
    expect(handler.openChannels()).toEqual([0, 1]);
  });

  it('aborts checkpoints on markers after channels ended (testAbortCheckpointsAfterEndOfPartitionReceived)', () => {
    expect(notifications(tracker(3), 'E(2) B(5,0) B(6,0) C(6,1) E(1) C(7,0)')).toEqual([-5, -6, -7]);
  });

  it('drops a pending checkpoint on a marker after a channel ended (testNoFastPathWithChannelFinishedDuringCheckpointsCancel)', () => {
    const handler = tracker(2);
    expect(notifications(handler, 'B(1,0) E(0) C(1,1)')).toEqual([-1]);
    expect(handler.pendingCheckpointIds()).toEqual([]);
  });

  it('aborts all pending checkpoints on end of partition when checkpoints after tasks finish are off', () => {
    const handler = tracker(3, false);
    const result = replay(handler, 'B(1,0) B(2,0) C(3,1) B(4,1) E(2)');
    expect(signedNotifications(result)).toEqual([-1, -2, -3, -4]);
    expect(result.aborted.at(-1)?.reason).toBe('CHECKPOINT_DECLINED_INPUT_END_OF_STREAM');
    expect(handler.pendingCheckpointIds()).toEqual([]);
  });

  it('throws on anything read from an ended channel', () => {
    const handler = tracker(2);
    replay(handler, 'E(1)');
    expect(() => replay(handler, 'd1')).toThrow(/end of partition/);
  });
});

describe('barrier tracker: the task aborts a checkpoint itself', () => {
  it('aborts a partly counted checkpoint once and then absorbs its remaining barriers', () => {
    const handler = tracker(3);
    replay(handler, 'B(1,0)');
    expect(handler.abort(1, 'TASK_CHECKPOINT_FAILURE').aborted).toEqual([{ checkpointId: 1, reason: 'TASK_CHECKPOINT_FAILURE' }]);
    expect(handler.abort(1, 'TASK_CHECKPOINT_FAILURE').aborted).toEqual([]);
    expect(notifications(handler, 'B(1,1) B(1,2)')).toEqual([]);
    expect(handler.pendingCheckpointIds()).toEqual([]);
  });

  it('makes the barriers of a checkpoint aborted before any arrived stale', () => {
    const handler = tracker(2);
    expect(handler.abort(3, 'CHECKPOINT_DECLINED_TASK_NOT_READY').aborted).toHaveLength(1);
    expect(replay(handler, 'B(3,0) B(3,1)')).toMatchObject({ started: [], triggered: [] });
    expect(notifications(handler, 'B(4,0) B(4,1)')).toEqual([4]);
    expect(handler.abort(4, 'CHECKPOINT_ASYNC_EXCEPTION').aborted).toEqual([]);
  });

  it('does not report again a checkpoint the single-channel fast path already triggered or aborted', () => {
    const handler = tracker(1);
    expect(notifications(handler, 'B(1,0) C(2,0)')).toEqual([1, -2]);
    expect(handler.abort(1, 'CHECKPOINT_ASYNC_EXCEPTION').aborted).toEqual([]);
    expect(handler.abort(2, 'CHECKPOINT_DECLINED').aborted).toEqual([]);
    expect(handler.abort(3, 'CHECKPOINT_DECLINED').aborted).toHaveLength(1);
  });
});
