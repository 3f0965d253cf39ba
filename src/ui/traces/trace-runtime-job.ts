// A recorded trace as the page's job: a TraceSession (every event at once, no clock, every command refused)
// with the page's timeline and panels over it, replayed from its first event. There are no checkpoint files
// behind a trace, so savepoints and snapshot export refuse in the same words as the session.
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import type { EngineEvent } from '../../engine/events';
import type { ScenarioJob } from '../../runtime/sim/scenario-job';
import { TRACE_REFUSAL, TraceSession } from '../../runtime/trace/trace-session';
import type { FrameScheduler } from '../../runtime/sim/simulation-session';
import type { JobView } from '../job-view.svelte';
import { PAGE_NETWORK } from '../live-job.svelte';
import type { PageFaults } from '../page-faults';
import { attachPage, type PageSessionParts } from '../page-session';
import type { BlobReader } from '../snapshots/snapshot-export';
import type { PageFolds } from '../timeline/page-folds';
import type { PageTimeline } from '../timeline/page-timeline.svelte';
import { WORKER_PICTURE_TRAVEL_MS } from '../worker-runtime-job.svelte';

export interface TraceRuntimeJobOptions {
  readonly name: string;
  readonly events: readonly EngineEvent[];
  readonly job: ScenarioJob;
  readonly recordedBy: 'deterministic' | 'worker';
  readonly frames?: FrameScheduler | null;
}

export class TraceRuntimeJob {
  readonly kind = 'trace' as const;
  readonly session: TraceSession;
  readonly timeline: PageTimeline<PageFolds>;
  readonly view: JobView;
  readonly faults: PageFaults;
  readonly job: ScenarioJob;
  readonly name: string;
  readonly runtimeLabel: string;
  readonly storageLabel = 'none: a trace holds events, not checkpoint files';
  readonly #page: PageSessionParts;

  /** Folds every event into the page's views: a trace the views cannot take throws here, before anything changes. */
  constructor(options: TraceRuntimeJobOptions) {
    this.name = options.name;
    this.job = options.job;
    this.session = new TraceSession(options.events, options.recordedBy);
    const recorder = options.recordedBy === 'worker' ? 'Web Workers' : 'the deterministic runtime';
    this.runtimeLabel = `recorded trace ${options.name} (${options.events.length} events from ${recorder}; replay only)`;
    this.#page = attachPage(this.session, {
      job: options.job,
      originMs: options.events[0]?.time ?? 0,
      initialOutput: [],
      refusalOf: () => TRACE_REFUSAL,
      travelMs: options.recordedBy === 'worker' ? WORKER_PICTURE_TRAVEL_MS : PAGE_NETWORK.latencyMs,
      ...(options.frames === undefined ? {} : { frames: options.frames }),
    });
    ({ timeline: this.timeline, view: this.view, faults: this.faults } = this.#page);
  }

  /** Every event this trace holds, as opened. */
  get events(): readonly EngineEvent[] {
    return this.session.events;
  }

  /** Replays from the first event; at the end the picture stays on the trace's last moment. */
  start(): void {
    this.timeline.seek(this.timeline.start);
    this.timeline.play();
  }

  stop(): void {
    this.#page.close();
    this.session.close();
  }

  triggerSavepoint(): void {
    this.view.notice = TRACE_REFUSAL;
  }

  triggerCheckpoint(): void {
    this.view.notice = TRACE_REFUSAL;
  }

  takeSavepoint(): Promise<CheckpointMetadata> {
    return Promise.reject(new Error(TRACE_REFUSAL));
  }

  stopWithSavepoint(): Promise<CheckpointMetadata> {
    return Promise.reject(new Error(TRACE_REFUSAL));
  }

  snapshots(): readonly CheckpointMetadata[] {
    return [];
  }

  readonly readBlob: BlobReader = () => Promise.reject(new Error(TRACE_REFUSAL));
}
