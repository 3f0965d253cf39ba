// What the page's panels show of the running job, whichever runtime runs it: the folds at the timeline's
// cursor (src/ui/timeline/page-folds.ts) — status, checkpoint history in Flink's REST shape (the one
// statistics fold), committed output per key and the exactly-once verdict, why it
// restarted, each subtask's state and slowdown — plus the notice of the last user action. No engine
// objects: in a replay the panels show the past like every other view.
import type { CheckpointStatistics, CheckpointingStatistics } from '../engine/checkpoint/checkpoint-stats';
import type { ExecutionState } from '../engine/task/messages';
import type { ScenarioJob } from '../runtime/sim/scenario-job';
import type { JobPanelsView } from './job-view-fold';
import type { RestartExplanation } from './restart-explanations';
import type { PageFolds } from './timeline/page-folds';
import type { PageTimeline } from './timeline/page-timeline.svelte';

export type { OutputRow, Verdict } from './job-view-fold';

export class JobView {
  /** What the last user action did (or why it could not), e.g. "Terminated the Worker of sum#0". */
  notice = $state<string | null>(null);

  /** `originMs`: the clock time shown as 0 (the job's start), so times read as seconds into the run. */
  constructor(
    readonly job: ScenarioJob,
    readonly originMs: number,
    private readonly timeline: PageTimeline<PageFolds>,
  ) {}

  private get panels(): JobPanelsView {
    return this.timeline.views.panels;
  }

  private get statistics(): CheckpointingStatistics {
    return this.timeline.views.checkpoints.source.overview();
  }

  get status(): string {
    return this.panels.status;
  }
  get paused(): boolean {
    return this.timeline.paused;
  }
  get elapsedMs(): number {
    return this.timeline.shownTime - this.originMs;
  }
  get numRestarts(): number {
    return this.panels.numRestarts;
  }
  get taskIds(): readonly string[] {
    return this.panels.taskIds;
  }
  get taskStates(): Readonly<Record<string, ExecutionState>> {
    return this.panels.taskStates;
  }
  get slowdowns(): Readonly<Record<string, number>> {
    return this.panels.slowdowns;
  }
  get retainedIds(): readonly number[] {
    return this.panels.retainedIds;
  }
  get restarts(): readonly RestartExplanation[] {
    return this.panels.restarts;
  }
  get outputByKey(): JobPanelsView['outputByKey'] {
    return this.panels.outputByKey;
  }
  get committedRecords(): number {
    return this.panels.committedRecords;
  }
  get expectedRecords(): number {
    return this.panels.expectedRecords;
  }
  get verdict(): JobPanelsView['verdict'] {
    return this.panels.verdict;
  }
  get history(): readonly CheckpointStatistics[] {
    return this.statistics.history;
  }
  get counts(): CheckpointingStatistics['counts'] {
    return this.statistics.counts;
  }
  get restored(): CheckpointingStatistics['latest']['restored'] {
    return this.statistics.latest.restored;
  }
}
