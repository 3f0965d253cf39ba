// Barrierscope's export of a job's checkpoint statistics: every endpoint of a CheckpointsSource in one
// JSON object, each part shaped exactly as Flink's REST API serves it, so the importer reads it with the
// same schemas as files saved from a cluster. Pure: the same source gives the same bundle. See docs/flink-rest.md.
import type { CheckpointStatistics, CheckpointingStatistics } from '../../engine/checkpoint/checkpoint-stats';
import type { CheckpointConfigInfo } from '../../engine/config/checkpoint-config-info';
import type { CheckpointsSource, CheckpointsVertex, VertexCheckpointDetails } from './checkpoints-source';

export const CHECKPOINTS_BUNDLE_FORMAT = 'barrierscope-checkpoints';
export const CHECKPOINTS_BUNDLE_VERSION = 1;

export interface CheckpointsBundle {
  readonly format: typeof CHECKPOINTS_BUNDLE_FORMAT;
  readonly version: typeof CHECKPOINTS_BUNDLE_VERSION;
  /** The source's label, for the tab's heading after a reload. */
  readonly label: string;
  /** `GET /jobs/:jobid/checkpoints` */
  readonly checkpoints: CheckpointingStatistics;
  /** `GET /jobs/:jobid/checkpoints/config`, or null when the source does not know it. */
  readonly config: CheckpointConfigInfo | null;
  /** `GET /jobs/:jobid/checkpoints/details/:checkpointid`, keyed by the checkpoint id. */
  readonly details: Readonly<Record<string, CheckpointStatistics>>;
  /** `GET …/details/:checkpointid/subtasks/:vertexid`, keyed `"<checkpointid>/<vertexid>"`. */
  readonly subtasks: Readonly<Record<string, VertexCheckpointDetails>>;
  /** The part of `GET /jobs/:jobid` that names the vertices (topological order). */
  readonly job: { readonly jid?: string; readonly name?: string; readonly vertices: readonly CheckpointsVertex[] };
}

export function subtasksKey(checkpointId: number, vertexId: string): string {
  return `${checkpointId}/${vertexId}`;
}

/** Every checkpoint the source names: the history and the latest ones (a latest one may have left the history). */
function checkpointIds(overview: CheckpointingStatistics): number[] {
  const { completed, savepoint, failed } = overview.latest;
  const ids = [...overview.history, completed, savepoint, failed].flatMap((entry) => (entry ? [entry.id] : []));
  return [...new Set(ids)].sort((a, b) => a - b);
}

/** The bundle of any source; JSON.stringify writes a "not reported" NaN as null, which the importer reads back as NaN. */
export function checkpointsBundle(source: CheckpointsSource, job: { readonly jid?: string; readonly name?: string } = {}): CheckpointsBundle {
  const overview = source.overview();
  const vertices = source.vertices();
  const details: Record<string, CheckpointStatistics> = {};
  const subtasks: Record<string, VertexCheckpointDetails> = {};
  for (const id of checkpointIds(overview)) {
    const entry = source.details(id);
    if (entry) details[String(id)] = entry;
    const vertexIds = new Set([...vertices.map((vertex) => vertex.id), ...Object.keys(entry?.tasks ?? {})]);
    for (const vertexId of vertexIds) {
      const perSubtask = source.subtaskDetails(id, vertexId);
      if (perSubtask) subtasks[subtasksKey(id, vertexId)] = perSubtask;
    }
  }
  return {
    format: CHECKPOINTS_BUNDLE_FORMAT,
    version: CHECKPOINTS_BUNDLE_VERSION,
    label: source.label,
    checkpoints: overview,
    config: source.config(),
    details,
    subtasks,
    job: { ...job, vertices: vertices.map((vertex) => ({ id: vertex.id, name: vertex.name, parallelism: vertex.parallelism })) },
  };
}
