// Java's hashCode for the key types Barrierscope allows (string, number), bit for bit, so that a key
// lands in the key group it would in Flink. Assumes keys are strings or finite numbers.

/** A key of a keyed stream: what a KeySelector returns. */
export type Key = string | number;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Java's String.hashCode: s[0]*31^(n-1) + … + s[n-1] over UTF-16 code units, in int32 arithmetic. */
export function javaStringHashCode(text: string): number {
  let hash = 0;
  for (let index = 0; index < text.length; index++) {
    hash = (Math.imul(hash, 31) + text.charCodeAt(index)) | 0;
  }
  return hash;
}

/** Java's Integer.hashCode: the value itself (it must be an int32). */
export function javaIntegerHashCode(value: number): number {
  if (!isInt32(value)) throw new RangeError(`${value} is not a 32-bit integer`);
  return value | 0;
}

const doubleBits = new DataView(new ArrayBuffer(8));

/** Java's Double.hashCode: `(int) (bits ^ (bits >>> 32))` of doubleToLongBits (NaN canonicalised). */
export function javaDoubleHashCode(value: number): number {
  if (Number.isNaN(value)) return 0x7ff80000 | 0;
  doubleBits.setFloat64(0, value);
  return (doubleBits.getInt32(0) ^ doubleBits.getInt32(4)) | 0;
}

export function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX;
}

/** The hashCode Flink would see: String for strings, Integer for int32 numbers, Double for other numbers. */
export function keyHashCode(key: Key): number {
  if (typeof key === 'string') return javaStringHashCode(key);
  if (typeof key === 'number') return isInt32(key) ? javaIntegerHashCode(key) : javaDoubleHashCode(key);
  throw new TypeError(`A key must be a string or a number, got ${describe(key)}`);
}

/** Throws unless `key` is a string or a finite number: keys must survive JSON and mean one thing. */
export function checkKey(key: unknown): asserts key is Key {
  if (typeof key === 'string') return;
  if (typeof key === 'number' && Number.isFinite(key)) return;
  throw new TypeError(`A key must be a string or a finite number, got ${describe(key)}`);
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  return typeof value;
}
