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
import type { RuntimeJob } from './runtime-job';

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
  readonly runtimeLabel = 'Web Workers (one per subtask, real time)';
  readonly storageLabel: string;
  readonly #job: WorkerJob;
  #frame = 0;
  #unsubscribe: (() => void) | null = null;

  constructor(options: WorkerRuntimeJobOptions) {
    const { storageLabel, ...jobOptions } = options;
    this.storageLabel = storageLabel;
    this.#job = new WorkerJob(jobOptions);
    this.view = new JobView(this.#job.job, realClock.now());
  }

  get jobId(): string {
    return this.#job.options.jobId;
  }

  start(): void {
    this.#unsubscribe = this.#job.events.subscribe((events) => this.view.record(events));
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
  }

  kill(taskId: string): void {
    const killed = this.#job.kill(taskId);
    this.view.notice = killed
      ? `Terminated the Worker of ${taskId}.`
      : `${taskId} has no Worker right now (job ${this.#job.jobMaster.status}); nothing to kill.`;
  }

  crash(taskId: string): void {
    if (!this.#job.cluster.taskIds().includes(taskId)) {
      this.view.notice = `${taskId} has no Worker right now (job ${this.#job.jobMaster.status}); nothing to crash.`;
      return;
    }
    this.#job.crash(taskId, 'thrown from the page');
    this.view.notice = `Crashed ${taskId}: its operator threw inside its Worker.`;
  }

  failNextSnapshot(taskId: string): void {
    this.view.notice = this.#job.failNextSnapshot(taskId)
      ? `The next snapshot upload of ${taskId} will fail.`
      : `${taskId} has no Worker right now (job ${this.#job.jobMaster.status}); nothing to fail.`;
  }

  slow(taskId: string, factor: number): void {
    this.view.notice = this.#job.slow(taskId, factor)
      ? factor > 1
        ? `${taskId} now runs ${factor}× slower: watch backpressure and alignment grow.`
        : `${taskId} runs at normal speed again.`
      : `${taskId} has no Worker right now (job ${this.#job.jobMaster.status}); nothing to slow.`;
  }

  triggerSavepoint(): void {
    this.#job.jobMaster.triggerSavepoint();
    this.view.notice = 'Savepoint triggered.';
  }

  private refresh(): void {
    this.view.refresh({ jobMaster: this.#job.jobMaster, nowMs: realClock.now(), output: this.#job.output() });
  }
}
