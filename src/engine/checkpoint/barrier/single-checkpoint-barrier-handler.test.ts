// Sequences ported from Flink's AlignedCheckpointsTest (flink-streaming-java .../io/checkpointing/),
// replayed against the aligned (exactly-once) handler. B(id,ch) barrier, C(id,ch) cancellation
// marker, E(ch) end of partition, dN data on channel N.
import { describe, expect, it } from 'vitest';
import { replayBarrierSequence as replay, signedNotifications } from './barrier-sequence';
import { createBarrierHandler } from './create-barrier-handler';
import type { CheckpointBarrierHandler } from './types';

const aligned = (numberOfChannels: number, checkpointsAfterTasksFinish = true): CheckpointBarrierHandler =>
  createBarrierHandler('exactly-once', numberOfChannels, { checkpointsAfterTasksFinish });

describe('aligned barrier handler (exactly-once)', () => {
  it('blocks each channel from its barrier until the barrier arrived on all channels, then triggers and unblocks', () => {
    const handler = aligned(3);
    expect(replay(handler, 'd0 d2 d0 B(1,1)')).toMatchObject({ started: [1], triggered: [], blocked: [1] });
    expect(handler.kind).toBe('CollectingBarriers');
    expect(replay(handler, 'B(1,2)')).toMatchObject({ triggered: [], blocked: [1, 2] });
    expect(replay(handler, 'd0 B(1,0)')).toMatchObject({ triggered: [1], blocked: [] });
    expect(handler.kind).toBe('WaitingForFirstBarrier');
    expect(handler.latestCheckpointId).toBe(1);
  });

  it('aborts a pending checkpoint as subsumed when a newer barrier arrives, and aligns the newer one', () => {
    const handler = aligned(3);
    expect(replay(handler, 'B(3,1) B(3,0)').blocked).toEqual([0, 1]);
    expect(replay(handler, 'd2 B(5,2)')).toMatchObject({
      started: [5],
      aborted: [{ checkpointId: 3, reason: 'CHECKPOINT_DECLINED_SUBSUMED' }],
      blocked: [2],
    });
    expect(replay(handler, 'B(5,0) B(5,1)')).toMatchObject({ triggered: [5], blocked: [] });
  });

  it('ignores a cancellation marker of a checkpoint already subsumed (testIgnoreCancelBarrierIfCheckpointSubsumed)', () => {
    const handler = aligned(3);
    const result = replay(handler, 'd2 B(3,1) B(3,0) d2 B(5,2) d1 d0 C(3,0) d0 d1 B(5,0) B(5,1) d0 d1 d2');
    expect(signedNotifications(result)).toEqual([-3, 5]);
    expect(result.aborted[0]?.reason).toBe('CHECKPOINT_DECLINED_SUBSUMED');
  });

  it('triggers directly on the barrier when the task has a single channel (testSingleChannelWithBarriers)', () => {
    const handler = aligned(1);
    const first = handler.process({ kind: 'barrier', checkpointId: 1, channel: 0 });
    expect(first).toEqual({ started: 1, triggered: [1], aborted: [], blocked: [] });
    const rest = replay(handler, 'd0 d0 d0 d0 B(2,0) B(3,0) d0 d0 B(4,0) B(5,0) B(6,0) d0 E(0)');
    expect(rest.triggered).toEqual([2, 3, 4, 5, 6]);
    expect(handler.kind).toBe('WaitingForFirstBarrier');
  });

  it('aligns a run of checkpoints on several channels (testMultiChannelWithBarriers)', () => {
    const handler = aligned(3);
    expect(replay(handler, 'd0 d2 d0 B(1,1) B(1,2) d0').blocked).toEqual([1, 2]);
    expect(replay(handler, 'B(1,0)')).toMatchObject({ triggered: [1], blocked: [] });
    expect(replay(handler, 'd0 d0 d1 d1 d2 B(2,0) B(2,1) B(2,2)')).toMatchObject({ triggered: [2], blocked: [] });
    expect(replay(handler, 'd2 d2 B(3,2) d0 d0 B(3,0)').blocked).toEqual([0, 2]);
    expect(replay(handler, 'B(3,1)')).toMatchObject({ triggered: [3], blocked: [] });
    expect(replay(handler, 'B(4,1) B(4,2) B(4,0) d0 E(0) E(1) E(2)')).toMatchObject({ triggered: [4], aborted: [] });
  });

  it('skips checkpoints overtaken by newer barriers and, before FLIP-147, aborts on end of input (testMultiChannelJumpingOverCheckpoint)', () => {
    const handler = aligned(3, false);
    expect(replay(handler, 'd0 d2 d0 B(1,1) B(1,2) d0 B(1,0) d1 d0').triggered).toEqual([1]);
    expect(replay(handler, 'B(2,1) d2 B(2,0) d2').blocked).toEqual([0, 1]);
    expect(replay(handler, 'B(3,2)')).toMatchObject({ aborted: [{ checkpointId: 2, reason: 'CHECKPOINT_DECLINED_SUBSUMED' }], blocked: [2] });
    expect(handler.latestCheckpointId).toBe(3);
    expect(replay(handler, 'd1 d0 B(3,0)').blocked).toEqual([0, 2]);
    expect(replay(handler, 'B(4,1)')).toMatchObject({ aborted: [{ checkpointId: 3, reason: 'CHECKPOINT_DECLINED_SUBSUMED' }], blocked: [1] });
    expect(replay(handler, 'd2 d0 E(0)')).toMatchObject({
      aborted: [{ checkpointId: 4, reason: 'CHECKPOINT_DECLINED_INPUT_END_OF_STREAM' }],
      blocked: [],
    });
    expect(replay(handler, 'd2 E(2) d1 E(1)')).toMatchObject({ triggered: [], aborted: [] });
  });

  it('with checkpoints after tasks finish, counts ended channels as aligned instead of aborting', () => {
    const handler = aligned(3);
    replay(handler, 'd0 d2 d0 B(1,1) B(1,2) d0 B(1,0) d1 d0 B(2,1) d2 B(2,0) d2 B(3,2) d1 d0 B(3,0) B(4,1) d2 d0');
    expect(replay(handler, 'E(0)')).toMatchObject({ triggered: [], aborted: [], blocked: [1] });
    expect(replay(handler, 'd2 E(2)')).toMatchObject({ triggered: [4], blocked: [] });
    expect(replay(handler, 'd1 E(1)')).toMatchObject({ triggered: [], aborted: [] });
    expect(handler.openChannels()).toEqual([]);
  });

  it('does not wait for channels that ended before the checkpoint started (testStartAlignmentWithClosedChannels)', () => {
    const handler = aligned(4);
    expect(replay(handler, 'E(2) E(1) d0 d0 d3 B(2,3)').blocked).toEqual([3]);
    expect(replay(handler, 'B(2,0)')).toMatchObject({ triggered: [2], blocked: [] });
    expect(replay(handler, 'B(3,0) B(3,3)')).toMatchObject({ triggered: [3], blocked: [] });
    expect(replay(handler, 'd0 d0 d3 E(0) d3 B(4,3)')).toMatchObject({ triggered: [4], blocked: [] });
    expect(replay(handler, 'd3 E(3)').triggered).toEqual([]);
  });

  it('aborts the pending checkpoint on end of partition when checkpoints after tasks finish are off (testEndOfStreamWhileCheckpoint)', () => {
    const handler = aligned(3, false);
    expect(replay(handler, 'B(1,0) B(1,1) B(1,2) d0 d0 d2').triggered).toEqual([1]);
    expect(replay(handler, 'B(2,2) B(2,0) d1').blocked).toEqual([0, 2]);
    expect(replay(handler, 'E(1)')).toMatchObject({
      aborted: [{ checkpointId: 2, reason: 'CHECKPOINT_DECLINED_INPUT_END_OF_STREAM' }],
      blocked: [],
    });
    expect(signedNotifications(replay(handler, 'E(2) d0 E(0)'))).toEqual([]);
  });

  it('completes the pending checkpoint when the last missing channel ends (FLIP-147 default)', () => {
    const handler = aligned(3);
    replay(handler, 'B(1,0) B(1,1) B(1,2) d0 d0 d2 B(2,2) B(2,0) d1');
    expect(replay(handler, 'E(1)')).toMatchObject({ triggered: [2], aborted: [], blocked: [] });
    expect(handler.pendingCheckpointIds()).toEqual([]);
  });

  it('triggers when the last channel missing ends while the others are blocked (testTriggerCheckpointsWithEndOfPartition)', () => {
    const handler = aligned(3);
    expect(replay(handler, 'B(1,0) B(1,1)').blocked).toEqual([0, 1]);
    expect(replay(handler, 'E(2)')).toMatchObject({ triggered: [1], aborted: [], blocked: [] });
    expect(handler.pendingCheckpointIds()).toEqual([]);
  });

  it('counts a blocked channel that ends once, so the alignment still waits for the rest (testDeduplicateChannelsWithBothBarrierAndEndOfPartition)', () => {
    const handler = aligned(3);
    expect(replay(handler, 'B(2,0) B(2,1)').blocked).toEqual([0, 1]);
    expect(replay(handler, 'E(1)')).toMatchObject({ triggered: [], aborted: [], blocked: [0] });
    expect(handler.pendingCheckpointIds()).toEqual([2]);
    expect(handler.openChannels()).toEqual([0, 2]);
    expect(replay(handler, 'B(2,2)')).toMatchObject({ triggered: [2], blocked: [] });
    expect(handler.pendingCheckpointIds()).toEqual([]);
  });

  it('no longer waits for channels that ended before the next checkpoint (testTriggerCheckpointsAfterReceivedEndOfPartition)', () => {
    const handler = aligned(3);
    expect(replay(handler, 'E(2) B(6,0) B(6,1)')).toMatchObject({ triggered: [6], blocked: [] });
    expect(replay(handler, 'E(1) B(7,0)')).toMatchObject({ started: [7], triggered: [7], aborted: [], blocked: [] });
    expect(handler.pendingCheckpointIds()).toEqual([]);
  });

  it('completes the pending checkpoint when every channel ends, blocked ones included', () => {
    const handler = aligned(3);
    expect(replay(handler, 'd1 B(3,0) B(3,2) d1').blocked).toEqual([0, 2]);
    expect(replay(handler, 'E(0)')).toMatchObject({ triggered: [], blocked: [2] });
    expect(replay(handler, 'E(2)')).toMatchObject({ triggered: [], blocked: [] });
    expect(handler.kind).toBe('CollectingBarriers');
    expect(replay(handler, 'd1 E(1)')).toMatchObject({ triggered: [3], aborted: [], blocked: [] });
    expect(handler.kind).toBe('WaitingForFirstBarrier');
    expect(handler.openChannels()).toEqual([]);
  });

  it('with checkpoints after tasks finish off, aborts on an end of partition from a blocked channel and unblocks all', () => {
    const handler = aligned(3, false);
    expect(replay(handler, 'B(2,0) B(2,1)').blocked).toEqual([0, 1]);
    expect(replay(handler, 'E(1)')).toMatchObject({
      aborted: [{ checkpointId: 2, reason: 'CHECKPOINT_DECLINED_INPUT_END_OF_STREAM' }],
      blocked: [],
    });
    expect(replay(handler, 'd0 B(2,2) E(0) E(2)')).toMatchObject({ started: [], triggered: [], aborted: [] });
  });

  it('aborts on cancellation markers with one channel, and ignores nothing else (testSingleChannelAbortCheckpoint)', () => {
    const handler = aligned(1);
    expect(replay(handler, 'd0 B(1,0) d0 B(2,0) d0').triggered).toEqual([1, 2]);
    expect(replay(handler, 'C(4,0)').aborted).toEqual([{ checkpointId: 4, reason: 'CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER' }]);
    expect(handler.latestCheckpointId).toBe(4);
    expect(replay(handler, 'B(5,0)').triggered).toEqual([5]);
    expect(signedNotifications(replay(handler, 'd0 C(6,0) d0'))).toEqual([-6]);
    expect(handler.latestCheckpointId).toBe(6);
  });

  it('aborts on a marker at the first, the last or several barriers and unblocks (testMultiChannelAbortCheckpoint)', () => {
    const handler = aligned(3);
    expect(replay(handler, 'd0 d2 d0 B(1,1)').blocked).toEqual([1]);
    expect(replay(handler, 'B(1,2)').blocked).toEqual([1, 2]);
    expect(replay(handler, 'd0 B(1,0)')).toMatchObject({ triggered: [1], blocked: [] });
    expect(replay(handler, 'd0 d2 B(2,0)').blocked).toEqual([0]);
    expect(replay(handler, 'B(2,2) d1').blocked).toEqual([0, 2]);
    expect(replay(handler, 'C(2,1)')).toMatchObject({
      aborted: [{ checkpointId: 2, reason: 'CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER' }],
      blocked: [],
    });
    expect(replay(handler, 'd2 d1 B(3,1) B(3,2) B(3,0)')).toMatchObject({ triggered: [3], blocked: [] });
    expect(replay(handler, 'd0 d1 C(4,1)')).toMatchObject({ aborted: [{ checkpointId: 4 }], blocked: [] });
    expect(replay(handler, 'B(4,2) d2 B(4,0)')).toMatchObject({ triggered: [], started: [], blocked: [] });
    expect(replay(handler, 'd0 d1 d2 B(5,2) B(5,1) B(5,0) d0 d1')).toMatchObject({ triggered: [5], blocked: [] });
    expect(signedNotifications(replay(handler, 'C(6,1) C(6,2) B(6,0) d0'))).toEqual([-6]);
    expect(handler.blockedChannels()).toEqual([]);
  });

  it('lets a newer barrier start after a cancelled checkpoint and ignores the cancelled one\'s late barrier (testAbortOnCanceledBarriers)', () => {
    const handler = aligned(3);
    expect(replay(handler, 'd1 B(1,1) d2 d0').blocked).toEqual([1]);
    expect(replay(handler, 'C(1,0) d1')).toMatchObject({ aborted: [{ checkpointId: 1 }], blocked: [] });
    expect(replay(handler, 'B(2,1) d2 d0 B(1,2)')).toMatchObject({ started: [2], blocked: [1] });
    expect(replay(handler, 'd0 d2 B(2,0) B(2,2) d0 d1 d2').triggered).toEqual([2]);
  });

  it('unblocks on a newer cancellation marker without reporting the dropped pending checkpoint, as Flink (testMissingCancellationBarriers)', () => {
    const handler = aligned(2);
    const result = replay(handler, 'B(1,0) C(3,1) C(2,0) C(3,0) d0');
    expect(signedNotifications(result)).toEqual([-3]);
    expect(result.blocked).toEqual([]);
    expect(handler.latestCheckpointId).toBe(3);
    expect(replay(handler, 'B(1,1) B(2,1)').started).toEqual([]);
  });

  it('reports every checkpoint at most once, however many stale barriers and markers follow', () => {
    const handler = aligned(2);
    const result = replay(handler, 'B(1,0) B(1,1) C(1,0) B(2,0) C(2,1) C(2,0) B(2,1) C(1,1) B(1,0)');
    expect(signedNotifications(result)).toEqual([1, -2]);
  });
});

describe('aligned barrier handler: caller errors', () => {
  it('throws on data, a barrier or a marker from a blocked channel and stays as it was; an end of partition is accepted', () => {
    const handler = aligned(3);
    replay(handler, 'B(1,1)');
    expect(() => handler.process({ kind: 'data', channel: 1 })).toThrow(/blocked/);
    expect(() => replay(handler, 'B(2,1)')).toThrow(/blocked/);
    expect(() => replay(handler, 'C(1,1)')).toThrow(/blocked/);
    expect(handler.blockedChannels()).toEqual([1]);
    expect(replay(handler, 'B(1,0) B(1,2)').triggered).toEqual([1]);
    replay(handler, 'B(2,1)');
    expect(replay(handler, 'E(1)').blocked).toEqual([]);
  });

  it('throws on anything read from a channel after its end of partition', () => {
    const handler = aligned(2);
    replay(handler, 'E(0)');
    expect(() => replay(handler, 'd0')).toThrow(/end of partition/);
    expect(() => replay(handler, 'E(0)')).toThrow(/end of partition/);
    expect(handler.openChannels()).toEqual([1]);
  });

  it('throws on a channel the task does not have, and on a negative checkpoint id', () => {
    const handler = aligned(2);
    expect(() => replay(handler, 'd2')).toThrow(RangeError);
    expect(() => handler.process({ kind: 'barrier', channel: 0, checkpointId: -1 })).toThrow(RangeError);
    expect(() => createBarrierHandler('exactly-once', 0)).toThrow(RangeError);
  });
});

describe('aligned barrier handler: the task aborts a checkpoint itself', () => {
  it('aborts a pending checkpoint, unblocks, and ignores its later barriers', () => {
    const handler = aligned(3);
    replay(handler, 'B(1,0) B(1,2)');
    expect(handler.abort(1, 'CHECKPOINT_DECLINED_TASK_NOT_READY')).toEqual({
      started: null,
      triggered: [],
      aborted: [{ checkpointId: 1, reason: 'CHECKPOINT_DECLINED_TASK_NOT_READY' }],
      blocked: [],
    });
    expect(handler.kind).toBe('WaitingForFirstBarrier');
    expect(signedNotifications(replay(handler, 'B(1,1) B(2,1) B(2,0) B(2,2)'))).toEqual([2]);
  });

  it('aborts a checkpoint none of whose barriers arrived yet, so they are ignored when they do', () => {
    const handler = aligned(2);
    expect(handler.abort(7, 'CHECKPOINT_DECLINED').aborted).toEqual([{ checkpointId: 7, reason: 'CHECKPOINT_DECLINED' }]);
    expect(handler.latestCheckpointId).toBe(7);
    expect(replay(handler, 'B(7,0) B(7,1)')).toMatchObject({ started: [], triggered: [], blocked: [] });
  });

  it('changes nothing for a checkpoint whose alignment is already over', () => {
    const handler = aligned(2);
    replay(handler, 'B(1,0) B(1,1) B(2,0)');
    expect(handler.abort(1, 'CHECKPOINT_ASYNC_EXCEPTION')).toEqual({ started: null, triggered: [], aborted: [], blocked: [0] });
    expect(handler.abort(2, 'CHECKPOINT_ASYNC_EXCEPTION').aborted).toHaveLength(1);
    expect(handler.abort(2, 'CHECKPOINT_ASYNC_EXCEPTION').aborted).toEqual([]);
  });
});
