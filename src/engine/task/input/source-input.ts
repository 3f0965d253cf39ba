// The input of a source chain (Flink's StreamTaskSourceInput): the head operator emits while output is
// available; a source with nothing until some time asks for a wake-up then. Checkpoints are triggered
// by the coordinator here, not by barriers.
import type { SourceOperator } from '../../operators/stream-operator';
import type { TaskMessage } from '../messages';
import type { StreamTaskInput, TaskBarrierHandlerSample, TaskInputHost } from './stream-task-input';

export class SourceInput implements StreamTaskInput {
  readonly kind = 'source' as const;
  readonly barrierHandlerKind = null;
  #wakeUp: unknown = null;
  #hasMore = false;

  constructor(
    private readonly host: TaskInputHost,
    private readonly source: SourceOperator,
  ) {}

  open(): void {}

  processInput(budget: number): number {
    const { source, host } = this;
    const chain = host.chain;
    let emitted = 0;
    this.#hasMore = false;
    while (emitted < budget && host.network.outputAvailable()) {
      const before = chain.recordsOut;
      const status = source.emitNext(chain.outputs[0]!, budget - emitted);
      emitted += Math.max(1, chain.recordsOut - before);
      if (status.kind === 'more-available') {
        this.#hasMore = true;
        continue;
      }
      this.#hasMore = false;
      if (status.kind === 'nothing-until') this.wakeUpAt(status.timeMs);
      if (status.kind === 'end-of-input') host.endOfInput();
      break;
    }
    return emitted;
  }

  hasMoreWork(): boolean {
    return this.#hasMore;
  }

  isWaitingForState(): boolean {
    return false;
  }

  triggerCheckpoint(message: Extract<TaskMessage, { type: 'trigger-checkpoint' }>): void {
    const now = this.host.env.clock.now();
    const checkpointing = this.host.checkpointing();
    // An unaligned checkpoint of a source has output channel state only (Flink's initInputsCheckpoint, then checkpointState).
    checkpointing.initInputsCheckpoint(message.checkpointId, message.options);
    checkpointing.checkpointState(message.checkpointId, message.timestamp, message.options, {
      startDelayMs: Math.max(0, now - message.timestamp),
      alignmentDurationMs: 0,
      processedDataBytes: 0,
      alignmentBufferedBytes: 0,
    });
    this.host.passedBarrier(message.checkpointId);
    // A stopping source emits nothing after the synchronous savepoint's barrier.
    if (message.options.checkpointType === 'SYNC_SAVEPOINT') this.host.startSynchronousSavepoint(message.checkpointId);
  }

  barrierHandlerSample(): TaskBarrierHandlerSample {
    return { state: 'none', checkpointId: null, blockedChannels: [] };
  }

  blockedChannels(): readonly number[] {
    return [];
  }

  close(): void {
    if (this.#wakeUp !== null) this.host.env.clock.clearTimeout(this.#wakeUp);
  }

  private wakeUpAt(timeMs: number): void {
    const clock = this.host.env.clock;
    if (this.#wakeUp !== null) clock.clearTimeout(this.#wakeUp);
    this.#wakeUp = clock.setTimeout(
      () => {
        this.#wakeUp = null;
        this.host.env.requestStep();
      },
      Math.max(0, timeMs - clock.now()),
    );
  }
}
