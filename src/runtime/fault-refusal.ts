// When a fault can be injected, for both runtimes' sessions and the page's buttons alike: only into a
// RUNNING subtask of a RUNNING job; otherwise the refusal says why, in words.
import type { ExecutionState } from '../engine/task/messages';
import { parseChannelId } from '../engine/ids';

/** The most latency a channel can be given from outside (a minute: longer would only stall the picture). */
export const MAX_CHANNEL_DELAY_MS = 60_000;

/** Why a fault cannot be injected into `taskId` now, in words, or null when it can. */
export function faultRefusal(taskId: string, jobStatus: string, taskState: ExecutionState | undefined): string | null {
  if (jobStatus !== 'RUNNING') return `The job is ${jobStatus}, so ${taskId} is not running; faults can be injected once it is RUNNING again.`;
  if (taskState === undefined) return `There is no subtask ${taskId} in this job.`;
  if (taskState !== 'RUNNING') return `${taskId} is ${taskState}; faults can be injected once it is RUNNING.`;
  return null;
}

/** Why `latencyMs` cannot be added to `channel` now, in words, or null when it can; `deployed`: the job's channels. */
export function channelDelayRefusal(channel: string, latencyMs: number, deployed: ReadonlySet<string>): string | null {
  if (!Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > MAX_CHANNEL_DELAY_MS) {
    return `A channel's added latency is a whole number of ms from 0 to ${MAX_CHANNEL_DELAY_MS}, not ${latencyMs}.`;
  }
  if (deployed.has(channel)) return null;
  if (!parseChannelId(channel)) return `'${channel}' is not a channel: write <sender>#<i>-><receiver>#<j>, e.g. numbers#0->sum#1.`;
  return deployed.size === 0 ? `The job is not deployed yet, so it has no channel ${channel}.` : `There is no channel ${channel} in this job.`;
}
