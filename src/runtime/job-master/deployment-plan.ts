// From a job graph to one deployment descriptor per subtask: input channels (one per producer
// subtask feeding it, edges in order), output subpartitions (one per consumer channel), restore data;
// and the deployment's topology as the `job-deployed` event describes it.
import type { JobGraph, JobVertex } from '../../engine/graph/job-graph';
import type { StreamNode } from '../../engine/graph/stream-graph';
import type { DeployedChannel, DeployedOperator, DeployedSubtask, DeployedVertex } from '../../engine/events';
import type { JobId, TaskId } from '../../engine/ids';
import { parseTaskId, taskIdOf } from '../../engine/ids';
import { computeKeyGroupRangeForOperatorIndex } from '../../engine/state';
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
  /** See TaskDeploymentDescriptor.checkpointsAfterTasksFinish. */
  readonly checkpointsAfterTasksFinish?: boolean;
  /** See TaskDeploymentDescriptor.unalignedCheckpoints. */
  readonly unalignedCheckpoints?: boolean;
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
        ...(options.checkpointsAfterTasksFinish ? { checkpointsAfterTasksFinish: true } : {}),
        ...(options.unalignedCheckpoints ? { unalignedCheckpoints: true } : {}),
      });
    }
  }
  return descriptors;
}

/** The topology of one deployment as `job-deployed` carries it: vertices with their chains, subtasks with key groups, every channel. */
export interface DeployedTopology {
  readonly vertices: readonly DeployedVertex[];
  readonly subtasks: readonly DeployedSubtask[];
  readonly channels: readonly DeployedChannel[];
}

/**
 * What the picture draws, from the job graph and the descriptors just made: operators in chain order (role:
 * source, keyed after keyBy, sink, else operator), a keyed vertex's subtasks with the key groups Flink's
 * KeyGroupRangeAssignment gives them, and one channel per input channel of every subtask, in receiver order.
 */
export function deployedTopology(jobGraph: JobGraph, descriptors: readonly TaskDeploymentDescriptor[]): DeployedTopology {
  const vertices = jobGraph.vertices.map((vertex) => ({
    vertexId: vertex.id,
    name: vertex.name,
    parallelism: vertex.parallelism,
    maxParallelism: jobGraph.maxParallelism,
    operators: vertex.operators.map((node, index) => ({ uid: node.uid, name: node.name, role: roleOf(node), chained: index > 0 })),
  }));
  const subtasks = descriptors.map((descriptor) => {
    const keyed = jobGraph.vertex(descriptor.vertexId).operators.some((node) => node.keySelector !== null);
    const range = keyed ? computeKeyGroupRangeForOperatorIndex(descriptor.maxParallelism, descriptor.parallelism, descriptor.subtaskIndex) : null;
    return {
      taskId: descriptor.taskId,
      vertexId: descriptor.vertexId,
      subtaskIndex: descriptor.subtaskIndex,
      keyGroups: range ? { start: range.startKeyGroup, end: range.endKeyGroup } : null,
    };
  });
  const channels = descriptors.flatMap((descriptor) =>
    descriptor.inputChannels.map((input, channel) => {
      const producer = jobGraph.vertex(parseTaskId(input.producerTaskId).vertexId);
      return { from: input.producerTaskId, to: descriptor.taskId, channel, partitioner: producer.outputs[input.producerOutput]!.partitioner.kind };
    }),
  );
  return { vertices, subtasks, channels };
}

function roleOf(node: StreamNode): DeployedOperator['role'] {
  if (node.kind === 'source') return 'source';
  if (node.kind === 'sink') return 'sink';
  return node.keySelector !== null ? 'keyed' : 'operator';
}
