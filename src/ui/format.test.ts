import { describe, expect, it } from 'vitest';
import { formatMs, formatSize, formatSizePair, listOf } from './format';

describe('numbers for people', () => {
  it('rounds durations: one decimal below 10 ms, whole ms with separators, seconds from 10 s', () => {
    expect(formatMs(7.89990234375)).toBe('7.9 ms');
    expect(formatMs(1046)).toBe('1,046 ms');
    expect(formatMs(12_345)).toBe('12.3 s');
  });
  it('writes sizes in B, KiB and MiB with at most one decimal, a pair with its unit once', () => {
    expect(formatSize(131)).toBe('131 B');
    expect(formatSize(6144)).toBe('6 KiB');
    expect(formatSizePair(8014, 9961)).toBe('7.8 / 9.7 KiB');
    expect(formatSizePair(900, 9961)).toBe('900 B / 9.7 KiB');
  });
  it('lists names as a sentence does', () => {
    expect(listOf(['numbers#0', 'numbers#1', 'numbers#2'])).toBe('numbers#0, numbers#1 and numbers#2');
  });
});
