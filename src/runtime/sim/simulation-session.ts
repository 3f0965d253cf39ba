// The deterministic runtime as a JobSession (issue 7): a seeded simulation whose virtual time advances
// once per animation frame by the real time elapsed × speed, that can pause, and step exactly one event.
// Samples of every task are taken every SAMPLE_PERIOD_MS of virtual time and after every step, so a
// replay of the same seed, options and commands gives the same events and samples.
import type { EngineEvent } from '../../engine/events';
import { parseChannelId, type ChannelId, type TaskId } from '../../engine/ids';
import type { TaskSample } from '../../engine/samples';
import type { Task } from '../../engine/task/task';
import { channelDelayRefusal, faultRefusal } from '../fault-refusal';
import type { CommandResult, JobSession, SessionTimeControls, Unsubscribe } from '../job-session';
import { ok, refused, SessionHub } from '../session-hub';
import { runScenarioLive, type LiveRun, type LiveRunOptions } from './live-run';

/** Virtual ms between two rounds of samples. */
export const SAMPLE_PERIOD_MS = 200;
/** Largest real-time gap one frame catches up on (a background tab resumes without a jump). */
export const MAX_FRAME_MS = 250;
/** A step gives up after this many actions without an event (the job has nothing left to do). */
export const MAX_ACTIONS_PER_STEP = 100_000;
export const MIN_SPEED = 0.01;
export const MAX_SPEED = 100;

/** Animation frames, or a stand-in (tests drive frames by hand). */
export interface FrameScheduler {
  request(callback: (wallMs: number) => void): number;
  cancel(handle: number): void;
}

export const animationFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export interface SimulationSessionOptions {
  readonly job: Omit<LiveRunOptions, 'onEvent'>;
  /** Null: no frames, the owner calls `advance` (tests, benchmarks). */
  readonly frames?: FrameScheduler | null;
  readonly samplePeriodMs?: number;
  readonly speed?: number;
  readonly paused?: boolean;
}

export class SimulationSession implements JobSession, SessionTimeControls {
  readonly runtime = 'deterministic' as const;
  readonly time: SessionTimeControls = this;
  /** The run itself, for the runtime's side of the page only (checkpoint storage for snapshot export). */
  readonly run: LiveRun;
  readonly #hub = new SessionHub();
  readonly #frames: FrameScheduler | null;
  readonly #samplePeriodMs: number;
  /** Emitted and not yet delivered: a step delivers one event even when one action emitted several. */
  #undelivered: EngineEvent[] = [];
  #paused: boolean;
  #speed: number;
  #nextSampleAt: number;
  #frame: number | null = null;
  #lastWallMs: number | null = null;
  /** Fractions of a virtual millisecond not yet run, so virtual time advances in whole milliseconds. */
  #carryMs = 0;
  #closed = false;

  constructor(options: SimulationSessionOptions) {
    this.#frames = options.frames === undefined ? animationFrames : options.frames;
    this.#samplePeriodMs = options.samplePeriodMs ?? SAMPLE_PERIOD_MS;
    this.#paused = options.paused ?? false;
    this.#speed = clampSpeed(options.speed ?? 1);
    this.run = runScenarioLive({ ...options.job, onEvent: (event) => this.#undelivered.push(event) });
    this.#nextSampleAt = this.run.simulation.now + this.#samplePeriodMs;
    this.deliver();
    if (this.#frames) this.#frame = this.#frames.request((wallMs) => this.onFrame(wallMs));
  }

  subscribeEvents(listener: (events: readonly EngineEvent[]) => void): Unsubscribe {
    return this.#hub.subscribeEvents(listener);
  }

  subscribeSamples(listener: (samples: readonly TaskSample[]) => void): Unsubscribe {
    return this.#hub.subscribeSamples(listener);
  }

  requestSamples(): void {
    this.#hub.samples(this.takeSamples());
  }

  now(): number {
    return this.run.simulation.now;
  }

  get paused(): boolean {
    return this.#paused;
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.#lastWallMs = null;
    this.#carryMs = 0;
  }

  get speed(): number {
    return this.#speed;
  }

  set speed(speed: number) {
    this.#speed = clampSpeed(speed);
  }

  /** Runs until exactly one more event has been delivered (or nothing is left to run), then samples every task. */
  stepEvent(): void {
    if (this.#closed) return;
    for (let actions = 0; this.#undelivered.length === 0 && actions < MAX_ACTIONS_PER_STEP; actions++) {
      if (!this.run.runNextAction()) break;
    }
    const [first, ...rest] = this.#undelivered;
    this.#undelivered = rest;
    if (first) this.#hub.events([first]);
    this.requestSamples();
  }

  /** Runs `virtualMs` of virtual time, sampling on the period; what the frames do, by hand. */
  advance(virtualMs: number): void {
    const simulation = this.run.simulation;
    const target = simulation.now + Math.max(0, virtualMs);
    while (this.#nextSampleAt <= target) {
      simulation.runUntil(this.#nextSampleAt);
      this.deliver();
      this.requestSamples();
      this.#nextSampleAt += this.#samplePeriodMs;
    }
    simulation.runUntil(target);
    this.deliver();
  }

  kill(taskId: TaskId): CommandResult {
    return this.fault(taskId, `Killed ${taskId}.`, () => this.run.simulation.kill(taskId, `kill:${taskId}@${this.at()} (from the page)`));
  }

  crash(taskId: TaskId): CommandResult {
    return this.fault(taskId, `Crashed ${taskId}: its operator threw.`, (task) => {
      this.#undelivered.push({ type: 'fault-injected', time: this.now(), fault: `crash:${taskId}@${this.at()} (from the page)` });
      task.fail('Injected crash in user code: thrown from the page');
    });
  }

  failNextSnapshot(taskId: TaskId): CommandResult {
    return this.fault(taskId, `The next snapshot upload of ${taskId} will fail.`, (task) => task.failNextSnapshotUpload());
  }

  slow(taskId: TaskId, factor: number): CommandResult {
    if (!(factor >= 1)) return refused(`A slowdown factor must be at least 1, not ${factor}.`);
    const done = factor === 1 ? `${taskId} runs at normal speed again.` : `${taskId} now runs ${factor}× slower.`;
    return this.fault(taskId, done, () => this.run.simulation.slowTask(taskId, factor));
  }

  slowdownOf(taskId: TaskId): number {
    return this.run.simulation.slowdownOf(taskId);
  }

  delayChannel(channel: ChannelId, latencyMs: number): CommandResult {
    const refusal = channelDelayRefusal(channel, latencyMs, this.#hub.channels);
    if (refusal !== null) return refused(refusal);
    const { from, to } = parseChannelId(channel)!;
    this.run.simulation.delayChannel(from, to, latencyMs);
    this.deliver();
    return ok(latencyMs === 0 ? `${channel} has its normal latency again.` : `${channel} now takes ${latencyMs} ms longer.`);
  }

  channelDelayOf(channel: ChannelId): number {
    const ends = parseChannelId(channel);
    return ends ? this.run.simulation.channelDelayOf(ends.from, ends.to) : 0;
  }

  /** Flink's `POST /jobs/:id/checkpoints`: now, or queued behind max-concurrent-checkpoints. */
  triggerCheckpoint(): CommandResult {
    const result = this.run.simulation.jobMaster.triggerCheckpoint();
    this.deliver();
    if (result.status === 'TRIGGERED') return ok(`Checkpoint ${result.checkpointId} triggered.`);
    if (result.status === 'QUEUED') return ok('Checkpoint requested: it starts when a pending one finishes (execution.checkpointing.max-concurrent-checkpoints).');
    return refused(`No checkpoint was triggered: ${result.reason}`);
  }

  triggerSavepoint(): CommandResult {
    const jobMaster = this.run.simulation.jobMaster;
    if (jobMaster.status !== 'RUNNING') return refused(`The job is ${jobMaster.status}: savepoints are taken while it is RUNNING.`);
    const checkpointId = jobMaster.triggerSavepoint();
    this.deliver();
    return checkpointId === null ? refused('No savepoint was triggered: not every subtask is RUNNING, or a stop with a savepoint is under way.') : ok(`Savepoint ${checkpointId} triggered.`);
  }

  cancel(): CommandResult {
    const { jobMaster } = this.run.simulation;
    jobMaster.cancel();
    this.deliver();
    return ok('Job cancelled.');
  }

  close(): void {
    this.#closed = true;
    if (this.#frame !== null) this.#frames?.cancel(this.#frame);
    this.#frame = null;
    this.#hub.close();
  }

  private onFrame(wallMs: number): void {
    if (this.#closed) return;
    if (!this.#paused && this.#lastWallMs !== null) {
      const due = Math.min(MAX_FRAME_MS, Math.max(0, wallMs - this.#lastWallMs)) * this.#speed + this.#carryMs;
      this.#carryMs = due - Math.floor(due);
      this.advance(Math.floor(due));
    }
    this.#lastWallMs = wallMs;
    this.#frame = this.#frames!.request((next) => this.onFrame(next));
  }

  /** A fault applies only to a RUNNING subtask of a RUNNING job; its events are delivered at once, paused or not. */
  private fault(taskId: TaskId, done: string, apply: (task: Task) => void): CommandResult {
    const { jobMaster } = this.run.simulation;
    const refusal = faultRefusal(taskId, jobMaster.status, jobMaster.taskStates().get(taskId));
    if (refusal !== null) return refused(refusal);
    const task = this.run.simulation.tasks.get(taskId);
    if (!task) return refused(`${taskId} has no running task right now (job ${jobMaster.status}); nothing was injected.`);
    apply(task);
    this.deliver();
    return ok(done);
  }

  private deliver(): void {
    const events = this.#undelivered;
    this.#undelivered = [];
    this.#hub.events(events);
  }

  private takeSamples(): TaskSample[] {
    const simulation = this.run.simulation;
    return [...simulation.tasks.values()].map((task) => task.sample({ slowdown: simulation.slowdownOf(task.taskId) }));
  }

  private at(): number {
    return Math.round(this.now());
  }
}

function clampSpeed(speed: number): number {
  return Number.isFinite(speed) ? Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed)) : 1;
}
