// Identifiers shared by the engine, its runtimes and the UI. Branded where mixing two kinds of
// number would be a bug (a checkpoint id is not a subtask index).
export type JobId = string;
/** Operator uid, as set with `.uid()` (Flink's "Operator ID → State" key for savepoints). */
export type OperatorUid = string;
/** A job vertex (an operator chain) is named by the uid of its head operator. */
export type VertexId = string;
/** `${vertexId}#${subtaskIndex}`, e.g. `sum#1`. */
export type TaskId = string;
export type CheckpointId = number;
/** Execution attempt: bumped on every (re)deployment, so stale messages of an earlier attempt are dropped. */
export type AttemptNumber = number;

export function taskIdOf(vertexId: VertexId, subtaskIndex: number): TaskId {
  return `${vertexId}#${subtaskIndex}`;
}

export function parseTaskId(taskId: TaskId): { vertexId: VertexId; subtaskIndex: number } {
  const hash = taskId.lastIndexOf('#');
  if (hash < 0) throw new Error(`Not a task id: '${taskId}' (expected <vertex>#<subtask>)`);
  return { vertexId: taskId.slice(0, hash), subtaskIndex: Number(taskId.slice(hash + 1)) };
}

/** A channel: one sender subtask → one receiver subtask, `${from}->${to}` (e.g. `numbers#0->sum#1`). */
export type ChannelId = string;

export function channelIdOf(from: TaskId, to: TaskId): ChannelId {
  return `${from}->${to}`;
}

/** `numbers#0->sum#1` → its two task ids, or null when it is not a channel id. */
export function parseChannelId(channelId: string): { readonly from: TaskId; readonly to: TaskId } | null {
  const match = /^([^\s>#]+#\d+)->([^\s>#]+#\d+)$/.exec(channelId);
  return match ? { from: match[1]!, to: match[2]! } : null;
}
