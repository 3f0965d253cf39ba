// A subtask's colours by where its time goes, as Flink's Web UI colours its job graph: blue at rest, blended
// towards red by the busy share, then towards grey (border: black) by the backpressured share.
// flink-runtime-web web-dashboard/src/app/components/dagre/components/node/node.component.ts, update():
// background #5db1ff → busy #ee6464 → backpressured #888888; border #1890ff → #ee2222 → #000000.
import type { SubtaskTimeView } from './job-graph-view';

export const FLINK_NODE_COLORS = {
  background: { idle: '#5db1ff', busy: '#ee6464', backPressured: '#888888' },
  border: { idle: '#1890ff', busy: '#ee2222', backPressured: '#000000' },
} as const;

/** How far the box's fill stays from Flink's colour towards white, so dark text on it stays readable. */
export const FILL_LIGHTNESS = 0.55;

/** Mixes two `#rrggbb` colours: share 0 is `from`, 1 is `to` (Flink's blend() for opaque colours). */
export function blend(from: string, to: string, share: number): string {
  const p = Math.max(0, Math.min(1, share));
  const channel = (hex: string, i: number) => parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
  const mixed = [0, 1, 2].map((i) => Math.round((channel(to, i) - channel(from, i)) * p + channel(from, i)));
  return `#${mixed.map((value) => value.toString(16).padStart(2, '0')).join('')}`;
}

/** Flink's background and border for a subtask's reading, and the lighter fill the box draws. */
export function subtaskTimeColors(time: SubtaskTimeView): { readonly background: string; readonly border: string; readonly fill: string } {
  const busy = time.busyTimeMsPerSecond / 1000;
  const backPressured = time.backPressuredTimeMsPerSecond / 1000;
  const { background: bg, border: bd } = FLINK_NODE_COLORS;
  const background = blend(blend(bg.idle, bg.busy, busy), bg.backPressured, backPressured);
  const border = blend(blend(bd.idle, bd.busy, busy), bd.backPressured, backPressured);
  return { background, border, fill: blend(background, '#ffffff', FILL_LIGHTNESS) };
}
