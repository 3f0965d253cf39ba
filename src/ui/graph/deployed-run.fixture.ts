// Test fixture: a real deterministic run's events, with a `job-deployed` per attempt built from the run's
// job graph (as createDeploymentDescriptors wires it) wherever the stream does not carry one yet.
import type { DeployedOperator, EngineEvent, EventOf } from '../../engine/events';
import type { JobGraph } from '../../engine/graph/job-graph';
import { taskIdOf } from '../../engine/ids';
import { computeKeyGroupRangeForOperatorIndex } from '../../engine/state/key-groups';
import { DEFAULT_NETWORK_LIMITS } from '../../engine/task/network-limits';
import { createDeploymentDescriptors } from '../../runtime/job-master/deployment-plan';
import { DEFAULT_KEYS, DEFAULT_RECORDS_PER_SECOND, runScenario, type RunScenarioOptions } from '../../runtime/sim/run-scenario';
import { prepareScenarioJob } from '../../runtime/sim/scenario-job';

export function deployedEventOf(jobGraph: JobGraph, attempt: number, restoredCheckpointId: number | null, time: number): EventOf<'job-deployed'> {
  const descriptors = createDeploymentDescriptors(jobGraph, {
    jobId: 'fixture',
    attempt,
    checkpointingMode: 'exactly-once',
    network: DEFAULT_NETWORK_LIMITS,
    restore: null,
  });
  const vertices = jobGraph.vertices.map((vertex) => ({
    vertexId: vertex.id,
    name: vertex.name,
    parallelism: vertex.parallelism,
    maxParallelism: jobGraph.maxParallelism,
    operators: vertex.operators.map(
      (node, index): DeployedOperator => ({
        uid: node.uid,
        name: node.name,
        role: node.kind === 'source' ? 'source' : node.kind === 'sink' ? 'sink' : node.keySelector !== null ? 'keyed' : 'operator',
        chained: index > 0,
      }),
    ),
  }));
  const subtasks = jobGraph.vertices.flatMap((vertex) =>
    Array.from({ length: vertex.parallelism }, (_, subtaskIndex) => {
      const keyed = vertex.operators.some((node) => node.keySelector !== null);
      const range = keyed ? computeKeyGroupRangeForOperatorIndex(jobGraph.maxParallelism, vertex.parallelism, subtaskIndex) : null;
      return { taskId: taskIdOf(vertex.id, subtaskIndex), vertexId: vertex.id, subtaskIndex, keyGroups: range ? { start: range.startKeyGroup, end: range.endKeyGroup } : null };
    }),
  );
  const channels = descriptors.flatMap((descriptor) =>
    descriptor.inputChannels.map((source, channel) => {
      const edge = jobGraph.vertex(descriptor.vertexId).inputs.find((input) => source.producerTaskId.startsWith(`${input.source}#`));
      return { from: source.producerTaskId, to: descriptor.taskId, channel, partitioner: edge?.partitioner.kind ?? 'forward' };
    }),
  );
  return { type: 'job-deployed', time, attempt, restoredCheckpointId, vertices, subtasks, channels };
}

/** The events of a deterministic run, each attempt opened by its `job-deployed`. */
export function deployedRun(options: Omit<RunScenarioOptions, 'onEvent'>): readonly EngineEvent[] {
  const { jobGraph } = prepareScenarioJob({ ...options, keys: options.keys ?? DEFAULT_KEYS, recordsPerSecond: options.recordsPerSecond ?? DEFAULT_RECORDS_PER_SECOND });
  const { events } = runScenario(options);
  if (events.some((event) => event.type === 'job-deployed')) return events;
  const withDeployments: EngineEvent[] = [];
  const deployedAttempts = new Set<number>();
  let latestCompleted: number | null = null;
  for (const event of events) {
    if (event.type === 'checkpoint-completed') latestCompleted = event.checkpointId;
    if (event.type === 'task-state-changed' && event.state === 'DEPLOYING' && !deployedAttempts.has(event.attempt)) {
      deployedAttempts.add(event.attempt);
      withDeployments.push(deployedEventOf(jobGraph, event.attempt, event.attempt === 0 ? null : latestCompleted, event.time));
    }
    withDeployments.push(event);
  }
  return withDeployments;
}
