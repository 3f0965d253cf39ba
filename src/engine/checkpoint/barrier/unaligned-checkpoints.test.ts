// Sequences ported from Flink's UnalignedCheckpointsTest (flink-runtime/src/test/java/org/apache/flink/
// streaming/runtime/io/checkpointing/, before 2.0 in flink-streaming-java), replayed against the
// alternating handler. Flink's createBarrier makes UNALIGNED barriers, written B(id,ch,U) here. Flink builds
// the strictly unaligned handler (createUnalignedCheckpointBarrierHandler) for these tests; fed unaligned
// barriers the alternating one decides the same, and only returns to AlternatingWaitingForFirstBarrier.
//
// Flink's assertions and their counterparts:
//   assertOutput(sequence)                          every input is read, none from a blocked channel (replay throws otherwise), blocked stays []
//   assertInflightData(sequence[i], ...)            captured positions (the buffers copied into the checkpoint's input channel state)
//   channelStateWriter.getLastStartedCheckpointId() the last id in `triggers`, all with options UNALIGNED (-1: none this time)
//   handler.getLastCanceledCheckpointId()            the last id in `aborted`
import { describe, expect, it } from 'vitest';
import { replayBarrierSequence, signedNotifications, type ReplayResult } from './barrier-sequence';
import { createBarrierHandler } from './create-barrier-handler';
import type { CheckpointBarrierHandler } from './types';

const unaligned = (numberOfChannels: number, checkpointsAfterTasksFinish = true): CheckpointBarrierHandler =>
  createBarrierHandler('exactly-once', numberOfChannels, { unalignedEnabled: true, checkpointsAfterTasksFinish });

/** Replays and checks what assertOutput checks: nothing was ever blocked. */
function replay(handler: CheckpointBarrierHandler, sequence: string): ReplayResult {
  const result = replayBarrierSequence(handler, sequence);
  expect(result.blocked).toEqual([]);
  return result;
}

const inflight = (result: ReplayResult) => result.captured.map((buffer) => buffer.position);
const lastStarted = (result: ReplayResult) => result.triggers.at(-1)?.checkpointId ?? -1;
const lastCanceled = (result: ReplayResult) => result.aborted.at(-1)?.checkpointId ?? -1;

describe('unaligned checkpoints (UnalignedCheckpointsTest)', () => {
  it('captures no data when no barrier comes (testSingleChannelNoBarriers, testMultiChannelNoBarriers)', () => {
    expect(inflight(replay(unaligned(1), 'd0 d0 d0 E(0)'))).toEqual([]);
    const result = replay(unaligned(4), 'd2 d2 d0 d1 d0 E(0) d3 d1 E(3) d1 E(1) d2 E(2)');
    expect(result.triggers).toEqual([]);
    expect(inflight(result)).toEqual([]);
  });

  it('triggers each barrier of a single channel at once, with nothing in flight (testSingleChannelWithBarriers)', () => {
    const result = replay(unaligned(1), 'd0 d0 d0 B(1,0,U) d0 d0 d0 d0 B(2,0,U) B(3,0,U) d0 d0 B(4,0,U) B(5,0,U) B(6,0,U) d0 E(0)');
    expect(result.triggered).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.inputCaptureFinished).toEqual([1, 2, 3, 4, 5, 6]);
    expect(inflight(result)).toEqual([]);
  });

  it('triggers on the first barrier and captures what the other channels read before theirs (testMultiChannelWithBarriers)', () => {
    const handler = unaligned(3);
    // checkpoint with in-flight data: assertInflightData(sequence1[7])
    const first = replay(handler, 'd0 d2 d0 B(1,1,U) B(1,2,U) d2 d1 d0 B(1,0,U)');
    expect(first.events.slice(0, 2)).toEqual([
      { kind: 'started', checkpointId: 1 },
      { kind: 'triggered', checkpointId: 1 },
    ]);
    expect(first.triggers).toEqual([{ checkpointId: 1, timestamp: 0, options: { checkpointType: 'CHECKPOINT', alignment: 'UNALIGNED' } }]);
    expect(inflight(first)).toEqual([7]);
    expect(first.captured[0]).toEqual({ position: 7, channel: 0, checkpointId: 1 });
    expect(first.inputCaptureFinished).toEqual([1]);
    // checkpoint without in-flight data
    const second = replay(handler, 'd0 d0 d1 d1 d2 B(2,0,U) B(2,1,U) B(2,2,U)');
    expect([lastStarted(second), inflight(second)]).toEqual([2, []]);
    // checkpoint with data only from one channel
    const third = replay(handler, 'd2 d2 B(3,2,U) d2 d2 B(3,0,U) B(3,1,U)');
    expect([lastStarted(third), inflight(third)]).toEqual([3, []]);
    // empty checkpoint
    const fourth = replay(handler, 'B(4,1,U) B(4,2,U) B(4,0,U)');
    expect([lastStarted(fourth), inflight(fourth)]).toEqual([4, []]);
    // checkpoint with in-flight data in mixed order: assertInflightData(sequence5[4], sequence5[5], sequence5[6], sequence5[10])
    const fifth = replay(handler, 'd0 d2 d0 B(5,1,U) d2 d0 d2 d1 B(5,2,U) d1 d0 d2 d1 B(5,0,U)');
    expect([lastStarted(fifth), inflight(fifth)]).toEqual([5, [4, 5, 6, 10]]);
    // some trailing data
    const trailing = replay(handler, 'd0 E(0) E(1) E(2)');
    expect([trailing.triggers, inflight(trailing)]).toEqual([[], []]);
  });

  it('before FLIP-147, an end of partition aborts the pending checkpoint and ends its capture (testMultiChannelTrailingInflightData)', () => {
    const result = replay(
      unaligned(3, false),
      'd0 d1 d2 B(1,1,U) B(1,2,U) B(1,0,U) d2 d1 d0 B(2,1,U) d1 d1 E(1) d0 d2 B(2,2,U) d2 E(2) d0 E(0)',
    );
    expect(lastStarted(result)).toBe(2);
    expect(result.aborted).toEqual([{ checkpointId: 2, reason: 'CHECKPOINT_DECLINED_INPUT_END_OF_STREAM' }]);
    expect(inflight(result)).toEqual([]);
    expect(result.inputCaptureFinished).toEqual([1, 2]);
  });

  it('a marker of a newer checkpoint cuts the triggered one short (testMissingCancellationBarriers)', () => {
    const result = replay(unaligned(2), 'B(1,0,U) C(2,0) C(3,0) C(3,1) d0 E(0) E(1)');
    expect(lastStarted(result)).toBe(1);
    expect(lastCanceled(result)).toBe(3);
    expect(inflight(result)).toEqual([]);
    // Flink notifies the aborts of 2 and 3 only; checkpoint 1 fails through its allBarriersReceivedFuture,
    // which C(2) completes exceptionally. The handler reports that as an abort of 1 (see docs/barrier-handler.md).
    expect(signedNotifications(result)).toEqual([1, -1, -2, -3]);
    expect(result.inputCaptureFinished).toEqual([1]);
  });

  it('captures per checkpoint, in order (testEarlyCleanup)', () => {
    const handler = unaligned(3, false);
    const first = replay(handler, 'd0 d1 d2 B(1,1,U) B(1,2,U) B(1,0,U)');
    expect([lastStarted(first), inflight(first)]).toEqual([1, []]);
    const second = replay(handler, 'd2 d1 d0 B(2,1,U) d1 d1 E(1) d0 d2 B(2,2,U) d2 E(2) d0 E(0)');
    expect([lastStarted(second), inflight(second)]).toEqual([2, []]);
  });

  it('does not wait for channels that ended before the checkpoint (testStartAlignmentWithClosedChannels)', () => {
    const handler = unaligned(4);
    const first = replay(handler, 'E(2) E(1) d0 d0 d3 B(2,3,U) B(2,0,U)');
    expect([lastStarted(first), inflight(first), first.inputCaptureFinished]).toEqual([2, [], [2]]);
    const second = replay(handler, 'd3 d0 B(3,3,U) d3 d0 B(3,0,U)');
    expect([lastStarted(second), inflight(second)]).toEqual([3, [4]]);
    const third = replay(handler, 'B(4,0,U) B(4,3,U)');
    expect([lastStarted(third), inflight(third)]).toEqual([4, []]);
    const fourth = replay(handler, 'd0 d0 d3 E(0)');
    expect([lastStarted(fourth), inflight(fourth)]).toEqual([-1, []]);
    const fifth = replay(handler, 'd3 B(5,3,U) d3 E(3)');
    expect([lastStarted(fifth), inflight(fifth)]).toEqual([5, []]);
  });

  it('with FLIP-147, the ends of the missing channels complete the capture (testEndOfStreamWhileCheckpoint)', () => {
    const handler = unaligned(3);
    const first = replay(handler, 'B(1,0,U) B(1,1,U) B(1,2,U)');
    expect([lastStarted(first), inflight(first)]).toEqual([1, []]);
    const second = replay(handler, 'd0 d0 d2 B(2,2,U) B(2,0,U) d0 d2 d1 E(2) E(1) d0 E(0)');
    expect(lastStarted(second)).toBe(2);
    expect(inflight(second)).toEqual([7]);
    expect(second.aborted).toEqual([]);
    expect(second.inputCaptureFinished).toEqual([2]);
  });

  it('before FLIP-147, an end of partition aborts the triggered checkpoint (testEndOfStreamWithPendingCheckpoint)', () => {
    const handler = unaligned(2, false);
    expect(replay(handler, 'B(0,0,U)').triggered).toEqual([0]);
    expect(handler.pendingCheckpointIds()).toEqual([0]);
    const result = replay(handler, 'E(0)');
    expect(result.aborted).toEqual([{ checkpointId: 0, reason: 'CHECKPOINT_DECLINED_INPUT_END_OF_STREAM' }]);
    expect(handler.pendingCheckpointIds()).toEqual([]);
    expect(handler.latestCheckpointId).toBe(0);
    expect(handler.openChannels()).toEqual([1]);
  });

  it('aborts on a single channel by marker (testSingleChannelAbortCheckpoint)', () => {
    const handler = unaligned(1);
    const first = replay(handler, 'd0 B(1,0,U) d0 B(2,0,U) C(4,0)');
    expect([lastStarted(first), lastCanceled(first), inflight(first)]).toEqual([2, 4, []]);
    const second = replay(handler, 'B(5,0,U) d0 C(6,0) d0 E(0)');
    expect([lastStarted(second), lastCanceled(second), inflight(second)]).toEqual([5, 6, []]);
  });

  it('aborts on markers, before or after the first barrier (testMultiChannelAbortCheckpoint)', () => {
    const handler = unaligned(3);
    const first = replay(handler, 'd0 d2 d0 B(1,1,U) B(1,2,U) d2 d1 B(1,0,U) d0 d2');
    expect([lastStarted(first), inflight(first)]).toEqual([1, []]);
    // canceled checkpoint on last barrier
    const second = replay(handler, 'B(2,0,U) B(2,2,U) d0 d2 C(2,1)');
    expect([lastStarted(second), lastCanceled(second), inflight(second), second.inputCaptureFinished]).toEqual([2, 2, [], [2]]);
    const third = replay(handler, 'd2 d1 B(3,1,U) B(3,2,U) B(3,0,U)');
    expect([lastStarted(third), inflight(third)]).toEqual([3, []]);
    // this checkpoint gets immediately canceled, don't start a checkpoint at all
    const fourth = replay(handler, 'd0 d1 C(4,1) B(4,2,U) d0 B(4,0,U)');
    expect([lastStarted(fourth), lastCanceled(fourth), inflight(fourth)]).toEqual([-1, 4, []]);
    const fifth = replay(handler, 'd0 d1 d2 B(5,2,U) B(5,1,U) B(5,0,U) d0 d1');
    expect([lastStarted(fifth), inflight(fifth)]).toEqual([5, []]);
    // abort multiple cancellations and a barrier after the cancellations, don't start a checkpoint at all
    const sixth = replay(handler, 'C(6,1) C(6,2) B(6,0,U) d0 E(0) E(1) E(2)');
    expect([lastStarted(sixth), lastCanceled(sixth), inflight(sixth)]).toEqual([-1, 6, []]);
  });

  it('a marker before the barrier makes it stale (testProcessCancellationBarrierBeforeProcessAndReceiveBarrier)', () => {
    const handler = unaligned(1);
    const result = replay(handler, 'C(0,0) B(0,0,U)');
    expect(result.triggered).toEqual([]);
    expect(result.aborted).toEqual([{ checkpointId: 0, reason: 'CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER' }]);
    expect(handler.pendingCheckpointIds()).toEqual([]);
    expect(handler.latestCheckpointId).toBe(0);
  });

  it('a marker after the barrier aborts the triggered checkpoint, a newer marker moves on (testProcessCancellationBarrierAfterProcessBarrier)', () => {
    const handler = unaligned(2);
    expect(replay(handler, 'B(0,0,U)').triggered).toEqual([0]);
    expect(handler.pendingCheckpointIds()).toEqual([0]);
    expect(replay(handler, 'C(0,0)').aborted.map((aborted) => aborted.checkpointId)).toEqual([0]);
    expect(handler.pendingCheckpointIds()).toEqual([]);
    expect(replay(handler, 'C(1,0)').aborted.map((aborted) => aborted.checkpointId)).toEqual([1]);
    expect(handler.latestCheckpointId).toBe(1);
  });

  it('counts ends of partition toward the alignment (testTriggerCheckpointsWithEndOfPartition)', () => {
    const result = replay(unaligned(3), 'B(1,1,U) d0 B(1,0,U) d1 E(2) E(0) E(1)');
    expect(result.triggered).toEqual([1]);
    expect(result.aborted).toEqual([]);
    expect(inflight(result)).toEqual([1]);
  });

  it('does not wait for ended channels (testTriggerCheckpointsAfterReceivedEndOfPartition)', () => {
    const handler = unaligned(3);
    const first = replay(handler, 'E(0) B(3,1,U) d1 d2 E(1) B(3,2,U)');
    expect([first.triggered, first.aborted, inflight(first)]).toEqual([[3], [], [3]]);
    const second = replay(handler, 'd2 B(4,2,U) E(2)');
    expect([second.triggered, second.aborted, inflight(second)]).toEqual([[4], [], []]);
  });
});
