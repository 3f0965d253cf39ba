// One task input behind one interface (Flink's StreamTaskInput: StreamTaskSourceInput for a source chain,
// StreamTaskNetworkInput for a chain fed by input channels): the task asks it for bounded work and for
// what it waits on; the input reports back through a narrow host, never reaching into the task.
import type { CheckpointId } from '../../ids';
import type { TaskSample } from '../../samples';
import type { TaskMessage } from '../messages';
import type { OperatorChain } from '../operator-chain';
import type { TaskNetwork } from '../task-network';
import type { TaskDeploymentDescriptor } from '../task-deployment';
import type { TaskEnvironment } from '../task-environment';
import type { OperatorBackends, SubtaskCheckpointCoordinator } from '../subtask-checkpoint';

/** What an input may ask of its task. */
export interface TaskInputHost {
  readonly descriptor: TaskDeploymentDescriptor;
  readonly env: TaskEnvironment;
  readonly chain: OperatorChain;
  readonly network: TaskNetwork;
  /** The subtask's checkpointing, there from RUNNING on. */
  checkpointing(): SubtaskCheckpointCoordinator;
  /** RUNNING and not waiting in a synchronous savepoint: the input may process. */
  canProcess(): boolean;
  isRunning(): boolean;
  /** The task snapshotted checkpoint `checkpointId`: what it writes from now on belongs to the next epoch. */
  passedBarrier(checkpointId: CheckpointId): void;
  /** The snapshot just taken is a synchronous savepoint's: only control messages run until it ends. */
  startSynchronousSavepoint(checkpointId: CheckpointId): void;
  decline(checkpointId: CheckpointId, reason: string): void;
  /** Every input ended: the chain ends its input and the task finishes. */
  endOfInput(): void;
  fail(cause: string): void;
  /** A buffer of `records` records was taken from `channel` (for the task's consumed-records event). */
  consumed(channel: number, records: number): void;
}

export type TaskBarrierHandlerSample = TaskSample['barrierHandler'];

export interface StreamTaskInput {
  readonly kind: 'source' | 'network';
  /** The restored backends are there: the input gets ready to feed the chain (before RUNNING). */
  open(backends: readonly OperatorBackends[]): void;
  /** Up to `budget` records (or source emissions) of work; returns how many it handled. */
  processInput(budget: number): number;
  /** True if it could go on right now (the task checked its control queue, output and savepoint first). */
  hasMoreWork(): boolean;
  /** True while it holds input it cannot process yet (keyed state loading): busy, not idle. */
  isWaitingForState(): boolean;
  /** A checkpoint triggered by the coordinator (sources only; a network input throws). */
  triggerCheckpoint(message: Extract<TaskMessage, { type: 'trigger-checkpoint' }>): void;
  /** The barrier handler's state for samples ('none' for a source). */
  barrierHandlerSample(): TaskBarrierHandlerSample;
  readonly barrierHandlerKind: string | null;
  blockedChannels(): readonly number[];
  /** The task stops (cancelled, failed, finished): timers are cleared. */
  close(): void;
}
