import { describe, expect, it } from 'vitest';
import { KeyGroupRange } from './key-group-range';

describe('KeyGroupRange', () => {
  it('is inclusive at both ends', () => {
    const range = new KeyGroupRange(3, 5);
    expect(range.size).toBe(3);
    expect([2, 3, 4, 5, 6].map((keyGroup) => range.contains(keyGroup))).toEqual([false, true, true, true, false]);
    expect(Array.from(range)).toEqual([3, 4, 5]);
  });

  it('prints like Flink’s KeyGroupRange.toString', () => {
    expect(String(new KeyGroupRange(0, 63))).toBe('KeyGroupRange{startKeyGroup=0, endKeyGroup=63}');
    expect(String(KeyGroupRange.EMPTY)).toBe('KeyGroupRange{startKeyGroup=0, endKeyGroup=-1}');
  });

  it('has an EMPTY range that holds nothing', () => {
    expect(KeyGroupRange.EMPTY.size).toBe(0);
    expect(KeyGroupRange.EMPTY.isEmpty()).toBe(true);
    expect(KeyGroupRange.EMPTY.contains(0)).toBe(false);
    expect(Array.from(KeyGroupRange.EMPTY)).toEqual([]);
    expect(KeyGroupRange.of(5, 4)).toBe(KeyGroupRange.EMPTY);
  });

  it('intersects to the shared key groups, or EMPTY when there are none', () => {
    const a = new KeyGroupRange(0, 63);
    expect(a.intersection(new KeyGroupRange(43, 85)).toJson()).toEqual({ start: 43, end: 63 });
    expect(a.intersection(new KeyGroupRange(64, 127))).toBe(KeyGroupRange.EMPTY);
    expect(a.intersection(KeyGroupRange.EMPTY).isEmpty()).toBe(true);
  });

  it('refuses negative starts, reversed bounds and fractions', () => {
    expect(() => new KeyGroupRange(-1, 3)).toThrow(/must not be negative/);
    expect(() => new KeyGroupRange(4, 3)).toThrow(/after end key group/);
    expect(() => new KeyGroupRange(0.5, 3)).toThrow(/integers/);
  });

  it('round-trips through JSON and compares by value', () => {
    const range = new KeyGroupRange(10, 20);
    expect(KeyGroupRange.fromJson(range.toJson()).equals(range)).toBe(true);
    expect(range.equals(new KeyGroupRange(10, 21))).toBe(false);
  });
});
