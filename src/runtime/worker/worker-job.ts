// A job on the Worker runtime, as the page and the browser tests use it: the job master on the main
// thread (real clock), one Worker per subtask, checkpoints in IndexedDB (or proxied in-memory storage),
// sinks writing to external outputs owned here, and one ordered event stream.
import type { CheckpointStorage } from '../../engine/ports/checkpoint-storage';
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import type { EngineEvent } from '../../engine/events';
import type { TaskSample } from '../../engine/samples';
import { channelIdOf, type TaskId } from '../../engine/ids';
import { seededRandom } from '../../engine/ports/random';
import { InMemoryExternalSystems } from '../../engine/connectors/external-systems';
import type { NetworkLimits } from '../../engine/task/network-limits';
import { JobMaster } from '../job-master/job-master';
import { prepareScenarioJob, type ScenarioJob, type ScenarioJobOptions } from '../sim/scenario-job';
import { realClock } from './real-clock';
import { WorkerCluster } from './worker-cluster';
import { OrderedEventStream } from './ordered-event-stream';

/** Network buffers sized for postMessage: ~6 µs per message whatever its size (TOOLCHAIN.md). */
export const WORKER_NETWORK_LIMITS: NetworkLimits = {
  bufferCapacityRecords: 1024,
  buffersPerChannel: 4,
  maxBacklogBuffersPerSubpartition: 4,
};

export interface WorkerJobOptions {
  readonly jobId: string;
  readonly scenario: ScenarioJobOptions;
  readonly storage: CheckpointStorage;
  /** The IndexedDB database workers open; null when storage is in memory (proxied through this thread). */
  readonly databaseName: string | null;
  readonly external?: InMemoryExternalSystems;
  readonly initialCheckpoint?: CheckpointMetadata;
  /** See JobMasterOptions.highestCheckpointIdInStorage. */
  readonly highestCheckpointIdInStorage?: number;
  readonly seed?: number;
  readonly network?: NetworkLimits;
  /** Receives each task's sample, once `requestSamples()` asked for them. */
  readonly onSample?: (sample: TaskSample) => void;
  /** Collect `records-moved` events and the rest; off for benchmarks. */
  readonly events?: boolean;
  /** After its first restart, restarts deploy into standby Workers started beforehand (WorkerClusterOptions.standbyWorkers); default true. */
  readonly standbyWorkers?: boolean;
}

export class WorkerJob {
  readonly job: ScenarioJob;
  readonly jobMaster: JobMaster;
  readonly cluster: WorkerCluster;
  readonly external: InMemoryExternalSystems;
  readonly events = new OrderedEventStream();
  readonly #emit: (event: EngineEvent) => void;
  /** Transactions the external system took in this run, and those a `sink-committed` event has reported. */
  readonly #acceptedCommits = new Set<string>();
  readonly #reportedCommits = new Set<string>();
  #startedAtMs = 0;

  constructor(readonly options: WorkerJobOptions) {
    this.job = prepareScenarioJob(options.scenario);
    this.external = options.external ?? new InMemoryExternalSystems();
    const emit = options.events === false ? () => {} : (event: EngineEvent) => this.events.push([event]);
    this.#emit = emit;
    this.cluster = new WorkerCluster({
      job: { scenario: options.scenario },
      databaseName: options.databaseName,
      storage: options.storage,
      heartbeat: this.job.configuration.heartbeat,
      standbyWorkers: options.standbyWorkers ?? true,
      onJobMasterMessage: (message) => this.jobMaster.receive(message),
      onEvents: (events, taskId) => {
        if (options.events !== false) this.events.push(this.withoutRefusedCommits(events), taskId);
      },
      onExternalWrite: (output, operation, transactionId, records) => {
        const target = this.external.output(output);
        if (operation !== 'commit') return target.append(records);
        // A restored Worker cannot know a transaction was committed before: the external system here refuses it.
        if (target.commitTransaction(transactionId ?? '', records)) this.#acceptedCommits.add(transactionId ?? '');
      },
      onTaskLost: (taskId, cause) => {
        this.events.sourceLost(taskId);
        this.jobMaster.taskLost(taskId, cause);
      },
      ...(options.onSample ? { onSample: options.onSample } : {}),
    });
    this.jobMaster = this.createJobMaster(options, emit);
    // The job master's checkpoint statistics fold the stream in its order (none when events are off).
    this.events.subscribe((events) => {
      for (const event of events) this.jobMaster.stats.apply(event);
    });
  }

  private createJobMaster(options: WorkerJobOptions, emit: (event: EngineEvent) => void): JobMaster {
    try {
      return new JobMaster({
        jobId: options.jobId,
        jobGraph: this.job.jobGraph,
        configuration: this.job.configuration,
        clock: realClock,
        random: seededRandom(options.seed ?? 1),
        storage: options.storage,
        deployer: this.cluster,
        emit,
        network: options.network ?? WORKER_NETWORK_LIMITS,
        storageLocation: options.databaseName ? `indexeddb://${options.databaseName}/` : 'memory://',
        ...(options.initialCheckpoint ? { initialCheckpoint: options.initialCheckpoint } : {}),
        ...(options.highestCheckpointIdInStorage === undefined ? {} : { highestCheckpointIdInStorage: options.highestCheckpointIdInStorage }),
      });
    } catch (error) {
      this.cluster.shutdown(); // a refused snapshot (or configuration) must not leave the heartbeat monitor running
      throw error;
    }
  }

  /**
   * A transaction is reported committed once, when the external system here took it: a restored Worker commits
   * again what it cannot know was committed (the external system refuses it), and its event is dropped. The sink's
   * 'external' message comes before its events over the same port, so the commit is known when its event arrives.
   */
  private withoutRefusedCommits(events: readonly EngineEvent[]): readonly EngineEvent[] {
    if (!events.some((event) => event.type === 'sink-committed')) return events;
    return events.filter((event) => {
      if (event.type !== 'sink-committed') return true;
      if (this.#reportedCommits.has(event.transactionId) || !this.#acceptedCommits.has(event.transactionId)) return false;
      this.#reportedCommits.add(event.transactionId);
      return true;
    });
  }

  start(): void {
    this.#startedAtMs = realClock.now();
    this.jobMaster.start();
  }

  /**
   * Fault injection, each recorded as a `fault-injected` event (as the deterministic runtime records its
   * faults) before it takes effect, so the failure it causes follows it in the event stream.
   */
  kill(taskId: TaskId): boolean {
    if (!this.cluster.taskIds().includes(taskId)) return false;
    this.faultInjected(`kill:${taskId}@${this.elapsedMs()} (from the page)`);
    return this.cluster.kill(taskId);
  }

  crash(taskId: TaskId, message = 'user code threw'): boolean {
    if (!this.cluster.taskIds().includes(taskId)) return false;
    this.faultInjected(`crash:${taskId}@${this.elapsedMs()} (from the page)`);
    return this.cluster.crash(taskId, message);
  }

  /** The task itself records the fault when its next snapshot's upload fails. */
  failNextSnapshot(taskId: TaskId): boolean {
    return this.cluster.failNextUpload(taskId);
  }

  /** The slowdown stays with the subtask across restarts (see WorkerCluster.slow). */
  slow(taskId: TaskId, factor: number): boolean {
    this.faultInjected(`slow-task:${taskId}@${this.elapsedMs()}x${factor}`);
    return this.cluster.slow(taskId, factor);
  }

  slowdownOf(taskId: TaskId): number {
    return this.cluster.slowdownOf(taskId);
  }

  /** The added latency stays with the channel across restarts (see WorkerCluster.delayChannel). */
  delayChannel(from: TaskId, to: TaskId, latencyMs: number): boolean {
    this.faultInjected(`delay-channel:${channelIdOf(from, to)}@${this.elapsedMs()}+${latencyMs}`);
    return this.cluster.delayChannel(from, to, latencyMs);
  }

  channelDelayOf(from: TaskId, to: TaskId): number {
    return this.cluster.channelDelayOf(from, to);
  }

  /** Every Worker answers with its task's sample (WorkerJobOptions.onSample). */
  requestSamples(): void {
    this.cluster.requestSamples();
  }

  private faultInjected(fault: string): void {
    this.#emit({ type: 'fault-injected', time: realClock.now(), fault });
  }

  private elapsedMs(): number {
    return Math.round(realClock.now() - this.#startedAtMs);
  }

  output(): readonly unknown[] {
    return this.external.output(this.job.built.outputName).records();
  }

  stop(): void {
    this.jobMaster.stop();
    this.cluster.shutdown();
    this.events.flush();
  }
}

/** The newest completed checkpoint of `jobId` in storage (what a reloaded page offers to resume from). */
export function latestCompletedCheckpoint(storage: CheckpointStorage, jobId: string): Promise<CheckpointMetadata | null> {
  return new Promise((resolve, reject) =>
    storage.listCompleted(jobId, (result) => (result.ok ? resolve(result.value.at(-1) ?? null) : reject(new Error(result.error)))),
  );
}
