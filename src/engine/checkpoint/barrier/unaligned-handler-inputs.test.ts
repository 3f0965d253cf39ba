// The handler's new inputs and outcome fields outside Flink's test sequences: caller errors, the
// aligned handler and the tracker fed unaligned inputs, aborts and subsumption of a triggered unaligned
// checkpoint, and Flink's CheckpointOptions.forConfig.
import { describe, expect, it } from 'vitest';
import { replayBarrierSequence as replay } from './barrier-sequence';
import { checkpointOptionsForConfig, isTimeoutable } from './checkpoint-options';
import { createBarrierHandler } from './create-barrier-handler';

const alternating = (numberOfChannels: number) => createBarrierHandler('exactly-once', numberOfChannels, { unalignedEnabled: true });

describe('caller errors with unaligned inputs', () => {
  it('refuses time going back, bad timestamps, unaligned savepoints and unaligned timeouts, changing nothing', () => {
    const handler = alternating(2);
    replay(handler, 'T(50)');
    expect(() => replay(handler, 'T(49)')).toThrow(/never goes back/);
    expect(() => handler.process({ kind: 'advance-time', toMs: Number.NaN })).toThrow(RangeError);
    expect(() => handler.process({ kind: 'barrier', channel: 0, checkpointId: 1, timestamp: Infinity })).toThrow(RangeError);
    expect(() => replay(handler, 'B(1,0,SP,U)')).toThrow(/savepoint can't be unaligned/);
    expect(() => handler.process({ kind: 'barrier', channel: 0, checkpointId: 1, options: { checkpointType: 'CHECKPOINT', alignment: 'UNALIGNED', alignedCheckpointTimeoutMs: 5 } })).toThrow(/can't have a timeout/);
    expect(handler.latestCheckpointId).toBe(-1);
  });

  it('refuses an announcement from a blocked or ended channel', () => {
    const handler = alternating(3);
    replay(handler, 'B(1,0,A100) E(2)');
    expect(() => replay(handler, 'A(2,0,A100)')).toThrow(/blocked/);
    expect(() => replay(handler, 'A(2,2,A100)')).toThrow(/end of partition/);
  });

  it('refuses unaligned checkpoints with at-least-once, as InputProcessorUtil does', () => {
    expect(() => createBarrierHandler('at-least-once', 2, { unalignedEnabled: true })).toThrow(/AT_LEAST_ONCE/);
  });
});

describe('the aligned handler and the tracker fed unaligned inputs', () => {
  it('aligned (unaligned off): triggers with each barrier\'s options, sets no timer and ignores announcements', () => {
    const handler = createBarrierHandler('exactly-once', 2);
    expect(handler.kind).toBe('WaitingForFirstBarrier');
    const result = replay(handler, 'A(1,0,A10,t0) B(1,0,A10,t0) T(100) B(1,1,A10,t0) B(2,0,SP,t5) B(2,1,SP,t5)');
    expect(handler.nextTimerMs()).toBeNull();
    expect(result.prioritized).toEqual([]);
    expect(result.triggers).toEqual([
      { checkpointId: 1, timestamp: 0, options: { checkpointType: 'CHECKPOINT', alignment: 'ALIGNED', alignedCheckpointTimeoutMs: 10 } },
      { checkpointId: 2, timestamp: 5, options: { checkpointType: 'SAVEPOINT' } },
    ]);
  });

  it('aligned: a barrier without options triggers as an aligned checkpoint at 0, and outcomes still equal their four-field literal', () => {
    const outcome = createBarrierHandler('exactly-once', 1).process({ kind: 'barrier', channel: 0, checkpointId: 1 });
    expect(outcome).toEqual({ started: 1, triggered: [1], aborted: [], blocked: [] });
    expect(outcome.triggers).toEqual([{ checkpointId: 1, timestamp: 0, options: { checkpointType: 'CHECKPOINT' } }]);
    expect({ ...outcome }).toEqual({ started: 1, triggered: [1], aborted: [], blocked: [] });
    expect([outcome.captured, outcome.prioritized, outcome.inputCaptureFinished]).toEqual([null, [], []]);
  });

  it('tracker: ignores announcements and the clock, triggers with the completing barrier (or the first one on an end of partition)', () => {
    const tracker = createBarrierHandler('at-least-once', 2);
    const result = replay(tracker, 'A(1,0,A10,t0) T(100) B(1,0,A10,t0) d0 B(1,1,U,t0) B(2,0,SP,t3) E(1)');
    expect(tracker.nextTimerMs()).toBeNull();
    expect(result.captured).toEqual([]);
    expect(result.triggers).toEqual([
      { checkpointId: 1, timestamp: 0, options: { checkpointType: 'CHECKPOINT', alignment: 'UNALIGNED' } },
      { checkpointId: 2, timestamp: 3, options: { checkpointType: 'SAVEPOINT' } },
    ]);
  });
});

describe('a triggered unaligned checkpoint that does not complete', () => {
  it('the task aborts it: reported, capture finished, channels unblocked', () => {
    const handler = alternating(3);
    replay(handler, 'T(100) B(1,0,A10,t100) T(111)');
    expect(handler.blockedChannels()).toEqual([0]);
    const outcome = handler.abort(1, 'CHECKPOINT_ASYNC_EXCEPTION');
    expect(outcome).toMatchObject({ aborted: [{ checkpointId: 1, reason: 'CHECKPOINT_ASYNC_EXCEPTION' }], inputCaptureFinished: [1], blocked: [] });
    expect(replay(handler, 'd1').captured).toEqual([]);
    expect(handler.kind).toBe('AlternatingWaitingForFirstBarrier');
  });

  it('a newer barrier subsumes it: reported subsumed, capture finished, the newer one starts', () => {
    const handler = alternating(2);
    replay(handler, 'B(1,0,U) d1');
    const outcome = handler.process({ kind: 'barrier', channel: 1, checkpointId: 2, options: { checkpointType: 'CHECKPOINT', alignment: 'UNALIGNED' } });
    expect(outcome).toMatchObject({
      aborted: [{ checkpointId: 1, reason: 'CHECKPOINT_DECLINED_SUBSUMED' }],
      inputCaptureFinished: [1],
      started: 2,
      triggered: [2],
    });
    expect(replay(handler, 'd0 B(1,0,U) d0 B(2,0,U)').captured.map((buffer) => [buffer.position, buffer.checkpointId])).toEqual([[0, 2], [2, 2]]);
  });

  it('an abort of a newer checkpoint cuts it short: both reported', () => {
    const handler = alternating(2);
    replay(handler, 'B(1,0,U)');
    expect(handler.abort(2, 'CHECKPOINT_DECLINED').aborted).toEqual([
      { checkpointId: 1, reason: 'CHECKPOINT_DECLINED' },
      { checkpointId: 2, reason: 'CHECKPOINT_DECLINED' },
    ]);
  });
});

describe("Flink's CheckpointOptions.forConfig", () => {
  it('picks AT_LEAST_ONCE, ALIGNED, UNALIGNED or ALIGNED with the timeout', () => {
    const config = (exactlyOnce: boolean, unalignedEnabled: boolean, alignedCheckpointTimeoutMs: number) => ({ exactlyOnce, unalignedEnabled, alignedCheckpointTimeoutMs });
    expect(checkpointOptionsForConfig('CHECKPOINT', config(false, true, 10))).toEqual({ checkpointType: 'CHECKPOINT', alignment: 'AT_LEAST_ONCE' });
    expect(checkpointOptionsForConfig('SAVEPOINT', config(true, true, 0))).toEqual({ checkpointType: 'SAVEPOINT', alignment: 'ALIGNED' });
    expect(checkpointOptionsForConfig('CHECKPOINT', config(true, false, 10))).toEqual({ checkpointType: 'CHECKPOINT', alignment: 'ALIGNED' });
    expect(checkpointOptionsForConfig('CHECKPOINT', config(true, true, 0))).toEqual({ checkpointType: 'CHECKPOINT', alignment: 'UNALIGNED' });
    const withTimeout = checkpointOptionsForConfig('CHECKPOINT', config(true, true, 30));
    expect(withTimeout).toEqual({ checkpointType: 'CHECKPOINT', alignment: 'ALIGNED', alignedCheckpointTimeoutMs: 30 });
    expect(isTimeoutable(withTimeout)).toBe(true);
    expect(isTimeoutable({ checkpointType: 'CHECKPOINT', alignment: 'FORCED_ALIGNED', alignedCheckpointTimeoutMs: 30 })).toBe(false);
  });
});
