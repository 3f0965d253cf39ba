// The faults a subtask's menu offers, each with its label and a one-line explanation in Flink's terms.
import type { TaskId } from '../../engine/ids';

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
