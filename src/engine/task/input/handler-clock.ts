// The barrier handler's manual clock, driven by the task's (Flink's SingleCheckpointBarrierHandler gets its
// timers from the mailbox; here the handler is pure): the task feeds `advance-time` whenever its clock moved
// and before each barrier, and a clock timer wakes the task when the handler's next timer is due.
import type { BarrierHandlerOutcome, CheckpointBarrierHandler } from '../../checkpoint/barrier';
import type { TaskEnvironment } from '../task-environment';

export class HandlerClock {
  #fedMs = 0;
  #timer: unknown = null;
  #timerAtMs: number | null = null;

  constructor(
    private readonly env: TaskEnvironment,
    private readonly handler: CheckpointBarrierHandler,
  ) {}

  /** The outcome of moving the handler's clock to now, or null if it already reads now. */
  advance(): BarrierHandlerOutcome | null {
    const now = this.env.clock.now();
    if (now <= this.#fedMs) return null;
    this.#fedMs = now;
    return this.handler.process({ kind: 'advance-time', toMs: now });
  }

  /** After each outcome: a wake-up when the handler's next timer is due (the step that follows feeds the time). */
  schedule(): void {
    const due = this.handler.nextTimerMs();
    if (due === this.#timerAtMs) return;
    this.cancel();
    if (due === null) return;
    const { clock } = this.env;
    this.#timerAtMs = due;
    this.#timer = clock.setTimeout(
      () => {
        this.#timer = null;
        this.#timerAtMs = null;
        this.env.requestStep();
      },
      Math.max(0, due - clock.now()),
    );
  }

  cancel(): void {
    if (this.#timer !== null) this.env.clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#timerAtMs = null;
  }
}
