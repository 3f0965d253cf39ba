// The page's Checkpoints tab as a view model: the one CheckpointStatsFold over the run's events (the job
// master's REST view, the CLI's checkpoints.json and this tab read the same fold), exposed as a
// CheckpointsSource. The view is replaced only when an event reached the statistics, so the tab redraws
// only then (`revision` tells the components the source's numbers changed).
import { CheckpointStatsFold } from '../../engine/checkpoint/checkpoint-stats-fold';
import type { CheckpointConfigInfo } from '../../engine/config/checkpoint-config-info';
import type { EngineEvent } from '../../engine/events';
import type { EventFold } from '../model/event-fold';
import type { CheckpointsSource, CheckpointsVertex } from './checkpoints-source';
import { statsFoldSource } from './stats-fold-source';

export interface CheckpointsTabView {
  readonly source: CheckpointsSource;
  /** Bumped with every event that changed the statistics. */
  readonly revision: number;
}

/** The events CheckpointStatsFold reads; any other leaves the statistics as they were. */
const STATISTICS_EVENTS = new Set<EngineEvent['type']>([
  'job-deployed',
  'checkpoint-triggered',
  'checkpoint-acknowledged',
  'checkpoint-completed',
  'checkpoint-aborted',
  'checkpoint-expired',
  'checkpoint-discarded',
]);

export class CheckpointsTabFold implements EventFold<CheckpointsTabView> {
  readonly #fold = new CheckpointStatsFold();
  #view: CheckpointsTabView;

  constructor(config: CheckpointConfigInfo | null, vertices: readonly CheckpointsVertex[]) {
    this.#view = { source: statsFoldSource(this.#fold, config, vertices), revision: 0 };
  }

  apply(event: EngineEvent): void {
    if (!STATISTICS_EVENTS.has(event.type)) return;
    this.#fold.apply(event);
    this.#view = { source: this.#view.source, revision: this.#view.revision + 1 };
  }

  view(): CheckpointsTabView {
    return this.#view;
  }
}
