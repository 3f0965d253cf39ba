import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AlignmentType, ChannelElement, CheckpointOptions, CheckpointType, TaskMessage } from '../../engine/task/messages';
import { ChannelDecoder, ChannelEncoder, type WireBatch } from './channel-codec';
import type { RecordWriterLimits } from './record-writer';

function buffer(records: readonly unknown[], channel = 0, sizeBytes = 10 * records.length): TaskMessage {
  return { type: 'channel', attempt: 1, channel, element: { kind: 'buffer', records, sizeBytes } };
}

/** What the Worker runtime always delivered: each buffer's records as JSON would carry them. */
function asJson(message: TaskMessage): TaskMessage {
  if (message.type !== 'channel' || message.element.kind !== 'buffer') return structuredClone(message);
  return { ...message, element: { ...message.element, records: JSON.parse(JSON.stringify(message.element.records)) as unknown[] } };
}

/** Sends each step's messages through one encoder and decoder, each batch structured-cloned as a port would. */
function roundTrip(steps: readonly (readonly TaskMessage[])[], limits?: RecordWriterLimits): TaskMessage[] {
  const encoder = new ChannelEncoder(limits);
  const decoder = new ChannelDecoder();
  const delivered: TaskMessage[] = [];
  for (const step of steps) {
    for (const message of step) encoder.add(message);
    const taken = encoder.take();
    if (!taken) continue;
    const posted = structuredClone(taken.batch, { transfer: taken.transfer }) as WireBatch;
    expect(taken.transfer.every((bytes) => bytes.byteLength === 0)).toBe(true); // handed over, not copied
    decoder.decode(posted, (message) => delivered.push(message));
  }
  return delivered;
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

const field = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('k1', 'k2', 'k3', '__proto__', 'toJSON'),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-0, NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31)),
  fc.boolean(),
  fc.constant(null),
);
const record = fc.oneof(
  fc.record({ key: fc.constantFrom('k1', 'k2', 'k3', 'k4'), value: fc.integer() }),
  fc.dictionary(fc.oneof(fc.constantFrom('a', 'b', '1', '0', '__proto__'), fc.string({ maxLength: 4 })), field, { maxKeys: 6 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(field, fc.constant(undefined), fc.array(field, { maxLength: 2 })), { maxKeys: 3 }),
  field,
  fc.constant(undefined),
  fc.jsonValue(),
  fc.integer().map((n) => new Point(n, -n)),
  fc.date({ noInvalidDate: true }),
);
/** Every CheckpointOptions the engine builds: each snapshot type and alignment, with and without an aligned timeout. */
const options = fc.record(
  {
    checkpointType: fc.constantFrom<CheckpointType>('CHECKPOINT', 'SAVEPOINT', 'SYNC_SAVEPOINT'),
    alignment: fc.constantFrom<AlignmentType>('ALIGNED', 'UNALIGNED', 'FORCED_ALIGNED', 'AT_LEAST_ONCE'),
    alignedCheckpointTimeoutMs: fc.oneof(fc.nat(60_000), fc.constant(0)),
  },
  { requiredKeys: ['checkpointType'] },
) as fc.Arbitrary<CheckpointOptions>;
const checkpointId = fc.integer({ min: 1, max: 2 ** 31 });
/** A creation timestamp: real-clock epoch milliseconds (fractions too) or virtual time. */
const timestamp = fc.oneof(fc.nat(), fc.double({ min: 0, max: 2 ** 45, noNaN: true }), fc.constant(1_764_000_000_000.5));
/** Every channel element that is not a buffer (messages.ts' ChannelElement). */
const event: fc.Arbitrary<ChannelElement> = fc.oneof(
  fc.record({ kind: fc.constant('barrier' as const), checkpointId, timestamp, options }),
  fc.record({ kind: fc.constant('announcement' as const), checkpointId, timestamp, options }),
  fc.record({ kind: fc.constant('cancellation-marker' as const), checkpointId }),
  fc.constant({ kind: 'end-of-partition' as const }),
);
const attempt = fc.nat(5);
/** Every TaskMessage the engine sends (messages.ts), buffers weighted up as the data plane sends them most. */
const message: fc.Arbitrary<TaskMessage> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.array(record, { maxLength: 20 }), fc.nat(3)).map(([records, channel]) => buffer(records, channel)) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('channel' as const), attempt, channel: fc.nat(3), element: event }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('credit' as const), attempt, output: fc.nat(2), subpartition: fc.nat(3), credits: fc.nat(8) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('trigger-checkpoint' as const), attempt, checkpointId, timestamp, options }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('notify-checkpoint-complete' as const, 'notify-checkpoint-aborted' as const), attempt, checkpointId }) },
);

describe('channel codec', () => {
  it('delivers every message kind in order, events and options as they are, each buffer exactly as its JSON round trip (seed 11)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(message, { maxLength: 5 }), { maxLength: 8 }), (steps) => {
        expect(roundTrip(steps)).toStrictEqual(steps.flat().map(asJson));
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('stays exact when its dictionary and shapes are full: strings go inline, objects as JSON (seed 12)', () => {
    const limits = { dictionaryStrings: 2, dictionaryStringLength: 3, shapes: 1, shapeFields: 2 };
    fc.assert(
      fc.property(fc.array(fc.array(message, { maxLength: 5 }), { maxLength: 8 }), (steps) => {
        expect(roundTrip(steps, limits)).toStrictEqual(steps.flat().map(asJson));
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it('sends a known key as its dictionary id: the second buffer of the same keys carries no strings', () => {
    const encoder = new ChannelEncoder();
    const records = Array.from({ length: 100 }, (_, i) => ({ key: `key-${i}`, value: i }));
    encoder.add(buffer(records));
    const first = encoder.take()!;
    encoder.add(buffer(records));
    const second = encoder.take()!;
    expect(first.batch.strings).toHaveLength(102); // two field names, 100 keys
    expect(second.batch.strings).toEqual([]);
    const decoder = new ChannelDecoder();
    const delivered: TaskMessage[] = [];
    decoder.decode(first.batch, (m) => delivered.push(m));
    decoder.decode(second.batch, (m) => delivered.push(m));
    expect(delivered).toEqual([buffer(records), buffer(records)]);
  });

  it('sends a record as it was when sent, whatever happens to it later', () => {
    const encoder = new ChannelEncoder();
    const record = { key: 'a', value: 1 };
    encoder.add(buffer([record]));
    record.value = 2;
    const delivered: TaskMessage[] = [];
    new ChannelDecoder().decode(encoder.take()!.batch, (m) => delivered.push(m));
    expect(delivered).toEqual([buffer([{ key: 'a', value: 1 }], 0, 10)]);
  });

  it('gives an object with a __proto__ field that field, as JSON.parse does', () => {
    const record = JSON.parse('{"__proto__": 1, "key": "a"}') as unknown;
    const [delivered] = roundTrip([[buffer([record])]]);
    const [received] = (delivered as Extract<TaskMessage, { type: 'channel' }> & { element: { records: unknown[] } }).element.records;
    expect(Object.getPrototypeOf(received)).toBe(Object.prototype);
    expect(Object.keys(received as object)).toEqual(['__proto__', 'key']);
  });

  it('carries each kind of event with its options as it is, in order among the buffers it overtakes or follows', () => {
    const unaligned: CheckpointOptions = { checkpointType: 'CHECKPOINT', alignment: 'UNALIGNED' };
    const timeoutable: CheckpointOptions = { checkpointType: 'CHECKPOINT', alignment: 'ALIGNED', alignedCheckpointTimeoutMs: 200 };
    const savepoint: CheckpointOptions = { checkpointType: 'SAVEPOINT', alignment: 'FORCED_ALIGNED' };
    const channel = (element: ChannelElement, channel = 0): TaskMessage => ({ type: 'channel', attempt: 3, channel, element });
    const step: TaskMessage[] = [
      buffer([{ key: 'a', value: 1 }]),
      // Sent ahead of queued data (Flink's priority events): the receiver's InputGate puts them first by their options.
      channel({ kind: 'announcement', checkpointId: 7, timestamp: 1_764_000_000_123.25, options: timeoutable }),
      channel({ kind: 'barrier', checkpointId: 8, timestamp: 1_764_000_000_124, options: unaligned }, 1),
      buffer([{ key: 'b', value: 2 }], 1),
      channel({ kind: 'barrier', checkpointId: 7, timestamp: 1_764_000_000_123.25, options: timeoutable }),
      channel({ kind: 'barrier', checkpointId: 9, timestamp: 5, options: savepoint }),
      channel({ kind: 'barrier', checkpointId: 10, timestamp: 6, options: { checkpointType: 'SYNC_SAVEPOINT' } }),
      channel({ kind: 'barrier', checkpointId: 11, timestamp: 7, options: { checkpointType: 'CHECKPOINT', alignment: 'AT_LEAST_ONCE' } }),
      channel({ kind: 'cancellation-marker', checkpointId: 8 }, 1),
      channel({ kind: 'end-of-partition' }),
      channel({ kind: 'end-of-partition' }, 1),
      { type: 'credit', attempt: 3, output: 0, subpartition: 1, credits: 2 },
    ];
    expect(roundTrip([step.slice(0, 5), step.slice(5)])).toStrictEqual(step);
  });

  it('sends nothing for a step without messages', () => {
    expect(new ChannelEncoder().take()).toBeNull();
  });
});
