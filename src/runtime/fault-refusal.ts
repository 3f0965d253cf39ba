// When a fault can be injected, for both runtimes' sessions and the page's buttons alike: only into a
// RUNNING subtask of a RUNNING job; otherwise the refusal says why, in words.
import type { ExecutionState } from '../engine/task/messages';

/** Why a fault cannot be injected into `taskId` now, in words, or null when it can. */
export function faultRefusal(taskId: string, jobStatus: string, taskState: ExecutionState | undefined): string | null {
  if (jobStatus !== 'RUNNING') return `The job is ${jobStatus}, so ${taskId} is not running; faults can be injected once it is RUNNING again.`;
  if (taskState === undefined) return `There is no subtask ${taskId} in this job.`;
  if (taskState !== 'RUNNING') return `${taskId} is ${taskState}; faults can be injected once it is RUNNING.`;
  return null;
}
