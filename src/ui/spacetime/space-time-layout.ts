// The space-time view's math: a d3 linear scale for clock time (ticks in seconds into the run), lane
// rows, the restore jump's curve, and the words a cut's title and tooltip say. No DOM.
import { scaleLinear, type ScaleLinear } from 'd3';
import { formatSize, formatTime } from '../format';
import type { CheckpointCut, RestoreJump } from './space-time-view';

export const LANE_HEIGHT = 40;
export const TOP = 46;
export const AXIS = 26;
export const LABEL_WIDTH = 84;

export interface TimeAxis {
  readonly x: ScaleLinear<number, number>;
  /** The plot's horizontal range in pixels. */
  readonly left: number;
  readonly right: number;
  readonly ticks: readonly { readonly time: number; readonly label: string }[];
}

/** Clock ms → x; ticks where d3 puts them in seconds since `originMs`, labelled "1.5 s". */
export function timeAxis(domain: readonly [number, number], originMs: number, width: number): TimeAxis {
  const left = LABEL_WIDTH + 8;
  const right = Math.max(left + 40, width - 16);
  const x = scaleLinear().domain([domain[0], domain[1]]).range([left, right]);
  const seconds = scaleLinear().domain([(domain[0] - originMs) / 1000, (domain[1] - originMs) / 1000]);
  const count = Math.max(2, Math.floor((right - left) / 90));
  const format = seconds.tickFormat(count);
  const ticks = seconds.ticks(count).map((s) => ({ time: originMs + s * 1000, label: `${format(s)} s` }));
  return { x, left, right, ticks };
}

export const laneY = (index: number) => TOP + index * LANE_HEIGHT + LANE_HEIGHT / 2;

/** The jump back: from the redeployment at the top of the lanes, over them, down onto the cut. */
export function jumpPath(x: ScaleLinear<number, number>, jump: RestoreJump, cutAt: number): string {
  const [from, to] = [x(jump.at), x(cutAt)];
  const y = TOP - 2;
  const lift = Math.min(TOP - 8, 14 + Math.abs(from - to) * 0.15);
  return `M${from},${y} C${from},${y - lift} ${to},${y - lift} ${to},${y}`;
}

export const seconds = (time: number, originMs: number) => formatTime(time - originMs);

/** "numbers: p0 77, p1 76" per source operator. */
export function offsetLines(cut: CheckpointCut): string[] {
  return Object.entries(cut.sourceOffsets).map(([uid, partitions]) => `${uid}: ${Object.entries(partitions).map(([partition, offset]) => `p${partition} ${offset}`).join(', ')}`);
}

/** "sum#0 3.6 KiB" per snapshot that was acknowledged. */
export function sizeLines(cut: CheckpointCut): string[] {
  return cut.points.filter((point) => point.stateSizeBytes !== null).map((point) => `${point.taskId} ${formatSize(point.stateSizeBytes!)}`);
}

export function cutTitle(cut: CheckpointCut, originMs: number): string {
  const kind = cut.isSavepoint ? 'Savepoint' : 'Checkpoint';
  const head = `${kind} ${cut.checkpointId} ${cut.status}, triggered at ${seconds(cut.triggeredAt, originMs)}`;
  const offsets = offsetLines(cut);
  const size = cut.stateSizeBytes !== null ? `; state ${formatSize(cut.stateSizeBytes)}` : '';
  const failed = cut.failureReason ? `; ${cut.failureReason}` : '';
  return `${head}${failed}${size}${offsets.length ? `; source offsets ${offsets.join('; ')}` : ''}; snapshots ${sizeLines(cut).join(', ') || 'none yet'}`;
}

/** Where clicking a cut seeks to: its end (completion or failure), else its latest snapshot. */
export function cutTime(cut: CheckpointCut): number {
  return cut.endedAt ?? Math.max(cut.triggeredAt, ...cut.points.map((point) => point.time));
}
