// Order of in-flight data around unaligned barriers, on both sides of a channel (Flink's PrioritizedDeque in
// PipelinedSubpartition and the input channels): a priority barrier goes ahead of queued data but behind earlier
// priority events and hands back copies of what it overtook, which is still delivered, after it; a timeoutable
// barrier waits in line (announced ahead on the input side) until its timeout converts it; restored channel state
// is sent / read before anything new.
import { describe, expect, it } from 'vitest';
import { InputGate } from './input-gate';
import { PipelinedSubpartition } from './pipelined-subpartition';
import type { ChannelElement, CheckpointOptions } from './messages';
import type { NetworkLimits } from './network-limits';
import type { ChannelStateBuffer } from '../checkpoint/channel/channel-state-writer';

const limits: NetworkLimits = { bufferCapacityRecords: 1, buffersPerChannel: 8, maxBacklogBuffersPerSubpartition: 8 };
const UNALIGNED: CheckpointOptions = { checkpointType: 'CHECKPOINT', alignment: 'UNALIGNED' };
const TIMEOUTABLE: CheckpointOptions = { checkpointType: 'CHECKPOINT', alignment: 'ALIGNED', alignedCheckpointTimeoutMs: 10 };
const buffer = (...records: string[]): ChannelElement => ({ kind: 'buffer', records, sizeBytes: 10 * records.length });
const barrier = (checkpointId: number, options: CheckpointOptions = { checkpointType: 'CHECKPOINT' }) => ({ kind: 'barrier' as const, checkpointId, timestamp: 0, options });
const records = (buffers: readonly ChannelStateBuffer[] | null) => (buffers ?? []).flatMap((overtaken) => overtaken.records);

const label = (element: ChannelElement) =>
  element.kind === 'buffer' ? element.records.join('+') : element.kind === 'barrier' ? `B${element.checkpointId}${element.options.alignment === 'UNALIGNED' ? 'u' : ''}` : element.kind === 'announcement' ? `A${element.checkpointId}` : element.kind;

function gate(numberOfChannels = 1) {
  return new InputGate(
    Array.from({ length: numberOfChannels }, (_, i) => ({ producerTaskId: `source#${i}`, producerOutput: 0, subpartition: 0 })),
    limits,
  );
}

function drainGate(inputGate: InputGate): string[] {
  const polled: string[] = [];
  for (let next = inputGate.poll(() => false); next; next = inputGate.poll(() => false)) polled.push(`${next.channel}:${label(next.element)}${next.recovered ? '(r)' : ''}`);
  return polled;
}

function subpartition() {
  const queue = new PipelinedSubpartition({ taskId: 'sum#0', channel: 0 }, limits, 1);
  const sent: string[] = [];
  const drain = () => queue.drain((element, epoch) => sent.push(`${label(element)}@${epoch}`));
  return { queue, sent, drain };
}

describe('input side: the gate', () => {
  it('puts a priority barrier ahead of the queued data, behind an earlier priority event, and hands over what it overtook when read', () => {
    const inputGate = gate();
    inputGate.receive(0, buffer('a'));
    inputGate.receive(0, buffer('b'));
    expect(records(inputGate.receive(0, barrier(1, UNALIGNED)))).toEqual(['a', 'b']);
    expect(records(inputGate.receive(0, barrier(2, UNALIGNED)))).toEqual(['a', 'b']);
    const first = inputGate.poll(() => false)!;
    expect(label(first.element)).toBe('B1u');
    expect(records(first.overtaken ?? null)).toEqual(['a', 'b']);
    // The overtaken buffers are still read, after the barriers.
    expect(drainGate(inputGate)).toEqual(['0:B2u', '0:a', '0:b']);
  });

  it('announces a timeoutable barrier ahead of the data, keeps the barrier in line, and moves it ahead when prioritized', () => {
    const inputGate = gate();
    inputGate.receive(0, buffer('a'));
    inputGate.receive(0, barrier(1, TIMEOUTABLE));
    inputGate.receive(0, buffer('c'));
    expect(records(inputGate.prioritize(0, 1))).toEqual(['a']);
    expect(inputGate.prioritize(0, 1)).toBeNull();
    expect(drainGate(inputGate)).toEqual(['0:A1', '0:B1', '0:a', '0:c']);
  });

  it('reads restored input channel state before anything queued, on every channel, and returns no credit for it', () => {
    const inputGate = gate(2);
    inputGate.receive(0, buffer('new0'));
    inputGate.receive(1, barrier(3, UNALIGNED));
    inputGate.restore(0, [{ records: ['r1', 'r2'], sizeBytes: 20 }, { records: ['r3'], sizeBytes: 10 }]);
    inputGate.restore(1, [{ records: ['s1'], sizeBytes: 10 }]);
    expect(inputGate.isRecovering).toBe(true);
    expect(inputGate.queuedRecords()).toEqual([4, 1]);
    expect(drainGate(inputGate)).toEqual(['0:r1+r2(r)', '1:s1(r)', '0:r3(r)', '1:B3u', '0:new0']);
    expect(inputGate.isRecovering).toBe(false);
    expect(inputGate.takeCreditsToReturn()).toEqual([{ channel: 0, credits: 1 }]);
  });
});

describe('output side: a subpartition', () => {
  // An event is reported with the subpartition's epoch when sent (one more than the barrier once it passed).
  it('sends a priority barrier ahead of the backlog, returns what it overtook, and still sends that after it with its old epoch', () => {
    const { queue, sent, drain } = subpartition();
    queue.credits = 0;
    queue.add('a', 1);
    queue.add('b', 1);
    expect(records(queue.addPriorityEvent(barrier(1, UNALIGNED)))).toEqual(['a', 'b']);
    queue.add('c', 1);
    drain();
    expect(sent).toEqual(['B1u@2']);
    queue.credits = 3;
    drain();
    expect(sent).toEqual(['B1u@2', 'a@1', 'b@1', 'c@2']);
  });

  it('keeps a timeoutable barrier in line until its timeout converts it, and completes its future with what it overtook', () => {
    const { queue, sent, drain } = subpartition();
    queue.credits = 0;
    queue.add('a', 1);
    const completed: unknown[][] = [];
    queue.addTimeoutableBarrier(barrier(1, TIMEOUTABLE), { complete: (buffers) => completed.push(records(buffers)) });
    queue.add('b', 1);
    expect(queue.alignedBarrierTimeout(2, barrier(2, UNALIGNED))).toBeNull();
    expect(records(queue.alignedBarrierTimeout(1, barrier(1, UNALIGNED)))).toEqual(['a']);
    expect(completed).toEqual([['a']]);
    drain();
    expect(sent).toEqual(['B1u@2']);
    queue.credits = 2;
    drain();
    expect(sent).toEqual(['B1u@2', 'a@1', 'b@2']);
  });

  it('completes a timeoutable barrier’s future with nothing when it is sent in line', () => {
    const { queue, sent, drain } = subpartition();
    queue.add('a', 1);
    const completed: unknown[][] = [];
    queue.addTimeoutableBarrier(barrier(1, TIMEOUTABLE), { complete: (buffers) => completed.push(records(buffers)) });
    drain();
    expect(sent).toEqual(['a@1', 'B1@2']);
    expect(completed).toEqual([[]]);
    expect(queue.alignedBarrierTimeout(1, barrier(1, UNALIGNED))).toBeNull();
  });

  it('sends restored output channel state first, with the restored checkpoint as its epoch, and refuses it after anything new', () => {
    const queue = new PipelinedSubpartition({ taskId: 'sum#0', channel: 0 }, limits, 5);
    const sent: string[] = [];
    queue.restore([{ records: ['r1'], sizeBytes: 10 }, { records: ['r2'], sizeBytes: 10 }], 4);
    queue.add('n1', 1);
    queue.drain((element, epoch) => sent.push(`${label(element)}@${epoch}`));
    expect(sent).toEqual(['r1@4', 'r2@4', 'n1@5']);
    const fresh = new PipelinedSubpartition({ taskId: 'sum#0', channel: 0 }, limits, 5);
    fresh.add('n1', 1);
    expect(() => fresh.restore([{ records: ['late'], sizeBytes: 10 }], 4)).toThrow(/must be restored before anything is written/);
  });
});
