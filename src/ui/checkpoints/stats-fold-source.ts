// This page's run as a CheckpointsSource: the CheckpointStatsFold over its events answers Flink's four
// checkpoint endpoints; the config and the vertices are the run's. Live: each call reads the fold as it is now.
import type { CheckpointStatsFold } from '../../engine/checkpoint/checkpoint-stats-fold';
import type { CheckpointConfigInfo } from '../../engine/config/checkpoint-config-info';
import type { CheckpointsSource, CheckpointsVertex, VertexCheckpointDetails } from './checkpoints-source';

export function statsFoldSource(
  fold: CheckpointStatsFold,
  config: CheckpointConfigInfo | null,
  vertices: readonly CheckpointsVertex[],
  label = "this page's run",
): CheckpointsSource {
  return {
    label,
    overview: () => fold.statistics(),
    config: () => config,
    details: (checkpointId) => fold.details(checkpointId),
    // The tracker builds exactly TaskCheckpointStatisticsWithSubtaskDetails.Summary; its declared type is looser.
    subtaskDetails: (checkpointId, vertexId) => fold.subtaskDetails(checkpointId, vertexId) as VertexCheckpointDetails | null,
    vertices: () => vertices,
  };
}
