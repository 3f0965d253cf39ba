// Why the job restarted (or failed), in plain words: a fold of engine events that turns each RESTARTING or
// FAILING transition and its Flink failure cause into one sentence, and tells a fault injected on purpose
// (a `fault-injected` event for the failing task or checkpoint) from a failure nobody asked for.
import type { EngineEvent } from '../engine/events';

/** Explanations kept; older ones are dropped (the restart count still says how many there were). */
export const MAX_EXPLANATIONS = 20;

export interface RestartExplanation {
  /** 1 for the first restart or failure of this job, and so on. */
  readonly sequence: number;
  readonly timeMs: number;
  readonly status: 'RESTARTING' | 'FAILING';
  /** True when a fault injected on purpose (from the page or a fault plan) explains it. */
  readonly injected: boolean;
  /** What happened, in plain words: "sum#1 sent no heartbeat for 50 s (heartbeat.timeout)". */
  readonly reason: string;
  /** The failure cause as the job master reported it. */
  readonly cause: string;
  /** The whole notice for the page. */
  readonly sentence: string;
}

export interface ExplanationSettings {
  /** execution.checkpointing.tolerable-failed-checkpoints of the job. */
  readonly tolerableFailedCheckpoints: number;
}

interface CheckpointFailure {
  readonly checkpointId: number;
  readonly reason: string;
  readonly injected: boolean;
}

const TASK_CAUSE = /^(\S+#\d+): ([\s\S]*)$/;
const INJECTED_FAULT = /^(kill|crash|fail-snapshot):(\S+?#\d+)(?:@(\d+))?/;
const CHECKPOINT_THRESHOLD = 'Exceeded checkpoint tolerable failure threshold.';

export class RestartExplainer {
  readonly #explanations: RestartExplanation[] = [];
  /** Tasks a kill or crash was injected into since the job status last changed. */
  readonly #injectedTasks = new Set<string>();
  /** Checkpoints whose upload was made to fail on purpose, since the job status last changed. */
  readonly #injectedCheckpoints = new Set<number>();
  #lastCheckpointFailure: CheckpointFailure | null = null;
  #sequence = 0;

  constructor(private readonly settings: ExplanationSettings) {}

  get explanations(): readonly RestartExplanation[] {
    return this.#explanations;
  }

  record(event: EngineEvent): void {
    switch (event.type) {
      case 'fault-injected': {
        const [, kind, taskId, at] = INJECTED_FAULT.exec(event.fault) ?? [];
        if (kind === 'fail-snapshot') this.#injectedCheckpoints.add(Number(at));
        else if (taskId !== undefined) this.#injectedTasks.add(taskId);
        return;
      }
      case 'checkpoint-aborted':
      case 'checkpoint-expired': {
        const reason = event.type === 'checkpoint-expired' ? 'CHECKPOINT_EXPIRED' : event.reason;
        this.#lastCheckpointFailure = { checkpointId: event.checkpointId, reason, injected: this.#injectedCheckpoints.has(event.checkpointId) };
        return;
      }
      case 'job-status-changed':
        if ((event.status === 'RESTARTING' || event.status === 'FAILING') && event.previous !== event.status) this.explain(event.status, event.cause ?? '', event.time);
        // A fault belongs to the attempt it was injected into; the next attempt starts with a clean slate.
        this.#injectedTasks.clear();
        this.#injectedCheckpoints.clear();
        return;
      default:
    }
  }

  private explain(status: 'RESTARTING' | 'FAILING', cause: string, timeMs: number): void {
    const [, taskId, taskCause] = TASK_CAUSE.exec(cause) ?? [];
    const failure = this.#lastCheckpointFailure;
    const { reason, injected } =
      taskId !== undefined && taskCause !== undefined
        ? { reason: describeTaskFailure(taskId, taskCause), injected: this.#injectedTasks.has(taskId) }
        : cause === CHECKPOINT_THRESHOLD && failure !== null
          ? { reason: this.describeCheckpointFailure(failure), injected: failure.injected }
          : { reason: describeJobFailure(cause), injected: false };
    const sequence = ++this.#sequence;
    const outcome = status === 'RESTARTING' ? 'restarted' : 'failed (its restart strategy allows no more restarts)';
    const sentence = injected
      ? `The job ${outcome} because ${reason}, as injected from this page.`
      : `The job ${outcome} because ${reason}. Nothing was injected: it failed on its own. Flink's failure cause: “${cause}”`;
    this.#explanations.push({ sequence, timeMs, status, injected, reason, cause, sentence });
    if (this.#explanations.length > MAX_EXPLANATIONS) this.#explanations.shift();
  }

  private describeCheckpointFailure(failure: CheckpointFailure): string {
    const tolerable = this.settings.tolerableFailedCheckpoints;
    const allowed = tolerable === 0 ? 'tolerates none' : `tolerates only ${tolerable} in a row`;
    return `checkpoint ${failure.checkpointId} failed (${describeCheckpointReason(failure.reason)}) and execution.checkpointing.tolerable-failed-checkpoints ${allowed}`;
  }
}

const TASK_FAILURES: ReadonlyArray<readonly [RegExp, (taskId: string, match: RegExpExecArray) => string]> = [
  [/timed out: nothing heard for (.+?) \(heartbeat\.timeout\)/, (taskId, [, duration]) => `${taskId} sent no heartbeat for ${duration} (heartbeat.timeout)`],
  [/^Worker terminated \(killed\)|was killed \(worker terminated\)/, (taskId) => `${taskId} was killed (its Worker terminated)`],
  [/^Worker error: ([\s\S]*)/, (taskId, [, message]) => `the Worker of ${taskId} stopped with an uncaught error (${message})`],
  [/^Injected crash in user code/, (taskId) => `the operator of ${taskId} threw an exception`],
  [/^State restore failed: ([\s\S]*)/, (taskId, [, message]) => `${taskId} could not restore its state (${message})`],
];

/** A task's failure cause in plain words; unknown causes are quoted as they are. */
export function describeTaskFailure(taskId: string, cause: string): string {
  for (const [pattern, describe] of TASK_FAILURES) {
    const match = pattern.exec(cause);
    if (match) return describe(taskId, match);
  }
  return `${taskId} failed (${cause})`;
}

function describeJobFailure(cause: string): string {
  const restore = /^Restoring checkpoint (\d+) failed: ([\s\S]*)/.exec(cause);
  if (restore) return `checkpoint ${restore[1]} could not be restored (${restore[2]})`;
  return cause === '' ? 'of a failure with no cause given' : `of a failure (${cause})`;
}

function describeCheckpointReason(reason: string): string {
  switch (reason) {
    case 'CHECKPOINT_ASYNC_EXCEPTION':
      return 'a snapshot upload failed';
    case 'CHECKPOINT_EXPIRED':
      return 'it did not complete within execution.checkpointing.timeout';
    case 'FINALIZE_CHECKPOINT_FAILURE':
      return 'its metadata could not be written';
    default:
      return reason;
  }
}
