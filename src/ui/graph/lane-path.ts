// A lane's curve: the horizontal link d3-shape draws between two points (a cubic Bézier whose control
// points share the middle x), then a straight run into the receiver where its input queue stacks;
// sampled once so items can be placed by distance along it.
import { linkHorizontal } from 'd3';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface PointOnPath extends Point {
  /** Direction of travel, in degrees (0 = rightwards). */
  readonly angle: number;
}

/** Samples per curve: enough that placing by distance is smooth at any size the page draws. */
const SAMPLES = 48;

const link = linkHorizontal<{ source: [number, number]; target: [number, number] }, [number, number]>();

export class LanePath {
  /** The SVG path (`d`), as d3-shape's linkHorizontal makes it. */
  readonly d: string;
  readonly length: number;
  readonly #points: Point[] = [];
  readonly #distances: number[] = [];

  constructor(
    readonly start: Point,
    readonly end: Point,
    /** Length of the straight run before `end`. */
    straight = 0,
  ) {
    const bend = { x: Math.max(start.x, end.x - straight), y: end.y };
    this.d = `${link({ source: [start.x, start.y], target: [bend.x, bend.y] }) ?? ''}L${end.x},${end.y}`;
    const middle = (start.x + bend.x) / 2;
    let length = 0;
    const add = (point: Point) => {
      const previous = this.#points.at(-1);
      if (previous) length += Math.hypot(point.x - previous.x, point.y - previous.y);
      this.#points.push(point);
      this.#distances.push(length);
    };
    for (let i = 0; i <= SAMPLES; i++) add(cubic(start, { x: middle, y: start.y }, { x: middle, y: bend.y }, bend, i / SAMPLES));
    add(end);
    this.length = length;
  }

  /** The point `distance` along the lane from its start (clamped to the lane). */
  at(distance: number): PointOnPath {
    const target = Math.min(this.length, Math.max(0, distance));
    const last = this.#points.length - 1;
    let i = 1;
    while (i < last && this.#distances[i]! < target) i++;
    const a = this.#points[i - 1]!;
    const b = this.#points[i]!;
    const span = this.#distances[i]! - this.#distances[i - 1]!;
    const t = span > 0 ? (target - this.#distances[i - 1]!) / span : 0;
    return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t, angle: (Math.atan2(b.y - a.y, b.x - a.x) * 180) / Math.PI };
  }
}

function cubic(p0: Point, p1: Point, p2: Point, p3: Point, t: number): Point {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return { x: a * p0.x + b * p1.x + c * p2.x + d * p3.x, y: a * p0.y + b * p1.y + c * p2.y + d * p3.y };
}
