// The primitives of the binary state entries, written: u8, unsigned LEB128 varints (minimal, < 2^53),
// zig-zag int32, big-endian float64 and length-prefixed UTF-8. docs/snapshot-format.md defines each.

const encoder = new TextEncoder();

export class ByteWriter {
  #buffer = new Uint8Array(256);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  u8(value: number): void {
    this.reserve(1);
    this.#buffer[this.#length++] = value;
  }

  /** Unsigned LEB128: 7 bits per byte, low bits first, high bit set on all but the last byte. */
  varuint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`Not a varuint: ${value}`);
    let rest = value;
    while (rest >= 0x80) {
      this.u8((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.u8(rest);
  }

  /** An int32 as a zig-zag varuint (0, -1, 1, -2 … → 0, 1, 2, 3 …). */
  zigzag32(value: number): void {
    this.varuint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  float64(value: number): void {
    this.reserve(8);
    new DataView(this.#buffer.buffer).setFloat64(this.#length, value, false);
    this.#length += 8;
  }

  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.#buffer.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  /** varuint byte length, then the UTF-8 bytes. */
  string(text: string): void {
    if (!isWellFormed(text)) throw new RangeError(`String ${JSON.stringify(text)} has a lone surrogate: UTF-8 cannot hold it`);
    const bytes = encoder.encode(text);
    this.varuint(bytes.length);
    this.bytes(bytes);
  }

  /** A JSON value as a string of its JSON text (JSON.stringify escapes lone surrogates, so any string fits). */
  json(value: unknown): void {
    const text = JSON.stringify(value) as string | undefined;
    if (text === undefined) throw new TypeError('A state value must be JSON');
    this.string(text);
  }

  finish(): Uint8Array {
    return this.#buffer.slice(0, this.#length);
  }

  private reserve(bytes: number): void {
    if (this.#length + bytes <= this.#buffer.length) return;
    const grown = new Uint8Array(Math.max(this.#buffer.length * 2, this.#length + bytes));
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
  }
}

/** True unless `text` has an unpaired UTF-16 surrogate. */
export function isWellFormed(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (unit > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return false;
    i++;
  }
  return true;
}
