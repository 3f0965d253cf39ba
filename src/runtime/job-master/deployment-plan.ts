// From a job graph to one deployment descriptor per subtask: input channels (one per producer
// subtask feeding it, edges in order), output subpartitions (one per consumer channel), restore data.
import type { JobGraph, JobVertex } from '../../engine/graph/job-graph';
import type { JobId, TaskId } from '../../engine/ids';
import { taskIdOf } from '../../engine/ids';
import type { ChannelSource } from '../../engine/task/input-gate';
import type { NetworkLimits } from '../../engine/task/network-limits';
import type { SubpartitionTarget } from '../../engine/task/result-partition';
import type { TaskDeploymentDescriptor, TaskRestore } from '../../engine/task/task-deployment';
import type { StateBackendType } from '../../engine/config';

export interface DeploymentOptions {
  readonly jobId: JobId;
  readonly attempt: number;
  readonly checkpointingMode: 'exactly-once' | 'at-least-once';
  readonly incrementalCheckpoints?: boolean;
  readonly stateBackend?: StateBackendType;
  readonly residentKeyGroups?: number;
  readonly network: NetworkLimits;
  readonly restore: ReadonlyMap<TaskId, TaskRestore> | null;
}

/** The producer subtasks that feed consumer subtask `subtask` over `edge`'s partitioner. */
function producersFor(producer: JobVertex, forward: boolean, subtask: number): number[] {
  return forward ? [subtask] : Array.from({ length: producer.parallelism }, (_, i) => i);
}

export function createDeploymentDescriptors(jobGraph: JobGraph, options: DeploymentOptions): TaskDeploymentDescriptor[] {
  // Input channels first, so outputs can name the consumer's channel index.
  const inputChannels = new Map<TaskId, ChannelSource[]>();
  const channelIndex = new Map<string, number>();
  for (const vertex of jobGraph.vertices) {
    for (let subtask = 0; subtask < vertex.parallelism; subtask++) {
      const channels: ChannelSource[] = [];
      for (const edge of vertex.inputs) {
        const producer = jobGraph.vertex(edge.source);
        const outputIndex = producer.outputs.indexOf(edge);
        const forward = edge.partitioner.kind === 'forward';
        for (const producerSubtask of producersFor(producer, forward, subtask)) {
          channelIndex.set(`${taskIdOf(producer.id, producerSubtask)}/${outputIndex}/${forward ? 0 : subtask}`, channels.length);
          channels.push({ producerTaskId: taskIdOf(producer.id, producerSubtask), producerOutput: outputIndex, subpartition: forward ? 0 : subtask });
        }
      }
      inputChannels.set(taskIdOf(vertex.id, subtask), channels);
    }
  }
  const descriptors: TaskDeploymentDescriptor[] = [];
  for (const vertex of jobGraph.vertices) {
    for (let subtask = 0; subtask < vertex.parallelism; subtask++) {
      const taskId = taskIdOf(vertex.id, subtask);
      const outputs = vertex.outputs.map((edge, outputIndex) => {
        const consumer = jobGraph.vertex(edge.target);
        const forward = edge.partitioner.kind === 'forward';
        const consumerSubtasks = forward ? [subtask] : Array.from({ length: consumer.parallelism }, (_, i) => i);
        const targets: SubpartitionTarget[] = consumerSubtasks.map((consumerSubtask, subpartition) => ({
          taskId: taskIdOf(consumer.id, consumerSubtask),
          channel: channelIndex.get(`${taskId}/${outputIndex}/${subpartition}`)!,
        }));
        return { targets };
      });
      descriptors.push({
        jobId: options.jobId,
        taskId,
        vertexId: vertex.id,
        subtaskIndex: subtask,
        parallelism: vertex.parallelism,
        maxParallelism: jobGraph.maxParallelism,
        attempt: options.attempt,
        checkpointingMode: options.checkpointingMode,
        incrementalCheckpoints: options.incrementalCheckpoints ?? false,
        stateBackend: options.stateBackend ?? 'hashmap',
        ...(options.residentKeyGroups === undefined ? {} : { residentKeyGroups: options.residentKeyGroups }),
        inputChannels: inputChannels.get(taskId)!,
        outputs,
        restore: options.restore?.get(taskId) ?? null,
        network: options.network,
      });
    }
  }
  return descriptors;
}
