// View model of a job running live on the page: drives the deterministic runtime in step with real
// time (scaled by `speed`) and keeps what the page shows — job status, checkpoint history in Flink's
// REST shape, committed output per key — as reactive state, refreshed once per animation frame.
import { runScenarioLive, type LiveRun } from '../runtime/sim/live-run';
import type { CheckpointStatistics } from '../engine/checkpoint/checkpoint-stats';
import type { EngineEvent } from '../engine/events';

export interface LiveJobOptions {
  readonly scenario: string;
  readonly parallelism: number;
  readonly checkpointIntervalMs: number;
  readonly keys: number;
  readonly recordsPerSecond: number;
  readonly seed: number;
}

export const DEFAULT_JOB: LiveJobOptions = {
  scenario: 'running-sum',
  parallelism: 2,
  checkpointIntervalMs: 1000,
  keys: 100,
  recordsPerSecond: 25,
  seed: 1,
};

const RECENT_EVENTS = 12;

export class LiveJob {
  status = $state('CREATED');
  virtualTimeMs = $state(0);
  paused = $state(false);
  speed = $state(1);
  history = $state<CheckpointStatistics[]>([]);
  counts = $state({ completed: 0, failed: 0, in_progress: 0, restored: 0, total: 0 });
  outputByKey = $state<Array<{ key: string; values: string }>>([]);
  committedRecords = $state(0);
  recentEvents = $state<EngineEvent[]>([]);
  numRestarts = $state(0);
  taskIds = $state<string[]>([]);

  #run: LiveRun;
  #frame = 0;
  #lastWallTime: number | null = null;
  #events: EngineEvent[] = [];
  /** Fractions of a virtual millisecond not yet run, so virtual time advances in whole milliseconds. */
  #carryMs = 0;

  constructor(readonly options: LiveJobOptions = DEFAULT_JOB) {
    this.#run = this.createRun();
  }

  start(): void {
    const tick = (wallTime: number) => {
      if (!this.paused && this.#lastWallTime !== null) {
        const due = Math.min(250, wallTime - this.#lastWallTime) * this.speed + this.#carryMs;
        this.#carryMs = due - Math.floor(due);
        this.#run.advance(Math.floor(due));
      }
      this.#lastWallTime = wallTime;
      this.refresh();
      this.#frame = requestAnimationFrame(tick);
    };
    this.#frame = requestAnimationFrame(tick);
  }

  stop(): void {
    cancelAnimationFrame(this.#frame);
  }

  togglePause(): void {
    this.paused = !this.paused;
  }

  /** Advance by one scheduler action's worth of time while paused (10 ms of virtual time). */
  step(): void {
    this.#run.advance(10);
    this.refresh();
  }

  killTask(taskId: string): void {
    this.#run.simulation.kill(taskId, `kill:${taskId}@${Math.round(this.#run.simulation.now)} (from the page)`);
  }

  triggerSavepoint(): void {
    this.#run.simulation.jobMaster.triggerSavepoint();
  }

  restart(): void {
    this.#run = this.createRun();
    this.#events = [];
    this.refresh();
  }

  private createRun(): LiveRun {
    return runScenarioLive({
      scenario: this.options.scenario,
      parallelism: this.options.parallelism,
      checkpointIntervalMs: this.options.checkpointIntervalMs,
      mode: 'exactly-once',
      seed: this.options.seed,
      keys: this.options.keys,
      recordsPerSecond: this.options.recordsPerSecond,
      onEvent: (event) => {
        if (event.type !== 'records-moved') this.#events.push(event);
        if (this.#events.length > 200) this.#events.splice(0, 100);
      },
    });
  }

  private refresh(): void {
    const { simulation, output } = this.#run;
    const master = simulation.jobMaster;
    const statistics = master.stats.statistics();
    this.status = master.status;
    this.virtualTimeMs = simulation.now;
    this.history = [...statistics.history];
    this.counts = statistics.counts;
    this.numRestarts = master.numRestarts;
    this.taskIds = [...simulation.tasks.keys()].sort();
    const records = output();
    if (records.length !== this.committedRecords || this.outputByKey.length === 0) {
      // A local scratch map, rebuilt on each change; it is never read reactively.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      const byKey = new Map<string, string[]>();
      for (const record of records as Array<{ key: string; value: unknown }>) {
        const list = byKey.get(record.key) ?? [];
        list.push(typeof record.value === 'number' ? String(record.value) : JSON.stringify(record.value));
        byKey.set(record.key, list);
      }
      this.outputByKey = [...byKey].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true })).map(([key, values]) => ({ key, values: values.join(', ') }));
      this.committedRecords = records.length;
    }
    this.recentEvents = this.#events.slice(-RECENT_EVENTS).reverse();
  }
}
