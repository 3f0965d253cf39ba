// The producer side of credit-based flow control: buffers go out only against credit, events need none
// but keep their place behind earlier buffers, and a full backlog is backpressure, never loss.
import { describe, expect, it } from 'vitest';
import type { ChannelElement } from './messages';
import type { NetworkLimits } from './network-limits';
import { ResultPartition, type SentElement } from './result-partition';

const limits: NetworkLimits = { bufferCapacityRecords: 2, buffersPerChannel: 2, maxBacklogBuffersPerSubpartition: 3 };
const barrier = (checkpointId: number): ChannelElement => ({ kind: 'barrier', checkpointId, timestamp: 0, options: { checkpointType: 'CHECKPOINT' } });

function partition(consumers = 1, networkLimits = limits) {
  const targets = Array.from({ length: consumers }, (_, i) => ({ taskId: `sum#${i}`, channel: 0 }));
  const resultPartition = new ResultPartition(targets, networkLimits);
  const sent: SentElement[] = [];
  const flush = () => resultPartition.flush((element) => sent.push(element));
  /** What reached each consumer so far, as short labels: records of a buffer joined, or the event kind. */
  const received = (consumer = 0) =>
    sent
      .filter(({ target }) => target.taskId === `sum#${consumer}`)
      .map(({ element }) => (element.kind === 'buffer' ? element.records.join('+') : element.kind === 'barrier' ? `B${element.checkpointId}` : element.kind));
  return { resultPartition, sent, flush, received };
}

describe('ResultPartition', () => {
  it('gives each buffer the epoch it was written in, also when it leaves the backlog after the next barrier', () => {
    const { resultPartition, flush, sent } = partition();
    for (const record of ['a', 'b', 'c', 'd', 'e', 'f']) resultPartition.emitRecord(0, record, 1);
    resultPartition.broadcastEvent(barrier(1));
    resultPartition.emitRecord(0, 'g', 1);
    flush();
    resultPartition.addCredit(0, 3);
    flush();
    expect(sent.map(({ element, epoch }) => `${element.kind === 'buffer' ? element.records.join('+') : element.kind}:${epoch}`)).toEqual([
      'a+b:1',
      'c+d:1',
      'e+f:1',
      'barrier:2',
      'g:2',
    ]);
  });

  it('sends a full buffer once it has as many records as a buffer holds, and closes a partial one on flush', () => {
    const { resultPartition, flush, received, sent } = partition();
    resultPartition.emitRecord(0, 'a', 10);
    resultPartition.emitRecord(0, 'b', 20);
    resultPartition.emitRecord(0, 'c', 5);
    expect(resultPartition.backlogBuffers()).toEqual([1]);
    flush();
    expect(received()).toEqual(['a+b', 'c']);
    expect(sent.map(({ element }) => (element.kind === 'buffer' ? element.sizeBytes : -1))).toEqual([30, 5]);
  });

  it('sends no buffer without credit: only the initial credit goes out, the rest waits in the backlog', () => {
    const { resultPartition, flush, received } = partition();
    for (const record of ['a', 'b', 'c', 'd', 'e', 'f']) resultPartition.emitRecord(0, record, 1);
    flush();
    expect(received()).toEqual(['a+b', 'c+d']);
    expect(resultPartition.backlogBuffers()).toEqual([1]);
    flush();
    expect(received()).toEqual(['a+b', 'c+d']);
  });

  it('sends one more buffer per credit granted, in order', () => {
    const { resultPartition, flush, received } = partition();
    for (const record of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) resultPartition.emitRecord(0, record, 1);
    flush();
    resultPartition.addCredit(0, 1);
    flush();
    expect(received()).toEqual(['a+b', 'c+d', 'e+f']);
    resultPartition.addCredit(0, 5);
    flush();
    expect(received()).toEqual(['a+b', 'c+d', 'e+f', 'g+h']);
    expect(resultPartition.backlogBuffers()).toEqual([0]);
  });

  it('sends an event without credit when no buffer is ahead of it', () => {
    const { resultPartition, flush, received } = partition(1, { ...limits, buffersPerChannel: 0 });
    resultPartition.broadcastEvent(barrier(1));
    resultPartition.broadcastEvent({ kind: 'end-of-partition' });
    flush();
    expect(received()).toEqual(['B1', 'end-of-partition']);
  });

  it('never lets an event overtake an earlier buffer that waits for credit, and closes the partial buffer before it', () => {
    const { resultPartition, flush, received } = partition();
    for (const record of ['a', 'b', 'c', 'd', 'e']) resultPartition.emitRecord(0, record, 1);
    resultPartition.broadcastEvent(barrier(7));
    resultPartition.emitRecord(0, 'f', 1);
    flush();
    // Two credits: 'a+b' and 'c+d' go; 'e' (closed by the barrier) has none, so the barrier waits behind it.
    expect(received()).toEqual(['a+b', 'c+d']);
    resultPartition.addCredit(0, 1);
    flush();
    // The barrier itself takes no credit: with one credit, 'e' and then the barrier go, 'f' waits.
    expect(received()).toEqual(['a+b', 'c+d', 'e', 'B7']);
    resultPartition.addCredit(0, 1);
    flush();
    expect(received()).toEqual(['a+b', 'c+d', 'e', 'B7', 'f']);
  });

  it('broadcasts an event to every subpartition, each behind its own earlier records', () => {
    const { resultPartition, flush, received } = partition(2);
    resultPartition.emitRecord(0, 'x', 1);
    resultPartition.emitRecord(1, 'y', 1);
    resultPartition.emitRecord(1, 'z', 1);
    resultPartition.broadcastEvent(barrier(3));
    flush();
    expect(received(0)).toEqual(['x', 'B3']);
    expect(received(1)).toEqual(['y+z', 'B3']);
  });

  it('counts credit per subpartition: credit for one consumer does not release another', () => {
    const { resultPartition, flush, received } = partition(2);
    for (let i = 0; i < 6; i++) {
      resultPartition.emitRecord(0, `a${i}`, 1);
      resultPartition.emitRecord(1, `b${i}`, 1);
    }
    flush();
    resultPartition.addCredit(1, 1);
    flush();
    expect(received(0)).toEqual(['a0+a1', 'a2+a3']);
    expect(received(1)).toEqual(['b0+b1', 'b2+b3', 'b4+b5']);
  });

  it('becomes unavailable (backpressure) when one subpartition reaches its backlog bound, and drops nothing', () => {
    const { resultPartition, flush, received } = partition(2);
    const emitted: string[] = [];
    let record = 0;
    // Produce only while available, as a task does; the consumer of subpartition 0 never grants credit.
    while (resultPartition.isAvailable() && record < 100) {
      const name = `r${record++}`;
      emitted.push(name);
      resultPartition.emitRecord(0, name, 1);
      flush();
    }
    expect(resultPartition.isAvailable()).toBe(false);
    expect(resultPartition.backlogBuffers()).toEqual([limits.maxBacklogBuffersPerSubpartition, 0]);
    // Each flush closes a one-record buffer: 2 went out on credit, 3 wait, then production stopped.
    expect(emitted).toHaveLength(limits.buffersPerChannel + limits.maxBacklogBuffersPerSubpartition);

    resultPartition.addCredit(0, 1);
    flush();
    expect(resultPartition.isAvailable()).toBe(true);
    resultPartition.addCredit(0, 10);
    flush();
    expect(received(0).flatMap((buffer) => buffer.split('+'))).toEqual(emitted);
  });

  it('rejects records for a subpartition it does not have', () => {
    const { resultPartition } = partition(1);
    expect(() => resultPartition.emitRecord(1, 'x', 1)).toThrow(/No subpartition 1/);
    expect(() => resultPartition.addCredit(-1, 1)).toThrow(/No subpartition -1/);
  });
});
