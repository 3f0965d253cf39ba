// The deployed topology as the views need it, learnt from the stream alone: `job-deployed` when the
// engine emits it (issue 7), otherwise pieced together from task states and records moved.
import type { EngineEvent } from '../../engine/events';
import type { TaskId } from '../../engine/ids';

export interface KnownChannel {
  readonly from: TaskId;
  readonly to: TaskId;
  readonly channel: number;
}

/** Subtasks, channels and the tasks hosting sinks of the current attempt; later attempts replace it. */
export class Topology {
  private readonly subtaskSet = new Set<TaskId>();
  private readonly senders = new Map<string, TaskId>();
  private readonly inputCount = new Map<TaskId, number>();
  private readonly sinkTasks = new Set<TaskId>();
  private readonly sourceTasks = new Set<TaskId>();
  private readonly senderTasks = new Set<TaskId>();
  /** True once a `job-deployed` gave the whole picture; from then on only it is trusted. */
  private deployed = false;
  attempt = 0;

  apply(event: EngineEvent): void {
    switch (event.type) {
      case 'job-deployed': {
        this.deployed = true;
        this.attempt = event.attempt;
        this.subtaskSet.clear();
        this.senders.clear();
        this.inputCount.clear();
        this.sinkTasks.clear();
        this.sourceTasks.clear();
        this.senderTasks.clear();
        for (const subtask of event.subtasks) this.subtaskSet.add(subtask.taskId);
        for (const channel of event.channels) this.learnChannel(channel);
        for (const vertex of event.vertices) {
          const subtasks = event.subtasks.filter((s) => s.vertexId === vertex.vertexId).map((s) => s.taskId);
          if (vertex.operators.some((o) => o.role === 'sink')) for (const task of subtasks) this.sinkTasks.add(task);
          if (vertex.operators.some((o) => o.role === 'source')) for (const task of subtasks) this.sourceTasks.add(task);
        }
        return;
      }
      case 'task-state-changed':
        if (!this.deployed) this.subtaskSet.add(event.taskId);
        if (!this.deployed) this.attempt = Math.max(this.attempt, event.attempt);
        return;
      case 'records-moved':
        if (!this.deployed) this.learnChannel(event);
        return;
      case 'source-read':
      case 'source-rewound':
        this.sourceTasks.add(event.taskId);
        return;
      case 'sink-committed':
      case 'sink-written':
        this.sinkTasks.add(event.taskId);
        return;
      default:
        return;
    }
  }

  /** The subtasks in a stable order (vertex by first appearance, then subtask index). */
  subtasks(): TaskId[] {
    return [...this.subtaskSet];
  }

  /** The task sending on input channel `channel` of `to`, if known. */
  senderOf(to: TaskId, channel: number): TaskId | null {
    return this.senders.get(`${to}/${channel}`) ?? null;
  }

  /** Number of input channels of `task` (0 for a source or an unknown task). */
  inputChannels(task: TaskId): number {
    return this.inputCount.get(task) ?? 0;
  }

  isSink(task: TaskId): boolean {
    return this.sinkTasks.has(task);
  }

  isSource(task: TaskId): boolean {
    return this.sourceTasks.has(task);
  }

  /** True if `task` sends on some channel (a chain ending in a sink has no downstream). */
  hasOutputs(task: TaskId): boolean {
    return this.senderTasks.has(task);
  }

  private learnChannel(channel: KnownChannel): void {
    this.senderTasks.add(channel.from);
    const key = `${channel.to}/${channel.channel}`;
    if (this.senders.has(key)) return;
    this.senders.set(key, channel.from);
    this.inputCount.set(channel.to, Math.max(this.inputCount.get(channel.to) ?? 0, channel.channel + 1));
  }
}
