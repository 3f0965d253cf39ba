// The asynchronous part of one subtask's snapshot (Flink's AsyncCheckpointRunnable): writes keyed state
// and — for a checkpoint that needs it — channel state once its input capture finished, then acknowledges
// with every handle and the metrics, or declines if a write failed. Late results of a task that stopped, or
// of a checkpoint whose channel state was aborted, are dropped and what they wrote is discarded.
import type { CheckpointId } from '../ids';
import type { KeyedStateHandle, OperatorSubtaskState, SubtaskCheckpointMetrics, TaskStateSnapshot } from '../checkpoint/task-state';
import type { ChannelStateWriteResult } from '../checkpoint/channel/channel-state-writer';
import { writeChannelState, type WrittenChannelState } from '../checkpoint/channel/channel-state-blob';
import type { AsyncKeyedSnapshot } from './keyed-snapshot-strategy';
import type { TaskDeploymentDescriptor } from './task-deployment';
import type { TaskEnvironment } from './task-environment';
import { serializedSizeBytes } from './record-size';
import { acknowledgementMetricsOf, type AlignmentMetrics } from './checkpoint-metrics';

export interface CapturedOperatorState {
  readonly operatorUid: string;
  readonly keyed: AsyncKeyedSnapshot | null;
  readonly operator: OperatorSubtaskState['operator'];
}

export interface AsyncCheckpointPart {
  readonly checkpointId: CheckpointId;
  /** Per operator of the chain, head first. */
  readonly captured: readonly CapturedOperatorState[];
  /** The checkpoint's channel state, when it needs some (unaligned, or aligned with a timeout). */
  readonly channelState: ChannelStateWriteResult | null;
  readonly unaligned: boolean;
  readonly syncDurationMs: number;
  readonly alignment: AlignmentMetrics;
  readonly injectedFailure: string | null;
  /** FLIP-147's flags of the snapshot (isTaskFinished, isTaskDeployedAsFinished); absent: none. */
  readonly taskState?: Pick<TaskStateSnapshot, 'isTaskFinished' | 'isTaskDeployedAsFinished'>;
}

export function runAsyncCheckpoint(descriptor: TaskDeploymentDescriptor, env: TaskEnvironment, isAlive: () => boolean, part: AsyncCheckpointPart): void {
  const { taskId, attempt } = descriptor;
  const { checkpointId, captured } = part;
  const asyncStart = env.clock.now();
  const keyedHandles = new Map<string, KeyedStateHandle>();
  let channel: WrittenChannelState | null = null;
  let outstanding = captured.length + (part.channelState ? 1 : 0);
  // An injected failure lets the uploads run (what they wrote is discarded with the declined checkpoint).
  let failure: string | null = part.injectedFailure;
  let channelStateAborted = false;
  let wroteState = false;
  const finishOne = () => {
    outstanding -= 1;
    if (outstanding > 0) return;
    const now = env.clock.now();
    if (!isAlive() || channelStateAborted) {
      // This subtask never acknowledges, so the checkpoint cannot complete: drop what it wrote, as Flink's
      // AsyncCheckpointRunnable cleans up on cancellation (else the blobs would be orphans).
      if (wroteState) env.storage.discard(descriptor.jobId, checkpointId, new Set(), () => {});
      return;
    }
    if (failure !== null) {
      env.emit({ type: 'snapshot-failed', time: now, taskId, attempt, checkpointId, phase: 'async', message: failure });
      env.transport.sendToJobMaster({ type: 'decline-checkpoint', taskId, attempt, checkpointId, reason: 'CHECKPOINT_ASYNC_EXCEPTION', message: failure });
      return;
    }
    acknowledge(descriptor, env, part, { keyedHandles, channel, asyncDurationMs: now - asyncStart, now });
  };

  if (part.channelState) {
    const head = captured[0]!;
    part.channelState.whenDone((outcome) => {
      if (outcome.kind === 'aborted') {
        channelStateAborted = true;
        return finishOne();
      }
      wroteState = true;
      writeChannelState({ storage: env.storage, jobId: descriptor.jobId, taskId, operatorUid: head.operatorUid }, outcome.state, (written) => {
        if (written.ok) channel = written.value;
        else failure ??= written.error;
        finishOne();
      });
    });
  }
  // A task deployed finished has no operator state: it acknowledges at once (Flink's FINISHED_ON_RESTORE report).
  if (outstanding === 0) {
    outstanding = 1;
    finishOne();
  }
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

interface WrittenParts {
  readonly keyedHandles: ReadonlyMap<string, KeyedStateHandle>;
  readonly channel: WrittenChannelState | null;
  readonly asyncDurationMs: number;
  readonly now: number;
}

/**
 * The acknowledgement: input channel state on the head operator, output channel state on the tail (Flink's
 * buildOperatorSnapshotFutures); state sizes count channel state, as Flink's OperatorSubtaskState#getStateSize.
 */
function acknowledge(descriptor: TaskDeploymentDescriptor, env: TaskEnvironment, part: AsyncCheckpointPart, written: WrittenParts): void {
  const { taskId, attempt } = descriptor;
  const { checkpointId, captured, alignment } = part;
  const { keyedHandles, channel, now } = written;
  const last = captured.length - 1;
  const operators: OperatorSubtaskState[] = captured.map((c, index) => ({
    operatorUid: c.operatorUid,
    keyed: keyedHandles.get(c.operatorUid) ?? null,
    operator: c.operator,
    ...(index === 0 && channel && channel.input.length > 0 ? { inputChannelState: channel.input } : {}),
    ...(index === last && channel && channel.output.length > 0 ? { resultSubpartitionState: channel.output } : {}),
  }));
  const persistedDataBytes = channel?.persistedDataBytes ?? 0;
  const operatorBytes = captured.reduce((sum, c) => sum + serializedSizeBytes(c.operator), 0);
  const handles = [...keyedHandles.values()];
  const stateSizeBytes = operatorBytes + persistedDataBytes + handles.reduce((sum, h) => sum + h.stateSizeBytes, 0);
  const checkpointedSizeBytes =
    operatorBytes + persistedDataBytes + handles.reduce((sum, h) => sum + ('checkpointedSizeBytes' in h ? h.checkpointedSizeBytes : h.stateSizeBytes), 0);
  env.emit({ type: 'snapshot-async-done', time: now, taskId, attempt, checkpointId, asyncDurationMs: written.asyncDurationMs, stateSizeBytes });
  const metrics: SubtaskCheckpointMetrics = {
    ackTimestamp: now,
    syncDurationMs: part.syncDurationMs,
    asyncDurationMs: written.asyncDurationMs,
    alignmentDurationMs: alignment.alignmentDurationMs,
    startDelayMs: alignment.startDelayMs,
    checkpointedSizeBytes,
    stateSizeBytes,
    processedDataBytes: alignment.processedDataBytes,
    persistedDataBytes,
    alignmentBufferedBytes: alignment.alignmentBufferedBytes,
    // Flink's takeSnapshotSync: setUnalignedCheckpoint(checkpointOptions.isUnalignedCheckpoint()).
    unalignedCheckpoint: part.unaligned,
  };
  // The event first: a runtime that forwards a task's events before its messages to the job master (the
  // Worker runtime flushes them then) delivers the acknowledgement before the completion it causes.
  env.emit({ type: 'checkpoint-acknowledged', time: now, taskId, attempt, checkpointId, ...acknowledgementMetricsOf(metrics) });
  env.transport.sendToJobMaster({
    type: 'acknowledge-checkpoint',
    taskId,
    attempt,
    checkpointId,
    subtaskState: { subtaskIndex: descriptor.subtaskIndex, operators, ...part.taskState },
    metrics,
  });
}
