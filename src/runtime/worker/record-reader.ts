// Reads what a RecordWriter wrote, for one direction of one channel: it learns the writer's strings and
// shapes in the order they were written, so batches must be read in the order they were sent (a
// MessagePort is FIFO). Objects are built by one small function per shape, so V8 sees few layouts.
import {
  TAG_FALSE,
  TAG_FLOAT64,
  TAG_INT32,
  TAG_JSON,
  TAG_NULL,
  TAG_OBJECT,
  TAG_OBJECT_NEW_SHAPE,
  TAG_STRING_INLINE,
  TAG_STRING_NEW,
  TAG_STRING_REF,
  TAG_TRUE,
} from './record-tags';

type Build = (reader: RecordReader) => Record<string, unknown>;

export class RecordReader {
  readonly #dictionary: string[] = [];
  readonly #shapes: Build[] = [];
  #bytes = new Uint8Array(0);
  #view = new DataView(this.#bytes.buffer);
  #position = 0;
  #strings: readonly string[] = [];
  #nextString = 0;

  /** Starts reading one batch: its bytes and side strings. */
  begin(bytes: ArrayBuffer, strings: readonly string[]): void {
    this.#bytes = new Uint8Array(bytes);
    this.#view = new DataView(bytes);
    this.#position = 0;
    this.#strings = strings;
    this.#nextString = 0;
  }

  /** The records up to byte offset `end` of the batch. */
  readRecords(end: number): unknown[] {
    const records: unknown[] = [];
    while (this.#position < end) records.push(this.value());
    if (this.#position !== end) throw new Error(`A channel buffer ends at byte ${end}, its records at ${this.#position}`);
    return records;
  }

  /** The next value (a record, or a field of one). */
  value(): unknown {
    const tag = this.#bytes[this.#position++];
    switch (tag) {
      case TAG_STRING_REF: {
        const id = this.#view.getUint32(this.#position, true);
        this.#position += 4;
        return this.#dictionary[id];
      }
      case TAG_INT32: {
        const value = this.#view.getInt32(this.#position, true);
        this.#position += 4;
        return value;
      }
      case TAG_OBJECT: {
        const id = this.#view.getUint32(this.#position, true);
        this.#position += 4;
        return this.#shapes[id]!(this);
      }
      case TAG_FLOAT64: {
        const value = this.#view.getFloat64(this.#position, true);
        this.#position += 8;
        return value;
      }
      case TAG_STRING_NEW: {
        const value = this.#string();
        this.#dictionary.push(value);
        return value;
      }
      case TAG_STRING_INLINE:
        return this.#string();
      case TAG_NULL:
        return null;
      case TAG_TRUE:
        return true;
      case TAG_FALSE:
        return false;
      case TAG_JSON:
        return JSON.parse(this.#string()) as unknown;
      case TAG_OBJECT_NEW_SHAPE: {
        const count = this.#view.getUint16(this.#position, true);
        this.#position += 2;
        const names = Array.from({ length: count }, () => this.#string());
        const build = builderFor(names);
        this.#shapes.push(build);
        return build(this);
      }
      default:
        throw new Error(`Unknown record tag ${String(tag)} at byte ${this.#position - 1}`);
    }
  }

  #string(): string {
    const value = this.#strings[this.#nextString++];
    if (value === undefined) throw new Error('A channel batch names more strings than it carries');
    return value;
  }
}

/**
 * Builds objects of one shape, fields read in order. Straight-line code for up to four fields (one
 * function per field count, so every shape of that size shares its property-store feedback); a loop beyond.
 */
function builderFor(names: readonly string[]): Build {
  const [a = '', b = '', c = '', d = ''] = names;
  switch (names.length) {
    case 0:
      return () => ({});
    case 1:
      return (r) => {
        const o: Record<string, unknown> = {};
        o[a] = r.value();
        return o;
      };
    case 2:
      return (r) => {
        const o: Record<string, unknown> = {};
        o[a] = r.value();
        o[b] = r.value();
        return o;
      };
    case 3:
      return (r) => {
        const o: Record<string, unknown> = {};
        o[a] = r.value();
        o[b] = r.value();
        o[c] = r.value();
        return o;
      };
    case 4:
      return (r) => {
        const o: Record<string, unknown> = {};
        o[a] = r.value();
        o[b] = r.value();
        o[c] = r.value();
        o[d] = r.value();
        return o;
      };
    default:
      return (r) => {
        const o: Record<string, unknown> = {};
        for (const name of names) o[name] = r.value();
        return o;
      };
  }
}
