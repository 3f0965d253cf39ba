// The mixed hash of a string key, murmurHash(key.hashCode()), remembered for keys already seen: a key is
// hashed where records are routed (keyBy) and again where its state is scoped, once per record each, and
// a Map lookup costs less than Java's String.hashCode + murmur for all but the shortest keys (docs/benchmarks.md).
// The cache only remembers what the functions compute, so every result stays Flink's bit for bit. Bounded:
// when full it starts over. Numbers are not cached: their hashCode is a few operations.
import { javaStringHashCode } from './java-hash-code';
import { murmurHash } from './math-utils';

/** Keys remembered at most (about 60 bytes each), per thread; past it the cache is emptied and refills. */
export const MAX_CACHED_KEYS = 1 << 20;

const mixedHashes = new Map<string, number>();

/** murmurHash(javaStringHashCode(key)), as KeyGroupRangeAssignment.assignToKeyGroup computes it for a String key. */
export function mixedStringHash(key: string): number {
  const cached = mixedHashes.get(key);
  if (cached !== undefined) return cached;
  const hash = murmurHash(javaStringHashCode(key));
  if (mixedHashes.size >= MAX_CACHED_KEYS) mixedHashes.clear();
  mixedHashes.set(key, hash);
  return hash;
}

/** Keys remembered now (for tests). */
export function cachedKeyCount(): number {
  return mixedHashes.size;
}
