// Merges the events of the job master (this thread) and every Worker into one stream (docs/events.md,
// "Ordering guarantees"). Each source — the job master, or one subtask's Workers attempt after attempt —
// is a FIFO queue whose order is never changed. The merge takes, of the sources' next events, the one
// earliest in time, once it has waited ORDERING_WINDOW_MS here (a Worker's events arrive up to its
// flush interval late), except that an event whose cause has not been delivered yet waits for it:
// - `barrier-received` on a channel waits for the sender's `barrier-emitted` of that checkpoint (the
//   sender of each channel is known from `job-deployed`, or from the first `records-moved` on it);
// - `records-consumed` on a channel waits until as many records were moved on it (same attempt), records a
//   restore put back into it (`channel-state-restored`, side input) counted as moved;
// - an event of the job master waits for every event that arrived before it (a Worker flushes its
//   events before it messages the job master, so the job master's reaction follows its cause), and
//   while it waits, nothing that arrived after it and is not earlier in time overtakes it.
// A cause that never comes (a killed Worker's last, unflushed events) holds its effect until the loss is
// reported (`sourceLost`), and at most MAX_HOLD_MS; a job master event waits for the events that arrived
// before it however long those are held. Bounded: past MAX_BUFFERED_EVENTS events are delivered early rather than dropped.
import type { EngineEvent } from '../../engine/events';
import type { TaskId } from '../../engine/ids';

export const ORDERING_WINDOW_MS = 100;
export const MAX_HOLD_MS = 1000;
export const MAX_BUFFERED_EVENTS = 20_000;
/** The source of events emitted on this thread (job master, coordinator, page faults). */
export const JOB_MASTER_SOURCE = 'jobmaster';

interface Queued {
  readonly event: EngineEvent;
  /** Arrival order over all sources. */
  readonly sequence: number;
  readonly arrivedAt: number;
}

class SourceQueue {
  #items: Queued[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  peek(): Queued | undefined {
    return this.#items[this.#head];
  }

  push(item: Queued): void {
    this.#items.push(item);
  }

  shift(): void {
    this.#head += 1;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}

interface ChannelCount {
  attempt: number;
  moved: number;
  consumed: number;
}

/** What has been delivered, as far as holding back effects needs it. */
class Causality {
  readonly #attemptOf = new Map<TaskId, number>();
  readonly #senderOf = new Map<string, TaskId>();
  readonly #lastBarrierEmitted = new Map<TaskId, number>();
  readonly #channels = new Map<string, ChannelCount>();
  /** Senders whose Worker was lost: what they had not posted yet never comes, so nothing waits for it. */
  readonly #lost = new Set<TaskId>();

  lost(taskId: TaskId): void {
    this.#lost.add(taskId);
  }

  /** Whether `event`'s cause is known and not delivered yet. */
  waitsForCause(event: EngineEvent): boolean {
    if (event.type === 'barrier-received') {
      const sender = this.#senderOf.get(`${event.taskId}/${event.channel}`);
      return sender !== undefined && !this.#lost.has(sender) && (this.#lastBarrierEmitted.get(sender) ?? -1) < event.checkpointId;
    }
    if (event.type === 'records-consumed') {
      const sender = this.#senderOf.get(`${event.taskId}/${event.channel}`);
      if (sender !== undefined && this.#lost.has(sender)) return false;
      const count = this.#channels.get(`${event.taskId}/${event.channel}`);
      const attempt = event.attempt ?? this.#attemptOf.get(event.taskId) ?? 0;
      if (count && attempt < count.attempt) return false; // an older attempt's: nothing of it to wait for
      const moved = count && count.attempt === attempt ? count.moved - count.consumed : 0;
      return moved < event.count;
    }
    return false;
  }

  /** Which task sends on which channel, learnt as soon as an event names it. */
  arrived(event: EngineEvent): void {
    if (event.type === 'records-moved') this.#senderOf.set(`${event.to}/${event.channel}`, event.from);
    else if (event.type === 'job-deployed') for (const channel of event.channels) this.#senderOf.set(`${channel.to}/${channel.channel}`, channel.from);
  }

  delivered(event: EngineEvent): void {
    if ('taskId' in event && 'attempt' in event && typeof event.attempt === 'number') this.#attemptOf.set(event.taskId, event.attempt);
    switch (event.type) {
      case 'job-deployed':
        this.#lost.clear(); // a new attempt: new Workers
        return;
      case 'records-moved':
        this.count(`${event.to}/${event.channel}`, event.attempt ?? this.#attemptOf.get(event.from) ?? 0, (count) => (count.moved += event.count));
        return;
      case 'records-consumed':
        this.count(`${event.taskId}/${event.channel}`, event.attempt ?? this.#attemptOf.get(event.taskId) ?? 0, (count) => (count.consumed += event.count));
        return;
      case 'channel-state-restored':
        // Restored input channel state (unaligned): records the receiver put back into its channel, never moved by a sender.
        if (event.side === 'input') this.count(`${event.taskId}/${event.channel}`, event.attempt, (count) => (count.moved += event.records));
        return;
      case 'barrier-emitted':
        this.#lastBarrierEmitted.set(event.taskId, Math.max(event.checkpointId, this.#lastBarrierEmitted.get(event.taskId) ?? -1));
        return;
    }
  }

  private count(key: string, attempt: number, update: (count: ChannelCount) => void): void {
    let count = this.#channels.get(key);
    if (count && attempt < count.attempt) return;
    if (!count || attempt > count.attempt) {
      count = { attempt, moved: 0, consumed: 0 };
      this.#channels.set(key, count);
    }
    update(count);
  }
}

export interface OrderedEventStreamOptions {
  /** Arrival clock in ms (default performance.now). */
  readonly now?: () => number;
  /** Deliver on timers (default); off, the owner calls `deliverDue()`. */
  readonly timers?: boolean;
  readonly windowMs?: number;
  readonly maxHoldMs?: number;
  readonly maxBuffered?: number;
}

export class OrderedEventStream {
  readonly #queues = new Map<string, SourceQueue>();
  readonly #listeners = new Set<(events: readonly EngineEvent[]) => void>();
  readonly #causality = new Causality();
  readonly #now: () => number;
  readonly #timers: boolean;
  readonly #windowMs: number;
  readonly #maxHoldMs: number;
  readonly #maxBuffered: number;
  #sequence = 0;
  #buffered = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: OrderedEventStreamOptions = {}) {
    this.#now = options.now ?? (() => performance.now());
    this.#timers = options.timers ?? true;
    this.#windowMs = options.windowMs ?? ORDERING_WINDOW_MS;
    this.#maxHoldMs = options.maxHoldMs ?? MAX_HOLD_MS;
    this.#maxBuffered = options.maxBuffered ?? MAX_BUFFERED_EVENTS;
  }

  subscribe(listener: (events: readonly EngineEvent[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Events of one source, in its emission order. */
  push(events: readonly EngineEvent[], source: string = JOB_MASTER_SOURCE): void {
    if (events.length === 0) return;
    let queue = this.#queues.get(source);
    if (!queue) {
      queue = new SourceQueue();
      this.#queues.set(source, queue);
    }
    const arrivedAt = this.#now();
    for (const event of events) {
      queue.push({ event, sequence: this.#sequence++, arrivedAt });
      this.#causality.arrived(event);
    }
    this.#buffered += events.length;
    if (this.#buffered > this.#maxBuffered) this.deliver({ early: true, downTo: Math.floor(this.#maxBuffered / 2) });
    this.schedule();
  }

  /**
   * The Worker of `taskId` is gone (killed, crashed, silent): effects waiting for its unposted events are released
   * now rather than after MAX_HOLD_MS, until the next attempt is deployed.
   */
  sourceLost(taskId: TaskId): void {
    this.#causality.lost(taskId);
    this.deliverDue();
  }

  /** Delivers what has waited long enough (the timers call this). */
  deliverDue(): void {
    this.deliver({ early: false, downTo: 0 });
  }

  /** Delivers everything buffered now, in merge order (causes first where they are here at all). */
  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.deliver({ early: true, downTo: 0 });
  }

  get buffered(): number {
    return this.#buffered;
  }

  private schedule(): void {
    if (!this.#timers || this.#timer !== null || this.#buffered === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.deliverDue();
      this.schedule();
    }, this.#windowMs / 2);
  }

  /** `early`: without waiting for the window, and releasing held effects when nothing else is left. */
  private deliver({ early, downTo }: { early: boolean; downTo: number }): void {
    const now = this.#now();
    const batch: EngineEvent[] = [];
    while (this.#buffered > downTo) {
      const next = this.next(now, early);
      if (!next) break;
      if (!early && now - next.item.arrivedAt < this.#windowMs) break;
      next.queue.shift();
      this.#buffered -= 1;
      this.#causality.delivered(next.item.event);
      batch.push(next.item.event);
    }
    if (batch.length > 0) for (const listener of this.#listeners) listener(batch);
  }

  /** The earliest head whose cause is delivered (or has been held too long); with `early`, any head if none is. */
  private next(now: number, early: boolean): { queue: SourceQueue; item: Queued } | null {
    let oldestWorkerHead = Number.POSITIVE_INFINITY;
    for (const [source, queue] of this.#queues) {
      const item = queue.peek();
      if (item && source !== JOB_MASTER_SOURCE) oldestWorkerHead = Math.min(oldestWorkerHead, item.sequence);
    }
    const jobMaster = this.#queues.get(JOB_MASTER_SOURCE)?.peek();
    // Held for what arrived before it; what arrived after it and is not earlier in time waits for it in turn.
    // No time limit of its own: what it waits for has arrived, and each of those is held at most MAX_HOLD_MS
    // (a limit here let a completion overtake its acknowledgements on a slow machine).
    const heldJobMaster = jobMaster !== undefined && oldestWorkerHead < jobMaster.sequence ? jobMaster : null;
    let best: { queue: SourceQueue; item: Queued } | null = null;
    let held: { queue: SourceQueue; item: Queued } | null = null;
    for (const queue of this.#queues.values()) {
      const item = queue.peek();
      if (!item) continue;
      const waits =
        item === heldJobMaster ||
        (heldJobMaster !== null && item.sequence > heldJobMaster.sequence && !(item.event.time < heldJobMaster.event.time)) ||
        (now - item.arrivedAt < this.#maxHoldMs && this.#causality.waitsForCause(item.event));
      if (waits) {
        if (!held || earlier(item, held.item)) held = { queue, item };
      } else if (!best || earlier(item, best.item)) {
        best = { queue, item };
      }
    }
    return best ?? (early ? held : null);
  }
}

function earlier(a: Queued, b: Queued): boolean {
  return a.event.time < b.event.time || (a.event.time === b.event.time && a.sequence < b.sequence);
}
