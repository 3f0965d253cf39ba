// The text notation of Flink's barrier tests: parsing, printing, and replaying against a handler.
import { describe, expect, it } from 'vitest';
import {
  formatBarrierSequence,
  parseBarrierSequence,
  replayBarrierSequence,
  signedNotifications,
} from './barrier-sequence';
import { createBarrierHandler } from './create-barrier-handler';

describe('barrier sequence notation', () => {
  it('reads data, barriers, cancellation markers and ends of partition in order', () => {
    expect(parseBarrierSequence('d0 d2 B(1,1) C(1,2) E(0)')).toEqual([
      { kind: 'data', channel: 0 },
      { kind: 'data', channel: 2 },
      { kind: 'barrier', checkpointId: 1, channel: 1 },
      { kind: 'cancellation-marker', checkpointId: 1, channel: 2 },
      { kind: 'end-of-partition', channel: 0 },
    ]);
  });

  it('accepts spaces inside parentheses, commas between tokens, and an empty sequence', () => {
    expect(parseBarrierSequence(' B( 12 , 3 ),d10,\n E( 4 ) ')).toEqual([
      { kind: 'barrier', checkpointId: 12, channel: 3 },
      { kind: 'data', channel: 10 },
      { kind: 'end-of-partition', channel: 4 },
    ]);
    expect(parseBarrierSequence('  ')).toEqual([]);
  });

  it('rejects text it cannot read, saying where', () => {
    expect(() => parseBarrierSequence('d0 X(1)')).toThrow(/'X\(1\)' at 3/);
    expect(() => parseBarrierSequence('B(1)')).toThrow(SyntaxError);
    expect(() => parseBarrierSequence('d0d1')).not.toThrow();
  });

  it('prints what it parses', () => {
    const text = 'd0 B(1,2) C(3,0) E(1)';
    expect(formatBarrierSequence(parseBarrierSequence(text))).toBe(text);
  });

  it('replays a sequence into events in order, and into Flink\'s signed notation', () => {
    const result = replayBarrierSequence(createBarrierHandler('exactly-once', 2), 'B(1,0) B(2,1) B(2,0)');
    expect(result.events).toEqual([
      { kind: 'started', checkpointId: 1 },
      { kind: 'aborted', checkpointId: 1, reason: 'CHECKPOINT_DECLINED_SUBSUMED' },
      { kind: 'started', checkpointId: 2 },
      { kind: 'triggered', checkpointId: 2 },
    ]);
    expect(signedNotifications(result)).toEqual([-1, 2]);
    expect(result.blocked).toEqual([]);
  });
});
