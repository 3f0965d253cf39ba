// The logical job as the user built it: one node per operator, edges carrying a partitioner.
// Built by StreamExecutionEnvironment/DataStream, turned into a JobGraph (chains) before running.
import type { OperatorUid } from '../ids';
import type { StreamOperator } from '../operators/stream-operator';
import type { PartitionerSpec } from './partitioner';
import type { KeySelector } from './functions';

export type OperatorKind = 'source' | 'map' | 'filter' | 'process' | 'reduce' | 'sink';

export interface StreamNode {
  readonly id: number;
  uid: OperatorUid;
  name: string;
  readonly kind: OperatorKind;
  /** -1 = the environment's default parallelism. */
  parallelism: number;
  /** Set for operators after keyBy: their state is keyed by this selector. */
  readonly keySelector: KeySelector<never> | null;
  readonly createOperator: () => StreamOperator;
  readonly inputs: readonly StreamEdgeSpec[];
}

export interface StreamEdgeSpec {
  readonly sourceId: number;
  /** null = default: forward when parallelisms match, rebalance otherwise (as Flink). */
  readonly partitioner: PartitionerSpec | null;
}

export class StreamGraph {
  readonly nodes: StreamNode[] = [];

  addNode(node: Omit<StreamNode, 'id'>): StreamNode {
    const full: StreamNode = { ...node, id: this.nodes.length };
    this.nodes.push(full);
    return full;
  }

  node(id: number): StreamNode {
    const node = this.nodes[id];
    if (!node) throw new Error(`No stream node ${id}`);
    return node;
  }
}
