// What both runtimes' page jobs build around their session: the timeline over the page's folds, the
// panels' view on it, and fault injection that reports on the view and follows the session's events.
import type { JobSession } from '../runtime/job-session';
import type { FrameScheduler } from '../runtime/sim/simulation-session';
import type { ScenarioJob } from '../runtime/sim/scenario-job';
import { JobView } from './job-view.svelte';
import { PageFaults } from './page-faults';
import { pageFolds, type PageFolds } from './timeline/page-folds';
import { PageTimeline } from './timeline/page-timeline.svelte';

export interface PageSessionParts {
  readonly timeline: PageTimeline<PageFolds>;
  readonly view: JobView;
  readonly faults: PageFaults;
  /** Releases the timeline and the listeners (the session is closed by its owner). */
  close(): void;
}

export interface PageSessionOptions {
  readonly job: ScenarioJob;
  /** The clock time shown as 0. */
  readonly originMs: number;
  /** What the sink's external system held when the run began. */
  readonly initialOutput: readonly unknown[];
  /** Why a fault cannot be injected now, as the runtime knows it. */
  readonly refusalOf: (taskId: string) => string | null;
  readonly frames?: FrameScheduler | null;
  readonly onRefresh?: () => void;
  /** The job graph's travel time for a hop (clock ms). */
  readonly travelMs?: number;
  /** How far behind the session's now the live picture is drawn (clock ms). */
  readonly liveDelayMs?: number;
}

export function attachPage(session: JobSession, options: PageSessionOptions): PageSessionParts {
  const timeline = new PageTimeline(session, pageFolds(options.job, options.initialOutput, options.travelMs === undefined ? {} : { travelMs: options.travelMs }), {
    ...(options.frames === undefined ? {} : { frames: options.frames }),
    ...(options.onRefresh ? { onRefresh: options.onRefresh } : {}),
    ...(options.liveDelayMs === undefined ? {} : { liveDelayMs: options.liveDelayMs }),
    // What moves between events is the job graph (dots, barriers, snapshot arcs); the rest changes with events.
    everyFrame: ['graph'],
  });
  const view = new JobView(options.job, options.originMs, timeline);
  const faults = new PageFaults(session, (notice) => (view.notice = notice), options.refusalOf);
  const unsubscribe = session.subscribeEvents((events) => faults.record(events));
  return {
    timeline,
    view,
    faults,
    close: () => {
      unsubscribe();
      timeline.close();
    },
  };
}
