// The Worker runtime as a JobSession (issue 7): the job master on this thread, one Web Worker per subtask,
// events in the ordered stream's order (ordered-event-stream.ts), every task's sample every
// WORKER_SAMPLE_PERIOD_MS and on demand. Real time cannot pause, so there are no time controls: the page's
// timeline replays what was recorded while the job runs on.
import type { EngineEvent } from '../../engine/events';
import { parseChannelId, type ChannelId, type TaskId } from '../../engine/ids';
import type { TaskSample } from '../../engine/samples';
import { channelDelayRefusal, faultRefusal } from '../fault-refusal';
import type { CommandResult, JobSession, Unsubscribe } from '../job-session';
import { ok, refused, SessionHub } from '../session-hub';
import { realClock } from './real-clock';
import { WorkerJob, type WorkerJobOptions } from './worker-job';

export const WORKER_SAMPLE_PERIOD_MS = 250;

export interface WorkerSessionOptions {
  readonly samplePeriodMs?: number;
}

export class WorkerSession implements JobSession {
  readonly runtime = 'worker' as const;
  readonly time = null;
  /** The job itself, for the runtime's side of the page only (checkpoint storage, committed output). */
  readonly job: WorkerJob;
  readonly #hub = new SessionHub();
  readonly #samplePeriodMs: number;
  #sampling: ReturnType<typeof setInterval> | null = null;
  #unsubscribe: (() => void) | null = null;
  #closed = false;

  /** Builds the job (validating a snapshot to restore, which throws); `start()` deploys it. */
  constructor(options: Omit<WorkerJobOptions, 'onSample'>, sessionOptions: WorkerSessionOptions = {}) {
    this.#samplePeriodMs = sessionOptions.samplePeriodMs ?? WORKER_SAMPLE_PERIOD_MS;
    this.job = new WorkerJob({ ...options, onSample: (sample) => this.#hub.samples([sample]) });
    this.#unsubscribe = this.job.events.subscribe((events) => this.#hub.events(events));
  }

  start(): void {
    this.job.start();
    this.#sampling = setInterval(() => this.requestSamples(), this.#samplePeriodMs);
  }

  subscribeEvents(listener: (events: readonly EngineEvent[]) => void): Unsubscribe {
    return this.#hub.subscribeEvents(listener);
  }

  subscribeSamples(listener: (samples: readonly TaskSample[]) => void): Unsubscribe {
    return this.#hub.subscribeSamples(listener);
  }

  requestSamples(): void {
    if (!this.#closed) this.job.requestSamples();
  }

  now(): number {
    return realClock.now();
  }

  kill(taskId: TaskId): CommandResult {
    return this.fault(taskId, `Terminated the Worker of ${taskId}.`, () => this.job.kill(taskId));
  }

  crash(taskId: TaskId): CommandResult {
    return this.fault(taskId, `Crashed ${taskId}: its operator threw inside its Worker.`, () => this.job.crash(taskId, 'thrown from the page'));
  }

  failNextSnapshot(taskId: TaskId): CommandResult {
    return this.fault(taskId, `The next snapshot upload of ${taskId} will fail.`, () => this.job.failNextSnapshot(taskId));
  }

  slow(taskId: TaskId, factor: number): CommandResult {
    if (!(factor >= 1)) return refused(`A slowdown factor must be at least 1, not ${factor}.`);
    const done = factor === 1 ? `${taskId} runs at normal speed again.` : `${taskId} now runs ${factor}× slower.`;
    return this.fault(taskId, done, () => this.job.slow(taskId, factor));
  }

  slowdownOf(taskId: TaskId): number {
    return this.job.slowdownOf(taskId);
  }

  /** Set even while the sender is not running: its next Worker starts with it. */
  delayChannel(channel: ChannelId, latencyMs: number): CommandResult {
    const refusal = channelDelayRefusal(channel, latencyMs, this.#hub.channels);
    if (refusal !== null) return refused(refusal);
    const { from, to } = parseChannelId(channel)!;
    this.job.delayChannel(from, to, latencyMs);
    return ok(latencyMs === 0 ? `${channel} has its normal latency again.` : `${channel} now takes ${latencyMs} ms longer.`);
  }

  channelDelayOf(channel: ChannelId): number {
    const ends = parseChannelId(channel);
    return ends ? this.job.channelDelayOf(ends.from, ends.to) : 0;
  }

  /** Flink's `POST /jobs/:id/checkpoints`: now, or queued behind max-concurrent-checkpoints. */
  triggerCheckpoint(): CommandResult {
    const result = this.job.jobMaster.triggerCheckpoint();
    if (result.status === 'TRIGGERED') return ok(`Checkpoint ${result.checkpointId} triggered.`);
    if (result.status === 'QUEUED') return ok('Checkpoint requested: it starts when a pending one finishes (execution.checkpointing.max-concurrent-checkpoints).');
    return refused(`No checkpoint was triggered: ${result.reason}`);
  }

  triggerSavepoint(): CommandResult {
    const jobMaster = this.job.jobMaster;
    if (jobMaster.status !== 'RUNNING') return refused(`The job is ${jobMaster.status}: savepoints are taken while it is RUNNING.`);
    const checkpointId = jobMaster.triggerSavepoint();
    return checkpointId === null ? refused('No savepoint was triggered: not every subtask is RUNNING, or a stop with a savepoint is under way.') : ok(`Savepoint ${checkpointId} triggered.`);
  }

  cancel(): CommandResult {
    this.job.jobMaster.cancel();
    return ok('Job cancelled.');
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#sampling !== null) clearInterval(this.#sampling);
    this.job.stop();
    this.#unsubscribe?.();
    this.#hub.close();
  }

  private fault(taskId: TaskId, done: string, apply: () => boolean): CommandResult {
    const { jobMaster } = this.job;
    const refusal = faultRefusal(taskId, jobMaster.status, jobMaster.taskStates().get(taskId));
    if (refusal !== null) return refused(refusal);
    return apply() ? ok(done) : refused(`${taskId} has no running task right now (job ${jobMaster.status}); nothing was injected.`);
  }
}
