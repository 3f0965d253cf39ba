// Which part of a completed checkpoint each new subtask restores (Flink's StateAssignmentOperation):
// keyed state by key-group range intersection (so parallelism may change; incremental handles keep only
// the pieces of the subtask's key groups, as Flink reads only the SSTs it needs), operator state by Flink's
// round-robin repartitioning (even split or union). Operators missing from the checkpoint start empty;
// state of operators missing from the job is an error unless allowNonRestoredState is set.
import type { CheckpointMetadata } from './checkpoint-metadata';
import type { JobGraph } from '../graph/job-graph';
import type { OperatorRestore, TaskRestore } from './task-restore';
import { restrictToKeyGroups } from './task-state';
import { computeKeyGroupRangeForOperatorIndex, repartitionOperatorState, type OperatorStateSnapshot } from '../state';

export interface StateAssignment {
  /** Restore descriptor per task id. */
  readonly tasks: ReadonlyMap<string, TaskRestore>;
}

export function assignStates(metadata: CheckpointMetadata, jobGraph: JobGraph, allowNonRestoredState = false): StateAssignment {
  const operatorUids = new Set(jobGraph.operatorUids());
  const unmatched = metadata.operators.filter((operator) => !operatorUids.has(operator.operatorUid) && operator.subtaskStates.some(hasState));
  if (unmatched.length > 0 && !allowNonRestoredState) {
    throw new Error(
      `Checkpoint ${metadata.checkpointId} has state for operators not in the job: ${unmatched.map((o) => o.operatorUid).join(', ')}` +
        ' (allow non-restored state to skip it)',
    );
  }
  for (const operator of metadata.operators) {
    if (operatorUids.has(operator.operatorUid) && operator.maxParallelism !== jobGraph.maxParallelism && operator.subtaskStates.some((s) => s?.keyed)) {
      throw new Error(
        `Operator '${operator.operatorUid}' was checkpointed with max parallelism ${operator.maxParallelism}; ` +
          `the job has ${jobGraph.maxParallelism}. Key groups cannot be remapped (Flink refuses this too).`,
      );
    }
  }
  const tasks = new Map<string, TaskRestore>();
  for (const vertex of jobGraph.vertices) {
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
        perSubtask[subtask]!.push({ operatorUid: node.uid, keyedHandles, operatorState: operatorStates[subtask] ?? null });
      }
    }
    perSubtask.forEach((operators, subtask) => tasks.set(`${vertex.id}#${subtask}`, { checkpointId: metadata.checkpointId, operators }));
  }
  return { tasks };
}

function hasState(state: CheckpointMetadata['operators'][number]['subtaskStates'][number] | undefined): boolean {
  if (!state) return false;
  return state.keyed !== null || Object.keys(state.operator?.states ?? {}).length > 0;
}
