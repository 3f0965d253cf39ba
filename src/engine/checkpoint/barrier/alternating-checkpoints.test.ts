// Sequences ported from Flink's AlternatingCheckpointsTest (flink-runtime/src/test/java/org/apache/flink/
// streaming/runtime/io/checkpointing/, before 2.0 in flink-streaming-java): aligned checkpoints that time
// out into unaligned ones, against the alternating handler (unaligned checkpoints enabled).
//
// Flink's test drives remote input channels: a channel that receives an aligned-with-timeout barrier puts an
// EventAnnouncement at the head of its queue, so the gate reads the announcement first and the barrier after
// the data queued before it. Its ClockWithDelayedActions is a manual clock that starts at 100 ms and runs the
// handler's timers when it advances. In the notation: A(id,ch,...) the announcement, B(id,ch,A<timeout>,t<start>)
// the barrier, T(ms) the clock advancing to ms (due timers fire). Flink's assertions and their counterparts:
//   target.getTriggeredCheckpointCounter() / triggeredCheckpoints   `triggered`
//   target.getTriggeredCheckpointOptions()                          the options in `triggers`
//   assertAnnouncement / assertBarrier / assertData (gate order)    the order of the inputs replayed
//   a barrier overtaking data after a timeout (convertToPriorityEvent) `prioritized`: the task moves the barrier
//                                                                   ahead of that data, which it captures itself
//   TestInputChannel.isBlocked()                                     `blocked`
import { describe, expect, it } from 'vitest';
import { replayBarrierSequence as replay } from './barrier-sequence';
import { createBarrierHandler } from './create-barrier-handler';
import type { CheckpointBarrierHandler, CheckpointOptions } from './types';

const alternating = (numberOfChannels: number): CheckpointBarrierHandler =>
  createBarrierHandler('exactly-once', numberOfChannels, { unalignedEnabled: true });

const UNALIGNED: CheckpointOptions = { checkpointType: 'CHECKPOINT', alignment: 'UNALIGNED' };
const alignedWithTimeout = (alignedCheckpointTimeoutMs: number): CheckpointOptions => ({
  checkpointType: 'CHECKPOINT',
  alignment: 'ALIGNED',
  alignedCheckpointTimeoutMs,
});
const optionsOf = (handlerReplay: ReturnType<typeof replay>) => handlerReplay.triggers.map((trigger) => trigger.options);

describe('aligned checkpoints with a timeout (AlternatingCheckpointsTest)', () => {
  it('an unaligned barrier from upstream switches a checkpoint that only an announcement started (testSwitchToUnalignedByUpstream)', () => {
    const handler = alternating(2);
    const announced = replay(handler, 'T(100) A(1,0,A2147483647,t100)');
    expect(announced.triggered).toEqual([]);
    const switched = replay(handler, 'B(1,1,U,t100)');
    expect(switched.triggers).toEqual([{ checkpointId: 1, timestamp: 100, options: UNALIGNED }]);
    // The switch prioritizes the barrier announced on channel 0 (AlternatingWaitingForFirstBarrier.alignedCheckpointTimeout).
    expect(switched.prioritized).toEqual([{ channel: 0, checkpointId: 1 }]);
  });

  it('checkpoints and savepoints alternate, all aligned (testAlternation, 3 channels and 6 barriers instead of 123 x 123)', () => {
    const handler = alternating(3);
    const sequence = [0, 1, 2, 3, 4, 5].map((id) => [0, 1, 2].map((channel) => `B(${id},${channel},${id % 2 === 0 ? 'A' : 'SP,A'})`).join(' ')).join(' ');
    const result = replay(handler, sequence);
    expect(result.triggered).toEqual([0, 1, 2, 3, 4, 5]);
    expect(result.triggers.map((trigger) => trigger.options.checkpointType)).toEqual([
      'CHECKPOINT', 'SAVEPOINT', 'CHECKPOINT', 'SAVEPOINT', 'CHECKPOINT', 'SAVEPOINT',
    ]);
    expect(result.blocked).toEqual([]);
  });

  it('a savepoint stays aligned and blocks, an unaligned checkpoint triggers on its first barrier (testSavepointHandling, testCheckpointHandling)', () => {
    const savepoint = alternating(2);
    expect(replay(savepoint, 'B(123,0,SP,A,t1)')).toMatchObject({ triggered: [], blocked: [0] });
    expect(replay(savepoint, 'B(123,1,SP,A,t1)')).toMatchObject({ triggered: [123], blocked: [] });
    const checkpoint = alternating(2);
    expect(replay(checkpoint, 'B(123,0,U,t1)')).toMatchObject({ triggered: [123], blocked: [] });
    expect(replay(checkpoint, 'B(123,1,U,t1)')).toMatchObject({ triggered: [], blocked: [], inputCaptureFinished: [123] });
  });

  it('times out before the only barrier is read, then the next checkpoint is aligned again (testAlignedAfterTimedOut)', () => {
    const handler = alternating(1);
    expect(replay(handler, 'T(100) A(1,0,A100,t100)').triggered).toEqual([]);
    expect(handler.nextTimerMs()).toBe(200);
    const timedOut = replay(handler, 'T(201)');
    expect(timedOut.prioritized).toEqual([{ channel: 0, checkpointId: 1 }]);
    expect(handler.kind).toBe('AlternatingWaitingForFirstBarrierUnaligned');
    expect(replay(handler, 'B(1,0,A100,t100)').triggered).toEqual([1]);
    expect(replay(handler, 'A(2,0,A100,t201) B(2,0,A100,t201)').triggered).toEqual([2]);
    // target.getTriggeredCheckpointOptions() containsExactly(unaligned, alignedWithTimeout(100))
    const all = replay(alternating(1), 'T(100) A(1,0,A100,t100) T(201) B(1,0,A100,t100) A(2,0,A100,t201) B(2,0,A100,t201)');
    expect(optionsOf(all)).toEqual([UNALIGNED, alignedWithTimeout(100)]);
  });

  it('a timeout that never passes keeps the checkpoint aligned (testAlignedNeverTimeoutableCheckpoint)', () => {
    const handler = alternating(2);
    expect(replay(handler, 'T(100) B(1,0,A2147483647,t100) d1').triggered).toEqual([]);
    expect(replay(handler, 'B(1,1,A2147483647,t100)').triggered).toEqual([1]);
  });

  it('times out on announcements: the barriers overtake the data, the first triggers unaligned (testTimeoutAlignment)', () => {
    const handler = alternating(2);
    // channel 0: d d B, channel 1: d B; both channels announce their barrier.
    expect(replay(handler, 'T(100) A(1,0,A10,t100)').triggered).toEqual([]);
    const timedOut = replay(handler, 'T(120)');
    expect(timedOut).toMatchObject({ triggered: [], prioritized: [{ channel: 0, checkpointId: 1 }] });
    expect(replay(handler, 'A(1,1,A10,t100)').prioritized).toEqual([{ channel: 1, checkpointId: 1 }]);
    expect(replay(handler, 'B(1,0,A10,t100)')).toMatchObject({ triggered: [1], blocked: [0] });
    expect(replay(handler, 'B(1,1,A10,t100)')).toMatchObject({ triggered: [], blocked: [], inputCaptureFinished: [1] });
    // Followed by the overtaken buffers: the task captured them when it moved the barriers, not the handler.
    expect(replay(handler, 'd0 d0 d1').captured).toEqual([]);
    const all = replay(alternating(2), 'T(100) A(1,0,A10,t100) T(120) A(1,1,A10,t100) B(1,0,A10,t100) B(1,1,A10,t100)');
    expect(optionsOf(all)).toEqual([UNALIGNED]);
  });

  it('times out after one aligned barrier: triggers at the timer, that channel stays blocked (testTimeoutAlignmentAfterProcessingBarrier)', () => {
    const max = 2147483647;
    const handler = alternating(3);
    expect(replay(handler, `T(100) A(1,2,A${max},t100) B(1,2,A${max},t100)`)).toMatchObject({ triggered: [], blocked: [2] });
    expect(replay(handler, `A(1,0,A${max},t100)`).triggered).toEqual([]);
    const timedOut = replay(handler, `T(${100 + 2 * max})`);
    expect(timedOut).toMatchObject({ triggered: [1], prioritized: [{ channel: 0, checkpointId: 1 }], blocked: [2] });
    expect(optionsOf(timedOut)).toEqual([UNALIGNED]);
    expect(replay(handler, `A(1,1,A${max},t100)`).prioritized).toEqual([{ channel: 1, checkpointId: 1 }]);
    expect(replay(handler, `B(1,0,A${max},t100)`).blocked).toEqual([0, 2]);
    expect(replay(handler, `B(1,1,A${max},t100)`)).toMatchObject({ triggered: [], blocked: [], inputCaptureFinished: [1] });
  });

  it('times out on the clock before the first barrier, which then triggers unaligned (testTimeoutAlignmentOnFirstBarrier)', () => {
    const handler = alternating(2);
    expect(replay(handler, 'T(100) A(1,0,A100,t100) A(1,1,A100,t100)').triggered).toEqual([]);
    const timedOut = replay(handler, 'T(500)');
    expect(timedOut).toMatchObject({ triggered: [], prioritized: [{ channel: 0, checkpointId: 1 }, { channel: 1, checkpointId: 1 }] });
    expect(optionsOf(replay(handler, 'B(1,0,A100,t100)'))).toEqual([UNALIGNED]);
  });

  it('a first barrier read after its timeout passed triggers unaligned at once (testTimeoutAlignmentBeforeFirstBarrier)', () => {
    const handler = alternating(2);
    const late = replay(handler, 'T(201) B(1,0,A100,t100)');
    expect(late).toMatchObject({ triggered: [1], blocked: [0] });
    expect(optionsOf(late)).toEqual([UNALIGNED]);
    // The timer registered with the barrier still fires, and changes nothing (the state is already unaligned).
    expect(handler.nextTimerMs()).toBe(201);
    expect(replay(handler, 'T(201)')).toMatchObject({ triggered: [], prioritized: [] });
  });

  it('a barrier without announcement starts the timer when it is read (testTimeoutAlignmentWhenLocalBarrierFirst)', () => {
    const handler = alternating(3);
    const first = replay(handler, 'T(100) B(1,0,A100,t100) A(1,1,A100,t100) A(1,2,A100,t100) B(1,1,A100,t100) B(1,2,A100,t100)');
    expect(optionsOf(first)).toEqual([alignedWithTimeout(100)]);
    // Checkpoint 2 starts at 201 with a barrier from a local channel (no announcement): nothing until its timeout.
    expect(replay(handler, 'T(201) B(2,0,A100,t201)').triggered).toEqual([]);
    expect(handler.nextTimerMs()).toBe(301);
    const timedOut = replay(handler, 'T(302) A(2,1,A100,t201) B(2,1,A100,t201)');
    expect(optionsOf(timedOut)).toEqual([UNALIGNED]);
  });

  it('times out actively after the first barrier (testActiveTimeoutAlignmentOnFirstBarrier)', () => {
    const handler = alternating(2);
    replay(handler, 'T(100) A(1,0,A100,t100) B(1,0,A100,t100)');
    expect(optionsOf(replay(handler, 'T(201)'))).toEqual([UNALIGNED]);
  });

  it('keeps the channels blocked by aligned barriers until the last barrier, then unblocks all (testAllChannelsUnblockedAfteralignedCheckpointTimeout)', () => {
    const handler = alternating(2);
    expect(replay(handler, 'T(100) A(1,0,A100,t100) B(1,0,A100,t100)').blocked).toEqual([0]);
    const timedOut = replay(handler, 'T(201)');
    expect(timedOut).toMatchObject({ triggered: [1], blocked: [0] });
    expect(replay(handler, 'A(1,1,A100,t100)').prioritized).toEqual([{ channel: 1, checkpointId: 1 }]);
    const last = replay(handler, 'B(1,1,A100,t100)');
    expect(last).toMatchObject({ triggered: [], blocked: [] });
    expect(optionsOf(replay(alternating(2), 'T(100) A(1,0,A100,t100) B(1,0,A100,t100) T(201) A(1,1,A100,t100) B(1,1,A100,t100)'))).toEqual([UNALIGNED]);
  });

  it('no timeout after the last barrier (testNoActiveTimeoutAlignmentAfterLastBarrier)', () => {
    const handler = alternating(2);
    const result = replay(handler, 'T(100) B(1,0,A100,t100) B(1,1,A100,t100) T(201)');
    expect(optionsOf(result)).toEqual([alignedWithTimeout(100)]);
    expect(handler.nextTimerMs()).toBeNull();
  });

  it('no timeout after an abort (testNoActiveTimeoutAlignmentAfterAbort)', () => {
    // Flink's test reads C(1) from channel 0 after that channel's aligned barrier, which its test channels
    // allow but a blocked channel never delivers; here the marker comes on channel 1.
    const handler = alternating(2);
    const result = replay(handler, 'T(100) B(1,0,A100,t100) C(1,1) T(201)');
    expect(result.triggers).toEqual([]);
    expect(result.aborted).toEqual([{ checkpointId: 1, reason: 'CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER' }]);
    expect(handler.nextTimerMs()).toBeNull();
  });

  it('an unaligned barrier from upstream switches an aligned alignment in progress (testTimeoutAlignmentOnUnalignedCheckpoint)', () => {
    const handler = alternating(3);
    expect(replay(handler, 'T(100) A(1,0,A2147483647,t100) B(1,0,A2147483647,t100)').blocked).toEqual([0]);
    // Channel 1 queued d d before the unaligned barrier, a priority event that overtakes them: the gate reads the
    // barrier first. Flink's channel state then holds those 2 buffers of channel 1 — the task's to capture.
    const switched = replay(handler, 'B(1,1,U,t100)');
    expect(switched).toMatchObject({ triggered: [1], blocked: [0] });
    expect(optionsOf(switched)).toEqual([UNALIGNED]);
    expect(replay(handler, 'd1 d1 d2').captured).toEqual([{ position: 2, channel: 2, checkpointId: 1 }]);
  });

  it('ends of partition after a timeout complete the unaligned checkpoint (testTimeoutAlignmentAfterReceivedEndOfPartition)', () => {
    // Flink advances its clock without running the timer, so the end of partition sees the timeout passively
    // (AlternatingCollectingBarriers.endOfPartitionReceived). Here advancing the clock runs due timers, so the
    // timer switches first; the outcome is the same: one trigger, unaligned.
    const handler = alternating(3);
    replay(handler, 'T(100) A(1,0,A100,t100) B(1,0,A100,t100)');
    const result = replay(handler, 'T(201) d1 E(1) d2 E(2)');
    expect(optionsOf(result)).toEqual([UNALIGNED]);
    expect(result.captured.map((buffer) => buffer.channel)).toEqual([1, 2]);
    expect(result.inputCaptureFinished).toEqual([1]);
    expect(result.blocked).toEqual([]);
  });

  it('an announcement starts the checkpoint, an end of partition marks the alignment start (testStartNewCheckpointViaAnnouncement, FLINK-24068)', () => {
    const handler = alternating(3);
    expect(replay(handler, 'T(100) A(1,0,A10000,t100)').started).toEqual([]);
    expect(handler.pendingCheckpointIds()).toEqual([1]);
    // isDuringAlignment() after the end of partition: markAlignmentStart is `started`.
    expect(replay(handler, 'E(1)').started).toEqual([1]);
    expect(replay(handler, 'B(1,0,A10000,t100) A(1,2,A10000,t100) B(1,2,A10000,t100)').triggered).toEqual([1]);
  });

  it('as Flink, ignores a marker of a checkpoint only an announcement started (processCancellationBarrier needs an aligned channel)', () => {
    // Found by the property test (seed 909): the timeout then switches 3 and channel 1 captures past its marker.
    const handler = alternating(2);
    expect(replay(handler, 'T(6) A(3,0,A17,t7) C(3,1)').aborted).toEqual([]);
    expect(handler.pendingCheckpointIds()).toEqual([3]);
    const result = replay(handler, 'T(24) B(3,0,A17,t7) d1');
    expect(optionsOf(result)).toEqual([UNALIGNED]);
    expect(result.captured).toEqual([{ position: 2, channel: 1, checkpointId: 3 }]);
  });
});
