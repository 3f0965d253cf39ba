// The deterministic replay on the page: the simulated runtime (seeded scheduler, virtual time, in-memory
// storage) advanced in step with real time scaled by `speed`, so it can pause, step and change speed.
// Same engine and job as the Worker runtime; the same seed replays the same run.
import { runScenarioLive, type LiveRun } from '../runtime/sim/live-run';
import { prepareScenarioJob } from '../runtime/sim/scenario-job';
import { JobView } from './job-view.svelte';
import type { ReplayControls, RuntimeJob } from './runtime-job';

export interface LiveJobOptions {
  readonly scenario: string;
  readonly parallelism: number;
  readonly checkpointIntervalMs: number;
  readonly keys: number;
  readonly recordsPerSecond: number;
  readonly seed: number;
}

/** The page's default job: running-sum at parallelism 2 over 100 keys, checkpoint every second. */
export const DEFAULT_JOB: LiveJobOptions = {
  scenario: 'running-sum',
  parallelism: 2,
  checkpointIntervalMs: 1000,
  keys: 100,
  recordsPerSecond: 25,
  seed: 1,
};

/** Largest real-time gap one frame catches up on (a background tab resumes without a jump). */
const MAX_FRAME_MS = 250;
/** Virtual time one press of Step runs. */
const STEP_MS = 10;

export class SimulatedRuntimeJob implements RuntimeJob, ReplayControls {
  readonly kind = 'deterministic' as const;
  readonly view: JobView;
  readonly runtimeLabel: string;
  readonly storageLabel = 'in memory, simulated latency (nothing survives a reload)';
  paused = $state(false);
  speed = $state(1);

  readonly #run: LiveRun;
  #frame = 0;
  #lastWallTime: number | null = null;
  /** Fractions of a virtual millisecond not yet run, so virtual time advances in whole milliseconds. */
  #carryMs = 0;

  constructor(readonly options: LiveJobOptions = DEFAULT_JOB) {
    this.runtimeLabel = `deterministic replay (one thread, virtual time, seed ${options.seed})`;
    this.view = new JobView(prepareScenarioJob({ ...options, mode: 'exactly-once' }), 0);
    this.#run = runScenarioLive({ ...options, mode: 'exactly-once', onEvent: (event) => this.view.record([event]) });
  }

  start(): void {
    const tick = (wallTime: number) => {
      if (!this.paused && this.#lastWallTime !== null) {
        const due = Math.min(MAX_FRAME_MS, wallTime - this.#lastWallTime) * this.speed + this.#carryMs;
        this.#carryMs = due - Math.floor(due);
        this.#run.advance(Math.floor(due));
      }
      this.#lastWallTime = wallTime;
      this.refresh();
      this.#frame = requestAnimationFrame(tick);
    };
    this.refresh();
    this.#frame = requestAnimationFrame(tick);
  }

  stop(): void {
    cancelAnimationFrame(this.#frame);
  }

  togglePause(): void {
    this.paused = !this.paused;
  }

  /** Runs a few milliseconds of virtual time while paused. */
  step(): void {
    this.#run.advance(STEP_MS);
    this.refresh();
  }

  kill(taskId: string): void {
    const { simulation } = this.#run;
    if (!simulation.tasks.has(taskId)) {
      this.view.notice = `${taskId} is not running right now (job ${simulation.jobMaster.status}); nothing to kill.`;
      return;
    }
    simulation.kill(taskId, `kill:${taskId}@${Math.round(simulation.now)} (from the page)`);
    this.view.notice = `Killed ${taskId} at t = ${(simulation.now / 1000).toFixed(2)} s.`;
  }

  crash(taskId: string): void {
    const task = this.#run.simulation.tasks.get(taskId);
    if (!task || task.executionState !== 'RUNNING') {
      this.view.notice = `${taskId} is not running right now; nothing to crash.`;
      return;
    }
    task.fail('Injected crash in user code: thrown from the page');
    this.view.notice = `Crashed ${taskId}: its operator threw.`;
  }

  failNextSnapshot(taskId: string): void {
    this.#run.simulation.storage.failNextUpload(taskId);
    this.view.notice = `The next snapshot upload of ${taskId} will fail (if it has keyed state to upload).`;
  }

  slow(taskId: string, factor: number): void {
    this.#run.simulation.slowTask(taskId, factor);
    this.view.notice = factor > 1 ? `${taskId} now runs ${factor}× slower.` : `${taskId} runs at normal speed again.`;
  }

  triggerSavepoint(): void {
    this.#run.simulation.jobMaster.triggerSavepoint();
    this.view.notice = 'Savepoint triggered.';
  }

  private refresh(): void {
    const { simulation, output } = this.#run;
    this.view.refresh({ jobMaster: simulation.jobMaster, nowMs: simulation.now, output: output() });
  }
}
