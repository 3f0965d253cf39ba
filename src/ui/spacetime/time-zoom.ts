// Zooming the space-time view in time: the window shown (clock ms) is the user's once they zoom or pan, and
// stays put in time while the run goes on (Reset follows the moment shown again). d3-zoom reads the gestures
// (wheel with Ctrl or a trackpad pinch, touch pinch, drag to pan) through an attachment; the keys and buttons
// use the same math. The window is kept within the run and never narrower than MIN_WINDOW_MS.
import { select, zoom, zoomIdentity, type D3ZoomEvent, type ZoomTransform } from 'd3';
import type { Attachment } from 'svelte/attachments';

export type TimeWindow = readonly [number, number];

/** The narrowest window: a few ms, where single hops of a fast network still read. */
export const MIN_WINDOW_MS = 10;
/** One press of + or − zooms by this factor. */
export const ZOOM_STEP = 1.5;
/** One press of ← or → pans by this share of the window. */
export const PAN_STEP = 0.2;

/** `window` zoomed by `factor` (> 1: in) around `anchor` (clock ms), kept within `bounds`. */
export function zoomWindow(window: TimeWindow, factor: number, anchor: number, bounds: TimeWindow): TimeWindow {
  const [start, end] = window;
  const span = (end - start) / factor;
  const share = end > start ? (anchor - start) / (end - start) : 0.5;
  return clampWindow([anchor - share * span, anchor + (1 - share) * span], bounds);
}

/** `window` moved by `deltaMs` (> 0: later), kept within `bounds`. */
export function panWindow(window: TimeWindow, deltaMs: number, bounds: TimeWindow): TimeWindow {
  return clampWindow([window[0] + deltaMs, window[1] + deltaMs], bounds);
}

/** A window no narrower than MIN_WINDOW_MS, no wider than `bounds`, and inside them (shifted, not cut, when it sticks out). */
export function clampWindow(window: TimeWindow, bounds: TimeWindow): TimeWindow {
  const boundsSpan = Math.max(MIN_WINDOW_MS, bounds[1] - bounds[0]);
  const span = Math.min(boundsSpan, Math.max(MIN_WINDOW_MS, window[1] - window[0]));
  const start = Math.min(Math.max(window[0], bounds[0]), bounds[0] + boundsSpan - span);
  return [start, start + span];
}

/**
 * The window after a d3-zoom gesture step: `delta` is the step's transform in screen pixels (new ∘ old⁻¹), and
 * `invert` maps a pixel of the plot as drawn now back to clock ms; the plot spans pixels `left`…`right`.
 */
export function windowAfter(delta: { readonly k: number; readonly x: number }, invert: (px: number) => number, left: number, right: number, bounds: TimeWindow): TimeWindow {
  return clampWindow([invert((left - delta.x) / delta.k), invert((right - delta.x) / delta.k)], bounds);
}

/** The step from one d3 transform to the next, in x: new = delta ∘ old. */
export function transformDelta(previous: ZoomTransform, next: ZoomTransform): { readonly k: number; readonly x: number } {
  const k = next.k / previous.k;
  return { k, x: next.x - k * previous.x };
}

export interface TimeZoomOptions {
  /** Each gesture step as a delta transform (see windowAfter). */
  readonly onstep: (delta: { readonly k: number; readonly x: number }) => void;
}

/**
 * d3-zoom on an SVG: the wheel zooms only with Ctrl or ⌘ held (a trackpad pinch sends Ctrl+wheel), so the page
 * still scrolls over the view; a drag pans, a click stays a click (moves under 4 px), double-click does nothing.
 */
export function timeZoom(options: TimeZoomOptions): Attachment<SVGSVGElement> {
  return (svg) => {
    let previous: ZoomTransform = zoomIdentity;
    const behaviour = zoom<SVGSVGElement, unknown>()
      .clickDistance(4)
      // d3's step, but a mouse wheel's notch (|deltaY| ≈ 100) zooms ×1.3 rather than ×4; a pinch's small deltas as d3 does.
      .wheelDelta((event: WheelEvent) => -event.deltaY * (event.deltaMode === 1 ? 0.05 : event.deltaMode ? 1 : 0.002) * (Math.abs(event.deltaY) < 40 ? 10 : 2))
      .filter((event: Event) => (event.type === 'wheel' ? (event as WheelEvent).ctrlKey || (event as WheelEvent).metaKey : !(event as MouseEvent).button))
      .on('start', (event: D3ZoomEvent<SVGSVGElement, unknown>) => (previous = event.transform))
      .on('zoom', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
        const delta = transformDelta(previous, event.transform);
        previous = event.transform;
        if (delta.k !== 1 || delta.x !== 0) options.onstep(delta);
      });
    const selection = select(svg).call(behaviour).on('dblclick.zoom', null);
    return () => {
      selection.on('.zoom', null);
    };
  };
}
