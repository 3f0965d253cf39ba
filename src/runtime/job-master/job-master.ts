// The JobManager side of one job: wires the job lifecycle machine, the checkpoint coordinator machine
// and a runtime's TaskDeployer. Routes task messages (acks, declines, state changes, ends of data, failures),
// deploys every attempt from the latest completed checkpoint, plans each checkpoint over its tasks (FLIP-147:
// also once some finished), and exposes what the UI and CLI need to observe.
// Its checkpoint statistics are a fold over its runtime's event stream (the runtime feeds `stats`).
import { createActor, type Actor } from 'xstate';
import type { JobGraph } from '../../engine/graph/job-graph';
import { ConfigurationError, unmodelledOptionProblems, type JobConfiguration } from '../../engine/config';
import type { CheckpointStorage } from '../../engine/ports/checkpoint-storage';
import type { Clock } from '../../engine/ports/clock';
import type { Random } from '../../engine/ports/random';
import type { EventSink } from '../../engine/events';
import type { CheckpointId, JobId, TaskId } from '../../engine/ids';
import { CompletedCheckpointStore } from '../../engine/checkpoint/completed-checkpoint-store';
import { CheckpointStatsFold } from '../../engine/checkpoint/checkpoint-stats-fold';
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import type { TaskRestore } from '../../engine/checkpoint/task-restore';
import { assignStates, channelStateRescaleProblem } from '../../engine/checkpoint/state-assignment';
import { validateSavepointRestore } from '../../engine/checkpoint/savepoint-restore';
import type { CheckpointOptions, CheckpointType, ExecutionState, JobMasterMessage } from '../../engine/task/messages';
import { checkpointOptionsForConfig } from '../../engine/checkpoint/barrier';
import { DEFAULT_NETWORK_LIMITS, type NetworkLimits } from '../../engine/task/network-limits';
import { createRestartStrategy } from '../../engine/failover';
import { checkpointCoordinatorMachine, type StopWithSavepointProgress } from '../../machines/checkpoint-coordinator.machine';
import { jobLifecycleMachine, type JobStatus } from '../../machines/job-lifecycle.machine';
import { createDeploymentDescriptors, deployedTopology } from './deployment-plan';
import { calculateCheckpointPlan, type PlannedTask, type TaskProgress } from '../../engine/checkpoint/checkpoint-plan';
import type { TaskDeployer } from './task-deployer';

export interface JobMasterOptions {
  readonly jobId: JobId;
  readonly jobGraph: JobGraph;
  readonly configuration: JobConfiguration;
  readonly clock: Clock;
  readonly random: Random;
  readonly storage: CheckpointStorage;
  readonly deployer: TaskDeployer;
  readonly emit: EventSink;
  readonly network?: NetworkLimits;
  /** Where checkpoints go, for Flink's `external_path`, ending in '/' (e.g. `indexeddb://barrierscope/`); default `memory://`. */
  readonly storageLocation?: string;
  /** Start from this checkpoint or savepoint instead of empty state. */
  readonly initialCheckpoint?: CheckpointMetadata;
  /** Checkpoint ids are never reused (Flink persists its CheckpointIDCounter): the highest one storage has seen. */
  readonly highestCheckpointIdInStorage?: CheckpointId;
  /** Overrides execution.state-recovery.ignore-unclaimed-state of the configuration. */
  readonly allowNonRestoredState?: boolean;
  /** The initial checkpoint's pointer, named in restore errors (a file name, an external path); default `chk-<id>`. */
  readonly initialCheckpointPointer?: string;
}

export class JobMaster {
  readonly store: CompletedCheckpointStore;
  /**
   * Flink's checkpoint statistics (REST `GET /jobs/:id/checkpoints`): a fold over the runtime's whole event
   * stream, tasks' events included, which the runtime feeds (`stats.apply(event)`) in stream order.
   */
  readonly stats = new CheckpointStatsFold();
  readonly #taskStates = new Map<TaskId, ExecutionState>();
  /** Tasks of this attempt that reached end of data (Flink's VertexEndOfDataListener). */
  readonly #endOfData = new Set<TaskId>();
  /** This attempt's tasks in topological order, with the producers of their input channels, for the checkpoint plan. */
  #plannedTasks: readonly PlannedTask[] = [];
  readonly #coordinator: Actor<typeof checkpointCoordinatorMachine>;
  readonly #lifecycle: Actor<typeof jobLifecycleMachine>;
  #attempt = 0;
  #status: JobStatus = 'CREATED';

  constructor(private readonly options: JobMasterOptions) {
    const { jobGraph, configuration, clock, emit } = options;
    // Options the runtimes cannot do yet are refused rather than silently ignored (none today: unaligned checkpoints and
    // the aligned-checkpoint timeout run; Flink's own refusals of them are the configuration's, parse-job-configuration.ts).
    const unmodelled = unmodelledOptionProblems(configuration);
    if (unmodelled.length > 0) throw new ConfigurationError(unmodelled);
    this.store = new CompletedCheckpointStore(configuration.checkpointing.numRetained);
    if (options.initialCheckpoint) {
      // Untrusted (a stored or imported snapshot): refuse it here, with Flink's reason, before anything runs.
      const validation = validateSavepointRestore(options.initialCheckpoint, jobGraph, {
        ignoreUnclaimedState: this.ignoreUnclaimedState,
        ...(options.initialCheckpointPointer === undefined ? {} : { pointer: options.initialCheckpointPointer }),
      });
      if (!validation.ok) throw new SavepointRestoreError(validation.message);
      // Before anything runs, too: in-flight data of an unaligned checkpoint cannot be rescaled here.
      const rescaleProblem = channelStateRescaleProblem(options.initialCheckpoint, jobGraph);
      if (rescaleProblem !== null) throw new SavepointRestoreError(rescaleProblem);
      this.store.addRestored(options.initialCheckpoint, configuration.stateRecovery.claimMode);
    }
    this.#coordinator = createActor(checkpointCoordinatorMachine, {
      clock,
      input: {
        jobId: options.jobId,
        config: configuration.checkpointing,
        clock,
        storage: options.storage,
        store: this.store,
        emit,
        firstCheckpointId: Math.max(options.initialCheckpoint?.checkpointId ?? 0, options.highestCheckpointIdInStorage ?? 0) + 1,
        externalPathOf: (checkpointId) => externalPath(options.storageLocation, options.jobId, checkpointId),
        operators: jobGraph.vertices.flatMap((vertex) =>
          vertex.operators.map((node) => ({ operatorUid: node.uid, vertexId: vertex.id, parallelism: vertex.parallelism, maxParallelism: jobGraph.maxParallelism })),
        ),
        gateway: {
          allTasksRunning: () => this.allTasksRunning(),
          calculateCheckpointPlan: () => calculateCheckpointPlan(this.#plannedTasks, (taskId) => this.progressOf(taskId)),
          triggerCheckpoint: (checkpointId, timestamp, checkpointType, tasks) => this.triggerTasks(checkpointId, timestamp, checkpointType, tasks),
          notifyCheckpointComplete: (checkpointId) => this.broadcast({ type: 'notify-checkpoint-complete', attempt: this.#attempt, checkpointId }),
          notifyCheckpointAborted: (checkpointId) => this.broadcast({ type: 'notify-checkpoint-aborted', attempt: this.#attempt, checkpointId }),
          failJob: (cause) => this.#lifecycle.send({ type: 'TASK_FAILED', cause }),
        },
      },
    });
    const lifecycle = jobLifecycleMachine.provide({
      actions: {
        deployTasks: (_, params) => this.deploy(params.attempt, params.restore),
        cancelAllTasks: () => this.options.deployer.cancelAll(() => this.#lifecycle.send({ type: 'ALL_TASKS_TERMINATED' })),
        startCheckpointScheduler: () => this.#coordinator.send({ type: 'START' }),
        stopCheckpointScheduler: () => this.#coordinator.send({ type: 'STOP', reason: 'Checkpoint Coordinator is suspending.' }),
        reportJobStatus: (_, report) => {
          const previous = this.#status;
          this.#status = report.status;
          if (previous === report.status) return; // the initial CREATED is not a change
          const cause = report.cause === undefined ? {} : { cause: String(report.cause) };
          emit({ type: 'job-status-changed', time: report.timestampMs, status: report.status, previous, ...cause });
          if (report.status === 'CANCELED' || report.status === 'FAILED' || report.status === 'FINISHED') {
            // CheckpointProperties: every checkpoint is discarded when the job FINISHES; on CANCELED and FAILED per retention.
            const retention = configuration.checkpointing.externalizedCheckpointRetention;
            const discardCheckpoints =
              report.status === 'FINISHED' || retention === 'NO_EXTERNALIZED_CHECKPOINTS' || (retention === 'DELETE_ON_CANCELLATION' && report.status === 'CANCELED');
            this.#coordinator.send({ type: 'SHUTDOWN', discardCheckpoints });
          }
          if (report.status === 'RESTARTING') {
            emit({ type: 'job-restarting', time: report.timestampMs, attempt: report.numRestarts, backoffMs: report.restartBackoffMs });
          }
        },
      },
    });
    this.#lifecycle = createActor(lifecycle, {
      clock,
      input: { restartStrategy: createRestartStrategy(configuration, options.random), clock },
    });
  }

  get status(): JobStatus {
    return this.#status;
  }

  get attempt(): number {
    return this.#attempt;
  }

  get numRestarts(): number {
    return this.#lifecycle.getSnapshot().context.numRestarts;
  }

  taskStates(): ReadonlyMap<TaskId, ExecutionState> {
    return this.#taskStates;
  }

  start(): void {
    this.#coordinator.start();
    this.#lifecycle.start();
    this.#lifecycle.send({ type: 'START', restore: this.options.initialCheckpoint !== undefined });
  }

  cancel(): void {
    this.#lifecycle.send({ type: 'CANCEL' });
  }

  /**
   * A checkpoint now, by request (Flink's `POST /jobs/:jobid/checkpoints`): triggered at once, or queued until
   * one of max-concurrent-checkpoints finishes; min pause does not apply. Refused while the job is not RUNNING,
   * not every task runs, or a stop-with-savepoint is under way.
   */
  triggerCheckpoint(): CheckpointTriggerResult {
    const next = this.#coordinator.getSnapshot().context.nextCheckpointId;
    this.#coordinator.send({ type: 'TRIGGER_CHECKPOINT' });
    const snapshot = this.#coordinator.getSnapshot();
    if (snapshot.context.nextCheckpointId > next) return { status: 'TRIGGERED', checkpointId: next };
    if (snapshot.context.checkpointRequested) return { status: 'QUEUED' };
    if (snapshot.matches('stoppingWithSavepoint')) return { status: 'REFUSED', reason: 'A stop-with-savepoint is in progress.' };
    if (snapshot.matches('stopped')) return { status: 'REFUSED', reason: 'The checkpoint coordinator is not running (the job is not RUNNING).' };
    return { status: 'REFUSED', reason: 'Not all required tasks are currently running.' };
  }

  /** Triggers a savepoint; its checkpoint id, or null when none could start (not every task RUNNING, or a stop pending). */
  triggerSavepoint(): CheckpointId | null {
    const next = this.#coordinator.getSnapshot().context.nextCheckpointId;
    this.#coordinator.send({ type: 'TRIGGER_SAVEPOINT' });
    return this.#coordinator.getSnapshot().context.nextCheckpointId > next ? next : null;
  }

  /**
   * Flink's `flink stop` (stop-with-savepoint, no drain): periodic checkpoints stop, a synchronous savepoint is
   * taken, the sinks commit on its completion and every task finishes, so the job ends FINISHED. If the savepoint
   * fails the job goes on running; stopWithSavepointProgress says which.
   */
  stopWithSavepoint(): void {
    this.#coordinator.send({ type: 'STOP_WITH_SAVEPOINT' });
  }

  stopWithSavepointProgress(): StopWithSavepointProgress | null {
    return this.#coordinator.getSnapshot().context.stopWithSavepoint;
  }

  /** Messages from tasks (through the runtime's transport). */
  receive(message: JobMasterMessage): void {
    if (message.type === 'acknowledge-checkpoint') {
      // Stale acks still go to the coordinator: it discards their state instead of leaking it.
      this.#coordinator.send({ type: 'ACKNOWLEDGE', taskId: message.taskId, checkpointId: message.checkpointId, state: message.subtaskState, metrics: message.metrics });
      return;
    }
    if (message.attempt !== this.#attempt) return;
    switch (message.type) {
      case 'decline-checkpoint':
        this.#coordinator.send({ type: 'DECLINE', taskId: message.taskId, checkpointId: message.checkpointId, reason: message.reason, message: message.message });
        return;
      case 'task-state':
        this.#taskStates.set(message.taskId, message.state);
        if ([...this.#taskStates.values()].every((state) => state === 'FINISHED')) this.#lifecycle.send({ type: 'ALL_TASKS_FINISHED' });
        return;
      case 'end-of-data':
        this.endOfData(message.taskId);
        return;
      case 'task-failed':
        this.#taskStates.set(message.taskId, 'FAILED');
        this.#lifecycle.send({ type: 'TASK_FAILED', cause: `${message.taskId}: ${message.cause}` });
        return;
    }
  }

  /** A runtime detected a lost task (worker killed, heartbeat timeout). */
  taskLost(taskId: TaskId, cause: string): void {
    this.receive({ type: 'task-failed', taskId, attempt: this.#attempt, cause });
  }

  latestCompletedCheckpoint(): CheckpointMetadata | null {
    return this.store.latest();
  }

  stop(): void {
    this.#lifecycle.stop();
    this.#coordinator.stop();
  }

  private deploy(attempt: number, restore: boolean): void {
    const { jobGraph, configuration, jobId } = this.options;
    this.#attempt = attempt;
    const latest = restore ? this.store.latest() : null;
    let assignment: ReturnType<typeof assignStates> | null;
    try {
      assignment = latest ? assignStates(latest, jobGraph, this.ignoreUnclaimedState) : null;
    } catch (error) {
      // A restore that cannot work fails this attempt (the restart strategy decides), never the runtime.
      const cause = `Restoring checkpoint ${latest?.checkpointId} failed: ${error instanceof Error ? error.message : String(error)}`;
      // No task of this attempt runs; a millisecond passes so even a zero-delay restart loop moves time on.
      this.#taskStates.clear();
      this.#endOfData.clear();
      this.options.clock.setTimeout(() => this.#lifecycle.send({ type: 'TASK_FAILED', cause }), 1);
      return;
    }
    const descriptors = createDeploymentDescriptors(jobGraph, {
      jobId,
      attempt,
      checkpointingMode: configuration.checkpointing.mode === 'AT_LEAST_ONCE' ? 'at-least-once' : 'exactly-once',
      incrementalCheckpoints: configuration.checkpointing.incremental,
      stateBackend: configuration.stateBackend,
      residentKeyGroups: configuration.indexedDbCacheKeyGroups,
      network: this.options.network ?? DEFAULT_NETWORK_LIMITS,
      // Flink's areCheckpointsWithFinishedTasksEnabled: checkpoints-after-tasks-finish (on, as Flink's default) and checkpointing on.
      checkpointsAfterTasksFinish: configuration.checkpointing.intervalMs !== null,
      unalignedCheckpoints: configuration.checkpointing.unalignedEnabled,
      restore: assignment ? withReuse(assignment.tasks, latest !== this.options.initialCheckpoint || this.store.restoredFrom()?.claimed === true) : null,
    });
    // The whole topology of this attempt goes into the stream before any of its tasks says a word.
    this.options.emit({
      type: 'job-deployed',
      time: this.options.clock.now(),
      attempt,
      restoredCheckpointId: latest?.checkpointId ?? null,
      ...(latest ? { restoredFrom: this.restoredFrom(latest) } : {}),
      ...deployedTopology(jobGraph, descriptors),
    });
    this.#taskStates.clear();
    this.#endOfData.clear();
    for (const descriptor of descriptors) this.#taskStates.set(descriptor.taskId, 'CREATED');
    this.#plannedTasks = descriptors.map((descriptor) => ({
      taskId: descriptor.taskId,
      vertexId: descriptor.vertexId,
      producers: [...new Set(descriptor.inputChannels.map((channel) => channel.producerTaskId))],
    }));
    this.options.deployer.deploy(descriptors);
  }

  /** The restored snapshot as `job-deployed` names it (`restoredFrom`): Flink's `latest.restored` of the statistics. */
  private restoredFrom(latest: CheckpointMetadata): { isSavepoint: boolean; externalPath: string } {
    return { isSavepoint: latest.isSavepoint, externalPath: externalPath(this.options.storageLocation, this.options.jobId, latest.checkpointId) };
  }

  private get ignoreUnclaimedState(): boolean {
    return this.options.allowNonRestoredState ?? this.options.configuration.stateRecovery.ignoreUnclaimedState;
  }

  /**
   * Flink's SchedulerBase#notifyEndOfData: pending checkpoints trigger the tasks behind the ended partitions, and
   * once every task reached end of data the final checkpoint is triggered at once, not at the next period
   * ("triggered immediately after all operators have reached end of data").
   */
  private endOfData(taskId: TaskId): void {
    this.#endOfData.add(taskId);
    this.#coordinator.send({ type: 'TASK_END_OF_DATA', taskId });
    const ended = [...this.#taskStates.keys()].every((task) => this.#endOfData.has(task) || this.#taskStates.get(task) === 'FINISHED');
    if (ended && this.options.configuration.checkpointing.intervalMs !== null) this.#coordinator.send({ type: 'TRIGGER_CHECKPOINT' });
  }

  /** A task as the checkpoint plan sees it. */
  private progressOf(taskId: TaskId): TaskProgress {
    const state = this.#taskStates.get(taskId);
    if (state === 'FINISHED') return 'FINISHED';
    if (state !== 'RUNNING') return 'NOT_RUNNING';
    return this.#endOfData.has(taskId) ? 'END_OF_DATA' : 'RUNNING';
  }

  private allTasksRunning(): boolean {
    return this.#taskStates.size > 0 && [...this.#taskStates.values()].every((state) => state === 'RUNNING');
  }

  /** The trigger to each of `tasks`: the sources while every task runs, else the plan's (FLIP-147). */
  private triggerTasks(checkpointId: CheckpointId, timestamp: number, checkpointType: CheckpointType, tasks: readonly TaskId[]): void {
    const options = this.checkpointOptions(checkpointType);
    for (const taskId of tasks) {
      this.options.deployer.sendToTask(taskId, { type: 'trigger-checkpoint', attempt: this.#attempt, checkpointId, timestamp, options });
    }
  }

  /**
   * Flink's CheckpointOptions.forConfig (CheckpointCoordinator#triggerCheckpoint): with unaligned checkpoints on,
   * UNALIGNED for a timeout of 0, else ALIGNED with the timeout; a savepoint always ALIGNED. Off, the options stay
   * as they always were here — no alignment field, which means ALIGNED.
   */
  private checkpointOptions(checkpointType: CheckpointType): CheckpointOptions {
    const { checkpointing } = this.options.configuration;
    if (!checkpointing.unalignedEnabled) return { checkpointType };
    return checkpointOptionsForConfig(checkpointType, {
      exactlyOnce: checkpointing.mode === 'EXACTLY_ONCE',
      unalignedEnabled: true,
      alignedCheckpointTimeoutMs: checkpointing.alignedCheckpointTimeoutMs,
    });
  }

  private broadcast(message: Parameters<TaskDeployer['sendToTask']>[1]): void {
    for (const taskId of this.#taskStates.keys()) this.options.deployer.sendToTask(taskId, message);
  }
}

/** What a requested checkpoint came to: triggered (with its id), queued behind max-concurrent-checkpoints, or refused. */
export type CheckpointTriggerResult =
  | { readonly status: 'TRIGGERED'; readonly checkpointId: CheckpointId }
  | { readonly status: 'QUEUED' }
  | { readonly status: 'REFUSED'; readonly reason: string };

/** A snapshot the job cannot start from (Flink's restore rules, validateSavepointRestore): refused before anything runs. */
export class SavepointRestoreError extends Error {
  override readonly name = 'SavepointRestoreError';
}

/** NO_CLAIM: pieces of the snapshot the job started from are never referenced by its own checkpoints. */
function withReuse(tasks: ReadonlyMap<TaskId, TaskRestore>, reuseSharedState: boolean): ReadonlyMap<TaskId, TaskRestore> {
  return reuseSharedState ? tasks : new Map([...tasks].map(([taskId, restore]) => [taskId, { ...restore, reuseSharedState }]));
}

/** Flink's `external_path` of a checkpoint: `<location><job>/chk-<id>`, the location ending in '/'. */
function externalPath(location: string | undefined, jobId: JobId, checkpointId: CheckpointId): string {
  return `${location ?? 'memory://'}${jobId}/chk-${checkpointId}`;
}
