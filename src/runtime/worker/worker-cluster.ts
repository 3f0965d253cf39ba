// The main thread's side of the Worker runtime (the "TaskManagers"): one Web Worker per subtask, wired
// with one MessageChannel per pair of connected tasks so records flow worker to worker. Deploys, cancels
// (terminate), injects faults, and detects lost tasks: at once from a Worker's error event or a kill it
// made itself (a dropped connection), and by heartbeat.timeout for a Worker that went silent — checked
// only once the Worker reported it is deployed, so a slow start on a busy machine is never taken for a loss.
// Cancelling a deployment terminates its Workers (a task dies with its thread); with standby Workers on, once a
// job failed over, its next redeployment goes into Workers started earlier, idle, with storage open — Flink's TaskManagers that outlive
// a restart, or its redundant TaskManagers (slotmanager.redundant-taskmanager-num) — instead of paying for new
// Workers' start-up and module load on the recovery's critical path.
import type { HeartbeatConfiguration } from '../../engine/config';
import { formatDuration } from '../../engine/config/duration';
import type { CheckpointStorage } from '../../engine/ports/checkpoint-storage';
import type { Clock, TimerHandle } from '../../engine/ports/clock';
import type { EngineEvent } from '../../engine/events';
import type { TaskSample } from '../../engine/samples';
import { channelIdOf, type ChannelId, type TaskId } from '../../engine/ids';
import type { JobMasterMessage, TaskMessage } from '../../engine/task/messages';
import type { TaskDeploymentDescriptor } from '../../engine/task/task-deployment';
import type { TaskDeployer } from '../job-master/task-deployer';
import { checkVersion, MESSAGE_VERSION, type FromWorker, type JobSpec, type StorageSpec, type ToWorker, type WorkerDeployTimings } from './protocol';
import { serveStorageCall } from './proxy-checkpoint-storage';
import { realClock } from './real-clock';

/** The monitor looks this often at most (and at least five times per timeout), so a loss is seen soon after it. */
const MAX_HEARTBEAT_CHECK_MS = 1000;

/** The failure cause of a Worker that stayed silent (Flink: "The heartbeat of TaskManager with id … timed out."). */
export function heartbeatTimeoutCause(taskId: TaskId, timeoutMs: number): string {
  return `The heartbeat of TaskManager with id ${taskId} timed out: nothing heard for ${formatDuration(timeoutMs)} (heartbeat.timeout)`;
}

export interface WorkerClusterOptions {
  readonly job: JobSpec;
  /** IndexedDB database the workers open, or null to proxy storage calls to `storage` on this thread. */
  readonly databaseName: string | null;
  readonly storage: CheckpointStorage;
  /** heartbeat.interval and heartbeat.timeout of the job. */
  readonly heartbeat: HeartbeatConfiguration;
  readonly eventFlushIntervalMs?: number;
  /** Time for the heartbeat monitor; real time unless a test simulates it. */
  readonly clock?: Clock;
  onJobMasterMessage(message: JobMasterMessage): void;
  /** A Worker's events, in its emission order; `taskId` names the source (one queue per subtask). */
  onEvents(events: readonly EngineEvent[], taskId: TaskId): void;
  /** A Worker's answer to `requestSamples`. */
  onSample?(sample: TaskSample): void;
  onExternalWrite(output: string, operation: 'commit' | 'append', transactionId: string | null, records: readonly unknown[]): void;
  onTaskLost(taskId: TaskId, cause: string): void;
  /** A new Worker, named by its subtask (or `standby-<n>` for a standby Worker, which gets its subtask later). */
  createWorker?: (taskId: TaskId) => Worker;
  /**
   * From the first restart on, keep as many standby Workers as the latest deployment has tasks, started (job
   * graph built, storage open) once that deployment's tasks all restored or run, so that the next restart
   * deploys into them. Off (false) by default.
   */
  readonly standbyWorkers?: boolean;
}

/** One deployment's timings: its Worker's (WorkerDeployTimings) and when this thread deployed it, all real epoch ms. */
export interface DeploymentTimings extends WorkerDeployTimings {
  readonly taskId: TaskId;
  /** deploy() was called on this thread for it. */
  readonly deployedAt: number;
}

interface DeployedWorker {
  readonly worker: Worker;
  /** When deploy() was called for it (real time, for DeploymentTimings). */
  readonly deployedAt: number;
  /** When the Worker was last heard from; null until it reported 'deployed' (its heartbeat is not checked yet). */
  lastHeardMs: number | null;
}

export class WorkerCluster implements TaskDeployer {
  readonly #workers = new Map<TaskId, DeployedWorker>();
  /** Slowdowns set from outside, by subtask: they outlive a restart, as a slow machine would. */
  readonly #slowdowns = new Map<TaskId, number>();
  /** Latency added to channels from outside, by `from->to`: it outlives a restart, as a slow link would. */
  readonly #channelDelays = new Map<ChannelId, number>();
  /** Started, idle Workers with storage open (standbyWorkers), oldest first: the next deployment's. */
  readonly #standbys: Worker[] = [];
  /** Those of them that answered 'prepared'. */
  readonly #preparedStandbys = new WeakSet<Worker>();
  #standbysStarted = 0;
  /** Tasks of the latest deployment not yet restored or running; standbys are topped up once none is left. */
  readonly #starting = new Set<TaskId>();
  #standbysWanted = 0;
  #deployments = 0;
  #shutDown = false;
  /** The latest deployment's timings of each subtask, once its Worker sent them. */
  readonly #timings = new Map<TaskId, DeploymentTimings>();
  readonly #clock: Clock;
  readonly #checkEveryMs: number;
  #monitor: TimerHandle | null = null;

  constructor(private readonly options: WorkerClusterOptions) {
    this.#clock = options.clock ?? realClock;
    this.#checkEveryMs = Math.max(1, Math.min(MAX_HEARTBEAT_CHECK_MS, Math.floor(options.heartbeat.timeoutMs / 5)));
    this.scheduleHeartbeatCheck();
  }

  taskIds(): TaskId[] {
    return [...this.#workers.keys()];
  }

  /** Where the latest deployment of `taskId` spent its time (for the benchmark), once its task restored or runs. */
  deploymentTimings(taskId: TaskId): DeploymentTimings | undefined {
    return this.#timings.get(taskId);
  }

  deploy(descriptors: readonly TaskDeploymentDescriptor[]): void {
    const deployedAt = realClock.now();
    const ports = new Map<TaskId, Map<TaskId, MessagePort>>(descriptors.map((d) => [d.taskId, new Map()]));
    for (const consumer of descriptors) {
      for (const channel of consumer.inputChannels) {
        const producerPorts = ports.get(channel.producerTaskId)!;
        if (producerPorts.has(consumer.taskId)) continue;
        const pair = new MessageChannel();
        producerPorts.set(consumer.taskId, pair.port1);
        ports.get(consumer.taskId)!.set(channel.producerTaskId, pair.port2);
      }
    }
    this.#starting.clear();
    for (const descriptor of descriptors) this.#starting.add(descriptor.taskId);
    this.#standbysWanted = descriptors.length;
    this.#deployments += 1;
    for (const descriptor of descriptors) {
      const worker = this.#standbys.shift() ?? this.createWorker(descriptor.taskId);
      const deployed: DeployedWorker = { worker, deployedAt, lastHeardMs: null };
      this.#workers.set(descriptor.taskId, deployed);
      worker.onmessage = (event: MessageEvent<FromWorker>) => this.onWorkerMessage(descriptor.taskId, deployed, event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        // A late error of a Worker already replaced by a newer attempt must not take the new one down.
        if (this.#workers.get(descriptor.taskId) === deployed) this.lose(descriptor.taskId, `Worker error: ${event.message}`);
      };
      const peers = ports.get(descriptor.taskId)!;
      const message: ToWorker = {
        version: MESSAGE_VERSION,
        type: 'deploy',
        descriptor,
        job: this.options.job,
        peers: [...peers.keys()],
        storage: this.storageSpec(),
        eventFlushIntervalMs: this.options.eventFlushIntervalMs ?? 50,
        heartbeatIntervalMs: this.options.heartbeat.intervalMs,
        slowdownFactor: this.slowdownOf(descriptor.taskId),
        channelDelays: [...peers.keys()].map((receiver) => [receiver, this.channelDelayOf(descriptor.taskId, receiver)] as const).filter(([, ms]) => ms > 0),
      };
      worker.postMessage(message, [...peers.values()]);
    }
  }

  /** Standby Workers started and idle now (standbyWorkers). */
  standbyCount(): number {
    return this.#standbys.length;
  }

  /** Standby Workers idle with job graph and storage ready (they answered 'prepare'). */
  preparedStandbyCount(): number {
    return this.#standbys.filter((worker) => this.#preparedStandbys.has(worker)).length;
  }

  private createWorker(name: TaskId): Worker {
    return this.options.createWorker?.(name) ?? new Worker(new URL('./task.worker.ts', import.meta.url), { type: 'module', name });
  }

  private storageSpec(): StorageSpec {
    return this.options.databaseName ? { kind: 'indexeddb', databaseName: this.options.databaseName } : { kind: 'proxy' };
  }

  /**
   * Up to as many standby Workers as the latest deployment has tasks, each told to build the job graph and open
   * storage now. One at a time (the next once the last answered 'prepared'), so their start-up is spread out
   * rather than one burst competing with the tasks that just started.
   */
  private topUpStandbys(): void {
    // Only a job that already failed over keeps standbys: one that never restarts never pays for idle Workers.
    if (!this.options.standbyWorkers || this.#shutDown || this.#deployments < 2) return;
    if (this.#standbys.length >= this.#standbysWanted || this.#standbys.some((worker) => !this.#preparedStandbys.has(worker))) return;
    const worker = this.createWorker(`standby-${this.#standbysStarted++}`);
    // A standby that fails before it has a task is dropped: no task was lost.
    worker.onerror = (event) => {
      event.preventDefault();
      const index = this.#standbys.indexOf(worker);
      if (index >= 0) this.#standbys.splice(index, 1);
      worker.terminate();
      this.topUpStandbys();
    };
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      if (event.data.type !== 'prepared' || !this.#standbys.includes(worker)) return;
      this.#preparedStandbys.add(worker);
      this.topUpStandbys();
    };
    worker.postMessage({ version: MESSAGE_VERSION, type: 'prepare', job: this.options.job, storage: this.storageSpec() } satisfies ToWorker);
    this.#standbys.push(worker);
  }

  cancelAll(done: () => void): void {
    for (const { worker } of this.#workers.values()) worker.terminate();
    this.#workers.clear();
    setTimeout(done, 0);
  }

  sendToTask(taskId: TaskId, message: TaskMessage): void {
    this.#workers.get(taskId)?.worker.postMessage({ version: MESSAGE_VERSION, type: 'task-message', message } satisfies ToWorker);
  }

  /** Asks every deployed Worker for its task's sample; each answers through `onSample`. */
  requestSamples(): void {
    for (const taskId of this.#workers.keys()) this.post(taskId, { version: MESSAGE_VERSION, type: 'sample' });
  }

  /** Fault injection: worker.terminate(); the loss is noticed at once, like a dropped TaskManager connection. */
  kill(taskId: TaskId): boolean {
    const deployed = this.#workers.get(taskId);
    if (!deployed) return false;
    deployed.worker.terminate();
    this.lose(taskId, 'Worker terminated (killed)');
    return true;
  }

  /** Fault injection: an exception inside the task's operator code. */
  crash(taskId: TaskId, message: string): boolean {
    return this.post(taskId, { version: MESSAGE_VERSION, type: 'crash', message });
  }

  /** Fault injection: the task's next snapshot upload fails. */
  failNextUpload(taskId: TaskId): boolean {
    return this.post(taskId, { version: MESSAGE_VERSION, type: 'fail-next-upload' });
  }

  /**
   * Fault injection: the subtask processes `factor` times slower (1 = back to normal), now and in every
   * later attempt until changed. True when a Worker got it now, false when it applies from the next deployment.
   */
  slow(taskId: TaskId, factor: number): boolean {
    if (!(factor >= 1)) throw new RangeError(`A slowdown factor must be at least 1, got ${factor}`);
    if (factor === 1) this.#slowdowns.delete(taskId);
    else this.#slowdowns.set(taskId, factor);
    return this.post(taskId, { version: MESSAGE_VERSION, type: 'slow', factor });
  }

  /**
   * Fault injection: what `from` sends to `to` takes `latencyMs` longer (0 = normal), now and in every later
   * attempt until changed; the sender's Worker holds it back, in order. True when a Worker got it now.
   */
  delayChannel(from: TaskId, to: TaskId, latencyMs: number): boolean {
    if (!(latencyMs >= 0)) throw new RangeError(`A channel's added latency must be at least 0 ms, got ${latencyMs}`);
    const channel = channelIdOf(from, to);
    if (latencyMs === 0) this.#channelDelays.delete(channel);
    else this.#channelDelays.set(channel, latencyMs);
    return this.post(from, { version: MESSAGE_VERSION, type: 'delay-channel', receiver: to, latencyMs });
  }

  channelDelayOf(from: TaskId, to: TaskId): number {
    return this.#channelDelays.get(channelIdOf(from, to)) ?? 0;
  }

  /** The slowdown set on the subtask (1 = normal speed): what its Worker runs at, and the next one will. */
  slowdownOf(taskId: TaskId): number {
    return this.#slowdowns.get(taskId) ?? 1;
  }

  private post(taskId: TaskId, message: ToWorker): boolean {
    const deployed = this.#workers.get(taskId);
    deployed?.worker.postMessage(message);
    return deployed !== undefined;
  }

  shutdown(): void {
    this.#shutDown = true;
    if (this.#monitor !== null) this.#clock.clearTimeout(this.#monitor);
    this.#monitor = null;
    for (const worker of this.#standbys.splice(0)) worker.terminate();
    for (const { worker } of this.#workers.values()) worker.terminate();
    this.#workers.clear();
  }

  private lose(taskId: TaskId, cause: string): void {
    const deployed = this.#workers.get(taskId);
    if (!deployed) return;
    deployed.worker.terminate();
    this.#workers.delete(taskId);
    this.options.onTaskLost(taskId, cause);
  }

  private scheduleHeartbeatCheck(): void {
    this.#monitor = this.#clock.setTimeout(() => {
      this.checkHeartbeats();
      this.scheduleHeartbeatCheck();
    }, this.#checkEveryMs);
  }

  private checkHeartbeats(): void {
    const now = this.#clock.now();
    const { timeoutMs } = this.options.heartbeat;
    for (const [taskId, deployed] of this.#workers) {
      if (deployed.lastHeardMs !== null && now - deployed.lastHeardMs > timeoutMs) this.lose(taskId, heartbeatTimeoutCause(taskId, timeoutMs));
    }
  }

  private onWorkerMessage(taskId: TaskId, deployed: DeployedWorker, message: FromWorker): void {
    if (this.#workers.get(taskId) !== deployed) return;
    checkVersion(message);
    // Any message shows the Worker alive; until it reported 'deployed' there is no heartbeat to check yet.
    if (message.type === 'deployed' || deployed.lastHeardMs !== null) deployed.lastHeardMs = this.#clock.now();
    switch (message.type) {
      case 'job-master':
        this.options.onJobMasterMessage(message.message);
        return;
      case 'events':
        this.options.onEvents(message.events, taskId);
        return;
      case 'sample':
        this.options.onSample?.(message.sample);
        return;
      case 'external':
        this.options.onExternalWrite(message.output, message.operation, message.transactionId, message.records);
        return;
      case 'storage-call':
        serveStorageCall(this.options.storage, message.method, message.args, (result) =>
          deployed.worker.postMessage({ version: MESSAGE_VERSION, type: 'storage-result', requestId: message.requestId, result } satisfies ToWorker),
        );
        return;
      case 'timings':
        this.#timings.set(taskId, { ...message.timings, taskId, deployedAt: deployed.deployedAt });
        // Once every task of the deployment restored or runs, the standbys for the next one start (off its critical path).
        if (this.#starting.delete(taskId) && this.#starting.size === 0) this.topUpStandbys();
        return;
      case 'deployed':
      case 'heartbeat':
      case 'prepared':
        return;
      case 'fatal':
        this.lose(taskId, message.error);
    }
  }
}
