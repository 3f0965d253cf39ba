// One output channel's link to its receiver's Worker, with latency added from outside (a slow link
// between two TaskManagers): while a delay is set, each message waits `delayMs` before it is posted. FIFO
// holds whatever the delay does: a message never overtakes one sent before it, so lowering the delay
// (or removing it) lets later messages go only after the held ones.
import type { Clock, TimerHandle } from '../../engine/ports/clock';

export interface LinkEnd {
  postMessage(message: unknown, transfer?: Transferable[]): void;
}

interface Held {
  readonly dueAt: number;
  readonly message: unknown;
  readonly transfer: Transferable[];
}

export class DelayedLink {
  readonly #held: Held[] = [];
  #timer: TimerHandle | null = null;
  #delayMs = 0;

  constructor(
    private readonly end: LinkEnd,
    private readonly clock: Clock,
  ) {}

  get delayMs(): number {
    return this.#delayMs;
  }

  set delayMs(latencyMs: number) {
    if (!(latencyMs >= 0)) throw new RangeError(`A link's added latency must be at least 0 ms, got ${latencyMs}`);
    this.#delayMs = latencyMs;
  }

  /** Messages sent but not yet posted. */
  get held(): number {
    return this.#held.length;
  }

  /** `transfer`: what the message hands over to the receiver (posted with it, when it is posted). */
  send(message: unknown, transfer: Transferable[] = []): void {
    if (this.#delayMs === 0 && this.#held.length === 0) return this.end.postMessage(message, transfer);
    this.#held.push({ dueAt: this.clock.now() + this.#delayMs, message, transfer });
    this.#arm();
  }

  #arm(): void {
    if (this.#timer !== null) return;
    const head = this.#held[0];
    if (!head) return;
    this.#timer = this.clock.setTimeout(() => this.#release(), Math.max(0, head.dueAt - this.clock.now()));
  }

  #release(): void {
    this.#timer = null;
    const now = this.clock.now();
    while (this.#held.length > 0 && this.#held[0]!.dueAt <= now) {
      const { message, transfer } = this.#held.shift()!;
      this.end.postMessage(message, transfer);
    }
    this.#arm();
  }
}
