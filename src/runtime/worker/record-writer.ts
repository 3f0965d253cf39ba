// Writes records in the channel's binary format (record-tags.ts) for one direction of one channel: flat
// objects of strings, numbers, booleans and nulls as tagged bytes, their field names once per shape,
// strings once per dictionary; anything else as its JSON text. Decoding gives what JSON.parse of
// JSON.stringify would, so the records a task receives are exactly what they were with JSON.
import {
  MAX_DICTIONARY_STRING_LENGTH,
  MAX_DICTIONARY_STRINGS,
  MAX_SHAPE_FIELDS,
  MAX_SHAPES,
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

const MIN_CAPACITY = 4096;

/** How much one direction of a channel learns at most (record-tags.ts); smaller in tests. */
export interface RecordWriterLimits {
  readonly dictionaryStrings: number;
  readonly dictionaryStringLength: number;
  readonly shapes: number;
  readonly shapeFields: number;
}

export const DEFAULT_RECORD_WRITER_LIMITS: RecordWriterLimits = {
  dictionaryStrings: MAX_DICTIONARY_STRINGS,
  dictionaryStringLength: MAX_DICTIONARY_STRING_LENGTH,
  shapes: MAX_SHAPES,
  shapeFields: MAX_SHAPE_FIELDS,
};

interface Shape {
  readonly id: number;
  readonly names: readonly string[];
}

export class RecordWriter {
  /** Strings this direction's reader knows, by id (the order they were sent in). */
  readonly #dictionary = new Map<string, number>();
  readonly #shapes = new Map<string, Shape>();
  /** The shape of the last object written: consecutive records mostly share it. */
  #lastShape: Shape | null = null;
  readonly #names: string[] = [];
  readonly #values: unknown[] = [];
  #bytes = new Uint8Array(MIN_CAPACITY);
  #view = new DataView(this.#bytes.buffer);
  #position = 0;
  #strings: string[] = [];
  /** Capacity of the next batch: about the last one's size, so a batch rarely grows while written. */
  #nextCapacity = MIN_CAPACITY;

  constructor(private readonly limits: RecordWriterLimits = DEFAULT_RECORD_WRITER_LIMITS) {}

  /** Byte offset where the next record goes. */
  get position(): number {
    return this.#position;
  }

  writeRecord(record: unknown): void {
    this.#reserve(9);
    switch (typeof record) {
      case 'string':
        return this.#writeString(record);
      case 'number':
        return this.#writeNumber(record);
      case 'boolean':
        this.#bytes[this.#position++] = record ? TAG_TRUE : TAG_FALSE;
        return;
      case 'object':
        if (record === null) {
          this.#bytes[this.#position++] = TAG_NULL;
          return;
        }
        if (this.#writeFlatObject(record)) return;
    }
    // JSON.stringify gives undefined for undefined, functions and symbols: an array element of those is null.
    const json = JSON.stringify(record) as string | undefined;
    if (json === undefined) {
      this.#bytes[this.#position++] = TAG_NULL;
      return;
    }
    this.#bytes[this.#position++] = TAG_JSON;
    this.#strings.push(json);
  }

  /** What was written since the last take: the bytes (their buffer to transfer) and the side strings. */
  take(): { readonly bytes: ArrayBuffer; readonly length: number; readonly strings: readonly string[] } {
    const taken = { bytes: this.#bytes.buffer as ArrayBuffer, length: this.#position, strings: this.#strings };
    this.#nextCapacity = Math.max(MIN_CAPACITY, this.#position + (this.#position >> 2));
    this.#bytes = new Uint8Array(this.#nextCapacity);
    this.#view = new DataView(this.#bytes.buffer);
    this.#position = 0;
    this.#strings = [];
    return taken;
  }

  /** Plain objects whose fields are all strings, numbers, booleans or null; false (nothing written) otherwise. */
  #writeFlatObject(record: object): boolean {
    const prototype = Object.getPrototypeOf(record) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return false;
    const names = this.#names;
    const values = this.#values;
    let shape = this.#lastShape;
    let count = 0;
    // for…in over a plain object: its own enumerable string keys in JSON.stringify's order.
    for (const name in record) {
      const value = (record as Record<string, unknown>)[name];
      if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return false;
      if (count === this.limits.shapeFields) return false;
      if (shape !== null && shape.names[count] !== name) shape = null;
      names[count] = name;
      values[count] = value;
      count++;
    }
    if (shape === null || shape.names.length !== count) {
      const fieldNames = names.slice(0, count);
      shape = this.#shapes.get(JSON.stringify(fieldNames)) ?? null;
      if (shape !== null) this.#writeShapeId(shape);
      else if ((shape = this.#defineShape(fieldNames)) === null) return false;
    } else {
      this.#writeShapeId(shape);
    }
    this.#lastShape = shape;
    this.#reserve(9 * count);
    for (let i = 0; i < count; i++) {
      const value = values[i];
      if (typeof value === 'string') this.#writeString(value);
      else if (typeof value === 'number') this.#writeNumber(value);
      else this.#bytes[this.#position++] = value === true ? TAG_TRUE : value === false ? TAG_FALSE : TAG_NULL;
    }
    return true;
  }

  #writeShapeId(shape: Shape): void {
    this.#bytes[this.#position++] = TAG_OBJECT;
    this.#view.setUint32(this.#position, shape.id, true);
    this.#position += 4;
  }

  /** A new shape, its header written (field names as side strings); null when no more shapes can be learnt. */
  #defineShape(names: string[]): Shape | null {
    // JSON.parse makes "__proto__" an own field; assigning it would set the prototype instead.
    if (this.#shapes.size >= this.limits.shapes || names.includes('__proto__')) return null;
    const shape: Shape = { id: this.#shapes.size, names };
    this.#shapes.set(JSON.stringify(names), shape);
    this.#reserve(3);
    this.#bytes[this.#position++] = TAG_OBJECT_NEW_SHAPE;
    this.#view.setUint16(this.#position, names.length, true);
    this.#position += 2;
    for (const name of names) this.#strings.push(name);
    return shape;
  }

  #writeNumber(value: number): void {
    if ((value | 0) === value) {
      this.#bytes[this.#position++] = TAG_INT32;
      this.#view.setInt32(this.#position, value, true);
      this.#position += 4;
    } else if (Number.isFinite(value)) {
      this.#bytes[this.#position++] = TAG_FLOAT64;
      this.#view.setFloat64(this.#position, value, true);
      this.#position += 8;
    } else {
      this.#bytes[this.#position++] = TAG_NULL;
    }
  }

  #writeString(value: string): void {
    const id = this.#dictionary.get(value);
    if (id !== undefined) {
      this.#bytes[this.#position++] = TAG_STRING_REF;
      this.#view.setUint32(this.#position, id, true);
      this.#position += 4;
      return;
    }
    const learns = this.#dictionary.size < this.limits.dictionaryStrings && value.length <= this.limits.dictionaryStringLength;
    if (learns) this.#dictionary.set(value, this.#dictionary.size);
    this.#bytes[this.#position++] = learns ? TAG_STRING_NEW : TAG_STRING_INLINE;
    this.#strings.push(value);
  }

  #reserve(bytes: number): void {
    if (this.#position + bytes <= this.#bytes.length) return;
    const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.#position + bytes));
    grown.set(this.#bytes.subarray(0, this.#position));
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer);
  }
}
