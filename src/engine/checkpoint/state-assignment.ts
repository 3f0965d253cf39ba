// Which part of a completed checkpoint each new subtask restores (Flink's StateAssignmentOperation):
// keyed state by key-group range intersection (so parallelism may change; incremental handles keep only
// the pieces of the subtask's key groups, as Flink reads only the SSTs it needs), operator state by Flink's
// round-robin repartitioning (even split or union). Operators missing from the checkpoint start empty;
// a checkpoint that fails validateSavepointRestore (unclaimed state, max parallelism) is refused with its message.
// An unaligned checkpoint's channel state goes to the same subtask; it cannot be rescaled here (refused).
// Finished operators (FLIP-147, Flink's TaskStateAssignment): a vertex whose operators are fully finished is
// deployed finished (TaskStateSnapshot.FINISHED_ON_RESTORE); a subtask that had finished has empty state.
import type { CheckpointMetadata } from './checkpoint-metadata';
import type { JobGraph } from '../graph/job-graph';
import type { OperatorRestore, TaskRestore } from './task-restore';
import { hasChannelState, restrictToKeyGroups, type OperatorSubtaskState } from './task-state';
import { validateSavepointRestore } from './savepoint-restore';
import { computeKeyGroupRangeForOperatorIndex, repartitionOperatorState, type OperatorStateSnapshot } from '../state';

export interface StateAssignment {
  /** Restore descriptor per task id. */
  readonly tasks: ReadonlyMap<string, TaskRestore>;
}

/**
 * Why `metadata` cannot restore `jobGraph` because of its channel state, or null. Flink can rescale an unaligned
 * checkpoint's in-flight data (StateAssignmentOperation#reDistributeInputChannelStates, the channel-state
 * rescalers); this simulator cannot, so a vertex whose operators hold channel state must keep its parallelism.
 */
export function channelStateRescaleProblem(metadata: CheckpointMetadata, jobGraph: JobGraph): string | null {
  for (const vertex of jobGraph.vertices) {
    for (const node of vertex.operators) {
      const stored = metadata.operators.find((operator) => operator.operatorUid === node.uid);
      if (!stored || stored.parallelism === vertex.parallelism || !stored.subtaskStates.some((state) => state !== undefined && hasChannelState(state))) continue;
      return (
        `Checkpoint ${metadata.checkpointId} is unaligned: operator ${node.uid} holds in-flight data (channel state) of ${stored.parallelism} subtasks, ` +
        `and rescaling channel state to parallelism ${vertex.parallelism} is not modelled (Flink can rescale it). Restore it at parallelism ${stored.parallelism}, ` +
        `or from a savepoint or an aligned checkpoint.`
      );
    }
  }
  return null;
}

export function assignStates(metadata: CheckpointMetadata, jobGraph: JobGraph, allowNonRestoredState = false): StateAssignment {
  // Flink's rules and words (savepoint-restore.ts): the same checks a snapshot passes before a job starts from it.
  const validation = validateSavepointRestore(metadata, jobGraph, { ignoreUnclaimedState: allowNonRestoredState });
  if (!validation.ok) throw new Error(validation.message);
  const rescaleProblem = channelStateRescaleProblem(metadata, jobGraph);
  if (rescaleProblem !== null) throw new Error(rescaleProblem);
  const tasks = new Map<string, TaskRestore>();
  for (const vertex of jobGraph.vertices) {
    if (isFullyFinished(metadata, vertex)) {
      // StateAssignmentOperation.assignFinishedStateToTask: no state, the task is deployed finished.
      for (let subtask = 0; subtask < vertex.parallelism; subtask++) {
        tasks.set(`${vertex.id}#${subtask}`, { checkpointId: metadata.checkpointId, operators: [], finishedOnRestore: true });
      }
      continue;
    }
    const perSubtask: OperatorRestore[][] = Array.from({ length: vertex.parallelism }, () => []);
    for (const node of vertex.operators) {
      const stored = metadata.operators.find((operator) => operator.operatorUid === node.uid);
      if (!stored) continue;
      const operatorStates = repartitionOperatorState(
        stored.subtaskStates.map((state) => state?.operator ?? { states: {} }) as OperatorStateSnapshot[],
        vertex.parallelism,
      );
      for (let subtask = 0; subtask < vertex.parallelism; subtask++) {
        const range = computeKeyGroupRangeForOperatorIndex(jobGraph.maxParallelism, vertex.parallelism, subtask);
        const keyedHandles = stored.subtaskStates
          .map((state) => state?.keyed ?? null)
          .filter((handle) => handle !== null && handle.keyGroupRange.start <= range.endKeyGroup && handle.keyGroupRange.end >= range.startKeyGroup)
          .map((handle) => restrictToKeyGroups(handle!, { start: range.startKeyGroup, end: range.endKeyGroup }));
        perSubtask[subtask]!.push({ operatorUid: node.uid, keyedHandles, operatorState: operatorStates[subtask] ?? null, ...channelStateOf(stored.subtaskStates[subtask]) });
      }
    }
    perSubtask.forEach((operators, subtask) => tasks.set(`${vertex.id}#${subtask}`, { checkpointId: metadata.checkpointId, operators }));
  }
  return { tasks };
}

/**
 * Whether the checkpoint holds `vertex`'s operators as fully finished. As Flink's TaskStateAssignment, a vertex is
 * all finished or not at all: a finished operator beside one that is not (or one the checkpoint lacks) is refused.
 */
function isFullyFinished(metadata: CheckpointMetadata, vertex: JobGraph['vertices'][number]): boolean {
  const stored = vertex.operators.map((node) => metadata.operators.find((operator) => operator.operatorUid === node.uid));
  if (!stored.some((operator) => operator?.fullyFinished === true)) return false;
  if (!stored.every((operator) => operator?.fullyFinished === true)) {
    throw new Error(`Vertex ${vertex.id} of checkpoint ${metadata.checkpointId} mixes finished and unfinished operators (JobVertex could not have mixed finished and unfinished operators)`);
  }
  return true;
}

/** The subtask's own channel state, handed on unchanged (the parallelism is the checkpoint's, channelStateRescaleProblem made sure). */
function channelStateOf(state: OperatorSubtaskState | undefined): Pick<OperatorRestore, 'inputChannelState' | 'resultSubpartitionState'> {
  if (!state) return {};
  return {
    ...(state.inputChannelState?.length ? { inputChannelState: state.inputChannelState } : {}),
    ...(state.resultSubpartitionState?.length ? { resultSubpartitionState: state.resultSubpartitionState } : {}),
  };
}
