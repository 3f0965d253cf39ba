// Subtask colours follow Flink's Web UI: blue when idle, red when busy, grey when backpressured, blended by share.
import { describe, expect, it } from 'vitest';
import { blend, FLINK_NODE_COLORS, subtaskTimeColors } from './backpressure-colors';
import { backPressureLevel } from '../../engine/samples';

const reading = (busy: number, backPressured: number) => ({
  busyTimeMsPerSecond: busy,
  backPressuredTimeMsPerSecond: backPressured,
  idleTimeMsPerSecond: 1000 - busy - backPressured,
  backPressure: backPressureLevel(backPressured),
});

describe('subtask colours as Flink colours its job graph', () => {
  it('is Flink\'s default blue when idle, its busy red when busy, its backpressured grey and black when backpressured', () => {
    expect(subtaskTimeColors(reading(0, 0))).toMatchObject({ background: FLINK_NODE_COLORS.background.idle, border: FLINK_NODE_COLORS.border.idle });
    expect(subtaskTimeColors(reading(1000, 0))).toMatchObject({ background: FLINK_NODE_COLORS.background.busy, border: FLINK_NODE_COLORS.border.busy });
    expect(subtaskTimeColors(reading(0, 1000))).toMatchObject({ background: FLINK_NODE_COLORS.background.backPressured, border: '#000000' });
  });

  it('blends by share, and lightens the fill towards white', () => {
    expect(blend('#000000', '#ffffff', 0.5)).toBe('#808080');
    expect(subtaskTimeColors(reading(500, 0)).background).toBe(blend('#5db1ff', '#ee6464', 0.5));
    expect(subtaskTimeColors(reading(0, 0)).fill).toBe(blend('#5db1ff', '#ffffff', 0.55));
  });

  it('names the level as Flink does: OK up to 100 ms/s, LOW up to 500, HIGH above', () => {
    expect([0, 100, 101, 500, 501, 1000].map(backPressureLevel)).toEqual(['ok', 'ok', 'low', 'low', 'high', 'high']);
  });
});
