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

const DELAY_FAULT = /^delay-channel:([^@\s]+)@\S*?\+(\d+)/;

/**
 * `fault-injected` text → the latency it adds: to one channel (`delay-channel:numbers#0->sum#1@…+500`, the
 * page's), or to every channel into a subtask (`delay-channel:sum#1@…+50`, a fault plan's). 0 removes it.
 */
export function channelDelayOf(fault: string): { readonly target: string; readonly channel: boolean; readonly latencyMs: number } | null {
  const match = DELAY_FAULT.exec(fault);
  if (!match) return null;
  return { target: match[1]!, channel: match[1]!.includes('->'), latencyMs: Number(match[2]) };
}
