// The deterministic runtime: a whole job in one thread under virtual time. Tasks, the job master and
// the coordinator share one seeded scheduler; messages take a modelled latency and stay FIFO per
// sender/receiver pair; faults are scheduled from the plan. Same seed + plan ⇒ the same event log.
import type { JobGraph } from '../../engine/graph/job-graph';
import type { JobConfiguration } from '../../engine/config';
import type { EngineEvent, EventSink } from '../../engine/events';
import { channelIdOf, parseTaskId, type ChannelId, type TaskId } from '../../engine/ids';
import { seededRandom, type Random } from '../../engine/ports/random';
import { Task } from '../../engine/task/task';
import type { JobMasterMessage, TaskMessage } from '../../engine/task/messages';
import type { TaskDeploymentDescriptor } from '../../engine/task/task-deployment';
import { InMemoryExternalSystems } from '../../engine/connectors/external-systems';
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import { MemoryCheckpointStorage, type StorageLatency } from '../../storage/memory-checkpoint-storage';
import { JobMaster } from '../job-master/job-master';
import type { TaskDeployer } from '../job-master/task-deployer';
import { Scheduler } from './scheduler';
import { SimulatedClock } from './sim-clock';
import { FaultyCheckpointStorage } from '../../storage/faulty-checkpoint-storage';
import { formatFault, type Fault } from './fault-plan';
import { MemoryKeyGroupStores } from '../../storage/memory-key-group-store';
import type { NetworkLimits } from '../../engine/task/network-limits';

export interface SimulationOptions {
  readonly seed: number;
  readonly jobId?: string;
  readonly jobGraph: JobGraph;
  readonly configuration: JobConfiguration;
  readonly faults?: readonly Fault[];
  /** Base one-way message latency and its seeded jitter, in ms. */
  readonly networkLatencyMs?: number;
  readonly networkJitterMs?: number;
  /** Virtual processing cost of one record (default 0.02 ms). */
  readonly recordCostMs?: number;
  /** Records a task handles per step. */
  readonly stepBudget?: number;
  /** The data plane's bounds (buffer size, credits); default DEFAULT_NETWORK_LIMITS. The benchmark gives the Worker runtime's. */
  readonly network?: NetworkLimits;
  readonly storageLatency?: StorageLatency;
  /** The indexeddb backend's bound on key groups in memory per subtask, and its working store's latency. */
  readonly maxResidentKeyGroups?: number;
  readonly keyGroupStoreLatency?: StorageLatency;
  /** How long the runtime takes to notice a killed task (a Worker's error event). */
  readonly failureDetectionMs?: number;
  readonly initialCheckpoint?: CheckpointMetadata;
  /** The initial checkpoint's pointer (a file name), named in restore errors. */
  readonly initialCheckpointPointer?: string;
  /** Start with a copy of another run's checkpoint storage (a new machine, or a reloaded page). */
  readonly durableStorageOf?: MemoryCheckpointStorage;
  /** Called for each event; by default events are kept in `events`. */
  readonly onEvent?: EventSink;
}

const MAX_ACTIONS_PER_RUN = 50_000_000;

/** Virtual ms of work a slowed task's step does at most (one record at least); see stepBudgetOf. */
const MAX_SLOWED_STEP_MS = 10;

export class Simulation {
  readonly scheduler = new Scheduler();
  readonly clock = new SimulatedClock(this.scheduler);
  readonly random: Random;
  readonly external = new InMemoryExternalSystems();
  readonly memoryStorage: MemoryCheckpointStorage;
  readonly storage: FaultyCheckpointStorage;
  /** Working stores of the indexeddb keyed backend (used when state.backend.type is 'indexeddb'). */
  readonly keyGroupStores: MemoryKeyGroupStores;
  readonly events: EngineEvent[] = [];
  readonly jobMaster: JobMaster;
  readonly tasks = new Map<TaskId, Task>();
  readonly #stepScheduled = new Set<TaskId>();
  readonly #lastDelivery = new Map<string, number>();
  readonly #processedRecords = new Map<TaskId, number>();
  readonly #extraLatency = new Map<TaskId, number>();
  /** Latency added to one channel (`from->to`) from outside: a slow link. */
  readonly #channelLatency = new Map<ChannelId, number>();
  readonly #slowFactor = new Map<TaskId, number>();
  /** Virtual time (fractional ms) until which a slowed task is busy with work it has done; per task attempt. */
  readonly #busyUntil = new WeakMap<Task, number>();
  readonly #killAfter: Array<{ taskId: TaskId; records: number; fault: Fault }> = [];
  readonly #emit: EventSink;

  constructor(private readonly options: SimulationOptions) {
    this.random = seededRandom(options.seed);
    const sink: EventSink = options.onEvent ?? ((event) => this.events.push(event));
    // The job master's statistics fold sees every event first, so a sink reading them sees its own event counted.
    this.#emit = (event) => {
      this.jobMaster?.stats.apply(event);
      sink(event);
    };
    this.memoryStorage = options.durableStorageOf
      ? MemoryCheckpointStorage.copyOf(options.durableStorageOf, this.clock, options.storageLatency)
      : new MemoryCheckpointStorage(this.clock, options.storageLatency);
    this.keyGroupStores = new MemoryKeyGroupStores(this.clock, options.maxResidentKeyGroups, options.keyGroupStoreLatency);
    this.storage = new FaultyCheckpointStorage(this.memoryStorage, (fault) => this.#emit({ type: 'fault-injected', time: this.clock.now(), fault }));
    const deployer: TaskDeployer = {
      deploy: (descriptors) => this.deploy(descriptors),
      cancelAll: (done) => {
        for (const task of this.tasks.values()) task.cancel();
        this.tasks.clear();
        this.clock.setTimeout(done, 0);
      },
      sendToTask: (taskId, message) => this.deliverToTask('jobmaster', taskId, message),
    };
    this.jobMaster = new JobMaster({
      jobId: options.jobId ?? 'job',
      jobGraph: options.jobGraph,
      configuration: options.configuration,
      clock: this.clock,
      random: this.random,
      storage: this.storage,
      deployer,
      emit: this.#emit,
      ...(options.network ? { network: options.network } : {}),
      ...(options.initialCheckpoint ? { initialCheckpoint: options.initialCheckpoint } : {}),
      ...(options.initialCheckpointPointer === undefined ? {} : { initialCheckpointPointer: options.initialCheckpointPointer }),
    });
    for (const fault of options.faults ?? []) this.scheduleFault(fault);
  }

  start(): void {
    this.jobMaster.start();
  }

  /** Run until virtual time `timeMs`, or until `stop()` says so after an action. */
  runUntil(timeMs: number, stop?: () => boolean): void {
    this.scheduler.runUntil(timeMs, stop, MAX_ACTIONS_PER_RUN);
  }

  get now(): number {
    return this.scheduler.now;
  }

  private deploy(descriptors: readonly TaskDeploymentDescriptor[]): void {
    for (const descriptor of descriptors) {
      const taskId = descriptor.taskId;
      const task: Task = new Task(descriptor, this.options.jobGraph.vertex(descriptor.vertexId), {
        clock: this.clock,
        storage: this.storage,
        keyGroupStores: this.keyGroupStores,
        external: this.external,
        emit: this.#emit,
        transport: {
          sendToTask: (target, message) => this.deliverToTask(taskId, target, message),
          sendToJobMaster: (message) => this.deliverToJobMaster(taskId, message),
        },
        requestStep: () => this.requestStep(task),
      });
      this.tasks.set(taskId, task);
    }
    for (const descriptor of descriptors) this.tasks.get(descriptor.taskId)!.start();
  }

  private requestStep(task: Task): void {
    if (this.#stepScheduled.has(task.taskId)) return;
    this.#stepScheduled.add(task.taskId);
    this.clock.setTimeout(() => this.runStep(task), this.busyFor(task));
  }

  /** Whole ms until the task is done with the work it has already done (0 unless it is slowed). */
  private busyFor(task: Task): number {
    return Math.max(0, Math.ceil(this.#busyUntil.get(task) ?? 0) - this.clock.now());
  }

  private runStep(task: Task): void {
    this.#stepScheduled.delete(task.taskId);
    if (this.tasks.get(task.taskId) !== task) return;
    const result = task.step(this.stepBudgetOf(task));
    const processed = (this.#processedRecords.get(task.taskId) ?? 0) + result.processed;
    this.#processedRecords.set(task.taskId, processed);
    const killAfter = this.#killAfter.find((entry) => entry.taskId === task.taskId && processed >= entry.records);
    if (killAfter) {
      this.#killAfter.splice(this.#killAfter.indexOf(killAfter), 1);
      this.kill(task.taskId, formatFault(killAfter.fault));
      return;
    }
    const recordCostMs = this.options.recordCostMs ?? 0.02;
    const factor = this.#slowFactor.get(task.taskId) ?? 1;
    // The virtual clock stood still inside step(): tell the task what its work cost, for its busy time
    // (samples only, never events). At normal speed that is a modelled fraction of a ms per record, not a
    // measurement — the simulator cannot know a real sub-ms cost — and slowed it is the time #busyUntil charges.
    task.chargeBusyTime(result.processed * recordCostMs * factor);
    if (factor > 1) {
      // A slowed task is busy for the whole cost of what it did, queued work or not: input arriving
      // meanwhile waits for it, its buffers fill, credits run out and its producers back up. Fractions
      // add up, so a slowdown shows even when each step is far below the clock's 1 ms resolution.
      const start = Math.max(this.#busyUntil.get(task) ?? 0, this.clock.now());
      this.#busyUntil.set(task, start + result.processed * recordCostMs * factor);
    }
    if (!result.hasMoreWork) return;
    // At normal speed a record's cost is far below 1 ms, so it is charged only while work stays queued.
    const costMs = factor > 1 ? this.busyFor(task) : Math.ceil(result.processed * recordCostMs);
    this.#stepScheduled.add(task.taskId);
    this.clock.setTimeout(() => this.runStep(task), costMs);
  }

  /**
   * Records a step may process. A slowed task's step is cut to about MAX_SLOWED_STEP_MS of its work (at least one
   * record): Flink's mailbox runs a priority action (an unaligned barrier, FLIP-76) between two records, so a barrier
   * that arrives while a slow task works waits for the record in hand, not for a whole batch of them.
   */
  private stepBudgetOf(task: Task): number {
    const budget = this.options.stepBudget ?? 64;
    const factor = this.#slowFactor.get(task.taskId) ?? 1;
    if (factor <= 1) return budget;
    const recordMs = (this.options.recordCostMs ?? 0.02) * factor;
    return Math.max(1, Math.min(budget, Math.floor(MAX_SLOWED_STEP_MS / recordMs)));
  }

  private latency(from: string, to: string): number {
    const base = this.options.networkLatencyMs ?? 1;
    const jitter = this.options.networkJitterMs ?? 1;
    const added = (this.#extraLatency.get(to) ?? 0) + (this.#channelLatency.get(channelIdOf(from, to)) ?? 0);
    return base + Math.floor(this.random.next() * (jitter + 1)) + added;
  }

  /** FIFO per (from, to): a message never overtakes an earlier one on the same connection. */
  private deliveryTime(from: string, to: string): number {
    const connection = channelIdOf(from, to);
    const time = Math.max(this.clock.now() + this.latency(from, to), this.#lastDelivery.get(connection) ?? 0);
    this.#lastDelivery.set(connection, time);
    return time;
  }

  private deliverToTask(from: string, to: TaskId, message: TaskMessage): void {
    this.scheduler.schedule(this.deliveryTime(from, to), () => this.tasks.get(to)?.receive(message));
  }

  private deliverToJobMaster(from: TaskId, message: JobMasterMessage): void {
    this.scheduler.schedule(this.deliveryTime(from, 'jobmaster'), () => this.jobMaster.receive(message));
  }

  private resolveTask(uid: string, subtask: number): TaskId {
    const vertex = this.options.jobGraph.vertices.find((v) => v.operators.some((operator) => operator.uid === uid));
    if (!vertex) throw new Error(`Fault names operator uid '${uid}', which is not in the job (uids: ${this.options.jobGraph.operatorUids().join(', ')})`);
    if (subtask >= vertex.parallelism) throw new Error(`Fault names subtask ${subtask} of '${uid}', which has parallelism ${vertex.parallelism}`);
    return `${vertex.id}#${subtask}`;
  }

  private scheduleFault(fault: Fault): void {
    const taskId = this.resolveTask(fault.uid, fault.subtask);
    const description = formatFault(fault);
    switch (fault.kind) {
      case 'kill':
        this.scheduler.schedule(fault.atMs, () => this.kill(taskId, description));
        return;
      case 'kill-after':
        this.#killAfter.push({ taskId, records: fault.records, fault });
        return;
      case 'fail-snapshot': {
        // Only keyed state is uploaded by the task; operator state travels inline with the ack (as Flink
        // inlines state below its memory threshold), so a task without keyed state has no upload to fail.
        const vertex = this.options.jobGraph.vertex(parseTaskId(taskId).vertexId);
        if (!vertex.operators.some((operator) => operator.keySelector !== null)) {
          const keyed = this.options.jobGraph.vertices.filter((v) => v.operators.some((o) => o.keySelector !== null)).flatMap((v) => v.operators.map((o) => o.uid));
          throw new Error(`Fault '${description}': task ${taskId} uploads no keyed state, so it has no snapshot upload to fail; pick one of: ${keyed.join(', ')}`);
        }
        this.storage.failUpload(taskId, fault.checkpointId);
        return;
      }
      case 'delay-channel':
        this.scheduler.schedule(fault.atMs, () => {
          this.#extraLatency.set(taskId, fault.latencyMs);
          this.#emit({ type: 'fault-injected', time: this.clock.now(), fault: description });
        });
        return;
      case 'slow-task':
        this.scheduler.schedule(fault.atMs, () => {
          this.#slowFactor.set(taskId, fault.factor);
          this.#emit({ type: 'fault-injected', time: this.clock.now(), fault: description });
        });
    }
  }

  /**
   * From now on messages from `from` to `to` take `latencyMs` longer (0: back to normal), in order: a later
   * message never overtakes an earlier one (deliveryTime). It outlives restarts, as a slow link would.
   */
  delayChannel(from: TaskId, to: TaskId, latencyMs: number): void {
    const channel = channelIdOf(from, to);
    if (latencyMs === 0) this.#channelLatency.delete(channel);
    else this.#channelLatency.set(channel, latencyMs);
    this.#emit({ type: 'fault-injected', time: this.clock.now(), fault: `delay-channel:${channel}@${this.clock.now()}+${latencyMs}` });
  }

  /** The latency added to the channel from outside (0 = none). */
  channelDelayOf(from: TaskId, to: TaskId): number {
    return this.#channelLatency.get(channelIdOf(from, to)) ?? 0;
  }

  /** The slowdown in effect for the subtask (1 = normal speed); it outlives restarts, as a slow machine would. */
  slowdownOf(taskId: TaskId): number {
    return this.#slowFactor.get(taskId) ?? 1;
  }

  /** From now on the task processes `factor` times slower (1 = normal speed): backpressure upstream. */
  slowTask(taskId: TaskId, factor: number): void {
    this.#slowFactor.set(taskId, factor);
    this.#emit({ type: 'fault-injected', time: this.clock.now(), fault: `slow-task:${taskId}@${this.clock.now()}x${factor}` });
  }

  /** As worker.terminate(): the task stops at once; the job master notices after the detection delay. */
  kill(taskId: TaskId, description: string): void {
    const task = this.tasks.get(taskId);
    this.#emit({ type: 'fault-injected', time: this.clock.now(), fault: description });
    if (!task || task.executionState === 'CANCELED' || task.executionState === 'FAILED') return;
    task.terminate();
    this.tasks.delete(taskId);
    this.#stepScheduled.delete(taskId);
    const attempt = task.descriptor.attempt;
    this.clock.setTimeout(() => {
      if (this.jobMaster.attempt === attempt) this.jobMaster.taskLost(taskId, `Task ${parseTaskId(taskId).vertexId} subtask ${parseTaskId(taskId).subtaskIndex} was killed (worker terminated)`);
    }, this.options.failureDetectionMs ?? 5);
  }
}
