// The operators of one task, wired head to tail: each operator's output feeds the next; the last
// one's output goes to the task's result partitions through their channel selectors.
import type { CheckpointId } from '../ids';
import { createChannelSelector, type ChannelSelector } from '../graph/partitioner';
import type { JobVertex } from '../graph/job-graph';
import type { Output, StreamOperator } from '../operators/stream-operator';
import type { ResultPartition } from './result-partition';

export class OperatorChain {
  readonly operators: readonly StreamOperator[];
  /** Output of operator i (feeds operator i+1, or the network for the last). */
  readonly outputs: readonly Output[];
  readonly head: StreamOperator;
  recordsOut = 0;
  bytesOut = 0;

  constructor(
    vertex: JobVertex,
    partitions: readonly ResultPartition[],
    subtaskIndex: number,
    sizeOf: (record: unknown) => number,
  ) {
    this.operators = vertex.operators.map((node) => node.createOperator());
    const selectors: ChannelSelector[] = vertex.outputs.map((edge, i) =>
      createChannelSelector(edge.partitioner, partitions[i]!.numberOfSubpartitions, subtaskIndex),
    );
    // Called for every record: a plain loop, no closure per record; one output (the common case) without a loop.
    const only = partitions.length === 1 ? { partition: partitions[0]!, selector: selectors[0]! } : null;
    const networkOutput: Output = {
      collect: (record) => {
        const size = sizeOf(record);
        this.recordsOut += 1;
        this.bytesOut += size;
        if (only !== null) {
          only.partition.emitRecord(only.selector.selectChannel(record), record, size);
          return;
        }
        for (let i = 0; i < partitions.length; i++) partitions[i]!.emitRecord(selectors[i]!.selectChannel(record), record, size);
      },
    };
    const outputs: Output[] = [];
    for (let i = this.operators.length - 1; i >= 0; i--) {
      const next = this.operators[i + 1];
      const downstream = outputs[0];
      outputs.unshift(next && downstream ? { collect: (value) => next.processElement(value, downstream) } : networkOutput);
    }
    this.outputs = outputs;
    this.head = this.operators[0]!;
  }

  processElement(value: unknown): void {
    this.head.processElement(value, this.outputs[0]!);
  }

  prepareSnapshotPreBarrier(checkpointId: CheckpointId): void {
    this.operators.forEach((operator, i) => operator.prepareSnapshotPreBarrier(checkpointId, this.outputs[i]!));
  }

  endInput(): void {
    this.operators.forEach((operator, i) => operator.endInput(this.outputs[i]!));
  }
}
