// The deployed job as the graph draws it: vertices with their chained operators, subtasks, channels and
// each vertex's column (its depth from the sources). From `job-deployed`, or inferred from task events
// when a stream predates it (then a vertex shows only its head operator and no key groups).
import type { DeployedChannel, DeployedSubtask, DeployedVertex, EventOf } from '../../engine/events';
import { parseTaskId, taskIdOf, type TaskId, type VertexId } from '../../engine/ids';

export interface Topology {
  readonly vertices: readonly DeployedVertex[];
  readonly subtasks: readonly DeployedSubtask[];
  readonly channels: readonly DeployedChannel[];
  /** Column of each vertex: 0 for sources, else one more than its deepest input. */
  readonly depthOf: ReadonlyMap<VertexId, number>;
}

export function topologyOfDeployment(event: EventOf<'job-deployed'>): Topology {
  return { vertices: event.vertices, subtasks: event.subtasks, channels: event.channels, depthOf: depths(event.vertices, event.channels) };
}

/** A topology from the task ids seen and the channels records moved on (streams without `job-deployed`). */
export function inferredTopology(taskIds: Iterable<TaskId>, channels: readonly DeployedChannel[]): Topology {
  const parallelism = new Map<VertexId, number>();
  for (const taskId of taskIds) {
    const { vertexId, subtaskIndex } = parseTaskId(taskId);
    parallelism.set(vertexId, Math.max(parallelism.get(vertexId) ?? 0, subtaskIndex + 1));
  }
  const receivers = new Set(channels.map((channel) => parseTaskId(channel.to).vertexId));
  const vertices: DeployedVertex[] = [...parallelism].map(([vertexId, count]) => ({
    vertexId,
    name: vertexId,
    parallelism: count,
    maxParallelism: count,
    operators: [{ uid: vertexId, name: vertexId, role: receivers.has(vertexId) ? 'operator' : 'source', chained: false }],
  }));
  const subtasks: DeployedSubtask[] = vertices.flatMap((vertex) =>
    Array.from({ length: vertex.parallelism }, (_, subtaskIndex) => ({ taskId: taskIdOf(vertex.vertexId, subtaskIndex), vertexId: vertex.vertexId, subtaskIndex, keyGroups: null })),
  );
  return { vertices, subtasks, channels, depthOf: depths(vertices, channels) };
}

function depths(vertices: readonly DeployedVertex[], channels: readonly DeployedChannel[]): Map<VertexId, number> {
  const inputs = new Map<VertexId, Set<VertexId>>();
  for (const channel of channels) {
    const to = parseTaskId(channel.to).vertexId;
    const from = parseTaskId(channel.from).vertexId;
    if (to !== from) inputs.set(to, (inputs.get(to) ?? new Set()).add(from));
  }
  const depth = new Map<VertexId, number>();
  const visiting = new Set<VertexId>();
  const depthOf = (vertexId: VertexId): number => {
    const known = depth.get(vertexId);
    if (known !== undefined) return known;
    if (visiting.has(vertexId)) return 0; // a cycle (never in a job graph): cut it
    visiting.add(vertexId);
    const upstream = [...(inputs.get(vertexId) ?? [])];
    const value = upstream.length === 0 ? 0 : 1 + Math.max(...upstream.map(depthOf));
    depth.set(vertexId, value);
    return value;
  };
  for (const vertex of vertices) depthOf(vertex.vertexId);
  return depth;
}

/**
 * The task a fault names: `kill:sink#1@…` names an operator (chained ones run in their head's task,
 * so `sink#1` is `sum#1`); `kill:sum#0@…` names the task itself.
 */
export function taskOfFaultTarget(topology: Topology | null, target: string): TaskId | null {
  const hash = target.lastIndexOf('#');
  if (hash < 0) return null;
  const uid = target.slice(0, hash);
  const subtask = Number(target.slice(hash + 1));
  if (!Number.isInteger(subtask)) return null;
  const vertex = topology?.vertices.find((candidate) => candidate.vertexId === uid || candidate.operators.some((operator) => operator.uid === uid));
  return taskIdOf(vertex?.vertexId ?? uid, subtask);
}

const TASK_FAULT = /^(kill|kill-after|crash):([^@\s]+)@/;

/** `fault-injected` text → the task it takes down, if it is a kill or a crash. */
export function faultTakingDown(fault: string): { readonly kind: 'killed' | 'failed'; readonly target: string } | null {
  const match = TASK_FAULT.exec(fault);
  if (!match) return null;
  return { kind: match[1] === 'crash' ? 'failed' : 'killed', target: match[2]! };
}
