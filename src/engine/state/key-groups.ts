// Key groups: which key group a key belongs to and which subtask owns a key group, bit for bit as
// Flink's KeyGroupRangeAssignment.java (flink-runtime/.../state/), including its argument checks.
import { checkKey, javaStringHashCode, keyHashCode, type Key } from './java-hash-code';
import { KeyGroupRange } from './key-group-range';
import { murmurHash, roundUpToPowerOfTwo } from './math-utils';
import { mixedStringHash } from './key-hash-cache';

export { type Key, javaStringHashCode, javaIntegerHashCode, javaDoubleHashCode, keyHashCode } from './java-hash-code';
export { murmurHash, roundUpToPowerOfTwo } from './math-utils';
export { KeyGroupRange } from './key-group-range';

/** KeyGroupRangeAssignment.DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 1 << 7. */
export const DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 1 << 7;
/** Transformation.UPPER_BOUND_MAX_PARALLELISM = 1 << 15 (inclusive). */
export const UPPER_BOUND_MAX_PARALLELISM = 1 << 15;

/** KeyGroupRangeAssignment.checkParallelismPreconditions: 0 < parallelism ≤ 32768. */
export function checkParallelismPreconditions(parallelism: number): void {
  if (!Number.isInteger(parallelism) || parallelism <= 0 || parallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new RangeError(`Operator parallelism not within bounds: ${parallelism}`);
  }
}

function checkParallelismAgainstMax(maxParallelism: number, parallelism: number): void {
  checkParallelismPreconditions(parallelism);
  checkParallelismPreconditions(maxParallelism);
  if (maxParallelism < parallelism) {
    throw new RangeError(
      `Maximum parallelism must not be smaller than parallelism (maxParallelism ${maxParallelism}, parallelism ${parallelism}).`,
    );
  }
}

/**
 * Strings up to this length are hashed each time: String.hashCode over a few characters plus murmur costs less
 * than a lookup in a cache of 100k keys and more, which misses the CPU's caches (docs/benchmarks.md). Longer
 * keys' mixed hashes are remembered (key-hash-cache.ts). Either way the result is the same, bit for bit.
 */
export const MAX_UNCACHED_KEY_LENGTH = 32;

/** The key group of `key`: murmurHash(key.hashCode()) % maxParallelism (a long string key's mixed hash remembered, key-hash-cache.ts). */
export function assignToKeyGroup(key: Key, maxParallelism: number): number {
  checkKey(key);
  if (typeof key !== 'string' || key.length <= MAX_UNCACHED_KEY_LENGTH) return computeKeyGroupForKeyHash(keyHashCode(key), maxParallelism);
  checkParallelismPreconditions(maxParallelism);
  return mixedStringHash(key) % maxParallelism;
}

/**
 * assignToKeyGroup for a `maxParallelism` the caller has already checked (checkParallelismPreconditions):
 * the same key group bit for bit, without checking the argument again for every record (the hot path of
 * keyBy's partitioner and of the keyed backend's setCurrentKey). Still rejects keys that are not keys.
 */
export function assignToKeyGroupPrechecked(key: Key, maxParallelism: number): number {
  if (typeof key === 'string') {
    return (key.length <= MAX_UNCACHED_KEY_LENGTH ? murmurHash(javaStringHashCode(key)) : mixedStringHash(key)) % maxParallelism;
  }
  checkKey(key);
  return murmurHash(keyHashCode(key)) % maxParallelism;
}

/**
 * The subtask `key` is routed to, for `maxParallelism` and `parallelism` the caller has checked (e.g. by one
 * call of assignKeyToParallelOperator): its result, bit for bit, without its per-call checks.
 */
export function assignKeyToParallelOperatorPrechecked(key: Key, maxParallelism: number, parallelism: number): number {
  return Math.floor((assignToKeyGroupPrechecked(key, maxParallelism) * parallelism) / maxParallelism);
}

export function computeKeyGroupForKeyHash(keyHash: number, maxParallelism: number): number {
  checkParallelismPreconditions(maxParallelism);
  return murmurHash(keyHash) % maxParallelism;
}

/** The subtask that owns `keyGroup`: keyGroup * parallelism / maxParallelism (integer division). */
export function computeOperatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroup: number): number {
  checkParallelismAgainstMax(maxParallelism, parallelism);
  if (!Number.isInteger(keyGroup) || keyGroup < 0 || keyGroup >= maxParallelism) {
    throw new RangeError(`Key group ${keyGroup} is not in [0, ${maxParallelism})`);
  }
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/** The subtask to which `key` is routed. */
export function assignKeyToParallelOperator(key: Key, maxParallelism: number, parallelism: number): number {
  return computeOperatorIndexForKeyGroup(maxParallelism, parallelism, assignToKeyGroup(key, maxParallelism));
}

/** Subtask i owns [(i*maxP + p - 1) / p, ((i + 1)*maxP - 1) / p] (integer division). */
export function computeKeyGroupRangeForOperatorIndex(
  maxParallelism: number,
  parallelism: number,
  operatorIndex: number,
): KeyGroupRange {
  checkParallelismAgainstMax(maxParallelism, parallelism);
  if (!Number.isInteger(operatorIndex) || operatorIndex < 0 || operatorIndex >= parallelism) {
    throw new RangeError(`Operator index ${operatorIndex} is not in [0, ${parallelism})`);
  }
  const start = Math.floor((operatorIndex * maxParallelism + parallelism - 1) / parallelism);
  const end = Math.floor(((operatorIndex + 1) * maxParallelism - 1) / parallelism);
  return new KeyGroupRange(start, end);
}

/** The max parallelism Flink picks when none is set: min(max(roundUpToPowerOfTwo(p + p/2), 128), 32768). */
export function computeDefaultMaxParallelism(parallelism: number): number {
  checkParallelismPreconditions(parallelism);
  return Math.min(
    Math.max(roundUpToPowerOfTwo(parallelism + Math.floor(parallelism / 2)), DEFAULT_LOWER_BOUND_MAX_PARALLELISM),
    UPPER_BOUND_MAX_PARALLELISM,
  );
}
