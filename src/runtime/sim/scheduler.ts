// The deterministic runtime's heart: a queue of actions in virtual time. Ties run in the order they
// were scheduled, so the same seed and inputs give the same run, event for event.

interface Scheduled {
  readonly time: number;
  readonly sequence: number;
  readonly action: () => void;
  cancelled: boolean;
}

export type ScheduledHandle = Scheduled;

export class Scheduler {
  #now = 0;
  #sequence = 0;
  readonly #heap: Scheduled[] = [];
  executed = 0;

  get now(): number {
    return this.#now;
  }

  get size(): number {
    return this.#heap.length;
  }

  schedule(time: number, action: () => void): ScheduledHandle {
    const entry: Scheduled = { time: Math.max(time, this.#now), sequence: this.#sequence++, action, cancelled: false };
    this.push(entry);
    return entry;
  }

  cancel(handle: ScheduledHandle): void {
    handle.cancelled = true;
  }

  /** Run everything due up to and including `time`, then set the clock to `time`. Returns false if stopped early. */
  runUntil(time: number, stop: () => boolean = () => false, maxActions = Number.POSITIVE_INFINITY): boolean {
    let actions = 0;
    while (this.#heap.length > 0 && this.#heap[0]!.time <= time) {
      const next = this.pop();
      if (next.cancelled) continue;
      this.#now = next.time;
      next.action();
      this.executed += 1;
      actions += 1;
      if (actions >= maxActions) throw new Error(`Simulation ran more than ${maxActions} actions before ${time} ms: a livelock?`);
      if (stop()) return false;
    }
    this.#now = Math.max(this.#now, time);
    return true;
  }

  /** Runs the next action due (whatever its time, if it is no later than `limit`); false when there is none. */
  runNext(limit = Number.POSITIVE_INFINITY): boolean {
    while (this.#heap.length > 0 && this.#heap[0]!.time <= limit) {
      const next = this.pop();
      if (next.cancelled) continue;
      this.#now = next.time;
      next.action();
      this.executed += 1;
      return true;
    }
    return false;
  }

  private push(entry: Scheduled): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): Scheduled {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.time < b.time || (a.time === b.time && a.sequence < b.sequence);
}
