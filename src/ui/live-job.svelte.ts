// The deterministic replay on the page: the simulated runtime (seeded scheduler, virtual time, in-memory
// storage) advanced in step with real time scaled by `speed`, so it can pause, step and change speed.
// Same engine and job as the Worker runtime; the same seed replays the same run.
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import { runScenarioLive, type LiveRun } from '../runtime/sim/live-run';
import { prepareScenarioJob, type ScenarioJob } from '../runtime/sim/scenario-job';
import type { EngineEvent } from '../engine/events';
import { JobView } from './job-view.svelte';
import { PageFaults, type FaultRuntime } from './page-faults';
import type { ReplayControls, RuntimeJob } from './runtime-job';
import { SavepointWaiter } from './snapshots/savepoint-waiter';
import type { BlobReader } from './snapshots/snapshot-export';

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
  readonly faults: PageFaults;
  readonly runtimeLabel: string;
  readonly storageLabel = 'in memory, simulated latency (nothing survives a reload)';
  paused = $state(false);
  speed = $state(1);

  readonly #run: LiveRun;
  readonly #savepoints = new SavepointWaiter(() => this.#run.simulation.jobMaster);
  #frame = 0;
  #lastWallTime: number | null = null;
  /** Fractions of a virtual millisecond not yet run, so virtual time advances in whole milliseconds. */
  #carryMs = 0;

  constructor(readonly options: LiveJobOptions = DEFAULT_JOB) {
    this.runtimeLabel = `deterministic replay (one thread, virtual time, seed ${options.seed})`;
    this.view = new JobView(prepareScenarioJob({ ...options, mode: 'exactly-once' }), 0);
    // The faults exist before the run does: the run emits its first events while it is created.
    this.faults = new PageFaults(this.faultRuntime(), (notice) => (this.view.notice = notice));
    this.#run = runScenarioLive({ ...options, mode: 'exactly-once', onEvent: (event) => this.record(event) });
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
    this.#savepoints.cancel('the replay was stopped before its savepoint completed');
  }

  get job(): ScenarioJob {
    return this.view.job;
  }

  takeSavepoint(): Promise<CheckpointMetadata> {
    return this.#savepoints.takeSavepoint(() => this.#run.simulation.jobMaster.triggerSavepoint());
  }

  stopWithSavepoint(): Promise<CheckpointMetadata> {
    return this.#savepoints.stopWithSavepoint();
  }

  snapshots(): readonly CheckpointMetadata[] {
    const { store } = this.#run.simulation.jobMaster;
    return [...store.retained(), ...store.savepoints()];
  }

  /** The replay's storage is this page's memory: a blob is there, or it was discarded. */
  readonly readBlob: BlobReader = (storageKey) => {
    const bytes = this.#run.simulation.memoryStorage.readBlobNow(storageKey);
    return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`no state is stored under '${storageKey}'`));
  };

  togglePause(): void {
    this.paused = !this.paused;
  }

  /** Runs a few milliseconds of virtual time while paused. */
  step(): void {
    this.#run.advance(STEP_MS);
    this.refresh();
  }

  triggerSavepoint(): void {
    this.#run.simulation.jobMaster.triggerSavepoint();
    this.view.notice = 'Savepoint triggered.';
  }

  /** Faults act on the simulation as the Worker runtime's act on Workers; each is recorded as an event. */
  private faultRuntime(): FaultRuntime {
    const simulation = () => this.#run.simulation;
    const running = (taskId: string) => simulation().tasks.get(taskId);
    const at = () => Math.round(simulation().now);
    return {
      kind: this.kind,
      jobStatus: () => simulation().jobMaster.status,
      taskState: (taskId) => simulation().jobMaster.taskStates().get(taskId),
      kill: (taskId) => {
        if (!running(taskId)) return false;
        simulation().kill(taskId, `kill:${taskId}@${at()} (from the page)`);
        return true;
      },
      crash: (taskId) => {
        const task = running(taskId);
        if (!task) return false;
        this.record({ type: 'fault-injected', time: simulation().now, fault: `crash:${taskId}@${at()} (from the page)` });
        task.fail('Injected crash in user code: thrown from the page');
        return true;
      },
      failNextUpload: (taskId) => running(taskId)?.failNextSnapshotUpload() ?? false,
      slow: (taskId, factor) => {
        simulation().slowTask(taskId, factor);
        return true;
      },
      slowdownOf: (taskId) => simulation().slowdownOf(taskId),
    };
  }

  private record(event: EngineEvent): void {
    this.view.record([event]);
    this.faults.record([event]);
  }

  private refresh(): void {
    const { simulation, output } = this.#run;
    this.view.refresh({ jobMaster: simulation.jobMaster, nowMs: simulation.now, output: output(), slowdownOf: (taskId) => simulation.slowdownOf(taskId) });
    this.#savepoints.check();
  }
}
