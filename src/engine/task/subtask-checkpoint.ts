// One subtask's part of a checkpoint (Flink's SubtaskCheckpointCoordinatorImpl): prepare, forward
// the barrier, take the synchronous snapshot, then write it asynchronously while the task goes on
// processing; acknowledge with state handles and metrics, or decline if the async part fails.
import type { CheckpointId } from '../ids';
import { materializeKeyedSnapshot, type HeapKeyedStateBackend, type OperatorStateBackend } from '../state';
import type { OperatorSubtaskState, SubtaskCheckpointMetrics } from '../checkpoint/task-state';
import type { CheckpointOptions, ChannelElement } from './messages';
import type { OperatorChain } from './operator-chain';
import type { TaskDeploymentDescriptor } from './task-deployment';
import type { TaskEnvironment } from './task-environment';
import { encodeJson, serializedSizeBytes } from './record-size';

export interface OperatorBackends {
  readonly operatorUid: string;
  readonly keyed: HeapKeyedStateBackend | null;
  readonly operator: OperatorStateBackend;
}

export interface AlignmentMetrics {
  readonly startDelayMs: number;
  readonly alignmentDurationMs: number;
  readonly processedDataBytes: number;
  readonly alignmentBufferedBytes: number;
}

export interface CheckpointHost {
  readonly descriptor: TaskDeploymentDescriptor;
  readonly env: TaskEnvironment;
  readonly chain: OperatorChain;
  readonly backends: readonly OperatorBackends[];
  broadcastEvent(element: ChannelElement): void;
  /** False once the task was cancelled or failed: late async results are dropped. */
  isAlive(): boolean;
}

export class SubtaskCheckpointCoordinator {
  constructor(private readonly host: CheckpointHost) {}

  checkpointState(checkpointId: CheckpointId, timestamp: number, options: CheckpointOptions, alignment: AlignmentMetrics): void {
    const { env, descriptor, chain } = this.host;
    const taskId = descriptor.taskId;
    chain.prepareSnapshotPreBarrier(checkpointId);
    this.host.broadcastEvent({ kind: 'barrier', checkpointId, timestamp, options });
    env.emit({ type: 'barrier-emitted', time: env.clock.now(), taskId, checkpointId });

    const syncStart = env.clock.now();
    for (const operator of chain.operators) operator.snapshotState(checkpointId);
    const captured = this.host.backends.map((backends) => ({
      operatorUid: backends.operatorUid,
      keyed: backends.keyed?.snapshot() ?? null,
      operator: backends.operator.snapshot(),
    }));
    const syncDurationMs = env.clock.now() - syncStart;
    env.emit({ type: 'snapshot-sync-done', time: env.clock.now(), taskId, checkpointId, syncDurationMs });

    const asyncStart = env.clock.now();
    const states: OperatorSubtaskState[] = [];
    let outstanding = captured.length;
    let failure: string | null = null;
    let stateSizeBytes = 0;
    const finishOne = () => {
      outstanding -= 1;
      if (outstanding > 0 || !this.host.isAlive()) return;
      const now = env.clock.now();
      if (failure !== null) {
        env.emit({ type: 'snapshot-failed', time: now, taskId, checkpointId, phase: 'async', message: failure });
        env.transport.sendToJobMaster({
          type: 'decline-checkpoint',
          taskId,
          attempt: descriptor.attempt,
          checkpointId,
          reason: 'CHECKPOINT_ASYNC_EXCEPTION',
          message: failure,
        });
        return;
      }
      const asyncDurationMs = now - asyncStart;
      env.emit({ type: 'snapshot-async-done', time: now, taskId, checkpointId, asyncDurationMs, stateSizeBytes });
      const metrics: SubtaskCheckpointMetrics = {
        ackTimestamp: now,
        syncDurationMs,
        asyncDurationMs,
        alignmentDurationMs: alignment.alignmentDurationMs,
        startDelayMs: alignment.startDelayMs,
        checkpointedSizeBytes: stateSizeBytes,
        stateSizeBytes,
        processedDataBytes: alignment.processedDataBytes,
        persistedDataBytes: 0,
        alignmentBufferedBytes: alignment.alignmentBufferedBytes,
        unalignedCheckpoint: false,
      };
      const ordered = captured.map((c) => states.find((state) => state.operatorUid === c.operatorUid)!);
      env.transport.sendToJobMaster({
        type: 'acknowledge-checkpoint',
        taskId,
        attempt: descriptor.attempt,
        checkpointId,
        subtaskState: { subtaskIndex: descriptor.subtaskIndex, operators: ordered },
        metrics,
      });
      env.emit({ type: 'checkpoint-acknowledged', time: now, taskId, checkpointId });
    };

    for (const snapshot of captured) {
      const operatorStateSize = serializedSizeBytes(snapshot.operator);
      stateSizeBytes += operatorStateSize;
      if (!snapshot.keyed) {
        states.push({ operatorUid: snapshot.operatorUid, keyed: null, operator: snapshot.operator });
        finishOne();
        continue;
      }
      const keyed = snapshot.keyed;
      const bytes = encodeJson(materializeKeyedSnapshot(keyed));
      const keyGroupRange = { start: keyed.keyGroupRange.startKeyGroup, end: keyed.keyGroupRange.endKeyGroup };
      env.storage.writeState(
        { jobId: descriptor.jobId, checkpointId, taskId, operatorUid: snapshot.operatorUid, bytes },
        (result) => {
          if (result.ok) {
            stateSizeBytes += bytes.length;
            states.push({
              operatorUid: snapshot.operatorUid,
              keyed: { storageKey: result.value, keyGroupRange, stateSizeBytes: bytes.length },
              operator: snapshot.operator,
            });
          } else {
            failure = result.error;
          }
          finishOne();
        },
      );
    }
  }
}
