// One subtask's part of a checkpoint (Flink's SubtaskCheckpointCoordinatorImpl): prepare, forward
// the barrier, take the synchronous snapshot, then write it asynchronously while the task goes on
// processing; acknowledge with state handles and metrics, or decline if the async part fails.
import type { CheckpointId } from '../ids';
import type { AcknowledgementMetrics } from '../events';
import type { HeapKeyedStateBackend, OperatorStateBackend } from '../state';
import type { KeyedStateHandle, OperatorSubtaskState, SubtaskCheckpointMetrics } from '../checkpoint/task-state';
import type { CheckpointOptions, ChannelElement } from './messages';
import type { OperatorChain } from './operator-chain';
import type { TaskDeploymentDescriptor } from './task-deployment';
import type { TaskEnvironment } from './task-environment';
import { serializedSizeBytes } from './record-size';
import {
  FullSnapshotStrategy,
  IncrementalSnapshotStrategy,
  type AsyncKeyedSnapshot,
  type IncrementalSnapshotBase,
  type KeyedSnapshotStrategy,
} from './keyed-snapshot-strategy';

export interface OperatorBackends {
  readonly operatorUid: string;
  readonly keyed: HeapKeyedStateBackend | null;
  readonly operator: OperatorStateBackend;
  /** The restored checkpoint's pieces, when incremental snapshots may build on them (range unchanged). */
  readonly restoredBase?: IncrementalSnapshotBase | null;
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
  readonly #strategies = new Map<string, KeyedSnapshotStrategy>();
  /** Fault injection: the async part of the next snapshot fails, whatever it uploads (a source's offsets too). */
  #failNextUpload = false;

  constructor(private readonly host: CheckpointHost) {
    const { descriptor, env } = host;
    for (const backends of host.backends) {
      if (!backends.keyed) continue;
      const target = { storage: env.storage, jobId: descriptor.jobId, taskId: descriptor.taskId, operatorUid: backends.operatorUid };
      this.#strategies.set(
        backends.operatorUid,
        descriptor.incrementalCheckpoints ? new IncrementalSnapshotStrategy(target, backends.restoredBase ?? null) : new FullSnapshotStrategy(target),
      );
    }
  }

  /** The base checkpoint of an operator's incremental snapshots (null: full upload next), for tests and the UI. */
  baseCheckpointId(operatorUid: string): CheckpointId | null {
    const strategy = this.#strategies.get(operatorUid);
    return strategy instanceof IncrementalSnapshotStrategy ? strategy.baseCheckpointId : null;
  }

  /**
   * Fault injection: the asynchronous part of the next snapshot fails as a failed upload would — for every
   * subtask, a source too (its offsets are its snapshot, as Flink's SourceReader.snapshotState returns them),
   * so the subtask declines the checkpoint with CHECKPOINT_ASYNC_EXCEPTION.
   */
  failNextUpload(): void {
    this.#failNextUpload = true;
  }

  notifyCheckpointComplete(checkpointId: CheckpointId): void {
    for (const strategy of this.#strategies.values()) strategy.notifyCheckpointComplete(checkpointId);
  }

  notifyCheckpointAborted(checkpointId: CheckpointId): void {
    for (const strategy of this.#strategies.values()) strategy.notifyCheckpointAborted(checkpointId);
  }

  checkpointState(checkpointId: CheckpointId, timestamp: number, options: CheckpointOptions, alignment: AlignmentMetrics): void {
    const { env, descriptor, chain } = this.host;
    const { taskId, attempt } = descriptor;
    chain.prepareSnapshotPreBarrier(checkpointId);
    this.host.broadcastEvent({ kind: 'barrier', checkpointId, timestamp, options });
    env.emit({ type: 'barrier-emitted', time: env.clock.now(), taskId, attempt, checkpointId });

    const syncStart = env.clock.now();
    for (const operator of chain.operators) operator.snapshotState(checkpointId);
    const isSavepoint = options.checkpointType !== 'CHECKPOINT';
    const captured = this.host.backends.map((backends) => ({
      operatorUid: backends.operatorUid,
      keyed: backends.keyed ? this.#strategies.get(backends.operatorUid)!.snapshot(backends.keyed.snapshot(), checkpointId, isSavepoint) : null,
      operator: backends.operator.snapshot(),
    }));
    const syncDurationMs = env.clock.now() - syncStart;
    env.emit({ type: 'snapshot-sync-done', time: env.clock.now(), taskId, attempt, checkpointId, syncDurationMs });
    this.runAsyncPhase(checkpointId, captured, syncDurationMs, alignment, this.takeInjectedFailure(checkpointId));
  }

  private takeInjectedFailure(checkpointId: CheckpointId): string | null {
    if (!this.#failNextUpload) return null;
    this.#failNextUpload = false;
    const { env, descriptor } = this.host;
    env.emit({ type: 'fault-injected', time: env.clock.now(), fault: `fail-snapshot:${descriptor.taskId}@${checkpointId}` });
    return `Injected failure: upload of checkpoint ${checkpointId} by ${descriptor.taskId} failed`;
  }

  private runAsyncPhase(
    checkpointId: CheckpointId,
    captured: ReadonlyArray<{ operatorUid: string; keyed: AsyncKeyedSnapshot | null; operator: OperatorSubtaskState['operator'] }>,
    syncDurationMs: number,
    alignment: AlignmentMetrics,
    injectedFailure: string | null,
  ): void {
    const { env, descriptor } = this.host;
    const { taskId, attempt } = descriptor;
    const asyncStart = env.clock.now();
    const keyedHandles = new Map<string, KeyedStateHandle>();
    let outstanding = captured.length;
    // An injected failure lets the uploads run (what they wrote is discarded with the declined checkpoint).
    let failure: string | null = injectedFailure;
    let wroteState = false;
    const finishOne = () => {
      outstanding -= 1;
      if (outstanding > 0) return;
      const now = env.clock.now();
      if (!this.host.isAlive()) {
        // This subtask never acknowledges, so the checkpoint cannot complete: drop what it wrote, as
        // Flink's AsyncCheckpointRunnable cleans up on cancellation (else the blobs would be orphans).
        if (wroteState) env.storage.discard(descriptor.jobId, checkpointId, new Set(), () => {});
        return;
      }
      if (failure !== null) {
        env.emit({ type: 'snapshot-failed', time: now, taskId, attempt, checkpointId, phase: 'async', message: failure });
        env.transport.sendToJobMaster({
          type: 'decline-checkpoint',
          taskId,
          attempt,
          checkpointId,
          reason: 'CHECKPOINT_ASYNC_EXCEPTION',
          message: failure,
        });
        return;
      }
      const operators: OperatorSubtaskState[] = captured.map((c) => ({ operatorUid: c.operatorUid, keyed: keyedHandles.get(c.operatorUid) ?? null, operator: c.operator }));
      const operatorBytes = captured.reduce((sum, c) => sum + serializedSizeBytes(c.operator), 0);
      const handles = [...keyedHandles.values()];
      const stateSizeBytes = operatorBytes + handles.reduce((sum, h) => sum + h.stateSizeBytes, 0);
      const checkpointedSizeBytes = operatorBytes + handles.reduce((sum, h) => sum + ('checkpointedSizeBytes' in h ? h.checkpointedSizeBytes : h.stateSizeBytes), 0);
      const asyncDurationMs = now - asyncStart;
      env.emit({ type: 'snapshot-async-done', time: now, taskId, attempt, checkpointId, asyncDurationMs, stateSizeBytes });
      const metrics: SubtaskCheckpointMetrics = {
        ackTimestamp: now,
        syncDurationMs,
        asyncDurationMs,
        alignmentDurationMs: alignment.alignmentDurationMs,
        startDelayMs: alignment.startDelayMs,
        checkpointedSizeBytes,
        stateSizeBytes,
        processedDataBytes: alignment.processedDataBytes,
        persistedDataBytes: 0,
        alignmentBufferedBytes: alignment.alignmentBufferedBytes,
        unalignedCheckpoint: false,
      };
      // The event first: a runtime that forwards a task's events before its messages to the job master (the
      // Worker runtime flushes them then) delivers the acknowledgement before the completion it causes.
      env.emit({ type: 'checkpoint-acknowledged', time: now, taskId, attempt, checkpointId, ...acknowledgementMetricsOf(metrics) });
      env.transport.sendToJobMaster({
        type: 'acknowledge-checkpoint',
        taskId,
        attempt,
        checkpointId,
        subtaskState: { subtaskIndex: descriptor.subtaskIndex, operators },
        metrics,
      });
    };

    for (const snapshot of captured) {
      if (!snapshot.keyed) {
        finishOne();
        continue;
      }
      wroteState = true;
      snapshot.keyed((result) => {
        if (result.ok) keyedHandles.set(snapshot.operatorUid, result.value);
        else failure ??= result.error;
        finishOne();
      });
    }
  }
}

/** The acknowledgement's metrics as its event carries them: the very figures the coordinator receives. */
export function acknowledgementMetricsOf(metrics: SubtaskCheckpointMetrics): AcknowledgementMetrics {
  return {
    syncDurationMs: metrics.syncDurationMs,
    asyncDurationMs: metrics.asyncDurationMs,
    alignmentDurationMs: metrics.alignmentDurationMs,
    startDelayMs: metrics.startDelayMs,
    checkpointedSizeBytes: metrics.checkpointedSizeBytes,
    stateSizeBytes: metrics.stateSizeBytes,
    processedDataBytes: metrics.processedDataBytes,
    persistedDataBytes: metrics.persistedDataBytes,
    unaligned: metrics.unalignedCheckpoint,
  };
}
