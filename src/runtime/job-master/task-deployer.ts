// The runtime-specific half of running tasks: the simulator hosts them in-process, the Worker runtime
// in one Web Worker each. The job master only deploys, cancels and messages them through this port.
import type { TaskId } from '../../engine/ids';
import type { TaskMessage } from '../../engine/task/messages';
import type { TaskDeploymentDescriptor } from '../../engine/task/task-deployment';

export interface TaskDeployer {
  deploy(descriptors: readonly TaskDeploymentDescriptor[]): void;
  /** Cancel every task of the current deployment; call `done` once none runs any more. */
  cancelAll(done: () => void): void;
  sendToTask(taskId: TaskId, message: TaskMessage): void;
}
