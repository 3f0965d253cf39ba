// Putting a restored unaligned checkpoint's in-flight data back (Flink's SequentialChannelStateReader, called
// from StreamTask#restoreGates): output channel state first into its subpartitions, before the task writes
// anything; then input channel state at the head of its input channels, read before any new input and never
// credited by the producer (Flink's RecoveredInputChannel). Each channel says so with `channel-state-restored`.
import type { StorageResult } from '../ports/checkpoint-storage';
import { readChannelState, type RestoredChannelState } from '../checkpoint/channel/channel-state-blob';
import type { TaskDeploymentDescriptor } from './task-deployment';
import type { TaskEnvironment } from './task-environment';
import type { TaskNetwork } from './task-network';

/** Reads the channel state the deployment names (none for an aligned checkpoint: then it calls back at once). */
export function readRestoredChannelState(descriptor: TaskDeploymentDescriptor, env: TaskEnvironment, done: (result: StorageResult<RestoredChannelState>) => void): void {
  const operators = descriptor.restore?.operators ?? [];
  readChannelState(
    env.storage,
    operators.flatMap((operator) => operator.inputChannelState ?? []),
    operators.flatMap((operator) => operator.resultSubpartitionState ?? []),
    done,
  );
}

/** Output first (readOutputData), then input (readInputData); the restored checkpoint is the buffers' epoch. */
export function putBackChannelState(restored: RestoredChannelState, descriptor: TaskDeploymentDescriptor, env: TaskEnvironment, network: TaskNetwork): void {
  const checkpointId = descriptor.restore?.checkpointId;
  if (checkpointId === undefined || (restored.input.length === 0 && restored.output.length === 0)) return;
  const { taskId, attempt } = descriptor;
  const time = env.clock.now();
  const recordsOf = (buffers: RestoredChannelState['input'][number]['buffers']) => buffers.reduce((sum, buffer) => sum + buffer.records.length, 0);
  for (const { info, buffers } of restored.output) {
    const target = descriptor.outputs[info.partitionIndex]?.targets[info.subpartitionIndex];
    if (!target) throw new Error(`${taskId} restored channel state for output ${info.partitionIndex}/${info.subpartitionIndex}, which it does not have`);
    network.restoreOutput(info.partitionIndex, info.subpartitionIndex, buffers, checkpointId);
    env.emit({ type: 'channel-state-restored', time, taskId, attempt, checkpointId, side: 'output', channel: target.channel, to: target.taskId, records: recordsOf(buffers) });
  }
  for (const { info, buffers } of restored.input) {
    if (info.gateIndex !== 0 || info.inputChannelIndex >= network.gate.numberOfChannels) {
      throw new Error(`${taskId} restored channel state for input channel ${info.gateIndex}/${info.inputChannelIndex}, which it does not have`);
    }
    network.gate.restore(info.inputChannelIndex, buffers);
    env.emit({ type: 'channel-state-restored', time, taskId, attempt, checkpointId, side: 'input', channel: info.inputChannelIndex, records: recordsOf(buffers) });
  }
}
