// Which subtask a `fault-injected` takes down, for the graph to draw it down before the job master notices.
import { taskIdOf, type TaskId } from '../../engine/ids';
import type { Topology } from '../model/topology';

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
