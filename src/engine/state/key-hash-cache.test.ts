import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assignToKeyGroup, computeKeyGroupForKeyHash, javaStringHashCode } from './key-groups';
import { cachedKeyCount, MAX_CACHED_KEYS, mixedStringHash } from './key-hash-cache';
import { murmurHash } from './math-utils';

describe('key hash cache', () => {
  it('gives a string key the key group Flink computes, first seen or remembered, at any max parallelism (seed 7)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 1, max: 32768 }), fc.integer({ min: 1, max: 32768 }), (key, first, second) => {
        for (const maxParallelism of [first, second, first]) {
          expect(assignToKeyGroup(key, maxParallelism)).toBe(computeKeyGroupForKeyHash(javaStringHashCode(key), maxParallelism));
        }
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('remembers murmurHash(hashCode) of each string, and starts over when full', () => {
    expect(mixedStringHash('Flink')).toBe(murmurHash(javaStringHashCode('Flink')));
    for (let i = cachedKeyCount(); i < MAX_CACHED_KEYS; i++) mixedStringHash(`fill-${i}`);
    expect(cachedKeyCount()).toBe(MAX_CACHED_KEYS);
    expect(mixedStringHash('one more')).toBe(murmurHash(javaStringHashCode('one more')));
    expect(cachedKeyCount()).toBe(1);
  });

  it('still checks its arguments as KeyGroupRangeAssignment does', () => {
    expect(() => assignToKeyGroup('a', 0)).toThrow(RangeError);
    expect(() => assignToKeyGroup('a', 32769)).toThrow(RangeError);
  });
});
