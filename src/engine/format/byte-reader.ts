// The primitives of the binary state entries, read from untrusted bytes: every read is bounds-checked and
// every failure names the entry and byte offset. Varints must be minimal, so one value has one encoding.
import { fail } from './snapshot-file-error';

const decoder = new TextDecoder('utf-8', { fatal: true });
const MAX_VARUINT_BYTES = 8;

export class ByteReader {
  #offset = 0;

  constructor(
    private readonly bytes: Uint8Array,
    /** The entry name, for error messages. */
    readonly entry: string,
  ) {}

  get offset(): number {
    return this.#offset;
  }

  get remaining(): number {
    return this.bytes.length - this.#offset;
  }

  /** Fails with the entry and the current offset in the message. */
  fail(detail: string, at = this.#offset): never {
    return fail('invalid-entry', `${this.entry} @ byte ${at}`, detail);
  }

  u8(what: string): number {
    if (this.#offset >= this.bytes.length) this.fail(`ends before ${what}`);
    return this.bytes[this.#offset++]!;
  }

  varuint(what: string): number {
    const start = this.#offset;
    let value = 0;
    let scale = 1;
    for (let index = 0; index < MAX_VARUINT_BYTES; index++) {
      const byte = this.u8(what);
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (byte === 0 && index > 0) this.fail(`${what} is a varuint with a redundant last byte`, start);
        if (!Number.isSafeInteger(value)) this.fail(`${what} is beyond 2^53`, start);
        return value;
      }
      scale *= 0x80;
    }
    return this.fail(`${what} is a varuint longer than ${MAX_VARUINT_BYTES} bytes`, start);
  }

  /** A count or length that must not exceed the bytes left (each item takes at least `minBytesEach`). */
  count(what: string, minBytesEach = 1): number {
    const start = this.#offset;
    const value = this.varuint(what);
    if (value * minBytesEach > this.remaining) this.fail(`${what} is ${value}, more than the ${this.remaining} bytes left can hold`, start);
    return value;
  }

  zigzag32(what: string): number {
    const start = this.#offset;
    const raw = this.varuint(what);
    if (raw > 0xffffffff) this.fail(`${what} is not a zig-zag int32`, start);
    return (raw >>> 1) ^ -(raw & 1);
  }

  float64(what: string): number {
    if (this.remaining < 8) this.fail(`ends inside ${what} (8 bytes)`);
    const value = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.#offset, 8).getFloat64(0, false);
    this.#offset += 8;
    return value;
  }

  string(what: string, maxBytes: number): string {
    const start = this.#offset;
    const length = this.count(`the length of ${what}`);
    if (length > maxBytes) this.fail(`${what} is ${length} bytes, longer than the ${maxBytes} allowed`, start);
    const slice = this.bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    try {
      return decoder.decode(slice);
    } catch {
      return this.fail(`${what} is not valid UTF-8`, start);
    }
  }

  expectEnd(what: string): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} bytes follow ${what}`);
  }
}
