import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['10 min', 600_000],
    ['500 ms', 500],
    ['5 s', 5_000],
    ['1h', 3_600_000],
    ['2 d', 172_800_000],
    ['3m', 180_000],
    ['20 seconds', 20_000],
    ['1 MIN', 60_000],
    ['  7  ', 7],
    ['0', 0],
  ])('reads %j as %d milliseconds', (text, milliseconds) => {
    expect(parseDuration(text)).toEqual({ ok: true, milliseconds });
  });

  it('takes a number value as milliseconds', () => {
    expect(parseDuration(250)).toEqual({ ok: true, milliseconds: 250 });
  });

  it.each(['1.5 s', '-3 s', 'ten seconds', '', '5 fortnights', 's'])('rejects %j with a reason', (text) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeGreaterThan(10);
  });

  it('names the unknown unit', () => {
    expect(parseDuration('5 fortnights')).toEqual({ ok: false, reason: expect.stringContaining('"fortnights"') });
  });

  it('rejects negative and fractional millisecond numbers', () => {
    expect(parseDuration(-1).ok).toBe(false);
    expect(parseDuration(1.5).ok).toBe(false);
  });
});

describe('formatDuration', () => {
  it.each([
    [600_000, '10 min'],
    [3_600_000, '1 h'],
    [1_000, '1 s'],
    [1_500, '1500 ms'],
    [0, '0 ms'],
    [86_400_000, '1 d'],
  ])('writes %d ms with the largest whole unit: %s', (milliseconds, text) => {
    expect(formatDuration(milliseconds)).toBe(text);
  });

  it('writes what parseDuration reads back', () => {
    for (const milliseconds of [1, 999, 60_000, 90_000, 7_200_000]) {
      expect(parseDuration(formatDuration(milliseconds))).toEqual({ ok: true, milliseconds });
    }
  });
});
