// What the Checkpoints tab draws: one job's checkpoint statistics as Flink's REST API serves them —
// `GET /jobs/:jobid/checkpoints`, `.../checkpoints/config`, `.../checkpoints/details/:checkpointid` and
// `.../checkpoints/details/:checkpointid/subtasks/:vertexid` (field names as flink-runtime-web reads them).
// Two kinds of source implement it: this page's own run (a CheckpointStatsFold over its events) and a real
// Flink job (files saved from those endpoints, or a cluster polled over HTTP). The views never know which.
import type { CheckpointingStatistics, CheckpointStatistics, StatsSummary, SubtaskCheckpointStatistics, TaskCheckpointStatistics } from '../../engine/checkpoint/checkpoint-stats';
import type { CheckpointConfigInfo } from '../../engine/config/checkpoint-config-info';

/** Flink's TaskCheckpointStatisticsWithSubtaskDetails.Summary. */
export interface SubtaskDetailsSummary {
  readonly checkpointed_size: StatsSummary;
  readonly state_size: StatsSummary;
  readonly end_to_end_duration: StatsSummary;
  readonly checkpoint_duration: { readonly sync: StatsSummary; readonly async: StatsSummary };
  readonly alignment: { readonly buffered: StatsSummary; readonly processed: StatsSummary; readonly persisted: StatsSummary; readonly duration: StatsSummary };
  readonly start_delay: StatsSummary;
}

/** Flink's TaskCheckpointStatisticsWithSubtaskDetails: one vertex of one checkpoint, per subtask. */
export interface VertexCheckpointDetails extends Partial<TaskCheckpointStatistics> {
  readonly summary: SubtaskDetailsSummary;
  readonly subtasks: readonly SubtaskCheckpointStatistics[];
}

/** A job vertex as the tab names it (Flink's job graph: `GET /jobs/:jobid` → `vertices[]`). */
export interface CheckpointsVertex {
  readonly id: string;
  readonly name: string;
  readonly parallelism: number;
}

export interface CheckpointsSource {
  /** Where the numbers come from, for the tab's heading ("this page's run", "Flink job 5e2a… (files)"). */
  readonly label: string;
  /** `GET /jobs/:jobid/checkpoints` */
  overview(): CheckpointingStatistics;
  /** `GET /jobs/:jobid/checkpoints/config`; null when unknown (not loaded). */
  config(): CheckpointConfigInfo | null;
  /** `GET /jobs/:jobid/checkpoints/details/:checkpointid`; null when unknown (not kept, not loaded). */
  details(checkpointId: number): CheckpointStatistics | null;
  /** `GET /jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid`; null when unknown. */
  subtaskDetails(checkpointId: number, vertexId: string): VertexCheckpointDetails | null;
  /** The job's vertices in topological order, with their names; vertex ids of `details().tasks` when names are unknown. */
  vertices(): readonly CheckpointsVertex[];
}
