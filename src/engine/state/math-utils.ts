// Flink's MathUtils (flink-core/.../util/MathUtils.java): murmurHash and roundUpToPowerOfTwo,
// in int32 arithmetic via Math.imul and `| 0`, so results match the JVM bit for bit.

/** MathUtils.murmurHash(int): a non-negative mix of `code` (Integer.MIN_VALUE maps to 0). */
export function murmurHash(code: number): number {
  let c = code | 0;
  c = Math.imul(c, 0xcc9e2d51);
  c = rotateLeft(c, 15);
  c = Math.imul(c, 0x1b873593);
  c = rotateLeft(c, 13);
  c = (Math.imul(c, 5) + 0xe6546b64) | 0;
  c ^= 4;
  c = bitMix(c);
  if (c >= 0) return c;
  if (c !== -2147483648) return -c;
  return 0;
}

/** MathUtils.bitMix: the murmur3 finaliser. */
export function bitMix(value: number): number {
  let c = value | 0;
  c ^= c >>> 16;
  c = Math.imul(c, 0x85ebca6b);
  c ^= c >>> 13;
  c = Math.imul(c, 0xc2b2ae35);
  c ^= c >>> 16;
  return c;
}

function rotateLeft(value: number, distance: number): number {
  return (value << distance) | (value >>> (32 - distance));
}

/** MathUtils.roundUpToPowerOfTwo: the smallest power of two ≥ x, for 0 < x ≤ 2^30. */
export function roundUpToPowerOfTwo(x: number): number {
  let v = (x | 0) - 1;
  v |= v >> 1;
  v |= v >> 2;
  v |= v >> 4;
  v |= v >> 8;
  v |= v >> 16;
  return v + 1;
}
