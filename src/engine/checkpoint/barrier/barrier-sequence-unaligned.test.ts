// The notation's unaligned additions: announcements, the clock, barrier option fields, and how a replay
// prints triggers with their options and the captured buffers.
import { describe, expect, it } from 'vitest';
import { formatBarrierSequence, formatReplayEvents, parseBarrierSequence, replayBarrierSequence } from './barrier-sequence';
import { createBarrierHandler } from './create-barrier-handler';

describe('barrier sequence notation, unaligned checkpoints', () => {
  it('reads announcements, the clock and barrier options', () => {
    expect(parseBarrierSequence('A(1,0,A10,t5) T(20) B(1,0,U) B(2,1,SP) B(3,0,CP,t7) B(4,2,F30) B(5,1,SSP,A)')).toEqual([
      { kind: 'announcement', checkpointId: 1, channel: 0, timestamp: 5, options: { checkpointType: 'CHECKPOINT', alignment: 'ALIGNED', alignedCheckpointTimeoutMs: 10 } },
      { kind: 'advance-time', toMs: 20 },
      { kind: 'barrier', checkpointId: 1, channel: 0, options: { checkpointType: 'CHECKPOINT', alignment: 'UNALIGNED' } },
      { kind: 'barrier', checkpointId: 2, channel: 1, options: { checkpointType: 'SAVEPOINT' } },
      { kind: 'barrier', checkpointId: 3, channel: 0, timestamp: 7, options: { checkpointType: 'CHECKPOINT' } },
      { kind: 'barrier', checkpointId: 4, channel: 2, options: { checkpointType: 'CHECKPOINT', alignment: 'FORCED_ALIGNED', alignedCheckpointTimeoutMs: 30 } },
      { kind: 'barrier', checkpointId: 5, channel: 1, options: { checkpointType: 'SYNC_SAVEPOINT', alignment: 'ALIGNED' } },
    ]);
  });

  it('gives a barrier with a timestamp only no options, and a plain barrier neither', () => {
    expect(parseBarrierSequence('B(1,0,t9) B(2,0)')).toEqual([
      { kind: 'barrier', checkpointId: 1, channel: 0, timestamp: 9 },
      { kind: 'barrier', checkpointId: 2, channel: 0 },
    ]);
  });

  it('prints what it parses', () => {
    const text = 'd0 A(1,0,A10,t5) T(20) B(1,0,U) B(2,1,SP) B(3,0,CP,t7) B(4,2,F30) B(5,1,SSP,A) B(6,0,L) B(7,0,t3) C(3,0) E(1)';
    expect(formatBarrierSequence(parseBarrierSequence(text))).toBe(text);
  });

  it('rejects unknown fields and a timeout on anything but A or F, saying where', () => {
    expect(() => parseBarrierSequence('d0 B(1,0,X)')).toThrow(/unknown barrier field 'X' at 3/);
    expect(() => parseBarrierSequence('B(1,0,U10)')).toThrow(SyntaxError);
    expect(() => parseBarrierSequence('T(-1)')).toThrow(SyntaxError);
    expect(() => parseBarrierSequence('A(1)')).toThrow(SyntaxError);
  });

  it('prints a replay: triggers with their options, prioritized barriers, captured buffers and finished captures', () => {
    const handler = createBarrierHandler('exactly-once', 2, { unalignedEnabled: true });
    const result = replayBarrierSequence(handler, 'A(1,0,A10,t0) T(10) B(1,0,A10,t0) d1 B(1,1,A10,t0)');
    expect(formatReplayEvents(result)).toBe('prioritized(B(1,0)) started(1) triggered(1,U,t0) captured(#3 d1 for 1) input-captured(1)');
    const switched = replayBarrierSequence(createBarrierHandler('exactly-once', 3, { unalignedEnabled: true }), 'A(1,0,A10,t0) B(1,1,A10,t0) T(10)');
    expect(formatReplayEvents(switched)).toBe('started(1) prioritized(B(1,0)) triggered(1,U,t0)');
    const aligned = replayBarrierSequence(createBarrierHandler('exactly-once', 2), 'B(1,0) B(2,1) B(2,0)');
    expect(formatReplayEvents(aligned)).toBe('started(1) aborted(1,CHECKPOINT_DECLINED_SUBSUMED) started(2) triggered(2,CP,t0)');
  });
});
