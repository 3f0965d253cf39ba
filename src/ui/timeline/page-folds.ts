// The folds the page keeps at the timeline's cursor, one per view: the lead's App mounts each view with
// `job.timeline.views.<name>`. Built from the job as configured (graph, configuration, expectations)
// and the output the sink's external system held when the run began; nothing else.
import { checkpointConfigInfo } from '../../engine/config/checkpoint-config-info';
import { CheckpointsTabFold } from '../checkpoints/checkpoints-tab-fold';
import { SpaceTimeFold } from '../spacetime/space-time-fold';
import { StateInspectorFold } from '../inspector/state-inspector-fold';
import type { ScenarioJob } from '../../runtime/sim/scenario-job';
import { JobGraphFold } from '../graph/job-graph-fold';
import { JobPanelsFold } from '../job-view-fold';
import { CoordinatorStatesFold, JobLifecycleStatesFold } from '../views/machine-states';
import { NarrationFold } from '../views/narration';
import { OutputLedgerFold } from '../views/output-ledger';
import { SnapshotShelfFold } from '../views/snapshot-shelf';
import { SourceLogsFold } from '../views/source-logs';

export interface PageFoldOptions {
  /** How long a record or barrier takes along a lane in the picture (clock ms; the runtime's network latency, or longer to be seen). */
  readonly travelMs?: number;
}

export function pageFolds(job: ScenarioJob, initialOutput: readonly unknown[] = [], options: PageFoldOptions = {}) {
  const { checkpointing } = job.configuration;
  const config = checkpointConfigInfo(job.configuration);
  const vertices = job.jobGraph.vertices.map((vertex) => ({ id: vertex.id, name: vertex.name, parallelism: vertex.parallelism }));
  return {
    /** Status, subtasks, restarts, retained ids, recent events, committed output (JobControls, CommittedOutput…). */
    panels: () => new JobPanelsFold(job, initialOutput),
    /** Flink's checkpoint REST views from the one statistics fold (the Checkpoints tab, CheckpointHistory). */
    checkpoints: () => new CheckpointsTabFold(config, vertices),
    /** Lanes over time: barriers, local snapshots, each checkpoint's consistent cut, restarts and restores. */
    spaceTime: () => new SpaceTimeFold(),
    /** Per keyed subtask: its key groups, sampled keys and values by epoch, what a restore rolled back. */
    inspector: () => new StateInspectorFold(),
    graph: () => new JobGraphFold(options.travelMs === undefined ? {} : { travelMs: options.travelMs }),
    shelf: () => new SnapshotShelfFold(),
    narration: () => new NarrationFold(),
    sources: () => new SourceLogsFold(),
    ledger: () => new OutputLedgerFold(job.scenario.ledger(job.parameters), { initialOutput }),
    lifecycle: () => new JobLifecycleStatesFold(),
    coordinator: () => new CoordinatorStatesFold({ intervalMs: checkpointing.intervalMs, maxConcurrentCheckpoints: checkpointing.maxConcurrentCheckpoints }),
  };
}

export type PageFolds = ReturnType<typeof pageFolds>;
