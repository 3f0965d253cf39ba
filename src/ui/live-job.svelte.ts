// The deterministic replay on the page: a SimulationSession (seeded scheduler, virtual time, in-memory
// storage) advanced in step with real time scaled by the speed, so it can pause, step one event and
// change speed; the page's timeline and panels over it. Same engine and job as the Worker runtime; the
// same seed, options and fault plan replay the same run.
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import { faultRefusal } from '../runtime/fault-refusal';
import type { LiveRunOptions } from '../runtime/sim/live-run';
import type { ScenarioJob } from '../runtime/sim/scenario-job';
import { SimulationSession, type FrameScheduler } from '../runtime/sim/simulation-session';
import type { JobView } from './job-view.svelte';
import type { PageFaults } from './page-faults';
import { attachPage, type PageSessionParts } from './page-session';
import type { ReplayControls, RuntimeJob } from './runtime-job';
import { SavepointWaiter } from './snapshots/savepoint-waiter';
import type { BlobReader } from './snapshots/snapshot-export';
import type { PageFolds } from './timeline/page-folds';
import type { PageTimeline } from './timeline/page-timeline.svelte';

export interface LiveJobOptions {
  readonly scenario: string;
  readonly parallelism: number;
  readonly checkpointIntervalMs: number;
  readonly keys: number;
  readonly recordsPerSecond: number;
  readonly seed: number;
}

/**
 * The default job's shape: running-sum at parallelism 2 over 100 keys, checkpoint every second. Bounded, as
 * tests use it; the page runs it unbounded (scenarioJobOptionsOf in src/ui/config/run-options.ts).
 */
export const DEFAULT_JOB: LiveJobOptions = {
  scenario: 'running-sum',
  parallelism: 2,
  checkpointIntervalMs: 1000,
  keys: 100,
  recordsPerSecond: 25,
  seed: 1,
};

export type SimulatedJobOptions = Omit<LiveRunOptions, 'onEvent' | 'mode'> & { readonly mode?: LiveRunOptions['mode'] };

/**
 * The page's deterministic run models a slow network (virtual ms, seeded jitter), so that each hop, and the
 * alignment the jitter causes, lasts long enough to be seen; the CLI and the tests keep the 1 ms default.
 */
export const PAGE_NETWORK = { latencyMs: 100, jitterMs: 60 } as const;
/** Virtual ms per real ms the page's deterministic run starts at: half speed, every hop visible. */
export const PAGE_REPLAY_SPEED = 0.5;

export class SimulatedRuntimeJob implements RuntimeJob, ReplayControls {
  readonly kind = 'deterministic' as const;
  readonly session: SimulationSession;
  readonly timeline: PageTimeline<PageFolds>;
  readonly view: JobView;
  readonly faults: PageFaults;
  readonly runtimeLabel: string;
  readonly storageLabel = 'in memory, simulated latency (nothing survives a reload)';
  readonly #page: PageSessionParts;
  readonly #savepoints: SavepointWaiter;

  /** `frames: null`: no animation frames; tests drive it with `advance`. */
  constructor(options: SimulatedJobOptions = DEFAULT_JOB, page: { readonly frames?: FrameScheduler | null; readonly speed?: number } = {}) {
    const mode = options.mode ?? 'exactly-once';
    this.runtimeLabel = `deterministic replay (one thread, virtual time, seed ${options.seed}, ${mode})`;
    const network = { networkLatencyMs: options.networkLatencyMs ?? PAGE_NETWORK.latencyMs, networkJitterMs: options.networkJitterMs ?? PAGE_NETWORK.jitterMs };
    this.session = new SimulationSession({
      job: { ...options, ...network, mode },
      speed: page.speed ?? PAGE_REPLAY_SPEED,
      ...(page.frames === undefined ? {} : { frames: page.frames }),
    });
    const simulation = this.session.run.simulation;
    this.#savepoints = new SavepointWaiter(() => simulation.jobMaster);
    this.#page = attachPage(this.session, {
      job: this.session.run.job,
      originMs: 0,
      initialOutput: [],
      refusalOf: (taskId) => faultRefusal(taskId, simulation.jobMaster.status, simulation.jobMaster.taskStates().get(taskId)),
      ...(page.frames === undefined ? {} : { frames: page.frames }),
      travelMs: network.networkLatencyMs,
      onRefresh: () => this.#savepoints.check(),
    });
    ({ timeline: this.timeline, view: this.view, faults: this.faults } = this.#page);
  }

  /** The session runs from its construction; nothing more to start. */
  start(): void {}

  stop(): void {
    this.#page.close();
    this.session.close();
    this.#savepoints.cancel('the replay was stopped before its savepoint completed');
  }

  /** Runs `virtualMs` of virtual time and refreshes the page (what frames do; tests call it). */
  advance(virtualMs: number): void {
    this.session.advance(virtualMs);
    this.timeline.refresh();
  }

  get job(): ScenarioJob {
    return this.session.run.job;
  }

  get paused(): boolean {
    return this.timeline.paused;
  }

  get speed(): number {
    return this.timeline.speed;
  }

  set speed(speed: number) {
    this.timeline.setSpeed(speed);
  }

  togglePause(): void {
    this.timeline.togglePause();
  }

  /** One event: the run's next while live (pausing it), the replay's next recorded one in the past. */
  step(): void {
    this.timeline.step();
  }

  takeSavepoint(): Promise<CheckpointMetadata> {
    const { jobMaster } = this.session.run.simulation;
    return this.#savepoints.takeSavepoint(() => jobMaster.triggerSavepoint());
  }

  stopWithSavepoint(): Promise<CheckpointMetadata> {
    return this.#savepoints.stopWithSavepoint();
  }

  snapshots(): readonly CheckpointMetadata[] {
    const { store } = this.session.run.simulation.jobMaster;
    return [...store.retained(), ...store.savepoints()];
  }

  /** The replay's storage is this page's memory: a blob is there, or it was discarded. */
  readonly readBlob: BlobReader = (storageKey) => {
    const bytes = this.session.run.simulation.memoryStorage.readBlobNow(storageKey);
    return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`no state is stored under '${storageKey}'`));
  };

  triggerSavepoint(): void {
    this.view.notice = this.session.triggerSavepoint().message;
    this.timeline.refresh();
  }

  triggerCheckpoint(): void {
    this.view.notice = this.session.triggerCheckpoint().message;
    this.timeline.refresh();
  }
}
