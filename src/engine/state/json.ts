// Json: the values state holds, so snapshots can be written, exported and sized as JSON.
// copyJson deep-copies arrays and plain objects only; estimateSizeBytes is the UTF-8 length of the JSON text.

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** A deep copy of arrays, Maps and plain objects; any other value (primitives included) is returned as it is. */
export function copyJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((element: unknown) => copyJson(element)) as T;
  if (value instanceof Map) {
    return new Map(Array.from(value, ([key, element]: [unknown, unknown]) => [key, copyJson(element)])) as T;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  // fromEntries defines own properties, so a "__proto__" key stays data instead of setting the prototype.
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, element]) => [key, copyJson(element)]),
  ) as T;
}

/** The number of bytes `text` takes in UTF-8 (a lone surrogate counts as U+FFFD, 3 bytes, as TextEncoder writes it). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(index + 1))) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** The UTF-8 byte length of `JSON.stringify(value)`: what state_size statistics count. Undefined counts 0. */
export function estimateSizeBytes(value: unknown): number {
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? 0 : utf8ByteLength(text);
}
