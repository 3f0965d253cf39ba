// The source offsets a completed checkpoint stores: for every operator whose operator state holds the
// replayable source's partition offsets (replayable-source.ts, OFFSETS_STATE_NAME), partition → the
// next offset to read after a restore. What `checkpoint-completed` carries as `sourceOffsets`.
import type { OperatorUid } from '../ids';
import { OFFSETS_STATE_NAME } from '../connectors/replayable-source';
import { sourceOffsetsOf } from '../format/inspect-operator-state';
import type { CheckpointMetadata } from './checkpoint-metadata';

export type CheckpointSourceOffsets = Readonly<Record<OperatorUid, Readonly<Record<string, number>>>>;

export function sourceOffsetsInCheckpoint(metadata: CheckpointMetadata): CheckpointSourceOffsets {
  const result: Record<OperatorUid, Record<string, number>> = {};
  for (const operator of metadata.operators) {
    for (const subtask of operator.subtaskStates) {
      const state = subtask?.operator ?? null;
      if (!state || !Object.hasOwn(state.states, OFFSETS_STATE_NAME)) continue;
      const offsets = (result[operator.operatorUid] ??= {});
      for (const { partition, offset } of sourceOffsetsOf(state)) offsets[String(partition)] = offset;
    }
  }
  return result;
}
