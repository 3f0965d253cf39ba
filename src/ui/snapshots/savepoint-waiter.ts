// "Take a savepoint and download it" and "stop with a savepoint": triggers the savepoint and resolves with its
// metadata once it completed, or rejects with the reason it failed or could not start. Driven by the page's
// refresh (check), so it follows the runtime's own clock: a paused replay waits too.
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import type { JobMaster } from '../../runtime/job-master/job-master';

interface Waiting {
  /** A savepoint taken while the job runs on, or the synchronous one of a stop (Flink's `flink stop`). */
  readonly kind: 'savepoint' | 'stop';
  readonly checkpointId: number;
  readonly resolve: (metadata: CheckpointMetadata) => void;
  readonly reject: (error: Error) => void;
}

export class SavepointWaiter {
  readonly #waiting: Waiting[] = [];

  constructor(private readonly jobMaster: () => JobMaster) {}

  /**
   * `trigger` returns the triggered savepoint's id, or null when it could not start (the statistics, a fold of
   * the event stream, may show it only a moment later).
   */
  takeSavepoint(trigger: () => number | null): Promise<CheckpointMetadata> {
    const started = trigger();
    if (started === null) return Promise.reject(new Error('the savepoint was not triggered: not every subtask is RUNNING (Flink skips it too)'));
    return this.wait('savepoint', started);
  }

  /** Stops the job with a savepoint; resolves when the savepoint completed (the job then finishes). */
  stopWithSavepoint(): Promise<CheckpointMetadata> {
    this.jobMaster().stopWithSavepoint();
    const progress = this.jobMaster().stopWithSavepointProgress();
    if (progress === null) return Promise.reject(new Error('the job did not start to stop'));
    if (progress.status === 'FAILED') return Promise.reject(new Error(progress.reason));
    if (progress.status === 'COMPLETED') return Promise.resolve(progress.savepoint);
    return this.wait('stop', progress.checkpointId);
  }

  get pending(): boolean {
    return this.#waiting.length > 0;
  }

  /** Called on every refresh of the page. */
  check(): void {
    for (const waiting of [...this.#waiting]) {
      const outcome = waiting.kind === 'stop' ? this.stopOutcome() : this.savepointOutcome(waiting.checkpointId);
      if (outcome === null) continue;
      this.#waiting.splice(this.#waiting.indexOf(waiting), 1);
      if ('metadata' in outcome) waiting.resolve(outcome.metadata);
      else waiting.reject(new Error(`savepoint ${waiting.checkpointId} failed: ${outcome.failure}`));
    }
  }

  /** The job stopped: nothing pending will complete. */
  cancel(reason: string): void {
    for (const waiting of this.#waiting.splice(0)) waiting.reject(new Error(reason));
  }

  private wait(kind: Waiting['kind'], checkpointId: number): Promise<CheckpointMetadata> {
    return new Promise((resolve, reject) => this.#waiting.push({ kind, checkpointId, resolve, reject }));
  }

  private savepointOutcome(checkpointId: number): { metadata: CheckpointMetadata } | { failure: string } | null {
    const jobMaster = this.jobMaster();
    const completed = jobMaster.store.savepoints().find((metadata) => metadata.checkpointId === checkpointId);
    if (completed) return { metadata: completed };
    const failed = jobMaster.stats.statistics().history.find((checkpoint) => checkpoint.id === checkpointId && checkpoint.status === 'FAILED');
    return failed ? { failure: failed.failure_message ?? 'no reason given' } : null;
  }

  private stopOutcome(): { metadata: CheckpointMetadata } | { failure: string } | null {
    const progress = this.jobMaster().stopWithSavepointProgress();
    if (progress?.status === 'COMPLETED') return { metadata: progress.savepoint };
    if (progress?.status === 'FAILED') return { failure: progress.reason };
    return null;
  }
}
