// The deployed job as the views know it, learnt from the stream alone: each attempt's `job-deployed`
// replaces the last; a stream that predates it (no `job-deployed`) is pieced together from the tasks its
// events name and the channels records moved on — then a vertex shows only its head operator, no key
// groups, and every channel reads `rebalance`. One fold for every view (graph, shelf, ledger, narration).
import type { DeployedChannel, DeployedSubtask, DeployedVertex, EngineEvent, EventOf } from '../../engine/events';
import { parseTaskId, taskIdOf, type TaskId, type VertexId } from '../../engine/ids';

/** The job's vertices with their chained operators, subtasks and channels: what a deployment is. */
export interface Topology {
  readonly vertices: readonly DeployedVertex[];
  readonly subtasks: readonly DeployedSubtask[];
  readonly channels: readonly DeployedChannel[];
  /** Column of each vertex: 0 for sources, else one more than its deepest input. */
  readonly depthOf: ReadonlyMap<VertexId, number>;
  /** Each vertex's subtasks by subtask index. */
  readonly subtasksOf: ReadonlyMap<VertexId, readonly DeployedSubtask[]>;
  /** Number of input channels of each receiving task (a source has none, so no entry). */
  readonly inputChannelsOf: ReadonlyMap<TaskId, number>;
}

export function topologyOfDeployment(event: EventOf<'job-deployed'>): Topology {
  return topologyOf(event.vertices, event.subtasks, event.channels);
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
  return topologyOf(vertices, subtasks, channels);
}

/**
 * Folds the stream into the current attempt's topology, and answers what the views ask of it. Bounded by the
 * job's size: a `job-deployed` replaces everything learnt before it; a `job-deployed` of an older attempt is ignored.
 */
export class TopologyFold {
  #deployed: Topology | null = null;
  #attempt = -1;
  /** Streams without `job-deployed`: tasks in order of first appearance, and the first sender seen per input channel. */
  readonly #seenTasks = new Set<TaskId>();
  readonly #seenChannels = new Map<string, DeployedChannel>();
  #inferred: Topology | null = null;
  readonly #senders = new Map<string, TaskId>();
  readonly #senderTasks = new Set<TaskId>();
  readonly #sinkTasks = new Set<TaskId>();
  readonly #sourceTasks = new Set<TaskId>();

  apply(event: EngineEvent): void {
    switch (event.type) {
      case 'job-deployed':
        return this.#deploy(event);
      case 'records-moved':
        this.#learnTask(event.from);
        this.#learnTask(event.to);
        return this.#learnChannel({ from: event.from, to: event.to, channel: event.channel, partitioner: 'rebalance' });
      case 'source-read':
      case 'source-rewound':
        this.#sourceTasks.add(event.taskId);
        return this.#learnTask(event.taskId);
      case 'sink-committed':
      case 'sink-written':
        this.#sinkTasks.add(event.taskId);
        return this.#learnTask(event.taskId);
      default:
        if ('taskId' in event) this.#learnTask(event.taskId);
        return;
    }
  }

  /** True once a `job-deployed` gave the whole picture; from then on only deployments change it. */
  get deployed(): boolean {
    return this.#deployed !== null;
  }

  /** The current topology: the latest deployment's, else the inferred one; null before any task is known. */
  topology(): Topology | null {
    if (this.#deployed) return this.#deployed;
    if (this.#seenTasks.size === 0) return null;
    this.#inferred ??= inferredTopology(this.#seenTasks, [...this.#seenChannels.values()]);
    return this.#inferred;
  }

  /** The subtasks: a deployment's in its order; inferred ones in order of first appearance. */
  subtasks(): TaskId[] {
    return this.#deployed ? this.#deployed.subtasks.map((subtask) => subtask.taskId) : [...this.#seenTasks];
  }

  /** The task sending on input channel `channel` of `to`, if known. */
  senderOf(to: TaskId, channel: number): TaskId | null {
    return this.#senders.get(channelKey(to, channel)) ?? null;
  }

  /** Number of input channels of `task` (0 for a source or an unknown task). */
  inputChannels(task: TaskId): number {
    return this.topology()?.inputChannelsOf.get(task) ?? 0;
  }

  isSink(task: TaskId): boolean {
    return this.#sinkTasks.has(task);
  }

  isSource(task: TaskId): boolean {
    return this.#sourceTasks.has(task);
  }

  /** True if `task` sends on some channel (a chain ending in a sink has no downstream). */
  hasOutputs(task: TaskId): boolean {
    return this.#senderTasks.has(task);
  }

  #deploy(event: EventOf<'job-deployed'>): void {
    if (event.attempt < this.#attempt) return;
    this.#attempt = event.attempt;
    this.#deployed = topologyOfDeployment(event);
    this.#seenTasks.clear();
    this.#seenChannels.clear();
    this.#inferred = null;
    this.#senders.clear();
    this.#senderTasks.clear();
    this.#sinkTasks.clear();
    this.#sourceTasks.clear();
    for (const channel of event.channels) this.#learnChannel(channel);
    for (const vertex of event.vertices) {
      const tasks = this.#deployed.subtasksOf.get(vertex.vertexId) ?? [];
      const roles = new Set(vertex.operators.map((operator) => operator.role));
      for (const { taskId } of tasks) {
        if (roles.has('sink')) this.#sinkTasks.add(taskId);
        if (roles.has('source')) this.#sourceTasks.add(taskId);
      }
    }
  }

  #learnTask(taskId: TaskId): void {
    if (this.#deployed || this.#seenTasks.has(taskId)) return;
    this.#seenTasks.add(taskId);
    this.#inferred = null;
  }

  #learnChannel(channel: DeployedChannel): void {
    const key = channelKey(channel.to, channel.channel);
    if (this.#senders.has(key)) return;
    this.#senders.set(key, channel.from);
    this.#senderTasks.add(channel.from);
    if (this.#deployed) return;
    this.#seenChannels.set(key, channel);
    this.#inferred = null;
  }
}

function topologyOf(vertices: readonly DeployedVertex[], subtasks: readonly DeployedSubtask[], channels: readonly DeployedChannel[]): Topology {
  const subtasksOf = new Map<VertexId, DeployedSubtask[]>();
  for (const subtask of subtasks) {
    let ofVertex = subtasksOf.get(subtask.vertexId);
    if (!ofVertex) subtasksOf.set(subtask.vertexId, (ofVertex = []));
    ofVertex.push(subtask);
  }
  for (const ofVertex of subtasksOf.values()) ofVertex.sort((a, b) => a.subtaskIndex - b.subtaskIndex);
  const inputChannelsOf = new Map<TaskId, number>();
  for (const channel of channels) inputChannelsOf.set(channel.to, Math.max(inputChannelsOf.get(channel.to) ?? 0, channel.channel + 1));
  return { vertices, subtasks, channels, depthOf: depths(vertices, channels), subtasksOf, inputChannelsOf };
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

function channelKey(to: TaskId, channel: number): string {
  return `${to}/${channel}`;
}
