// The events a task emits in batches, without reordering: records taken from each input channel
// (`records-consumed`, one per channel per batch) and records an at-least-once sink wrote (`sink-written`,
// one per batch). A batch goes out before any other event of the task and at the end of every step, so
// what the stream says about the task is in the order it happened; inside a batch, consumption comes
// before the writes it caused.
import type { AttemptNumber, TaskId } from '../ids';
import type { EngineEvent, EventSink } from '../events';
import type { Clock } from '../ports/clock';

export class TaskEventBatch {
  readonly #consumed = new Map<number, number>();
  #written: unknown[] = [];

  constructor(
    private readonly sink: EventSink,
    private readonly clock: Clock,
    private readonly taskId: TaskId,
    private readonly attempt: AttemptNumber,
  ) {}

  /** The task took `count` records from input channel `channel` to process them. */
  consumed(channel: number, count: number): void {
    this.#consumed.set(channel, (this.#consumed.get(channel) ?? 0) + count);
  }

  /** Every event of the task goes through here: its own sink writes join the batch, anything else flushes it first. */
  emit(event: EngineEvent): void {
    if (event.type === 'sink-written' && event.taskId === this.taskId) {
      this.#written.push(...event.written);
      return;
    }
    this.flush();
    this.sink(event);
  }

  flush(): void {
    if (this.#consumed.size === 0 && this.#written.length === 0) return;
    const time = this.clock.now();
    const { taskId, attempt } = this;
    for (const [channel, count] of this.#consumed) this.sink({ type: 'records-consumed', time, taskId, attempt, channel, count });
    this.#consumed.clear();
    if (this.#written.length > 0) {
      const written = this.#written;
      this.#written = [];
      this.sink({ type: 'sink-written', time, taskId, attempt, written });
    }
  }
}
