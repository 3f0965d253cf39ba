// Flink's FinishedOperatorChain: what a task deployed finished (TaskStateSnapshot.FINISHED_ON_RESTORE) snapshots
// with. It holds no operator: nothing is prepared or snapshotted, so its checkpoints carry no operator state.
import type { OperatorChain } from './operator-chain';
import type { StreamOperator } from '../operators/stream-operator';

const noOperator = (): never => {
  throw new Error('A task deployed finished runs no operator');
};

const NO_OPERATOR: StreamOperator = {
  open: noOperator,
  processElement: noOperator,
  prepareSnapshotPreBarrier: noOperator,
  snapshotState: noOperator,
  notifyCheckpointComplete: noOperator,
  notifyCheckpointAborted: noOperator,
  endInput: noOperator,
  close: noOperator,
};

export const FINISHED_OPERATOR_CHAIN: OperatorChain = {
  operators: [],
  outputs: [],
  head: NO_OPERATOR,
  recordsOut: 0,
  bytesOut: 0,
  processElement: noOperator,
  prepareSnapshotPreBarrier: () => {},
  endInput: () => {},
};
