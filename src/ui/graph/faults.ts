// The faults a subtask's and a channel's menu offer, each with its label and a one-line explanation in
// Flink's terms.
import type { ChannelId, TaskId } from '../../engine/ids';

/** One item of a fault menu: `fault` is its `data-fault` (UI.md's test contract). */
export interface FaultMenuItem<F extends string = string> {
  readonly fault: F;
  readonly label: string;
  /** One short line under the label. */
  readonly hint: string;
  /** The full explanation (its title). */
  readonly explanation: string;
}

export type SubtaskFault = 'kill' | 'crash' | 'fail-snapshot' | 'slow';

export const SUBTASK_FAULTS: readonly SubtaskFault[] = ['kill', 'crash', 'fail-snapshot', 'slow'];

export function faultLabel(fault: SubtaskFault): string {
  switch (fault) {
    case 'kill':
      return 'Kill its worker';
    case 'crash':
      return 'Crash the operator';
    case 'fail-snapshot':
      return 'Fail its next snapshot';
    case 'slow':
      return 'Slow it down';
  }
}

/** One short line under the menu item (the full explanation is its title). */
export function faultHint(fault: SubtaskFault): string {
  switch (fault) {
    case 'kill':
      return 'a lost TaskManager: the job restarts from the latest checkpoint';
    case 'crash':
      return 'the operator throws: task FAILED, the job restarts';
    case 'fail-snapshot':
      return 'its async upload fails: the checkpoint is declined and aborted';
    case 'slow':
      return 'backpressure upstream, barriers late, alignment longer';
  }
}

export function faultExplanation(fault: SubtaskFault, taskId: TaskId): string {
  switch (fault) {
    case 'kill':
      return `Terminate the worker running ${taskId}, like a lost TaskManager: the task vanishes without a word, the JobManager notices and restarts the job from the latest completed checkpoint.`;
    case 'crash':
      return `Throw an exception in ${taskId}'s operator: the task goes FAILED and the restart strategy restarts the job from the latest completed checkpoint.`;
    case 'fail-snapshot':
      return `Make the asynchronous part of ${taskId}'s next snapshot fail: it declines the checkpoint (CHECKPOINT_ASYNC_EXCEPTION), the coordinator aborts it, and past execution.checkpointing.tolerable-failed-checkpoints the job fails over.`;
    case 'slow':
      return `Make ${taskId} process records several times slower: backpressure builds upstream, barriers queue behind the records and alignment takes longer.`;
  }
}

export function subtaskFaultItems(taskId: TaskId): FaultMenuItem<SubtaskFault>[] {
  return SUBTASK_FAULTS.map((fault) => ({ fault, label: faultLabel(fault), hint: faultHint(fault), explanation: faultExplanation(fault, taskId) }));
}

/** A channel's faults: add latency to it (a slow link), or take the added latency away. */
export type ChannelFault = 'delay-channel' | 'undelay-channel';

/** How much latency "Delay it" adds to a channel, ms: several hops of the page's network, so it shows. */
export const CHANNEL_DELAY_MS = 500;

export function channelFaultItems(channel: ChannelId, delayMs: number): FaultMenuItem<ChannelFault>[] {
  if (delayMs > 0) {
    return [
      {
        fault: 'undelay-channel',
        label: 'Remove its delay',
        hint: `back to normal latency (now +${delayMs} ms)`,
        explanation: `Take the ${delayMs} ms of added latency off ${channel}: what is already on the way still arrives in order, later messages travel at the normal speed.`,
      },
    ];
  }
  return [
    {
      fault: 'delay-channel',
      label: `Delay it by ${CHANNEL_DELAY_MS} ms`,
      hint: 'a slow link: its barrier comes late, the receiver keeps its other channels blocked longer',
      explanation:
        `Add ${CHANNEL_DELAY_MS} ms of network latency to ${channel}, like a slow link between two TaskManagers: records and barriers on it arrive later, in order. ` +
        'In aligned mode the receiver blocks every channel whose barrier came first until this one arrives, so alignment and checkpoint duration grow.',
    },
  ];
}
