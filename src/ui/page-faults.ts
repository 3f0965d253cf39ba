// Fault injection from the page, whichever runtime runs the job: a fault applies only to a RUNNING subtask
// of a RUNNING job, and every press says what it did or why not. The runtime is the one source of truth for
// what is in effect (a slowdown), and an upload failure asked for stays announced only until it happened,
// or until the attempt it was set in ended without it.
import type { EngineEvent } from '../engine/events';
import type { ExecutionState } from '../engine/task/messages';
import type { RuntimeKind } from './page-parameters';

/** How much slower "Slow" makes a subtask. */
export const SLOWDOWN = 10;

/** What a runtime offers the page's fault controls; each injection answers whether it could apply. */
export interface FaultRuntime {
  readonly kind: RuntimeKind;
  jobStatus(): string;
  taskState(taskId: string): ExecutionState | undefined;
  kill(taskId: string): boolean;
  crash(taskId: string): boolean;
  failNextUpload(taskId: string): boolean;
  slow(taskId: string, factor: number): boolean;
  /** The slowdown in effect (1 = normal speed). */
  slowdownOf(taskId: string): number;
}

/** Why a fault cannot be injected into `taskId` now, in words, or null when it can. */
export function faultRefusal(taskId: string, jobStatus: string, taskState: ExecutionState | undefined): string | null {
  if (jobStatus !== 'RUNNING') return `The job is ${jobStatus}, so ${taskId} is not running; faults can be injected once it is RUNNING again.`;
  if (taskState === undefined) return `There is no subtask ${taskId} in this job.`;
  if (taskState !== 'RUNNING') return `${taskId} is ${taskState}; faults can be injected once it is RUNNING.`;
  return null;
}

const INJECTED_UPLOAD_FAILURE = /^fail-snapshot:(\S+#\d+)@(\d+)/;

export class PageFaults {
  /** Subtasks whose next snapshot upload was asked to fail and has not yet. */
  readonly #pendingUploadFailures = new Set<string>();

  constructor(
    private readonly runtime: FaultRuntime,
    private readonly say: (notice: string) => void,
  ) {}

  refusal(taskId: string): string | null {
    return faultRefusal(taskId, this.runtime.jobStatus(), this.runtime.taskState(taskId));
  }

  kill(taskId: string): void {
    this.inject(taskId, () => this.runtime.kill(taskId), this.runtime.kind === 'worker' ? `Terminated the Worker of ${taskId}.` : `Killed ${taskId}.`);
  }

  crash(taskId: string): void {
    const where = this.runtime.kind === 'worker' ? ' inside its Worker' : '';
    this.inject(taskId, () => this.runtime.crash(taskId), `Crashed ${taskId}: its operator threw${where}.`);
  }

  failNextUpload(taskId: string): void {
    if (this.#pendingUploadFailures.has(taskId)) return this.say(`The next snapshot upload of ${taskId} is already set to fail.`);
    if (this.inject(taskId, () => this.runtime.failNextUpload(taskId), `The next snapshot upload of ${taskId} will fail.`)) {
      this.#pendingUploadFailures.add(taskId);
    }
  }

  /** Slows the subtask ×SLOWDOWN, or back to normal speed when the runtime says it is slowed. */
  toggleSlow(taskId: string): void {
    const slowed = this.runtime.slowdownOf(taskId) > 1;
    const factor = slowed ? 1 : SLOWDOWN;
    const notice = slowed ? `${taskId} runs at normal speed again.` : `${taskId} now runs ${SLOWDOWN}× slower: watch backpressure and alignment grow.`;
    this.inject(taskId, () => this.runtime.slow(taskId, factor), notice);
  }

  /** Events of the job, in order: an asked-for upload failure is announced once it happens, or once it cannot. */
  record(events: readonly EngineEvent[]): void {
    for (const event of events) {
      if (event.type === 'fault-injected') {
        const [, taskId, checkpointId] = INJECTED_UPLOAD_FAILURE.exec(event.fault) ?? [];
        if (taskId === undefined || !this.#pendingUploadFailures.delete(taskId)) continue;
        this.say(`The snapshot upload of ${taskId} for checkpoint ${checkpointId} failed, as injected: ${taskId} declined the checkpoint.`);
      } else if (event.type === 'job-status-changed' && event.previous === 'RUNNING' && this.#pendingUploadFailures.size > 0) {
        const tasks = [...this.#pendingUploadFailures].join(', ');
        this.#pendingUploadFailures.clear();
        this.say(`The upload failure injected into ${tasks} was dropped: the job went ${event.status} before ${tasks} took another snapshot.`);
      }
    }
  }

  private inject(taskId: string, apply: () => boolean, done: string): boolean {
    const refusal = this.refusal(taskId);
    if (refusal !== null) {
      this.say(refusal);
      return false;
    }
    const applied = apply();
    this.say(applied ? done : `${taskId} has no running task right now (job ${this.runtime.jobStatus()}); nothing was injected.`);
    return applied;
  }
}
