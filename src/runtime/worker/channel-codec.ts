// How task messages cross a MessagePort: what one task sends another during a step goes as one batch
// (as Flink's network stack writes the buffers queued for a connection before it flushes), its buffers of
// records encoded in one transferred ArrayBuffer (record-writer.ts: tagged bytes, field names once per
// shape, strings once per dictionary) instead of JSON text; every other message and channel element
// (credits, barriers, markers, announcements, whatever kinds come) travels as it is, by structured clone.
// A batch is read in the order it was sent, each direction of a port having its own dictionary.
import type { ChannelElement, TaskMessage } from '../../engine/task/messages';
import { RecordReader } from './record-reader';
import { RecordWriter, type RecordWriterLimits } from './record-writer';

type BufferMessage = Extract<TaskMessage, { type: 'channel' }> & { readonly element: Extract<ChannelElement, { kind: 'buffer' }> };

/** A buffer of records in a batch: its records are the batch's bytes up to `end`, from the previous buffer's end. */
export interface WireBuffer {
  readonly type: 'wire-buffer';
  readonly attempt: number;
  readonly channel: number;
  readonly sizeBytes: number;
  readonly end: number;
}

export type WireItem = Exclude<TaskMessage, BufferMessage> | WireBuffer;

export interface WireBatch {
  readonly type: 'wire-batch';
  readonly items: readonly WireItem[];
  /** The records of every buffer of the batch (null when it has none), transferred, not copied. */
  readonly bytes: ArrayBuffer | null;
  /** New dictionary strings, inline strings, field names of new shapes and JSON texts, in reading order. */
  readonly strings: readonly string[];
}

function isBuffer(message: TaskMessage): message is BufferMessage {
  return message.type === 'channel' && message.element.kind === 'buffer';
}

/** The sending side of one port: collects a step's messages, then hands them out as one batch. */
export class ChannelEncoder {
  readonly #writer: RecordWriter;
  #items: WireItem[] = [];
  #hasBuffers = false;

  constructor(limits?: RecordWriterLimits) {
    this.#writer = new RecordWriter(limits);
  }

  /** Encodes at once: a record changed after it was sent is sent as it was. */
  add(message: TaskMessage): void {
    if (!isBuffer(message)) {
      this.#items.push(message as Exclude<TaskMessage, BufferMessage>);
      return;
    }
    const { attempt, channel, element } = message;
    for (const record of element.records) this.#writer.writeRecord(record);
    this.#items.push({ type: 'wire-buffer', attempt, channel, sizeBytes: element.sizeBytes, end: this.#writer.position });
    this.#hasBuffers = true;
  }

  /** The batch of what was added since the last take, and what to transfer with it; null if nothing was added. */
  take(): { readonly batch: WireBatch; readonly transfer: ArrayBuffer[] } | null {
    if (this.#items.length === 0) return null;
    const items = this.#items;
    this.#items = [];
    if (!this.#hasBuffers) return { batch: { type: 'wire-batch', items, bytes: null, strings: [] }, transfer: [] };
    this.#hasBuffers = false;
    const { bytes, strings } = this.#writer.take();
    return { batch: { type: 'wire-batch', items, bytes, strings }, transfer: [bytes] };
  }
}

/** The receiving side of one port: turns each batch back into the task messages it was made of, in order. */
export class ChannelDecoder {
  readonly #reader = new RecordReader();

  decode(batch: WireBatch, deliver: (message: TaskMessage) => void): void {
    if (batch.bytes) this.#reader.begin(batch.bytes, batch.strings);
    for (const item of batch.items) {
      if (item.type !== 'wire-buffer') {
        deliver(item);
        continue;
      }
      const records = this.#reader.readRecords(item.end);
      deliver({ type: 'channel', attempt: item.attempt, channel: item.channel, element: { kind: 'buffer', records, sizeBytes: item.sizeBytes } });
    }
  }
}
