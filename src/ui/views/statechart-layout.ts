// Lays out any statechart definition for drawing: nested boxes (compound states hold their children in
// columns ranked along transitions from the initial state; parallel regions stacked) and arrows between
// them labelled with event types. Pure geometry, no DOM: the component draws what this returns.
import type { ChartDefinition, ChartState, ChartTransition } from './statechart-definition';

export interface StateBox {
  readonly id: string;
  readonly key: string;
  readonly type: ChartState['type'];
  readonly depth: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly isInitial: boolean;
  readonly hasChildren: boolean;
  readonly parentId: string | null;
}

export interface TransitionArrow {
  readonly key: string;
  readonly sourceId: string;
  readonly targetId: string;
  readonly label: string;
  readonly path: string;
  readonly labelX: number;
  readonly labelY: number;
  /** How the label sits at (labelX, labelY): centred, or starting there. */
  readonly anchor?: 'middle' | 'start';
}

export interface ChartLayout {
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly StateBox[];
  readonly arrows: readonly TransitionArrow[];
}

const CHAR_WIDTH = 6.6;
const LEAF_HEIGHT = 24;
const PADDING = 8;
const HEADER = 16;
const GAP_X = 56;
const GAP_Y = 16;
const MARGIN = 28;
const NESTED_GAP_Y = 20;

interface Sized {
  state: ChartState;
  width: number;
  height: number;
  /** Child positions relative to this box's top-left. */
  placed: Array<{ child: Sized; x: number; y: number }>;
}

export function layoutChart(definition: ChartDefinition): ChartLayout {
  const sized = size(definition.root, definition.transitions, true);
  const boxes: StateBox[] = [];
  place(sized, MARGIN, MARGIN, 0, null, boxes, definition);
  const byId = new Map(boxes.map((box) => [box.id, box]));
  const arrows = separateLabels(
    definition.transitions.flatMap((transition, index) => {
      const arrow = arrowOf(transition, byId, index);
      return arrow ? [arrow] : [];
    }),
  );
  return { width: sized.width + 2 * MARGIN, height: sized.height + 2 * MARGIN + 16, boxes, arrows };
}

function size(state: ChartState, transitions: readonly ChartTransition[], isRoot: boolean): Sized {
  const labelWidth = state.key.length * CHAR_WIDTH + 2 * PADDING;
  if (state.children.length === 0) return { state, width: Math.max(64, labelWidth), height: LEAF_HEIGHT, placed: [] };
  const children = state.children.map((child) => size(child, transitions, false));
  const top = isRoot ? 0 : HEADER + PADDING;
  const inset = isRoot ? 0 : PADDING;
  const placed: Sized['placed'] = [];
  if (state.type === 'parallel') {
    let y = top;
    for (const child of children) {
      placed.push({ child, x: inset, y });
      y += child.height + GAP_Y / 2;
    }
    const width = Math.max(labelWidth, ...children.map((c) => c.width + 2 * inset));
    return { state, width, height: y - GAP_Y / 2 + inset, placed };
  }
  // The machine's top level reads left to right; nested states stack their children top to bottom, which
  // keeps charts narrow enough for a side panel.
  const ranks = rankColumns(state, children, transitions);
  if (isRoot) {
    let x = inset;
    let height = 0;
    for (const rank of ranks) {
      let y = top;
      for (const child of rank) {
        placed.push({ child, x, y });
        y += child.height + GAP_Y;
      }
      height = Math.max(height, y - GAP_Y);
      x += Math.max(...rank.map((c) => c.width)) + GAP_X;
    }
    return { state, width: Math.max(labelWidth, x - GAP_X + inset), height: height + inset, placed };
  }
  let y = top;
  let width = 0;
  for (const rank of ranks) {
    let x = inset;
    for (const child of rank) {
      placed.push({ child, x, y });
      x += child.width + GAP_X / 3;
    }
    width = Math.max(width, x - GAP_X / 3);
    y += Math.max(...rank.map((c) => c.height)) + NESTED_GAP_Y;
  }
  return { state, width: Math.max(labelWidth, width + inset), height: y - NESTED_GAP_Y + inset, placed };
}

/** Children in columns: rank = longest forward path from the initial child (BFS order breaks cycles). */
function rankColumns(state: ChartState, children: Sized[], transitions: readonly ChartTransition[]): Sized[][] {
  const indexOf = new Map(children.map((child, index) => [child.state.id, index]));
  const childOf = (id: string): number | undefined => {
    for (let current: string | null = id; current !== null; current = parentOf(current, state)) {
      const index = indexOf.get(current);
      if (index !== undefined) return index;
    }
    return undefined;
  };
  const edges: Array<[number, number]> = [];
  for (const t of transitions) {
    const from = childOf(t.sourceId);
    const to = childOf(t.targetId);
    if (from !== undefined && to !== undefined && from !== to) edges.push([from, to]);
  }
  const start = indexOf.get(state.initialId ?? '') ?? 0;
  const order = new Map<number, number>([[start, 0]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const [from, to] of edges) {
      if (from !== node || order.has(to)) continue;
      order.set(to, order.size);
      queue.push(to);
    }
  }
  const rank = new Map<number, number>(children.map((_, index) => [index, 0]));
  const visited = [...order.keys()];
  for (const node of visited) {
    for (const [from, to] of edges) {
      if (from === node && order.has(to) && order.get(to)! > order.get(node)!) rank.set(to, Math.max(rank.get(to)!, rank.get(node)! + 1));
    }
  }
  const columns: number[][] = [];
  // States no sibling transition reaches (entered from the machine as a whole) go last.
  const unreached = children.map((_, index) => index).filter((index) => !order.has(index));
  const lastRank = Math.max(0, ...visited.map((index) => rank.get(index)!));
  for (const index of unreached) rank.set(index, lastRank);
  for (const index of [...visited, ...unreached]) (columns[rank.get(index)!] ??= []).push(index);
  // Within a column, follow the predecessors' positions (one barycentre pass) so arrows cross less.
  const position = new Map<number, number>();
  return columns
    .filter((column) => column !== undefined)
    .map((column) => {
      const keyed = column.map((index, i) => {
        const from = edges.filter(([, to]) => to === index).map(([f]) => position.get(f)).filter((p): p is number => p !== undefined);
        return { index, key: from.length > 0 ? from.reduce((a, b) => a + b, 0) / from.length : i + 0.5 };
      });
      // The way on first (e.g. finalizing beside pending), then final states, then tall compound ones.
      const weight = (index: number) => (children[index]!.state.children.length > 0 ? 2 : children[index]!.state.type === 'final' ? 1 : 0);
      keyed.sort((a, b) => weight(a.index) - weight(b.index) || a.key - b.key);
      keyed.forEach(({ index }, i) => position.set(index, i));
      return keyed.map(({ index }) => children[index]!);
    });
}

function parentOf(id: string, scope: ChartState): string | null {
  const found = find(scope, id);
  return found?.parentId ?? null;
}

function find(state: ChartState, id: string): ChartState | null {
  if (state.id === id) return state;
  for (const child of state.children) {
    const found = find(child, id);
    if (found) return found;
  }
  return null;
}

function place(sized: Sized, x: number, y: number, depth: number, parentId: string | null, into: StateBox[], definition: ChartDefinition): void {
  const { state } = sized;
  const parent = parentId === null ? null : find(definition.root, parentId);
  into.push({
    id: state.id,
    key: state.key,
    type: state.type,
    depth,
    x,
    y,
    width: sized.width,
    height: sized.height,
    isInitial: parent?.initialId === state.id,
    hasChildren: state.children.length > 0,
    parentId,
  });
  for (const { child, x: dx, y: dy } of sized.placed) place(child, x + dx, y + dy, depth + 1, state.id, into, definition);
}

function arrowOf(transition: ChartTransition, boxes: ReadonlyMap<string, StateBox>, index: number): TransitionArrow | null {
  const source = boxes.get(transition.sourceId);
  const target = boxes.get(transition.targetId);
  if (!source || !target) return null;
  const base = { key: `${index}:${transition.sourceId}→${transition.targetId}`, sourceId: source.id, targetId: target.id, label: transition.label };
  if (source.depth === 0) {
    // A transition of the whole machine ("from any state"): a stub into the target from below.
    const x = target.x + target.width / 2;
    const bottom = target.y + target.height;
    return { ...base, label: `${transition.label} (any state)`, path: `M${x},${bottom + 16} L${x},${bottom}`, labelX: x, labelY: bottom + 26 };
  }
  if (source.id === target.id) {
    // A self-transition (re-entering the state): a loop on the right-hand side.
    const x = source.x + source.width;
    const [top, bottom] = [source.y + 5, source.y + source.height - 5];
    return { ...base, path: `M${x},${top} C${x + 22},${top - 8} ${x + 22},${bottom + 8} ${x},${bottom}`, labelX: x + 20, labelY: (top + bottom) / 2 + 3, anchor: 'start' };
  }
  const sourceRight = source.x + source.width;
  const targetRight = target.x + target.width;
  if (target.x >= sourceRight - 1) return curve(base, [sourceRight, source.y + source.height / 2], [target.x, target.y + target.height / 2], 'horizontal');
  if (source.x >= targetRight - 1) {
    // A backward arrow runs below both boxes.
    const bottom = Math.max(source.y + source.height, target.y + target.height);
    const [sx, tx] = [source.x + source.width / 2, target.x + target.width / 2];
    const dip = bottom + 22;
    const path = `M${sx},${source.y + source.height} C${sx},${dip} ${tx},${dip} ${tx},${target.y + target.height}`;
    return { ...base, path, labelX: (sx + tx) / 2, labelY: (source.y + source.height + target.y + target.height) / 8 + (dip * 3) / 4 + 4 };
  }
  if (target.y >= source.y + source.height - 1) {
    // Stacked, target below: straight down from bottom to top.
    const [sx, tx] = [source.x + source.width / 2, target.x + target.width / 2];
    const [sy, ty] = [source.y + source.height, target.y];
    const mid = (sy + ty) / 2;
    return { ...base, path: `M${sx},${sy} C${sx},${mid} ${tx},${mid} ${tx},${ty}`, labelX: (sx + tx) / 2 + 4, labelY: mid + 3, anchor: 'start' };
  }
  // Overlapping columns (nested or stacked boxes, target above): along the right-hand side.
  const x = Math.max(sourceRight, targetRight);
  const [sy, ty] = [source.y + source.height / 2, target.y + target.height / 2];
  const bulge = x + 26;
  const path = `M${sourceRight},${sy} C${bulge},${sy} ${bulge},${ty} ${targetRight},${ty}`;
  return { ...base, path, labelX: bulge - 4, labelY: (sy + ty) / 2 + 3, anchor: 'start' };
}

function curve(base: Omit<TransitionArrow, 'path' | 'labelX' | 'labelY' | 'anchor'>, [sx, sy]: [number, number], [tx, ty]: [number, number], _direction: 'horizontal'): TransitionArrow {
  const mid = (sx + tx) / 2;
  const path = `M${sx},${sy} C${mid},${sy} ${mid},${ty} ${tx},${ty}`;
  return { ...base, path, labelX: mid, labelY: (sy + ty) / 2 - 4 };
}

/** The active leaves with all their ancestors (XState's configuration), as ids of `layout`'s boxes. */
export function activeConfiguration(layout: ChartLayout, leaves: readonly string[]): ReadonlySet<string> {
  const parents = new Map(layout.boxes.map((box) => [box.id, box.parentId]));
  const ids = new Set<string>();
  for (const leaf of leaves) for (let id: string | null | undefined = leaf; id; id = parents.get(id)) ids.add(id);
  return ids;
}

const LABEL_CHAR_WIDTH = 5.6;
const LABEL_HEIGHT = 11;

/** Moves a label down until it overlaps no earlier one (labels are estimated as boxes of their text). */
function separateLabels(arrows: TransitionArrow[]): TransitionArrow[] {
  const placed: Array<{ left: number; right: number; top: number; bottom: number }> = [];
  return arrows.map((arrow) => {
    const width = arrow.label.length * LABEL_CHAR_WIDTH;
    const left = arrow.anchor === 'start' ? arrow.labelX : arrow.labelX - width / 2;
    let y = arrow.labelY;
    for (let tries = 0; tries < 6; tries++) {
      const clash = placed.some((box) => left < box.right && left + width > box.left && y - LABEL_HEIGHT + 2 < box.bottom && y + 2 > box.top);
      if (!clash) break;
      y += LABEL_HEIGHT;
    }
    placed.push({ left, right: left + width, top: y - LABEL_HEIGHT + 2, bottom: y + 2 });
    return y === arrow.labelY ? arrow : { ...arrow, labelY: y };
  });
}
