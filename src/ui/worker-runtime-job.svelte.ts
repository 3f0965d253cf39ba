// The page's job on the Worker runtime: the job master on this thread, one Web Worker per subtask,
// checkpoints in the given storage. Real time cannot pause, so there is no pause or step here; the
// view is refreshed once per animation frame from the job master, the output and the ordered event stream.
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import type { InMemoryExternalSystems } from '../engine/connectors/external-systems';
import type { CheckpointStorage } from '../engine/ports/checkpoint-storage';
import type { ScenarioJobOptions } from '../runtime/sim/scenario-job';
import { realClock } from '../runtime/worker/real-clock';
import { WorkerJob } from '../runtime/worker/worker-job';
import { JobView } from './job-view.svelte';
import { PageFaults } from './page-faults';
import type { RuntimeJob } from './runtime-job';
import { SavepointWaiter } from './snapshots/savepoint-waiter';
import { storageBlobReader, type BlobReader } from './snapshots/snapshot-export';
import type { ScenarioJob } from '../runtime/sim/scenario-job';

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
}

export class WorkerRuntimeJob implements RuntimeJob {
  readonly kind = 'worker' as const;
  readonly view: JobView;
  readonly faults: PageFaults;
  readonly runtimeLabel = 'Web Workers (one per subtask, real time)';
  readonly storageLabel: string;
  readonly readBlob: BlobReader;
  readonly #job: WorkerJob;
  readonly #savepoints: SavepointWaiter;
  #frame = 0;
  #unsubscribe: (() => void) | null = null;

  constructor(options: WorkerRuntimeJobOptions) {
    const { storageLabel, ...jobOptions } = options;
    this.storageLabel = storageLabel;
    this.#job = new WorkerJob(jobOptions);
    this.readBlob = storageBlobReader(options.storage);
    this.#savepoints = new SavepointWaiter(() => this.#job.jobMaster);
    this.view = new JobView(this.#job.job, realClock.now());
    const job = this.#job;
    this.faults = new PageFaults(
      {
        kind: this.kind,
        jobStatus: () => job.jobMaster.status,
        taskState: (taskId) => job.jobMaster.taskStates().get(taskId),
        kill: (taskId) => job.kill(taskId),
        crash: (taskId) => job.crash(taskId, 'thrown from the page'),
        failNextUpload: (taskId) => job.failNextSnapshot(taskId),
        slow: (taskId, factor) => job.slow(taskId, factor),
        slowdownOf: (taskId) => job.slowdownOf(taskId),
      },
      (notice) => (this.view.notice = notice),
    );
  }

  get job(): ScenarioJob {
    return this.#job.job;
  }

  get jobId(): string {
    return this.#job.options.jobId;
  }

  start(): void {
    this.#unsubscribe = this.#job.events.subscribe((events) => {
      this.view.record(events);
      this.faults.record(events);
    });
    this.#job.start();
    const tick = () => {
      this.refresh();
      this.#frame = requestAnimationFrame(tick);
    };
    tick();
  }

  stop(): void {
    cancelAnimationFrame(this.#frame);
    this.#unsubscribe?.();
    this.#job.stop();
    this.#savepoints.cancel('the job was stopped before its savepoint completed');
  }

  triggerSavepoint(): void {
    this.#job.jobMaster.triggerSavepoint();
    this.view.notice = 'Savepoint triggered.';
  }

  takeSavepoint(): Promise<CheckpointMetadata> {
    return this.#savepoints.takeSavepoint(() => this.#job.jobMaster.triggerSavepoint());
  }

  stopWithSavepoint(): Promise<CheckpointMetadata> {
    return this.#savepoints.stopWithSavepoint();
  }

  snapshots(): readonly CheckpointMetadata[] {
    const { store } = this.#job.jobMaster;
    return [...store.retained(), ...store.savepoints()];
  }

  private refresh(): void {
    const job = this.#job;
    this.view.refresh({ jobMaster: job.jobMaster, nowMs: realClock.now(), output: job.output(), slowdownOf: (taskId) => job.slowdownOf(taskId) });
    this.#savepoints.check();
  }
}
