// A task's end of the data plane: its input gate and result partitions, and the one place that talks
// to the transport for data — flushing buffers that have credit, returning credits for consumed ones,
// and recording each moved buffer as a `records-moved` event.
import type { CheckpointId } from '../ids';
import type { ChannelStateBuffer, OutputDataFuture } from '../checkpoint/channel/channel-state-writer';
import type { ChannelElement, TaskMessage } from './messages';
import { InputGate } from './input-gate';
import { ResultPartition, type OvertakenOutput } from './result-partition';

type BarrierElement = Extract<ChannelElement, { kind: 'barrier' }>;

/** Buffers a priority barrier overtook in subpartition `subpartition` of output `partition`. */
export type OvertakenPartitionOutput = OvertakenOutput & { readonly partition: number };
import type { TaskDeploymentDescriptor } from './task-deployment';
import type { TaskEnvironment } from './task-environment';

export class TaskNetwork {
  readonly gate: InputGate;
  readonly partitions: readonly ResultPartition[];

  constructor(
    private readonly descriptor: TaskDeploymentDescriptor,
    private readonly env: TaskEnvironment,
  ) {
    this.gate = new InputGate(descriptor.inputChannels, descriptor.network);
    const firstEpoch = (descriptor.restore?.checkpointId ?? 0) + 1;
    this.partitions = descriptor.outputs.map((output) => new ResultPartition(output.targets, descriptor.network, firstEpoch));
  }

  /** Data-plane messages only enqueue: a buffer or event into its channel, credit to its subpartition. */
  receive(message: Extract<TaskMessage, { type: 'channel' | 'credit' }>): void {
    if (message.type === 'channel') this.gate.receive(message.channel, message.element);
    else this.partitions[message.output]?.addCredit(message.subpartition, message.credits);
  }

  /** False while some subpartition's backlog is full: the task must not produce more (backpressure). */
  outputAvailable(): boolean {
    return this.partitions.every((partition) => partition.isAvailable());
  }

  broadcast(element: ChannelElement): void {
    for (const partition of this.partitions) partition.broadcastEvent(element);
  }

  /** An unaligned barrier ahead of every output backlog; what it overtook, per subpartition. */
  broadcastPriority(element: ChannelElement): OvertakenPartitionOutput[] {
    return this.partitions.flatMap((partition, index) => partition.broadcastPriorityEvent(element).map((overtaken) => ({ ...overtaken, partition: index })));
  }

  /** A timeoutable aligned barrier in line, each subpartition with its channel-state future. */
  broadcastTimeoutable(element: BarrierElement, futureFor: (partition: number, subpartition: number) => OutputDataFuture): void {
    this.partitions.forEach((partition, index) => partition.broadcastTimeoutableBarrier(element, (subpartition) => futureFor(index, subpartition)));
  }

  /** Queued timeoutable barriers of the checkpoint become `asPriority`; what they overtook, per subpartition. */
  alignedBarrierTimeout(checkpointId: CheckpointId, asPriority: ChannelElement): OvertakenPartitionOutput[] {
    return this.partitions.flatMap((partition, index) => partition.alignedBarrierTimeout(checkpointId, asPriority).map((overtaken) => ({ ...overtaken, partition: index })));
  }

  abortCheckpoint(checkpointId: CheckpointId): void {
    for (const partition of this.partitions) partition.abortCheckpoint(checkpointId);
  }

  /** Restored output channel state, first in its subpartition (before the task writes anything). */
  restoreOutput(partition: number, subpartition: number, buffers: readonly ChannelStateBuffer[], epoch: CheckpointId): void {
    const target = this.partitions[partition];
    if (!target) throw new Error(`No output ${partition} to restore channel state into`);
    target.restoreOutput(subpartition, buffers, epoch);
  }

  /** Send what credit allows (closing partly filled buffers, as Flink's output flusher) and return credits. */
  flush(): void {
    const { env, descriptor } = this;
    const now = env.clock.now();
    const attempt = descriptor.attempt;
    for (const partition of this.partitions) {
      partition.flush(({ target, element, epoch }) => {
        env.transport.sendToTask(target.taskId, { type: 'channel', attempt, channel: target.channel, element });
        if (element.kind !== 'buffer') return;
        env.emit({
          type: 'records-moved',
          time: now,
          from: descriptor.taskId,
          attempt,
          to: target.taskId,
          channel: target.channel,
          count: element.records.length,
          sizeBytes: element.sizeBytes,
          epoch,
        });
      });
    }
    for (const { channel, credits } of this.gate.takeCreditsToReturn()) {
      const source = this.gate.channels[channel]!;
      env.transport.sendToTask(source.producerTaskId, { type: 'credit', attempt, output: source.producerOutput, subpartition: source.subpartition, credits });
    }
  }
}
