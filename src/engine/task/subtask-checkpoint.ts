// One subtask's part of a checkpoint (Flink's SubtaskCheckpointCoordinatorImpl): prepare, forward
// the barrier (ahead of the output backlogs if unaligned), take the synchronous snapshot, then write it
// asynchronously while the task goes on processing (async-checkpoint.ts); acknowledge with state handles
// and metrics, or decline if the async part fails. It owns the subtask's ChannelStateWriter.
import type { CheckpointId } from '../ids';
import type { HeapKeyedStateBackend, OperatorStateBackend } from '../state';
import { ChannelStateWriter } from '../checkpoint/channel/channel-state-writer';
import { isTimeoutable, isUnalignedCheckpoint } from '../checkpoint/barrier';
import type { CheckpointOptions } from './messages';
import type { TaskStateSnapshot } from '../checkpoint/task-state';
import type { OperatorChain } from './operator-chain';
import type { TaskDeploymentDescriptor } from './task-deployment';
import type { TaskEnvironment } from './task-environment';
import type { TaskNetwork } from './task-network';
import { FullSnapshotStrategy, IncrementalSnapshotStrategy, type IncrementalSnapshotBase, type KeyedSnapshotStrategy } from './keyed-snapshot-strategy';
import { runAsyncCheckpoint } from './async-checkpoint';
import { BarrierBroadcast, needsChannelState } from './barrier-broadcast';
import type { AlignmentMetrics } from './checkpoint-metrics';

export { acknowledgementMetricsOf, type AlignmentMetrics } from './checkpoint-metrics';

export interface OperatorBackends {
  readonly operatorUid: string;
  readonly keyed: HeapKeyedStateBackend | null;
  readonly operator: OperatorStateBackend;
  /** The restored checkpoint's pieces, when incremental snapshots may build on them (range unchanged). */
  readonly restoredBase?: IncrementalSnapshotBase | null;
}

export interface CheckpointHost {
  readonly descriptor: TaskDeploymentDescriptor;
  readonly env: TaskEnvironment;
  readonly chain: OperatorChain;
  readonly backends: readonly OperatorBackends[];
  readonly network: TaskNetwork;
  /** False for a source chain: its unaligned checkpoints have no input channel state. */
  readonly hasNetworkInput: boolean;
  /** False once the task was cancelled or failed: late async results are dropped. */
  isAlive(): boolean;
  /**
   * FLIP-147: whether the task's output partitions ended (its input ended; a barrier would follow their end of
   * partition, so none is put on them) and the flags its snapshots carry (Flink's isTaskFinished,
   * isTaskDeployedAsFinished). Absent: running as usual.
   */
  finishing?(): { readonly outputEnded: boolean; readonly taskState: TaskStateFlags };
}

/** Flink's TaskStateSnapshot flags of FLIP-147. */
export type TaskStateFlags = Pick<TaskStateSnapshot, 'isTaskFinished' | 'isTaskDeployedAsFinished'>;

export class SubtaskCheckpointCoordinator {
  readonly #strategies = new Map<string, KeyedSnapshotStrategy>();
  /** Fault injection: the async part of the next snapshot fails, whatever it uploads (a source's offsets too). */
  #failNextUpload = false;
  /** Flink's ChannelStateWriter of this subtask: in-flight buffers of its unaligned checkpoints. */
  readonly channelState = new ChannelStateWriter();
  readonly #barriers: BarrierBroadcast;

  constructor(private readonly host: CheckpointHost) {
    const { descriptor, env } = host;
    this.#barriers = new BarrierBroadcast(env, descriptor.taskId, descriptor.attempt, host.network, this.channelState, () => host.isAlive());
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
    this.abortChannelState(checkpointId, `Checkpoint ${checkpointId} was aborted`);
  }

  /**
   * Flink's initInputsCheckpoint, before checkpointState: an unaligned checkpoint starts collecting channel
   * state (a source has no input channels, so its input part is final at once); a timeoutable aligned one
   * starts too, with its input final at once, as its output barrier may still time out.
   */
  initInputsCheckpoint(checkpointId: CheckpointId, options: CheckpointOptions): void {
    if (!needsChannelState(options)) return;
    this.channelState.start(checkpointId, options);
    if (isTimeoutable(options) || !this.host.hasNetworkInput) this.channelState.finishInput(checkpointId);
  }

  /** The checkpoint's channel state is dropped (aborted, subsumed or declined); its output barrier no longer times out. */
  abortChannelState(checkpointId: CheckpointId, reason: string): void {
    this.channelState.abort(checkpointId, reason);
    this.#barriers.abortCheckpoint(checkpointId);
  }

  /** The task stops: every checkpoint still collecting channel state is dropped, the alignment timer cancelled. */
  close(): void {
    this.channelState.abortAll('The task stopped');
    this.#barriers.close();
  }

  checkpointState(checkpointId: CheckpointId, timestamp: number, options: CheckpointOptions, alignment: AlignmentMetrics): void {
    const { env, descriptor, chain } = this.host;
    const { taskId, attempt } = descriptor;
    chain.prepareSnapshotPreBarrier(checkpointId);
    const finishing = this.host.finishing?.();
    if (finishing?.outputEnded !== true) {
      this.#barriers.broadcast({ kind: 'barrier', checkpointId, timestamp, options });
      env.emit({ type: 'barrier-emitted', time: env.clock.now(), taskId, attempt, checkpointId });
    }
    const withChannelState = needsChannelState(options);
    // Flink's step (4): the output's in-flight buffers were taken while broadcasting.
    if (withChannelState) this.channelState.finishOutput(checkpointId);

    const syncStart = env.clock.now();
    for (const operator of chain.operators) operator.snapshotState(checkpointId);
    const isSavepoint = options.checkpointType !== 'CHECKPOINT';
    const captured = this.host.backends.map((backends) => ({
      operatorUid: backends.operatorUid,
      keyed: backends.keyed ? this.#strategies.get(backends.operatorUid)!.snapshot(backends.keyed.snapshot(), checkpointId, isSavepoint) : null,
      operator: backends.operator.snapshot(),
    }));
    const channelState = withChannelState ? this.channelState.getAndRemoveWriteResult(checkpointId) : null;
    const syncDurationMs = env.clock.now() - syncStart;
    env.emit({ type: 'snapshot-sync-done', time: env.clock.now(), taskId, attempt, checkpointId, syncDurationMs });
    runAsyncCheckpoint(descriptor, env, () => this.host.isAlive(), {
      checkpointId,
      captured,
      channelState,
      unaligned: isUnalignedCheckpoint(options),
      syncDurationMs,
      alignment,
      injectedFailure: this.takeInjectedFailure(checkpointId),
      ...(finishing ? { taskState: finishing.taskState } : {}),
    });
  }

  private takeInjectedFailure(checkpointId: CheckpointId): string | null {
    if (!this.#failNextUpload) return null;
    this.#failNextUpload = false;
    const { env, descriptor } = this.host;
    env.emit({ type: 'fault-injected', time: env.clock.now(), fault: `fail-snapshot:${descriptor.taskId}@${checkpointId}` });
    return `Injected failure: upload of checkpoint ${checkpointId} by ${descriptor.taskId} failed`;
  }
}
