// The calculator against values computed on the JVM from Flink's own code: MathUtils.murmurHash and
// KeyGroupRangeAssignment (assignToKeyGroup = murmurHash(key.hashCode()) % maxParallelism,
// computeOperatorIndexForKeyGroup = keyGroup * parallelism / maxParallelism), transcribed from
// flink-core/.../util/MathUtils.java and flink-runtime/.../state/KeyGroupRangeAssignment.java and run with
// java 17 on String/Integer keys (Java's own hashCode).
import { describe, expect, it } from 'vitest';
import { calculateKeyGroup, type CalculatorInput, type KeyType } from './key-group-calculator';

const input = (key: string, maxParallelism: number | string, parallelism: number | string, keyType: KeyType = 'string'): CalculatorInput => ({
  key,
  keyType,
  maxParallelism: String(maxParallelism),
  parallelism: String(parallelism),
});

// key, type, hashCode, murmurHash, maxParallelism, parallelism, keyGroup, operatorIndex — printed by the JVM.
const jvm: Array<[string, KeyType, number, number, number, number, number, number]> = [
  ['key-0', 'string', 101943362, 591317919, 128, 2, 31, 0],
  ['key-7', 'string', 101943369, 1686813898, 128, 4, 74, 2],
  ['key-7', 'string', 101943369, 1686813898, 32768, 7, 15562, 3],
  ['customer-3', 'string', -1581185532, 1382817960, 4096, 1000, 168, 41],
  ['hello', 'string', 99162322, 1715862179, 32768, 7, 31395, 6],
  ['', 'string', 0, 593689054, 128, 2, 94, 1],
  ['polygenelubricants', 'string', -2147483648, 1718298732, 128, 4, 108, 3],
  ['42', 'integer', 42, 1134849565, 4096, 1000, 3613, 882],
  ['-1', 'integer', -1, 1982413648, 32768, 7, 15184, 3],
  ['-2147483648', 'integer', -2147483648, 1718298732, 128, 2, 108, 1],
  ['key-0', 'string', 101943362, 591317919, 1, 1, 0, 0],
];

describe('the key-group calculator', () => {
  it.each(jvm)('puts %j (%s) with hashCode %i, murmur %i at max parallelism %i, parallelism %i in key group %i on subtask %i', (key, type, hashCode, murmur, maxP, p, keyGroup, operatorIndex) => {
    const result = calculateKeyGroup(input(key, maxP, p, type));
    expect(result).toMatchObject({ ok: true, hashCode, murmurHash: murmur, keyGroup, operatorIndex });
  });

  it("gives the owning subtask's key-group range, which holds the key group", () => {
    const result = calculateKeyGroup(input('key-7', 128, 4));
    expect(result).toMatchObject({ ok: true, keyGroupRange: { start: 64, end: 95 } });
  });

  it('hashes the text "42" as a String, not as an Integer', () => {
    expect(calculateKeyGroup(input('42', 128, 2))).toMatchObject({ ok: true, hashCode: 1662 });
  });

  it("refuses max parallelism outside Flink's 1…32768 and parallelism above it, field by field", () => {
    expect(calculateKeyGroup(input('a', 0, 1))).toEqual({ ok: false, errors: { maxParallelism: 'Max parallelism must lie in 1…32768.' } });
    expect(calculateKeyGroup(input('a', 32769, 1))).toMatchObject({ ok: false, errors: { maxParallelism: 'Max parallelism must lie in 1…32768.' } });
    expect(calculateKeyGroup(input('a', 128, 129))).toEqual({ ok: false, errors: { parallelism: 'Parallelism must not be larger than max parallelism (128).' } });
    expect(calculateKeyGroup(input('a', '', '1.5'))).toEqual({
      ok: false,
      errors: { maxParallelism: 'Max parallelism is required.', parallelism: 'Parallelism must be a whole number.' },
    });
    expect(calculateKeyGroup(input('a', 32768, 32768))).toMatchObject({ ok: true });
  });

  it('refuses Integer keys that are not whole numbers or do not fit in a Java int', () => {
    expect(calculateKeyGroup(input('4.2', 128, 2, 'integer'))).toMatchObject({ ok: false, errors: { key: expect.stringMatching(/whole number/) } });
    expect(calculateKeyGroup(input('2147483648', 128, 2, 'integer'))).toMatchObject({ ok: false, errors: { key: expect.stringMatching(/Java's int/) } });
  });
});
