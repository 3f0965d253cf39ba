// Where the job graph's parts go (d3 scales, no DOM): columns left to right by depth, each column's
// subtasks stacked, one curve per channel from the sender's right edge to the receiver's left edge at
// the receiver's channel index. A left margin is left for the source logs drawn beside the sources.
import { scaleBand, scalePoint } from 'd3';
import type { TaskId } from '../../engine/ids';
import type { JobGraphView, LaneItemView } from './job-graph-view';
import { LanePath, type Point, type PointOnPath } from './lane-path';

export interface GraphSize {
  readonly width: number;
  readonly height: number;
  /** Left margin kept free for the source logs (0: none). */
  readonly sourceMargin: number;
}

/** About 65 % of a 1280×800 page; the SVG scales up from it. */
export const DEFAULT_GRAPH_SIZE: GraphSize = { width: 832, height: 470, sourceMargin: 120 };

const HEADER = 34;
const SIDE = 10;
/** The straight run at a lane's receiving end, where its input queue stacks. */
const QUEUE_RUN = 64;
const FOOTER = 80;
const BOX_MAX_WIDTH = 190;
const BOX_MAX_HEIGHT = 96;
/** Distance between stacked items in an input queue, in px at most. */
const ITEM_SPACING = 14;
/** The gate sits this far before the receiver's box; queued items stack behind it. */
export const GATE_INSET = 7;

export interface BoxLayout {
  readonly taskId: TaskId;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface ColumnLabel {
  readonly vertexId: string;
  readonly x: number;
  readonly y: number;
  readonly text: string;
}

export interface LaneLayout {
  readonly id: string;
  readonly path: LanePath;
  /** Where the gate is drawn (just before the receiver). */
  readonly gate: PointOnPath;
  /** Where the straight run into the receiver (its input queue) begins. */
  readonly queueStart: PointOnPath;
  /** Between stacked items, px. */
  readonly spacing: number;
  /** How tall a mark on this lane may be without covering its neighbours at the receiver, px. */
  readonly thickness: number;
}

/** The region beside one source subtask where its log goes. */
export interface SourceSlot {
  readonly taskId: TaskId;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly boxes: ReadonlyMap<TaskId, BoxLayout>;
  readonly lanes: ReadonlyMap<string, LaneLayout>;
  readonly labels: readonly ColumnLabel[];
  readonly sourceSlots: readonly SourceSlot[];
  /** Where acknowledgements fly to: the coordinator, beside the graph at the top right. */
  readonly coordinator: Point;
  /** Top of the legend strip. */
  readonly legendY: number;
}

export function layoutJobGraph(view: JobGraphView, size: GraphSize = DEFAULT_GRAPH_SIZE): GraphLayout {
  const { width, height, sourceMargin } = size;
  const count = Math.max(1, view.columns.length);
  const left = sourceMargin + SIDE;
  const right = width - SIDE;
  // Boxes take at most a quarter of each column's share: the lanes between them need the room.
  const boxWidth = Math.min(BOX_MAX_WIDTH, ((right - left) / count) * (count === 1 ? 1 : 0.56));
  const columns = scalePoint<number>()
    .domain(view.columns.map((_, i) => i))
    .range(count === 1 ? [(left + right - boxWidth) / 2, (left + right - boxWidth) / 2] : [left, right - boxWidth]);
  const boxes = new Map<TaskId, BoxLayout>();
  const labels: ColumnLabel[] = [];
  const top = HEADER;
  const available = height - HEADER - FOOTER;
  view.columns.forEach((column, index) => {
    const x = columns(index) ?? left;
    const subtasks = column.flatMap((vertex) => vertex.subtasks);
    const rows = scaleBand<TaskId>().domain(subtasks.map((s) => s.taskId)).range([top, top + available]).paddingInner(0.28).paddingOuter(0.1);
    const boxHeight = Math.min(BOX_MAX_HEIGHT, rows.bandwidth());
    for (const subtask of subtasks) {
      const y = (rows(subtask.taskId) ?? top) + (rows.bandwidth() - boxHeight) / 2;
      boxes.set(subtask.taskId, { taskId: subtask.taskId, x, y, width: boxWidth, height: boxHeight });
    }
    for (const vertex of column) {
      const first = boxes.get(vertex.subtasks[0]?.taskId ?? '');
      labels.push({ vertexId: vertex.vertexId, x, y: Math.max(14, (first?.y ?? top) - 10), text: vertex.operators.map((o) => o.name).join(' → ') || vertex.name });
    }
  });

  const lanes = new Map<string, LaneLayout>();
  const outgoing = new Map<TaskId, string[]>();
  for (const lane of view.lanes) outgoing.set(lane.from, [...(outgoing.get(lane.from) ?? []), lane.id]);
  for (const lane of view.lanes) {
    const from = boxes.get(lane.from);
    const to = boxes.get(lane.to);
    if (!from || !to) continue;
    const outputs = outgoing.get(lane.from)!;
    const inputs = view.lanes.filter((other) => other.to === lane.to).length;
    const start = { x: from.x + from.width, y: spread(from, outputs.indexOf(lane.id), outputs.length) };
    const end = { x: to.x, y: spread(to, lane.channel, Math.max(inputs, lane.channel + 1)) };
    const run = Math.min(QUEUE_RUN, (end.x - start.x) / 3);
    const path = new LanePath(start, end, run);
    const spacing = Math.min(ITEM_SPACING, Math.max(3, (path.length - GATE_INSET) / Math.max(1, view.maxDrawnItemsPerLane)));
    const thickness = Math.max(8, Math.min(20, (to.height / Math.max(1, inputs)) * 0.9));
    lanes.set(lane.id, { id: lane.id, path, gate: path.at(path.length - GATE_INSET / 2), queueStart: path.at(path.length - run), spacing, thickness });
  }

  const sourceSlots: SourceSlot[] = [];
  if (sourceMargin > 0) {
    for (const vertex of view.columns[0] ?? []) {
      if (!vertex.isSource) continue;
      for (const subtask of vertex.subtasks) {
        const box = boxes.get(subtask.taskId)!;
        sourceSlots.push({ taskId: subtask.taskId, x: 4, y: box.y, width: Math.max(0, box.x - 14), height: box.height });
      }
    }
  }
  return { width, height, boxes, lanes, labels, sourceSlots, coordinator: { x: width - 8, y: 8 }, legendY: height - FOOTER + 14 };
}

/** A point along the box's edge for the i-th of n lanes, spread evenly over most of its height. */
function spread(box: BoxLayout, index: number, count: number): number {
  return box.y + (box.height * (Math.max(0, index) + 0.5)) / Math.max(1, count);
}

/**
 * Where a lane's items are drawn, head first: each travels along the lane but never past its place in
 * the input queue, nor closer than one spacing to the item ahead of it (FIFO, visibly).
 */
export function placeItems(lane: LaneLayout, items: readonly LaneItemView[]): PointOnPath[] {
  const queueEnd = lane.path.length - GATE_INSET - lane.spacing / 2;
  let ahead = Number.POSITIVE_INFINITY;
  return items.map((item) => {
    const distance = Math.max(0, Math.min(item.progress * lane.path.length, queueEnd - item.slot * lane.spacing, ahead - lane.spacing));
    ahead = distance;
    return lane.path.at(distance);
  });
}
