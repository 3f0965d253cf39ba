// Loaded parts of one job → a CheckpointsSource. Without an overview file the overview is computed from
// the details files (counts, latest, summary over the completed ones); without a job file the vertices are
// the details' vertex ids, named by their ids. Answers only what was loaded: anything else is null.
import { summarize, type CheckpointStatistics, type CheckpointingStatistics } from '../../engine/checkpoint/checkpoint-stats';
import type { CheckpointConfigInfo } from '../../engine/config/checkpoint-config-info';
import { subtasksKey } from './checkpoints-bundle';
import type { CheckpointsSource, CheckpointsVertex, VertexCheckpointDetails } from './checkpoints-source';

export interface LoadedParts {
  readonly overview: CheckpointingStatistics | null;
  readonly config: CheckpointConfigInfo | null;
  readonly details: ReadonlyMap<number, CheckpointStatistics>;
  /** Keyed `subtasksKey(checkpointId, vertexId)`. */
  readonly subtasks: ReadonlyMap<string, VertexCheckpointDetails>;
  readonly vertices: readonly CheckpointsVertex[] | null;
}

export function partsSource(parts: LoadedParts, label: string): CheckpointsSource {
  const overview = parts.overview ?? overviewOfDetails([...parts.details.values()]);
  const vertices = parts.vertices ?? verticesOfDetails(parts);
  return {
    label,
    overview: () => overview,
    config: () => parts.config,
    details: (checkpointId) => parts.details.get(checkpointId) ?? null,
    subtaskDetails: (checkpointId, vertexId) => parts.subtasks.get(subtasksKey(checkpointId, vertexId)) ?? null,
    vertices: () => vertices,
  };
}

/** What `GET /jobs/:jobid/checkpoints` would have said about these checkpoints alone (history newest first, as Flink's). */
export function overviewOfDetails(details: readonly CheckpointStatistics[]): CheckpointingStatistics {
  const history = [...details].sort((a, b) => b.id - a.id);
  const completed = history.filter((entry) => entry.status === 'COMPLETED');
  const of = (pick: (entry: CheckpointStatistics) => number) => summarize(completed.map(pick));
  return {
    counts: {
      restored: 0,
      total: history.length,
      in_progress: history.filter((entry) => entry.status === 'IN_PROGRESS').length,
      completed: completed.length,
      failed: history.filter((entry) => entry.status === 'FAILED').length,
    },
    summary: {
      checkpointed_size: of((entry) => entry.checkpointed_size),
      state_size: of((entry) => entry.state_size),
      end_to_end_duration: of((entry) => entry.end_to_end_duration),
      alignment_buffered: of((entry) => entry.alignment_buffered),
      processed_data: of((entry) => entry.processed_data),
      persisted_data: of((entry) => entry.persisted_data),
    },
    latest: {
      completed: completed.find((entry) => !entry.is_savepoint) ?? null,
      savepoint: completed.find((entry) => entry.is_savepoint) ?? null,
      failed: history.find((entry) => entry.status === 'FAILED') ?? null,
      restored: null,
    },
    history,
  };
}

/** The vertex ids the details and subtask files name, in order of first appearance, with their subtask counts. */
function verticesOfDetails(parts: LoadedParts): CheckpointsVertex[] {
  const vertices = new Map<string, CheckpointsVertex>();
  for (const details of [...parts.details.values()].sort((a, b) => a.id - b.id)) {
    for (const [id, task] of Object.entries(details.tasks)) if (!vertices.has(id)) vertices.set(id, { id, name: id, parallelism: task.num_subtasks });
  }
  for (const [key, perSubtask] of parts.subtasks) {
    const id = key.slice(key.indexOf('/') + 1);
    if (!vertices.has(id)) vertices.set(id, { id, name: id, parallelism: perSubtask.subtasks.length });
  }
  return [...vertices.values()];
}
