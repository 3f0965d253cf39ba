// Operator ids as Flink derives them from uids (StreamGraphHasherV2): murmur3_128 of the uid's UTF-8 bytes,
// bit for bit as Guava's Hashing.murmur3_128(0), printed as OperatorID prints its 16 bytes (32 hex digits).

const MASK_64 = (1n << 64n) - 1n;
const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;

const encoder = new TextEncoder();

function rotl64(value: bigint, bits: bigint): bigint {
  return ((value << bits) | (value >> (64n - bits))) & MASK_64;
}

function mul64(a: bigint, b: bigint): bigint {
  return (a * b) & MASK_64;
}

/** Guava's fmix64. */
function fmix64(value: bigint): bigint {
  let k = value;
  k ^= k >> 33n;
  k = mul64(k, 0xff51afd7ed558ccdn);
  k ^= k >> 33n;
  k = mul64(k, 0xc4ceb9fe1a85ec53n);
  k ^= k >> 33n;
  return k;
}

/** Bytes [offset, offset + length) of `bytes` as a little-endian unsigned integer (length ≤ 8). */
function littleEndian(bytes: Uint8Array, offset: number, length: number): bigint {
  let value = 0n;
  for (let i = length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[offset + i]!);
  return value;
}

function mixK1(k1: bigint): bigint {
  return mul64(rotl64(mul64(k1, C1), 31n), C2);
}

function mixK2(k2: bigint): bigint {
  return mul64(rotl64(mul64(k2, C2), 33n), C1);
}

/**
 * MurmurHash3 x64 128 of `bytes` with `seed`, as Guava's `Hashing.murmur3_128(seed).hashBytes(bytes).asBytes()`.
 * Followed Guava's Murmur3_128HashFunction: 16-byte blocks read as two little-endian longs, the tail mixed
 * into k1/k2, and the result h1 then h2, each written little-endian. Vectors checked against Guava 31.1.
 */
export function murmur3x64Hash128(bytes: Uint8Array, seed = 0): Uint8Array {
  let h1 = BigInt(seed >>> 0);
  let h2 = h1;
  const blocks = Math.floor(bytes.length / 16);
  for (let block = 0; block < blocks; block++) {
    const k1 = littleEndian(bytes, block * 16, 8);
    const k2 = littleEndian(bytes, block * 16 + 8, 8);
    h1 ^= mixK1(k1);
    h1 = ((rotl64(h1, 27n) + h2) * 5n + 0x52dce729n) & MASK_64;
    h2 ^= mixK2(k2);
    h2 = ((rotl64(h2, 31n) + h1) * 5n + 0x38495ab5n) & MASK_64;
  }
  const tail = blocks * 16;
  const remaining = bytes.length - tail;
  if (remaining > 8) h2 ^= mixK2(littleEndian(bytes, tail + 8, remaining - 8));
  if (remaining > 0) h1 ^= mixK1(littleEndian(bytes, tail, Math.min(remaining, 8)));
  const length = BigInt(bytes.length);
  h1 ^= length;
  h2 ^= length;
  h1 = (h1 + h2) & MASK_64;
  h2 = (h2 + h1) & MASK_64;
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 = (h1 + h2) & MASK_64;
  h2 = (h2 + h1) & MASK_64;
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[i] = Number((h1 >> BigInt(8 * i)) & 0xffn);
    out[8 + i] = Number((h2 >> BigInt(8 * i)) & 0xffn);
  }
  return out;
}

/**
 * Flink's OperatorID of the operator with this uid (what savepoints are keyed by), as 32 lower-case hex
 * digits: `generateUserSpecifiedHash(uid)` bytes in order, as OperatorID.toHexString prints them.
 */
export function operatorIdOfUid(uid: string): string {
  let hex = '';
  for (const byte of murmur3x64Hash128(encoder.encode(uid), 0)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
