// How a subtask puts its barrier on its outputs (Flink's SubtaskCheckpointCoordinatorImpl#checkpointState,
// steps 2–4): an unaligned barrier as a priority event ahead of every backlog, whose overtaken buffers become
// output channel state; a timeoutable aligned barrier in line, with a timer that converts it if it is still
// queued when the checkpoint's aligned timeout is up (registerAlignmentTimer, PipelinedSubpartition's
// alignedBarrierTimeout); any other barrier in line.
import type { CheckpointId } from '../ids';
import type { ChannelStateWriter } from '../checkpoint/channel/channel-state-writer';
import { isTimeoutable, isUnalignedCheckpoint } from '../checkpoint/barrier';
import { toUnaligned } from '../checkpoint/barrier/checkpoint-options';
import type { CheckpointOptions, ChannelElement } from './messages';
import type { OvertakenPartitionOutput, TaskNetwork } from './task-network';
import type { TaskEnvironment } from './task-environment';

type BarrierElement = Extract<ChannelElement, { kind: 'barrier' }>;

/** Flink's needsChannelState: unaligned, or aligned with a timeout that may make it unaligned. */
export function needsChannelState(options: CheckpointOptions): boolean {
  return isUnalignedCheckpoint(options) || isTimeoutable(options);
}

/** Flink's BarrierAlignmentUtil.getTimerDelay: the timeout counts from the checkpoint's start, never negative. */
export function alignmentTimerDelayMs(now: number, barrier: { readonly timestamp: number; readonly options: CheckpointOptions }): number {
  return Math.max(0, (barrier.options.alignedCheckpointTimeoutMs ?? 0) - (now - barrier.timestamp));
}

export class BarrierBroadcast {
  #alignmentTimer: unknown = null;

  constructor(
    private readonly env: TaskEnvironment,
    private readonly taskId: string,
    private readonly attempt: number,
    private readonly network: TaskNetwork,
    private readonly writer: ChannelStateWriter,
    private readonly isAlive: () => boolean,
  ) {}

  /** Puts `barrier` on every output as its options say; the writer must have been started if it needs channel state. */
  broadcast(barrier: BarrierElement): void {
    const { checkpointId, options } = barrier;
    this.cancelAlignmentTimer();
    if (isUnalignedCheckpoint(options)) {
      this.overtook(checkpointId, this.network.broadcastPriority(barrier), true);
    } else if (isTimeoutable(options)) {
      this.network.broadcastTimeoutable(barrier, (partitionIndex, subpartitionIndex) => this.writer.addOutputDataFuture(checkpointId, { partitionIndex, subpartitionIndex }));
      this.registerAlignmentTimer(barrier);
    } else {
      this.network.broadcast(barrier);
    }
  }

  /** The checkpoint was aborted: a queued timeoutable barrier of it stays an aligned one. */
  abortCheckpoint(checkpointId: CheckpointId): void {
    this.network.abortCheckpoint(checkpointId);
  }

  close(): void {
    this.cancelAlignmentTimer();
  }

  private registerAlignmentTimer(barrier: BarrierElement): void {
    const { clock } = this.env;
    this.#alignmentTimer = clock.setTimeout(() => {
      this.#alignmentTimer = null;
      if (!this.isAlive()) return;
      const asPriority: BarrierElement = { ...barrier, options: toUnaligned(barrier.options) };
      // Each subpartition's channel-state future took what its barrier overtook.
      this.overtook(barrier.checkpointId, this.network.alignedBarrierTimeout(barrier.checkpointId, asPriority), false);
      this.env.requestStep();
    }, alignmentTimerDelayMs(clock.now(), barrier));
  }

  private cancelAlignmentTimer(): void {
    if (this.#alignmentTimer !== null) this.env.clock.clearTimeout(this.#alignmentTimer);
    this.#alignmentTimer = null;
  }

  /** Overtaken output buffers: the checkpoint's output channel state, and a `barrier-overtook` per subpartition that had any. */
  private overtook(checkpointId: CheckpointId, overtaken: readonly OvertakenPartitionOutput[], addToWriter: boolean): void {
    const now = this.env.clock.now();
    for (const { partition, subpartition, target, buffers } of overtaken) {
      if (buffers.length === 0) continue;
      if (addToWriter) this.writer.addOutputData(checkpointId, { partitionIndex: partition, subpartitionIndex: subpartition }, buffers);
      const records = buffers.reduce((sum, buffer) => sum + buffer.records.length, 0);
      const sizeBytes = buffers.reduce((sum, buffer) => sum + buffer.sizeBytes, 0);
      this.env.emit({ type: 'barrier-overtook', time: now, taskId: this.taskId, attempt: this.attempt, checkpointId, side: 'output', channel: target.channel, to: target.taskId, records, sizeBytes });
    }
  }
}
