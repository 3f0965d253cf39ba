// The page's lifecycle: opens checkpoint storage once (IndexedDB, or memory with a visible reason), offers
// to resume the job from the newest completed checkpoint an earlier run left, starts the job on the chosen
// runtime, and switches runtime or starts over on request. Only one job runs at a time; it is stopped
// (Workers terminated) before storage is touched for the next, so an old run cannot write into a new one.
// Restoring from a snapshot (an opened file, or a savepoint in storage) is one more way to start the job.
// The run's options (scenario, runtime, Flink's options, seed, fault plan) are `runOptions`, from the URL
// at first; `restartWith` closes the session and opens a new one with others (the config panel's Apply).
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import { InMemoryExternalSystems } from '../engine/connectors/external-systems';
import type { CheckpointStorage } from '../engine/ports/checkpoint-storage';
import type { ScenarioJobOptions } from '../runtime/sim/scenario-job';
import { DurableExternalSystems, OUTPUTS_DATABASE_NAME } from '../runtime/worker/durable-external-output';
import { realClock } from '../runtime/worker/real-clock';
import { DEFAULT_DATABASE_NAME } from '../storage/checkpoint-database';
import { MemoryCheckpointStorage } from '../storage/memory-checkpoint-storage';
import { openCheckpointStorage } from '../storage/storage-availability';
import { cleanupBeforeResume, discardCompletedCheckpoints, highestCheckpointIdSeen, listCompletedCheckpoints } from './job-checkpoints';
import { SimulatedRuntimeJob } from './live-job.svelte';
import { MAX_PAGE_PARALLELISM, scenarioJobOptionsOf, type PageRunOptions } from './config/run-options';
import type { PageParameters } from './page-parameters';
import { WorkerRuntimeJob } from './worker-runtime-job.svelte';
import { planRestore, type RestorePlan } from './snapshots/restore-plan';
import { commitInto, recordCount } from './snapshots/restored-output';
import { importForRestore, type RestoreSource } from './snapshots/restore-import';
import { readTrace } from '../runtime/trace/read-trace';
import { MAX_TRACE_CHARS } from '../runtime/trace/trace-file';
import { TraceRuntimeJob } from './traces/trace-runtime-job';

/** The job id the default job's checkpoints are stored under; "Start fresh" discards this id's checkpoints and keeps the id. */
export const JOB_ID = 'running-sum';

/** Checkpoints and durable output of a scenario are stored under its name (the default job's is JOB_ID). */
export function jobIdOf(scenario: string): string {
  return scenario;
}

export { MAX_PAGE_PARALLELISM };

export type PageJob = WorkerRuntimeJob | SimulatedRuntimeJob | TraceRuntimeJob;

/** A trace file to open: a File from a picker or a drop, or its text (tests). */
export interface TraceInput {
  readonly name: string;
  readonly size?: number;
  text(): Promise<string>;
}

/** The trace the page replays, and what it had to assume about its job (the trace bar's notice). */
export interface OpenedTrace {
  readonly name: string;
  readonly events: number;
  readonly assumptions: readonly string[];
}

export type PagePhase =
  | { readonly kind: 'opening-storage' }
  | { readonly kind: 'offering-resume'; readonly checkpoint: CheckpointMetadata; readonly durable: boolean }
  | { readonly kind: 'starting' }
  | { readonly kind: 'running'; readonly job: PageJob }
  | { readonly kind: 'failed'; readonly message: string };

export type { RestoreSource } from './snapshots/restore-import';

/** What the page says about the run after a restore from a snapshot. */
export interface RestoredFrom {
  /** "savepoint 7 from the file savepoint-7.bscp" */
  readonly description: string;
  readonly checkpointId: number;
  readonly parallelism: number;
  /** The job id the imported copy is stored under, or null for a checkpoint that was already in storage. */
  readonly importedAs: string | null;
  /** Records the snapshot's source offsets say were committed before it (the ledger starts with them). */
  readonly committedBefore: number;
}

interface StorageSetup {
  readonly storage: CheckpointStorage;
  readonly durable: boolean;
  /** Workers open this database themselves; null proxies their storage calls to this thread. */
  readonly databaseName: string | null;
  readonly label: string;
}

/** `$state.raw` throughout: a deep proxy could not be posted to a Worker (the checkpoint is posted on resume). */
export class PageController {
  phase = $state.raw<PagePhase>({ kind: 'opening-storage' });
  /** What the user should know besides the job: rejected URL parameters, storage fallbacks. */
  notices = $state.raw<string[]>([]);
  /** Set when checkpoints are not durable, with the reason (shown as a banner). */
  storageProblem = $state<string | null>(null);
  /** The run's options: the URL's until `restartWith` (or a restore's parallelism) changes them. */
  runOptions = $state.raw<PageRunOptions>(null as unknown as PageRunOptions);
  /** The job's parallelism: the run options' until a restore chooses another. */
  parallelism = $state(1);
  /** Set when the job runs with the max parallelism of the snapshot it started from (Flink takes it over). */
  #adoptedMaxParallelism: number | undefined = undefined;
  /** Set by a restore from a snapshot, until the job is started another way. */
  restoredFrom = $state.raw<RestoredFrom | null>(null);
  /** Set while the page replays an opened trace, until a run starts again. */
  trace = $state.raw<OpenedTrace | null>(null);

  #storage: Promise<StorageSetup> | null = null;
  #job: PageJob | null = null;
  #durableOutputs: DurableExternalSystems | null = null;
  /** Without IndexedDB, committed output still outlives a restart or a runtime switch on this page. */
  #memoryOutputs = new InMemoryExternalSystems();

  constructor(
    readonly parameters: PageParameters,
    problems: readonly string[] = [],
  ) {
    for (const problem of problems) this.notice(problem);
    const { storage: _storage, ...runOptions } = parameters;
    this.runOptions = runOptions;
    this.parallelism = runOptions.parallelism;
  }

  /** Where this run's checkpoints and durable output are stored. */
  get jobId(): string {
    return jobIdOf(this.runOptions.scenario);
  }

  get scenario(): ScenarioJobOptions {
    const scenario = this.scenarioAt(this.parallelism);
    return this.#adoptedMaxParallelism === undefined ? scenario : { ...scenario, maxParallelism: this.#adoptedMaxParallelism };
  }

  /** The page's job at `parallelism`, as the run options configure it (a restore may pin its max parallelism). */
  scenarioAt(parallelism: number): ScenarioJobOptions {
    const { seed: _seed, faults: _faults, ...scenario } = scenarioJobOptionsOf({ ...this.runOptions, parallelism });
    return scenario;
  }

  /**
   * Closes the running session and opens a new one with `options` (already checked: checkRunOptions): the
   * deterministic runtime from its seed and fault plan, or Web Workers from scratch (this job's checkpoints
   * and output discarded, as "Start over" does).
   */
  async restartWith(options: PageRunOptions): Promise<void> {
    if (this.busy) throw new Error('the page is starting a job; try again in a moment');
    this.stop();
    this.runOptions = options;
    this.parallelism = options.parallelism;
    this.#adoptedMaxParallelism = undefined;
    if (options.runtime === 'deterministic') this.runSimulated();
    else await this.guarded(() => this.startWorkersFresh());
  }

  /** How the page's job would start from `metadata` at `parallelism`, or why it cannot (Flink's rules and words). */
  planRestore(metadata: CheckpointMetadata, parallelism: number, pointer?: string): RestorePlan {
    if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > MAX_PAGE_PARALLELISM) {
      const given = typeof parallelism === 'number' && Number.isFinite(parallelism) ? `, not ${parallelism}` : '';
      return { ok: false, message: `Give a whole number from 1 to ${MAX_PAGE_PARALLELISM}: this page runs two Web Workers per unit of parallelism${given}.` };
    }
    return planRestore(metadata, this.scenarioAt(parallelism), pointer);
  }

  /** Why `metadata` cannot restore the page's job at `parallelism`, or null. */
  restoreProblem(metadata: CheckpointMetadata, parallelism: number, pointer?: string): string | null {
    const plan = this.planRestore(metadata, parallelism, pointer);
    return plan.ok ? null : plan.message;
  }

  /**
   * Stops the running job and starts it from `source` at `parallelism`, on Web Workers. Everything is checked
   * before anything is written; a file is imported (all or nothing, under a job id of its own) while the old
   * job still runs, so a refused or failed import leaves the page as it was. Throws with the reason.
   */
  async restore(source: RestoreSource, parallelism: number): Promise<void> {
    if (this.busy) throw new Error('the page is starting a job; try again in a moment');
    const original = source.kind === 'file' ? source.snapshot.metadata : source.metadata;
    if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > MAX_PAGE_PARALLELISM) throw new Error(this.restoreProblem(original, parallelism)!);
    const setup = await this.storage();
    const { scenario, job, initialCheckpoint, committedBefore: before } = await importForRestore(setup.storage, source, this.scenarioAt(parallelism));
    this.stop();
    this.parallelism = parallelism;
    this.#adoptedMaxParallelism = scenario.maxParallelism;
    await this.guarded(async () => {
      this.phase = { kind: 'starting' };
      const highestCheckpointIdInStorage = await highestCheckpointIdSeen(setup.storage, this.jobId, initialCheckpoint);
      // The job that ran is gone, as a cancelled Flink job: its checkpoints go, savepoints stay.
      await cleanupBeforeResume(setup.storage, this.jobId, initialCheckpoint);
      this.#memoryOutputs = new InMemoryExternalSystems();
      const external = await this.outputs(setup, true);
      commitInto(external.output(job.built.outputName), before);
      const kind = initialCheckpoint.isSavepoint ? 'savepoint' : 'checkpoint';
      this.run(
        new WorkerRuntimeJob({
          jobId: this.jobId,
          seed: this.runOptions.seed,
          scenario: this.scenario,
          storage: setup.storage,
          databaseName: setup.databaseName,
          storageLabel: setup.label,
          external,
          initialCheckpoint,
          highestCheckpointIdInStorage,
        }),
      );
      this.restoredFrom = {
        description: source.kind === 'file' ? `${kind} ${original.checkpointId} from the file ${source.name}` : `${kind} ${original.checkpointId} in storage`,
        checkpointId: original.checkpointId,
        parallelism,
        importedAs: source.kind === 'file' ? initialCheckpoint.jobId : null,
        committedBefore: recordCount(before),
      };
    });
  }

  async boot(): Promise<void> {
    if (this.runOptions.runtime === 'deterministic') this.runSimulated();
    else await this.offerOrStartWorkers();
  }

  async resume(): Promise<void> {
    const phase = this.phase;
    if (phase.kind !== 'offering-resume') return;
    // A checkpoint of a run restored at another parallelism (or max parallelism) resumes with it.
    this.parallelism = parallelismOf(phase.checkpoint);
    const plan = planRestore(phase.checkpoint, this.scenarioAt(this.parallelism));
    this.#adoptedMaxParallelism = plan.ok ? plan.scenario.maxParallelism : undefined;
    await this.guarded(() => this.startWorkers(phase.checkpoint));
  }

  async startFresh(): Promise<void> {
    if (this.phase.kind !== 'offering-resume' && this.phase.kind !== 'failed') return;
    await this.guarded(() => this.startWorkersFresh());
  }

  /** Stops the job and starts the same runtime from scratch (old checkpoints and output discarded). */
  async startOver(): Promise<void> {
    if (this.busy) return;
    if (this.#job?.kind === 'trace') return this.closeTrace();
    const kind = this.#job?.kind ?? this.runOptions.runtime;
    this.stop();
    if (kind === 'deterministic') this.runSimulated();
    else await this.guarded(() => this.startWorkersFresh());
  }

  /** Between the Worker runtime and the deterministic replay; back on Workers, resuming is offered. */
  async switchRuntime(): Promise<void> {
    const kind = this.#job?.kind;
    if (kind === undefined || this.busy) return;
    if (kind === 'trace') return this.closeTrace();
    this.stop();
    this.runOptions = { ...this.runOptions, runtime: kind === 'worker' ? 'deterministic' : 'worker' };
    if (kind === 'worker') this.runSimulated();
    else await this.offerOrStartWorkers();
  }

  /**
   * Replays a recorded `events.jsonl` (this page's download, or `barrierscope run --out`) in every view. The
   * file is read, checked and folded into the views before the running job is stopped, so a refused file
   * loses nothing. Never throws: the result says what was opened, or why not.
   */
  async openTrace(file: TraceInput): Promise<{ readonly ok: boolean; readonly message: string }> {
    if (this.busy) return { ok: false, message: 'The page is starting a job; try again in a moment.' };
    if (file.size !== undefined && file.size > MAX_TRACE_CHARS) {
      return { ok: false, message: `${file.name}: ${Math.ceil(file.size / (1024 * 1024))} MB, more than the ${MAX_TRACE_CHARS / (1024 * 1024)} MB a trace may have` };
    }
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      return { ok: false, message: `${file.name} could not be read: ${error instanceof Error ? error.message : String(error)}` };
    }
    const read = readTrace(text, file.name);
    if (!read.ok) return { ok: false, message: read.message };
    let job: TraceRuntimeJob;
    try {
      job = new TraceRuntimeJob({ name: file.name, events: read.events, job: read.job, recordedBy: read.recordedBy, ...this.traceFrames });
    } catch (error) {
      return { ok: false, message: `${file.name}: its events do not make a run the views can show (${error instanceof Error ? error.message : String(error)})` };
    }
    if (this.busy) {
      job.stop();
      return { ok: false, message: 'The page is starting a job; try again in a moment.' };
    }
    this.stop();
    this.run(job);
    this.trace = { name: file.name, events: read.events.length, assumptions: read.assumptions };
    return { ok: true, message: `Replaying ${file.name}: ${read.events.length} events. The trace does not name its job, so the page assumed ${read.assumptions.join('; ')}.` };
  }

  /** Animation frames for an opened trace's timeline (tests set `{ frames: null }` and refresh it themselves). */
  traceFrames: { readonly frames?: null } = {};

  /** Leaves the trace for a live run with the run options: as on load (resuming stored checkpoints is offered), nothing discarded. */
  async closeTrace(): Promise<void> {
    if (this.busy) return;
    this.stop();
    await this.boot();
  }

  /** Storage is opening or a job is starting: actions wait for it rather than start a second job. */
  get busy(): boolean {
    return this.phase.kind === 'opening-storage' || this.phase.kind === 'starting';
  }

  stop(): void {
    this.restoredFrom = null;
    this.trace = null;
    this.#job?.stop();
    this.#job = null;
    this.#durableOutputs?.close();
    this.#durableOutputs = null;
  }

  private async offerOrStartWorkers(): Promise<void> {
    this.phase = { kind: 'opening-storage' };
    await this.guarded(async () => {
      const { storage, durable } = await this.storage();
      const latest = (await listCompletedCheckpoints(storage, this.jobId)).at(-1);
      if (latest) this.phase = { kind: 'offering-resume', checkpoint: latest, durable };
      else await this.startWorkers(null);
    });
  }

  private async startWorkersFresh(): Promise<void> {
    this.phase = { kind: 'starting' };
    this.#adoptedMaxParallelism = undefined;
    const { storage } = await this.storage();
    await discardCompletedCheckpoints(storage, this.jobId);
    this.#memoryOutputs = new InMemoryExternalSystems();
    await this.startWorkers(null);
  }

  private async startWorkers(initialCheckpoint: CheckpointMetadata | null): Promise<void> {
    this.phase = { kind: 'starting' };
    const setup = await this.storage();
    const highestCheckpointIdInStorage = initialCheckpoint ? await highestCheckpointIdSeen(setup.storage, this.jobId, initialCheckpoint) : 0;
    // Constructing the job validates the snapshot; only then is the old run's storage tidied up.
    const job = new WorkerRuntimeJob({
      jobId: this.jobId,
      seed: this.runOptions.seed,
      scenario: this.scenario,
      storage: setup.storage,
      databaseName: setup.databaseName,
      storageLabel: setup.label,
      external: await this.outputs(setup, initialCheckpoint === null),
      ...(initialCheckpoint ? { initialCheckpoint, highestCheckpointIdInStorage } : {}),
    });
    if (initialCheckpoint) await cleanupBeforeResume(setup.storage, this.jobId, initialCheckpoint);
    this.run(job);
  }

  /** The deterministic runtime runs the run options as they are (a restore's parallelism applies to Workers only). */
  private runSimulated(): void {
    this.run(new SimulatedRuntimeJob(scenarioJobOptionsOf(this.runOptions)));
  }

  private run(job: PageJob): void {
    this.#job = job;
    job.start();
    this.phase = { kind: 'running', job };
  }

  /** Durable outputs where IndexedDB works (hydrated, or emptied for a fresh run); this page's memory otherwise. */
  private async outputs(setup: StorageSetup, fresh: boolean): Promise<InMemoryExternalSystems> {
    if (!setup.durable) return this.#memoryOutputs;
    try {
      this.#durableOutputs = await DurableExternalSystems.open(this.jobId, { discardStored: fresh, onError: (message) => this.notice(message) });
      return this.#durableOutputs;
    } catch (error) {
      this.notice(`Committed output is kept in memory only: the '${OUTPUTS_DATABASE_NAME}' database did not open (${String(error)}).`);
      if (fresh) this.#memoryOutputs = new InMemoryExternalSystems();
      return this.#memoryOutputs;
    }
  }

  /** Opened once per page: Workers and the job master of every run share it. */
  private storage(): Promise<StorageSetup> {
    this.#storage ??= this.openStorage();
    return this.#storage;
  }

  private async openStorage(): Promise<StorageSetup> {
    const inMemory = 'in memory on this page, proxied to the Workers (lost on reload)';
    if (this.parameters.storage === 'memory') {
      this.storageProblem = 'Checkpoints are kept in memory because the URL asks for it (storage=memory): they will not survive a reload.';
      return { storage: new MemoryCheckpointStorage(realClock), durable: false, databaseName: null, label: inMemory };
    }
    const choice = await openCheckpointStorage(realClock, { dbName: DEFAULT_DATABASE_NAME });
    if (!choice.durable) {
      this.storageProblem = choice.problem;
      return { storage: choice.storage, durable: false, databaseName: null, label: inMemory };
    }
    return { storage: choice.storage, durable: true, databaseName: DEFAULT_DATABASE_NAME, label: `IndexedDB '${DEFAULT_DATABASE_NAME}', job id '${this.jobId}' (survives a reload)` };
  }

  private notice(message: string): void {
    if (!this.notices.includes(message)) this.notices = [...this.notices, message];
  }

  private async guarded(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.stop();
      this.phase = { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
  }
}

/** The parallelism a checkpoint was taken at (every operator of the page's job has the same), within the page's bounds. */
function parallelismOf(metadata: CheckpointMetadata): number {
  const parallelism = Math.max(1, ...metadata.operators.map((operator) => operator.parallelism));
  return Math.min(parallelism, MAX_PAGE_PARALLELISM);
}
