// One channel's content as the picture sees it: a FIFO of record batches and barriers, sender to
// receiver. Records leave at the head when the receiver consumes them, a barrier when it is received;
// what leaves before the picture's travel time is over is still drawn, as delivered, until it reaches
// the receiver (so dots glide even when the network is faster than the picture). Bounded
// (MAX_LANE_ITEMS): beyond it, new batches merge into the tail batch of the same epoch; a receiver that
// never takes its barriers (stuck behind a backlog for hours) costs at most twice that, the oldest dropped.
// Unaligned checkpoints (FLIP-76): a barrier the receiver takes while records are still ahead of it overtook
// them (a priority barrier); those records stay on the lane, marked as captured into the checkpoint's
// channel state, and the lane remembers the leap for a moment so the picture can draw it. Records a
// restore put back (channel state) are marked restored.
import type { CheckpointId } from '../../engine/ids';
import type { LaneItemView, RecordItemView } from './job-graph-view';

/** Items one lane keeps; further batches of the same epoch merge into the last one. */
export const MAX_LANE_ITEMS = 2000;
/** Output captures a lane keeps waiting for their records (one per checkpoint whose barrier overtook some). */
const MAX_PENDING_MARKS = 64;

interface RecordItem {
  readonly kind: 'records';
  readonly id: number;
  readonly epoch: CheckpointId;
  readonly sentAt: number;
  /** How long its drawn trip takes: the lane's travel time when it was sent (a delayed channel's is longer). */
  readonly travelMs: number;
  count: number;
  batches: number;
  /** The checkpoint whose channel state holds these records (unaligned: overtaken by its barrier), or null. */
  captured: CheckpointId | null;
  /** Whose channel state: the receiver's input channel, or the sender's output (null when not captured). */
  capturedSide: 'input' | 'output' | null;
  /** Put back from a restored checkpoint's channel state (they flow in before any new input). */
  readonly restored: boolean;
}

interface BarrierItem {
  readonly kind: 'barrier';
  readonly id: number;
  readonly checkpointId: CheckpointId;
  readonly sentAt: number;
  readonly travelMs: number;
}

type LaneItem = RecordItem | BarrierItem;

/** A barrier that overtook queued records (unaligned), as the picture draws it for a moment after the receiver took it. */
export interface LaneLeap {
  readonly checkpointId: CheckpointId;
  /** Records it went ahead of on this lane. */
  readonly records: number;
  readonly at: number;
}

/** Captures waiting for their records to be put on the lane (output-side channel state, restored output). */
interface PendingMark {
  readonly captured: CheckpointId | null;
  readonly restored: boolean;
  /** The epoch drawn for them instead of the wire's (restored records: the barrier that follows them after the restore). */
  readonly epoch?: CheckpointId;
  remaining: number;
}

export class LaneQueue {
  readonly #items: LaneItem[] = [];
  /** Items that left the lane but whose drawn trip is not over yet, oldest first. */
  readonly #delivered: LaneItem[] = [];
  #nextId = 0;
  #leap: LaneLeap | null = null;
  /** The next records pushed on the lane are marked so, in order (the sender's overtaken or restored output). */
  readonly #pendingMarks: PendingMark[] = [];

  /**
   * Latency added to the channel (a delayed channel), ms: items sent from now on take this much longer
   * along the lane, as they do in the runtime.
   */
  delayMs = 0;

  /** `travelMs`: how long the picture takes an item along the lane (0: nothing is drawn after it left). */
  constructor(private readonly travelMs = 0) {}

  get #tripMs(): number {
    return this.travelMs + this.delayMs;
  }

  /** Records on the lane (sent − consumed). */
  get queued(): number {
    let count = 0;
    for (const item of this.#items) if (item.kind === 'records') count += item.count;
    return count;
  }

  get size(): number {
    return this.#items.length;
  }

  /**
   * The sender put a buffer of `count` records on the lane. With `onWire` the stream says which
   * barriers went before it on this channel: a barrier broadcast earlier but still waiting behind the
   * sender's backlog then goes behind these records (records of an older epoch never queue behind it).
   */
  pushRecords(count: number, epoch: CheckpointId, sentAt: number, onWire = false): void {
    let left = count;
    while (left > 0) {
      // Output a barrier overtook was sent before it (epoch ≤ its checkpoint): a newer buffer means the mark is stale.
      while (this.#pendingMarks[0]?.captured != null && epoch > this.#pendingMarks[0].captured) this.#pendingMarks.shift();
      const mark = this.#pendingMarks[0];
      const taken = mark ? Math.min(left, mark.remaining) : left;
      // The sender's overtaken output goes on the wire behind the barrier that overtook it, whatever its epoch.
      const wireEpoch = mark?.captured != null ? Math.max(epoch, mark.captured + 1) : epoch;
      this.#push(taken, mark?.epoch ?? epoch, wireEpoch, sentAt, onWire, mark?.captured ?? null, mark?.restored ?? false);
      left -= taken;
      if (mark && (mark.remaining -= taken) === 0) this.#pendingMarks.shift();
    }
  }

  #push(count: number, epoch: CheckpointId, wireEpoch: CheckpointId, sentAt: number, onWire: boolean, captured: CheckpointId | null, restored: boolean): void {
    const item: RecordItem = { kind: 'records', id: this.#nextId++, epoch, sentAt, travelMs: this.#tripMs, count, batches: 1, captured, capturedSide: captured === null ? null : 'output', restored };
    if (onWire) {
      const behind = this.#items.findIndex((other) => other.kind === 'barrier' && other.checkpointId >= wireEpoch);
      if (behind >= 0) {
        this.#items.splice(behind, 0, item);
        return;
      }
    }
    const tail = this.#items.at(-1);
    if (this.#items.length >= MAX_LANE_ITEMS && tail?.kind === 'records' && sameLook(tail, item)) {
      tail.count += count;
      tail.batches += 1;
      return;
    }
    this.#items.push(item);
  }

  /**
   * The sender's barrier `checkpointId` overtook `records` records of its output to this lane (unaligned): they
   * are in the sender's channel state and go on the wire after the barrier, so the next records pushed are marked.
   */
  captureNextPushed(checkpointId: CheckpointId, records: number): void {
    if (records > 0) this.#pendingMarks.push({ captured: checkpointId, restored: false, remaining: records });
    // Bounded: a sender that never sends again (stuck for good) leaves at most MAX_PENDING_MARKS behind.
    if (this.#pendingMarks.length > MAX_PENDING_MARKS) this.#pendingMarks.shift();
  }

  /** The sender put `records` records of restored output channel state first into its output to this lane; drawn as of `epoch`. */
  restoreNextPushed(records: number, epoch: CheckpointId): void {
    if (records > 0) this.#pendingMarks.push({ captured: null, restored: true, epoch, remaining: records });
  }

  /**
   * The receiver put `records` records of restored input channel state back at the head of this channel (they
   * were in its input queue when the checkpoint was taken): they wait at the gate, ahead of everything.
   */
  pushRestored(records: number, epoch: CheckpointId, time: number): void {
    if (records <= 0) return;
    this.#items.unshift({ kind: 'records', id: this.#nextId++, epoch, sentAt: time - this.#tripMs, travelMs: this.#tripMs, count: records, batches: 1, captured: null, capturedSide: null, restored: true });
  }

  /**
   * The receiver's barrier `checkpointId` overtook `records` records on this channel (unaligned): the oldest
   * records of its epoch or older still on the lane become its channel state (records an older checkpoint
   * captured, in the sender's output, are in this one's input too: the newest checkpoint is marked).
   */
  capture(checkpointId: CheckpointId, records: number): void {
    let left = records;
    for (let i = 0; i < this.#items.length && left > 0; i++) {
      const item = this.#items[i]!;
      if (item.kind !== 'records' || item.epoch > checkpointId || (item.captured !== null && item.captured >= checkpointId)) continue;
      if (item.count > left) {
        // Split: the captured head, the rest stays as it was.
        this.#items.splice(i + 1, 0, { ...item, id: this.#nextId++, count: item.count - left, batches: 1 });
        item.count = left;
      }
      item.captured = checkpointId;
      item.capturedSide = 'input';
      left -= item.count;
    }
  }

  /** The latest leap while it is drawn (`showMs` after the receiver took the barrier), else null. */
  leap(now: number, showMs: number): LaneLeap | null {
    const leap = this.#leap;
    return leap && now >= leap.at && now - leap.at < showMs ? leap : null;
  }

  pushBarrier(checkpointId: CheckpointId, sentAt: number): void {
    this.#items.push({ kind: 'barrier', id: this.#nextId++, checkpointId, sentAt, travelMs: this.#tripMs });
    // Records merge past MAX_LANE_ITEMS; barriers (one per checkpoint) and the batches between them do not.
    if (this.#items.length > 2 * MAX_LANE_ITEMS) this.#items.splice(0, this.#items.length - 2 * MAX_LANE_ITEMS);
  }

  /**
   * The receiver took `count` records at `time`: from the head, passing over barriers it has not yet
   * reported (records the sender transmitted from its backlog after broadcasting the barrier were ahead of it).
   */
  consume(count: number, time: number): void {
    let left = count;
    for (let i = 0; i < this.#items.length && left > 0; ) {
      const item = this.#items[i]!;
      if (item.kind !== 'records') {
        i++;
        continue;
      }
      const taken = Math.min(left, item.count);
      item.count -= taken;
      left -= taken;
      if (taken > 0) this.#deliver({ ...item, count: taken }, time);
      if (item.count === 0) this.#items.splice(i, 1);
      else i++;
    }
  }

  /**
   * The receiver read barrier `checkpointId` at `time`: it leaves the lane, and so does everything ahead
   * of it (FIFO: those records were consumed, whether or not a `records-consumed` said so yet). With
   * `exactQueue` (the stream reports every consumption before the barrier's receipt), records still ahead
   * were not consumed: the barrier overtook them (unaligned), so only the barrier leaves and the leap is kept.
   */
  receiveBarrier(checkpointId: CheckpointId, time: number, exactQueue = false): void {
    const index = this.#items.findIndex((item) => item.kind === 'barrier' && item.checkpointId === checkpointId);
    if (index < 0) return;
    if (exactQueue) {
      let overtaken = 0;
      for (const item of this.#items.slice(0, index)) if (item.kind === 'records') overtaken += item.count;
      if (overtaken > 0) {
        const [barrier] = this.#items.splice(index, 1);
        this.#leap = { checkpointId, records: overtaken, at: time };
        this.#deliver(barrier!, time);
        return;
      }
    }
    for (const item of this.#items.splice(0, index + 1)) this.#deliver(item, time);
  }

  #deliver(item: LaneItem, time: number): void {
    while (this.#delivered.length > 0 && this.#delivered[0]!.sentAt + this.#delivered[0]!.travelMs <= time) this.#delivered.shift();
    if (item.sentAt + item.travelMs <= time) return;
    if (this.#delivered.length >= MAX_LANE_ITEMS) this.#delivered.shift();
    // A fresh id: part of a batch may stay on the lane under the old one.
    this.#delivered.push({ ...item, id: this.#nextId++ });
  }

  /** Without `records-consumed` in the stream: records count as consumed once they have arrived. */
  consumeArrived(arrivedBy: number): void {
    let drop = 0;
    while (drop < this.#items.length && this.#items[drop]!.kind === 'records' && this.#items[drop]!.sentAt <= arrivedBy) drop++;
    if (drop > 0) this.#items.splice(0, drop);
  }

  clear(): void {
    this.#items.length = 0;
    this.#delivered.length = 0;
    this.#pendingMarks.length = 0;
    this.#leap = null;
  }

  /**
   * The items to draw at `now`, head first, at most `maxDrawn` (barriers always): consecutive batches
   * of one epoch merge into one dot when the lane holds more, never across a barrier. Without
   * `records-consumed` in the stream, `hideArrived` drops records that reached the receiver.
   */
  view(now: number, maxDrawn: number, hideArrived: boolean): LaneItemView[] {
    const visible = hideArrived ? this.#items.filter((item) => item.kind === 'barrier' || progressOf(item, now) < 1) : this.#items;
    const delivered = this.#delivered.filter((item) => progressOf(item, now) < 1);
    const onLane = fitted(visible, maxDrawn, now);
    const gliding = fitted(delivered, Math.max(1, maxDrawn - onLane.length), now).map((item) => ({ ...item, slot: 0, delivered: true }));
    return [...gliding, ...onLane];
  }

  /** Records that reached the receiver by `now` and wait in its input queue. */
  arrived(now: number): number {
    let count = 0;
    for (const item of this.#items) if (item.kind === 'records' && progressOf(item, now) >= 1) count += item.count;
    return count;
  }

  epochs(into: Set<number>): void {
    for (const item of this.#items) if (item.kind === 'records') into.add(item.epoch);
  }
}

function progressOf({ sentAt, travelMs }: { readonly sentAt: number; readonly travelMs: number }, now: number): number {
  if (travelMs <= 0) return 1;
  return Math.min(1, Math.max(0, (now - sentAt) / travelMs));
}

/** Items drawn for `items`, merging consecutive batches (doubling the group) until at most `maxDrawn` marks. */
function fitted(items: readonly LaneItem[], maxDrawn: number, now: number): LaneItemView[] {
  let groupSize = 1;
  for (;;) {
    const drawn = drawnItems(items, groupSize, now);
    if (drawn.length <= maxDrawn || groupSize >= items.length) return inOrder(drawn);
    groupSize *= 2;
  }
}

/** FIFO on screen too: an item never travels further than the one ahead of it. */
function inOrder(drawn: LaneItemView[]): LaneItemView[] {
  for (let i = 1; i < drawn.length; i++) {
    const ahead = drawn[i - 1]!;
    const item = drawn[i]!;
    if (item.progress > ahead.progress) drawn[i] = { ...item, progress: ahead.progress, arrived: ahead.arrived };
  }
  return drawn;
}

function drawnItems(visible: readonly LaneItem[], groupSize: number, now: number): LaneItemView[] {
  const drawn: LaneItemView[] = [];
  let group: RecordItem[] = [];
  const flush = () => {
    if (group.length > 0) drawn.push(recordView(group, now, drawn.length));
    group = [];
  };
  for (const item of visible) {
    if (item.kind === 'barrier') {
      flush();
      drawn.push(itemView(item, now, drawn.length));
      continue;
    }
    if (group.length > 0 && (!sameLook(group[0]!, item) || group.length >= groupSize)) flush();
    group.push(item);
  }
  flush();
  return drawn;
}

/** Batches drawn as one dot must look alike: same epoch, same channel-state marks. */
function sameLook(a: RecordItem, b: RecordItem): boolean {
  return a.epoch === b.epoch && a.captured === b.captured && a.capturedSide === b.capturedSide && a.restored === b.restored;
}

function itemView(item: LaneItem, now: number, slot: number): LaneItemView {
  if (item.kind === 'records') return recordView([item], now, slot);
  const progress = progressOf(item, now);
  return { kind: 'barrier', key: `b${item.id}`, checkpointId: item.checkpointId, progress, slot, arrived: progress >= 1, delivered: false };
}

function recordView(group: readonly RecordItem[], now: number, slot: number): RecordItemView {
  const head = group[0]!;
  const progress = progressOf(head, now);
  return {
    kind: 'records',
    key: `r${head.id}`,
    epoch: head.epoch,
    count: group.reduce((sum, item) => sum + item.count, 0),
    batches: group.reduce((sum, item) => sum + item.batches, 0),
    captured: head.captured,
    capturedSide: head.capturedSide,
    restored: head.restored,
    progress,
    slot,
    arrived: progress >= 1,
    delivered: false,
  };
}
