// The space-time view's zoom math: a window zoomed around an anchor keeps the anchor where it was, pans
// and zooms stay within the run, never narrower than MIN_WINDOW_MS, and a d3 gesture step maps to the
// same window the keys would give.
import { describe, expect, it } from 'vitest';
import { scaleLinear, zoomIdentity } from 'd3';
import { MIN_WINDOW_MS, clampWindow, panWindow, transformDelta, windowAfter, zoomWindow } from './time-zoom';

const RUN = [0, 10_000] as const;

describe('zooming a time window', () => {
  it('keeps the anchor at the same place in the window', () => {
    expect(zoomWindow([1000, 3000], 2, 2000, RUN)).toEqual([1500, 2500]);
    expect(zoomWindow([1000, 3000], 2, 1000, RUN)).toEqual([1000, 2000]);
    expect(zoomWindow([1000, 3000], 0.5, 2000, RUN)).toEqual([0, 4000]);
  });

  it('never shows more than the run, nor less than MIN_WINDOW_MS', () => {
    expect(zoomWindow([1000, 3000], 1 / 100, 2000, RUN)).toEqual([0, 10_000]);
    const narrow = zoomWindow([1000, 3000], 10_000, 2000, RUN);
    expect(narrow[1] - narrow[0]).toBe(MIN_WINDOW_MS);
  });

  it('pans by whole windows and stops at the run’s ends, shifted rather than cut', () => {
    expect(panWindow([1000, 3000], 500, RUN)).toEqual([1500, 3500]);
    expect(panWindow([1000, 3000], -5000, RUN)).toEqual([0, 2000]);
    expect(panWindow([8000, 9000], 5000, RUN)).toEqual([9000, 10_000]);
    expect(clampWindow([-50, 50], RUN)).toEqual([0, 100]);
  });
});

describe('a d3-zoom gesture step', () => {
  const x = scaleLinear().domain([1000, 3000]).range([100, 500]);

  it('is the step between two transforms, applied to the window as drawn now', () => {
    // A wheel step ×2 around pixel 300 (clock 2000): translate(300) scale(2) translate(-300).
    const next = zoomIdentity.translate(300, 0).scale(2).translate(-300, 0);
    const delta = transformDelta(zoomIdentity, next);
    expect(delta).toEqual({ k: 2, x: -300 });
    expect(windowAfter(delta, (px) => x.invert(px), 100, 500, RUN)).toEqual([1500, 2500]);
  });

  it('pans by a drag of 100 px left: a quarter of the 400 px plot later', () => {
    const previous = zoomIdentity.translate(40, 0).scale(3);
    const delta = transformDelta(previous, previous.translate(-100 / 3, 0));
    expect(delta.k).toBe(1);
    expect(delta.x).toBeCloseTo(-100);
    const [start, end] = windowAfter(delta, (px) => x.invert(px), 100, 500, RUN);
    expect(start).toBeCloseTo(1500);
    expect(end).toBeCloseTo(3500);
  });
});
