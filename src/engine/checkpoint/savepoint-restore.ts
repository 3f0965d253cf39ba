// Whether a savepoint or retained checkpoint can restore a job, decided before anything runs or is written:
// Flink's Checkpoints.loadAndValidateCheckpoint, then StateAssignmentOperation.checkParallelismPreconditions,
// with their messages. Pure; the metadata is untrusted (an imported file) and is only read.
//
// Followed (apache/flink, 1.15 to 2.x):
// - Operators are matched by operator id, the murmur3_128 hash of the uid (StreamGraphHasherV2).
// - A matched operator whose max parallelism differs from the job vertex's is refused when the job's max
//   parallelism was configured; when it was derived, Flink takes the state's instead (checkParallelismPreconditions
//   "Rescaling maximum parallelism", ExecutionJobVertex.canRescaleMaxParallelism): `maxParallelism` in the result.
// - State of an operator the job lacks is refused unless execution.state-recovery.ignore-unclaimed-state
//   (--allowNonRestoredState) is set; empty state of such an operator is skipped either way.
// - The job's parallelism must not exceed the restored state's max parallelism.
import type { JobGraph, JobVertex } from '../graph/job-graph';
import type { OperatorUid } from '../ids';
import { operatorIdOfUid } from '../format/operator-id';
import type { CheckpointMetadata, OperatorStateMetadata } from './checkpoint-metadata';
import type { OperatorSubtaskState } from './task-state';

export interface SavepointRestoreOptions {
  /** execution.state-recovery.ignore-unclaimed-state (Flink's --allowNonRestoredState). Default false. */
  readonly ignoreUnclaimedState?: boolean;
  /**
   * Whether the job's max parallelism was set (pipeline.max-parallelism). Default true: the job graph's max
   * parallelism is the one it runs with. False: a different max parallelism of the state is taken instead, as
   * Flink does for a derived one — the caller then runs the job at the result's `maxParallelism`.
   */
  readonly maxParallelismConfigured?: boolean;
  /** Flink's checkpoint pointer, named in messages: a file name or external path. Default `chk-<checkpointId>`. */
  readonly pointer?: string;
}

export type SavepointRestoreValidation =
  | {
      readonly ok: true;
      /** The max parallelism the job must run with: the job graph's, or the state's when it was not configured. */
      readonly maxParallelism: number;
      /** Operators whose state the job skips (ignore-unclaimed-state), as uids; empty state is not listed. */
      readonly skippedOperators: readonly OperatorUid[];
    }
  | { readonly ok: false; readonly message: string };

export function validateSavepointRestore(metadata: CheckpointMetadata, jobGraph: JobGraph, options: SavepointRestoreOptions = {}): SavepointRestoreValidation {
  const pointer = options.pointer ?? `chk-${metadata.checkpointId}`;
  const configured = options.maxParallelismConfigured ?? true;
  const vertexByOperatorId = new Map<string, JobVertex>();
  for (const vertex of jobGraph.vertices) for (const node of vertex.operators) vertexByOperatorId.set(operatorIdOfUid(node.uid), vertex);

  // (1) loadAndValidateCheckpoint: every operator of the snapshot, in order.
  const skippedOperators: OperatorUid[] = [];
  const matched: MatchedOperator[] = [];
  for (const operator of metadata.operators) {
    const operatorId = operatorIdOfUid(operator.operatorUid);
    const vertex = vertexByOperatorId.get(operatorId);
    if (vertex !== undefined) {
      if (configured && operator.maxParallelism !== jobGraph.maxParallelism) return refuse(maxParallelismMismatch(pointer, { operator, operatorId }, jobGraph.maxParallelism));
      matched.push({ operator, operatorId, vertex });
    } else if (operator.subtaskStates.some(hasState)) {
      if (options.ignoreUnclaimedState !== true) return refuse(unclaimedState(pointer, operatorId, operator.operatorUid));
      skippedOperators.push(operator.operatorUid);
    } // else: "Skipping empty savepoint state for operator …"
  }
  // (2) checkParallelismPreconditions: the new parallelism within the state's max parallelism.
  for (const { operator, vertex } of matched) {
    if (operator.maxParallelism < vertex.parallelism) {
      return refuse(
        `The state for task ${vertex.id} can not be restored. The maximum parallelism (${operator.maxParallelism}) of the restored state is lower ` +
          `than the configured parallelism (${vertex.parallelism}). Please reduce the parallelism of the task to be lower or equal to the maximum parallelism.`,
      );
    }
  }
  if (configured || matched.length === 0) return { ok: true, maxParallelism: jobGraph.maxParallelism, skippedOperators };
  // A derived max parallelism gives way to the state's. Flink does this per vertex; a job here has one max
  // parallelism, so the matched operators must agree on it.
  const adopted = matched[0]!.operator.maxParallelism;
  const disagreeing = matched.find(({ operator }) => operator.maxParallelism !== adopted);
  if (disagreeing) return refuse(maxParallelismMismatch(pointer, disagreeing, adopted));
  return { ok: true, maxParallelism: adopted, skippedOperators };
}

interface MatchedOperator {
  readonly operator: OperatorStateMetadata;
  readonly operatorId: string;
  readonly vertex: JobVertex;
}

function maxParallelismMismatch(pointer: string, { operator, operatorId }: Pick<MatchedOperator, 'operator' | 'operatorId'>, jobMaxParallelism: number): string {
  return (
    `Failed to rollback to checkpoint/savepoint ${pointer}. Max parallelism mismatch between checkpoint/savepoint state and new program. ` +
    `Cannot map operator ${operatorId} (uid '${operator.operatorUid}') with max parallelism ${operator.maxParallelism} to new program with ` +
    `max parallelism ${jobMaxParallelism}. This indicates that the program has been changed in a non-compatible way after the checkpoint/savepoint.`
  );
}

function unclaimedState(pointer: string, operatorId: string, operatorUid: OperatorUid): string {
  return (
    `Failed to rollback to checkpoint/savepoint ${pointer}. Cannot map checkpoint/savepoint state for operator ${operatorId} (uid '${operatorUid}') ` +
    'to the new program, because the operator is not available in the new program. If you want to allow to skip this, ' +
    'set execution.state-recovery.ignore-unclaimed-state to true (Flink\'s --allowNonRestoredState).'
  );
}

/** Flink's OperatorSubtaskState.hasState: a keyed handle, or operator state with at least one named state. */
export function hasState(state: OperatorSubtaskState | undefined): boolean {
  if (!state) return false;
  return state.keyed !== null || Object.keys(state.operator?.states ?? {}).length > 0;
}

function refuse(message: string): SavepointRestoreValidation {
  return { ok: false, message };
}
