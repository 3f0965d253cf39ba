// The consumer side of credit-based flow control: each channel is FIFO, read round robin past blocked
// channels; a consumed buffer returns one credit; more buffers than credited is a protocol violation.
import { describe, expect, it } from 'vitest';
import { InputGate } from './input-gate';
import type { ChannelElement } from './messages';
import type { NetworkLimits } from './network-limits';
import { ResultPartition } from './result-partition';

const limits: NetworkLimits = { bufferCapacityRecords: 1, buffersPerChannel: 2, maxBacklogBuffersPerSubpartition: 4 };
const buffer = (...records: string[]): ChannelElement => ({ kind: 'buffer', records, sizeBytes: 10 * records.length });
const barrier = (checkpointId: number): ChannelElement => ({ kind: 'barrier', checkpointId, timestamp: 0, options: { checkpointType: 'CHECKPOINT' } });

function gate(numberOfChannels: number, networkLimits = limits) {
  const channels = Array.from({ length: numberOfChannels }, (_, i) => ({ producerTaskId: `source#${i}`, producerOutput: 0, subpartition: 0 }));
  return new InputGate(channels, networkLimits);
}

const label = (element: ChannelElement) =>
  element.kind === 'buffer' ? element.records.join('+') : element.kind === 'barrier' ? `B${element.checkpointId}` : element.kind;

/** Polls until nothing is available, as `channel:label`. */
function drain(inputGate: InputGate, isBlocked: (channel: number) => boolean = () => false): string[] {
  const polled: string[] = [];
  for (let next = inputGate.poll(isBlocked); next; next = inputGate.poll(isBlocked)) polled.push(`${next.channel}:${label(next.element)}`);
  return polled;
}

describe('InputGate', () => {
  it('keeps each channel in order and reads the channels round robin', () => {
    const inputGate = gate(3);
    inputGate.receive(0, buffer('a1'));
    inputGate.receive(0, buffer('a2'));
    inputGate.receive(1, buffer('b1'));
    inputGate.receive(2, barrier(1));
    inputGate.receive(2, buffer('c1'));
    expect(drain(inputGate)).toEqual(['0:a1', '1:b1', '2:B1', '0:a2', '2:c1']);
    expect(inputGate.poll(() => false)).toBeNull();
  });

  it('skips blocked channels and leaves their elements queued until they are unblocked', () => {
    const inputGate = gate(2);
    inputGate.receive(0, barrier(4));
    inputGate.receive(0, buffer('after-barrier'));
    inputGate.receive(1, buffer('x'));
    inputGate.receive(1, barrier(4));
    const blocked = new Set([0]);
    const isBlocked = (channel: number) => blocked.has(channel);
    expect(inputGate.hasAvailable(isBlocked)).toBe(true);
    expect(drain(inputGate, isBlocked)).toEqual(['1:x', '1:B4']);
    expect(inputGate.hasAvailable(isBlocked)).toBe(false);
    expect(inputGate.poll(isBlocked)).toBeNull();
    expect(inputGate.bufferedBytes([0])).toBe(10);
    blocked.clear();
    expect(drain(inputGate, isBlocked)).toEqual(['0:B4', '0:after-barrier']);
  });

  it('returns one credit per consumed buffer, per channel, and none for events', () => {
    const inputGate = gate(2);
    inputGate.receive(0, buffer('a'));
    inputGate.receive(0, barrier(1));
    inputGate.receive(0, buffer('b'));
    inputGate.receive(1, buffer('c'));
    inputGate.receive(1, { kind: 'end-of-partition' });
    expect(inputGate.takeCreditsToReturn()).toEqual([]);
    drain(inputGate);
    expect(inputGate.takeCreditsToReturn()).toEqual([
      { channel: 0, credits: 2 },
      { channel: 1, credits: 1 },
    ]);
    expect(inputGate.takeCreditsToReturn()).toEqual([]);
  });

  it('throws when a channel receives more buffers than it granted credit for', () => {
    const inputGate = gate(1);
    inputGate.receive(0, buffer('a'));
    inputGate.receive(0, buffer('b'));
    expect(() => inputGate.receive(0, buffer('c'))).toThrow(/Channel 0 received more buffers than it granted credit for/);
  });

  it('accepts a new buffer once a queued one has been consumed, and events at any time', () => {
    const inputGate = gate(1);
    inputGate.receive(0, buffer('a'));
    inputGate.receive(0, buffer('b'));
    for (let i = 1; i <= 5; i++) inputGate.receive(0, barrier(i));
    inputGate.poll(() => false);
    expect(() => inputGate.receive(0, buffer('c'))).not.toThrow();
    expect(drain(inputGate)).toEqual(['0:b', '0:B1', '0:B2', '0:B3', '0:B4', '0:B5', '0:c']);
  });

  it('counts only bytes of buffers, in the given channels, as buffered during alignment', () => {
    const inputGate = gate(3);
    inputGate.receive(0, buffer('a', 'b'));
    inputGate.receive(1, buffer('c'));
    inputGate.receive(1, barrier(2));
    inputGate.receive(2, buffer('d'));
    expect(inputGate.bufferedBytes([0, 1])).toBe(30);
    expect(inputGate.bufferedBytes([])).toBe(0);
  });

  it('rejects elements for a channel it does not have', () => {
    expect(() => gate(2).receive(2, buffer('x'))).toThrow(/No input channel 2/);
  });
});

describe('credit-based flow control between a ResultPartition and an InputGate', () => {
  it('moves every record in order through a slow consumer without dropping any or over-sending', () => {
    const producer = new ResultPartition([{ taskId: 'sum#0', channel: 0 }], limits);
    const consumer = gate(1);
    const records = Array.from({ length: 40 }, (_, i) => `r${i}`);
    const consumed: string[] = [];
    let produced = 0;
    let rounds = 0;
    let backpressuredRounds = 0;
    while (consumed.length < records.length && rounds++ < 1_000) {
      // The producer emits while it is not backpressured; events are interleaved.
      while (producer.isAvailable() && produced < records.length) {
        producer.emitRecord(0, records[produced++], 1);
        if (produced % 10 === 0) producer.broadcastEvent(barrier(produced / 10));
      }
      if (!producer.isAvailable()) backpressuredRounds += 1;
      producer.flush(({ element }) => consumer.receive(0, element));
      // The consumer processes one element per round (slower than the producer), then returns credit.
      const next = consumer.poll(() => false);
      if (next?.element.kind === 'buffer') consumed.push(...(next.element.records as string[]));
      for (const { channel, credits } of consumer.takeCreditsToReturn()) producer.addCredit(channel, credits);
    }
    expect(consumed).toEqual(records);
    expect(backpressuredRounds).toBeGreaterThan(0);
  });
});
