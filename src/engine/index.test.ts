// The engine's entry exports Flink's key-group assignment under Flink's names, with Flink's results.
import { describe, expect, it } from 'vitest';
import { assignToKeyGroup, computeDefaultMaxParallelism, computeKeyGroupRangeForOperatorIndex, computeOperatorIndexForKeyGroup } from './index';

describe('the engine entry', () => {
  const vectors: Array<[string | number, number, number]> = [
    ['a', 81, 1],
    ['hello', 35, 0],
    ['user-42', 20, 0],
    ['你好', 66, 1],
    [42, 29, 0],
    [-1, 80, 1],
  ];

  it.each(vectors)('puts key %j in key group %i of 128 and on subtask %i of 2, as Flink does', (key, keyGroup, subtask) => {
    expect(assignToKeyGroup(key, 128)).toBe(keyGroup);
    expect(computeOperatorIndexForKeyGroup(128, 2, keyGroup)).toBe(subtask);
    const range = computeKeyGroupRangeForOperatorIndex(128, 2, subtask);
    expect(range.contains(keyGroup)).toBe(true);
  });

  it('derives the default max parallelism as Flink does', () => {
    expect(computeDefaultMaxParallelism(2)).toBe(128);
    expect(computeDefaultMaxParallelism(200)).toBe(512);
  });
});
