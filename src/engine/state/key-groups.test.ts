import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  assignKeyToParallelOperator,
  assignKeyToParallelOperatorPrechecked,
  assignToKeyGroup,
  assignToKeyGroupPrechecked,
  computeDefaultMaxParallelism,
  computeKeyGroupForKeyHash,
  computeKeyGroupRangeForOperatorIndex,
  computeOperatorIndexForKeyGroup,
  javaDoubleHashCode,
  javaIntegerHashCode,
  javaStringHashCode,
  keyHashCode,
  murmurHash,
  roundUpToPowerOfTwo,
} from './key-groups';

describe('Java hashCode emulation', () => {
  it('hashes strings as java.lang.String.hashCode does, over UTF-16 code units with int overflow', () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('a')).toBe(97);
    expect(javaStringHashCode('hello')).toBe(99162322);
    expect(javaStringHashCode('hello world')).toBe(1794106052);
    expect(javaStringHashCode('你好')).toBe(652829);
    expect(javaStringHashCode('😀')).toBe(0xd83d * 31 + 0xde00);
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
  });

  it('gives colliding strings the same hash, as Java does', () => {
    expect(javaStringHashCode('Aa')).toBe(javaStringHashCode('BB'));
  });

  it('hashes integers to themselves and refuses numbers outside int32', () => {
    expect(javaIntegerHashCode(42)).toBe(42);
    expect(javaIntegerHashCode(-1)).toBe(-1);
    expect(javaIntegerHashCode(-2147483648)).toBe(-2147483648);
    expect(() => javaIntegerHashCode(2147483648)).toThrow(/not a 32-bit integer/);
    expect(() => javaIntegerHashCode(1.5)).toThrow(/not a 32-bit integer/);
  });

  it('hashes doubles as Double.hashCode: the high and low words of the bits, xored', () => {
    expect(javaDoubleHashCode(1.5)).toBe(0x3ff80000);
    expect(javaDoubleHashCode(0.1)).toBe(0xa6200003 | 0);
    expect(javaDoubleHashCode(4294967296)).toBe(0x41f00000);
    expect(javaDoubleHashCode(-0)).toBe(-2147483648);
    expect(javaDoubleHashCode(0)).toBe(0);
    expect(javaDoubleHashCode(Number.NaN)).toBe(0x7ff80000);
  });

  it('hashes int32 numbers as Integer and other numbers as Double', () => {
    expect(keyHashCode(7)).toBe(7);
    expect(keyHashCode(2147483647)).toBe(2147483647);
    expect(keyHashCode(2147483648)).toBe(javaDoubleHashCode(2147483648));
    expect(keyHashCode(2.5)).toBe(javaDoubleHashCode(2.5));
    expect(keyHashCode('7')).toBe(55);
  });
});

describe('murmurHash', () => {
  it('is deterministic and never negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2147483648, max: 2147483647 }), (code) => {
        const hash = murmurHash(code);
        expect(hash).toBeGreaterThanOrEqual(0);
        expect(hash).toBeLessThanOrEqual(2147483647);
        expect(murmurHash(code)).toBe(hash);
      }),
    );
  });
});

describe('roundUpToPowerOfTwo', () => {
  it('rounds up to the next power of two and keeps powers of two', () => {
    expect([1, 2, 3, 4, 5, 127, 128, 129, 45000].map(roundUpToPowerOfTwo)).toEqual([
      1, 2, 4, 4, 8, 128, 128, 256, 65536,
    ]);
  });
});

describe('key group assignment (Flink test vectors, maxParallelism 128)', () => {
  const vectors: Array<[string | number, number, number]> = [
    ['a', 81, 1],
    ['hello', 35, 0],
    ['user-42', 20, 0],
    ['你好', 66, 1],
    [42, 29, 0],
    [-1, 80, 1],
  ];

  it.each(vectors)('puts key %j in key group %i and, at parallelism 2, on subtask %i', (key, keyGroup, subtask) => {
    expect(assignToKeyGroup(key, 128)).toBe(keyGroup);
    expect(assignKeyToParallelOperator(key, 128, 2)).toBe(subtask);
  });

  it('computes the key group from the key hash as murmurHash(hash) % maxParallelism', () => {
    expect(computeKeyGroupForKeyHash(javaStringHashCode('hello'), 128)).toBe(35);
    expect(computeKeyGroupForKeyHash(99162322, 256)).toBe(murmurHash(99162322) % 256);
  });

  it('refuses keys that are neither strings nor finite numbers', () => {
    expect(() => assignToKeyGroup(Number.NaN, 128)).toThrow(/finite number/);
    expect(() => assignToKeyGroup(null as never, 128)).toThrow(/string or a finite number/);
    expect(() => assignToKeyGroup({} as never, 128)).toThrow(/string or a finite number/);
  });
});

describe('key group ranges', () => {
  it('splits 128 key groups into [0,63] and [64,127] at parallelism 2', () => {
    expect(computeKeyGroupRangeForOperatorIndex(128, 2, 0).toString()).toBe(
      'KeyGroupRange{startKeyGroup=0, endKeyGroup=63}',
    );
    expect(computeKeyGroupRangeForOperatorIndex(128, 2, 1).toString()).toBe(
      'KeyGroupRange{startKeyGroup=64, endKeyGroup=127}',
    );
  });

  it('splits 128 key groups into [0,42], [43,85], [86,127] at parallelism 3', () => {
    const ranges = [0, 1, 2].map((index) => computeKeyGroupRangeForOperatorIndex(128, 3, index).toJson());
    expect(ranges).toEqual([
      { start: 0, end: 42 },
      { start: 43, end: 85 },
      { start: 86, end: 127 },
    ]);
  });

  it('partitions [0, maxParallelism) into contiguous, non-empty ranges for many (maxParallelism, parallelism)', () => {
    for (const maxParallelism of [1, 2, 3, 7, 128, 129, 1000, 4096, 32768]) {
      for (const parallelism of [1, 2, 3, 4, 5, 7, 16, 100, 127, 128, 1000, 32768]) {
        if (parallelism > maxParallelism) continue;
        let next = 0;
        for (let index = 0; index < parallelism; index++) {
          const range = computeKeyGroupRangeForOperatorIndex(maxParallelism, parallelism, index);
          expect(range.startKeyGroup).toBe(next);
          expect(range.size).toBeGreaterThan(0);
          next = range.endKeyGroup + 1;
        }
        expect(next).toBe(maxParallelism);
      }
    }
  });

  it('routes every key group of a range to that range’s operator index', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2048 }), fc.integer({ min: 1, max: 2048 }), (a, b) => {
        const maxParallelism = Math.max(a, b);
        const parallelism = Math.min(a, b);
        for (let index = 0; index < parallelism; index++) {
          const range = computeKeyGroupRangeForOperatorIndex(maxParallelism, parallelism, index);
          for (const keyGroup of range) {
            expect(computeOperatorIndexForKeyGroup(maxParallelism, parallelism, keyGroup)).toBe(index);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('routes a key to the subtask whose range holds its key group', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), (key) => {
        const keyGroup = assignToKeyGroup(key, 128);
        const subtask = assignKeyToParallelOperator(key, 128, 5);
        expect(computeKeyGroupRangeForOperatorIndex(128, 5, subtask).contains(keyGroup)).toBe(true);
      }),
    );
  });

  it('gives the same key group and subtask without the per-call argument checks (the hot path), long keys included', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ minLength: 33, maxLength: 80 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
        fc.integer({ min: 1, max: 32768 }),
        fc.integer({ min: 1, max: 32768 }),
        (key, a, b) => {
          const [parallelism, maxParallelism] = a <= b ? [a, b] : [b, a];
          expect(assignToKeyGroupPrechecked(key, maxParallelism)).toBe(assignToKeyGroup(key, maxParallelism));
          expect(assignKeyToParallelOperatorPrechecked(key, maxParallelism, parallelism)).toBe(assignKeyToParallelOperator(key, maxParallelism, parallelism));
        },
      ),
      { seed: 11, numRuns: 2000 },
    );
    expect(() => assignToKeyGroupPrechecked(Number.NaN, 128)).toThrow(/A key must be a string or a finite number/);
  });

  it('refuses a parallelism above the maximum parallelism and out-of-bounds arguments', () => {
    expect(() => computeKeyGroupRangeForOperatorIndex(4, 5, 0)).toThrow(
      /Maximum parallelism must not be smaller than parallelism/,
    );
    expect(() => computeKeyGroupRangeForOperatorIndex(0, 1, 0)).toThrow(/Operator parallelism not within bounds: 0/);
    expect(() => computeKeyGroupRangeForOperatorIndex(32769, 1, 0)).toThrow(/not within bounds: 32769/);
    expect(() => computeKeyGroupRangeForOperatorIndex(128, 2, 2)).toThrow(/Operator index 2 is not in \[0, 2\)/);
    expect(() => computeOperatorIndexForKeyGroup(128, 2, 128)).toThrow(/Key group 128 is not in \[0, 128\)/);
    expect(() => assignKeyToParallelOperator('a', 128, 0)).toThrow(/not within bounds: 0/);
    expect(() => assignToKeyGroup('a', 0)).toThrow(/not within bounds: 0/);
  });
});

describe('default max parallelism', () => {
  it('is min(max(roundUpToPowerOfTwo(p + p/2), 128), 32768)', () => {
    expect(computeDefaultMaxParallelism(1)).toBe(128);
    expect(computeDefaultMaxParallelism(2)).toBe(128);
    expect(computeDefaultMaxParallelism(85)).toBe(128);
    expect(computeDefaultMaxParallelism(86)).toBe(256);
    expect(computeDefaultMaxParallelism(100)).toBe(256);
    expect(computeDefaultMaxParallelism(200)).toBe(512);
    expect(computeDefaultMaxParallelism(30000)).toBe(32768);
    expect(computeDefaultMaxParallelism(32768)).toBe(32768);
  });

  it('refuses parallelism outside 1..32768', () => {
    expect(() => computeDefaultMaxParallelism(0)).toThrow(/not within bounds: 0/);
    expect(() => computeDefaultMaxParallelism(32769)).toThrow(/not within bounds: 32769/);
    expect(() => computeDefaultMaxParallelism(1.5)).toThrow(/not within bounds: 1.5/);
  });
});
