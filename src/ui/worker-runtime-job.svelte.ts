// The page's job on the Worker runtime: a WorkerSession (the job master on this thread, one Web Worker per
// subtask, checkpoints in the given storage) and the page's timeline and panels over it. Real time cannot
// pause: pausing freezes the picture and the timeline replays the recorded past while the job runs on.
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import type { InMemoryExternalSystems } from '../engine/connectors/external-systems';
import type { CheckpointStorage } from '../engine/ports/checkpoint-storage';
import { faultRefusal } from '../runtime/fault-refusal';
import type { FrameScheduler } from '../runtime/sim/simulation-session';
import type { ScenarioJob, ScenarioJobOptions } from '../runtime/sim/scenario-job';
import { realClock } from '../runtime/worker/real-clock';
import { WorkerSession } from '../runtime/worker/worker-session';
import type { JobView } from './job-view.svelte';
import type { PageFaults } from './page-faults';
import { attachPage, type PageSessionParts } from './page-session';
import type { RuntimeJob } from './runtime-job';
import { SavepointWaiter } from './snapshots/savepoint-waiter';
import { storageBlobReader, type BlobReader } from './snapshots/snapshot-export';
import type { PageFolds } from './timeline/page-folds';
import type { PageTimeline } from './timeline/page-timeline.svelte';

export interface WorkerRuntimeJobOptions {
  readonly jobId: string;
  readonly scenario: ScenarioJobOptions;
  readonly storage: CheckpointStorage;
  /** The IndexedDB database the Workers open; null proxies their storage calls to `storage` here. */
  readonly databaseName: string | null;
  readonly storageLabel: string;
  readonly external?: InMemoryExternalSystems;
  readonly initialCheckpoint?: CheckpointMetadata;
  readonly highestCheckpointIdInStorage?: number;
  readonly seed?: number;
  /** Animation frames for the timeline (default requestAnimationFrame). */
  readonly frames?: FrameScheduler | null;
}

/** Real ms a record or barrier glides along a lane in the picture of the Worker runtime. */
export const WORKER_PICTURE_TRAVEL_MS = 150;
/** The live picture of Workers is drawn this far behind real time: events arrive after the Workers' 50 ms batches and the 100 ms ordering window. */
export const WORKER_PICTURE_DELAY_MS = 300;

export class WorkerRuntimeJob implements RuntimeJob {
  readonly kind = 'worker' as const;
  readonly session: WorkerSession;
  readonly timeline: PageTimeline<PageFolds>;
  readonly view: JobView;
  readonly faults: PageFaults;
  readonly runtimeLabel: string;
  readonly storageLabel: string;
  readonly readBlob: BlobReader;
  readonly #page: PageSessionParts;
  readonly #savepoints: SavepointWaiter;

  /** Builds the job (a snapshot to restore is validated here, and throws); `start()` deploys it. */
  constructor(options: WorkerRuntimeJobOptions) {
    const { storageLabel, frames, ...jobOptions } = options;
    this.storageLabel = storageLabel;
    this.runtimeLabel = `Web Workers (one per subtask, real time, ${options.scenario.mode})`;
    this.session = new WorkerSession(jobOptions);
    const job = this.session.job;
    this.readBlob = storageBlobReader(options.storage);
    this.#savepoints = new SavepointWaiter(() => job.jobMaster);
    this.#page = attachPage(this.session, {
      job: job.job,
      originMs: realClock.now(),
      initialOutput: [...job.output()],
      // Workers hand records on in well under a millisecond: the picture lets each hop glide for a while so it
      // can be seen (a dot may still glide after the receiver took it; the lane's count is the engine's).
      travelMs: WORKER_PICTURE_TRAVEL_MS,
      liveDelayMs: WORKER_PICTURE_DELAY_MS,
      refusalOf: (taskId) => faultRefusal(taskId, job.jobMaster.status, job.jobMaster.taskStates().get(taskId)),
      ...(frames === undefined ? {} : { frames }),
      onRefresh: () => this.#savepoints.check(),
    });
    ({ timeline: this.timeline, view: this.view, faults: this.faults } = this.#page);
  }

  get job(): ScenarioJob {
    return this.session.job.job;
  }

  get jobId(): string {
    return this.session.job.options.jobId;
  }

  start(): void {
    this.session.start();
  }

  stop(): void {
    this.session.close();
    this.#page.close();
    this.#savepoints.cancel('the job was stopped before its savepoint completed');
  }

  triggerSavepoint(): void {
    this.view.notice = this.session.triggerSavepoint().message;
  }

  triggerCheckpoint(): void {
    this.view.notice = this.session.triggerCheckpoint().message;
  }

  takeSavepoint(): Promise<CheckpointMetadata> {
    const { jobMaster } = this.session.job;
    return this.#savepoints.takeSavepoint(() => jobMaster.triggerSavepoint());
  }

  stopWithSavepoint(): Promise<CheckpointMetadata> {
    return this.#savepoints.stopWithSavepoint();
  }

  snapshots(): readonly CheckpointMetadata[] {
    const { store } = this.session.job.jobMaster;
    return [...store.retained(), ...store.savepoints()];
  }
}
