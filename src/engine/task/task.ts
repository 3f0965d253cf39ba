// Task: one parallel subtask running an operator chain. Message handlers only enqueue; `step(budget)`
// does a bounded amount of work (control messages, then records, then flushing), so the same code runs
// under the simulator's seeded loop and a Worker's message loop. Exceptions fail the task, never the runtime.
import type { CheckpointId } from '../ids';
import type { JobVertex } from '../graph/job-graph';
import { isSourceOperator, type SourceOperator, type StreamOperator } from '../operators/stream-operator';
import type { ExecutionState, TaskMessage } from './messages';
import { TaskNetwork } from './task-network';
import { OperatorChain } from './operator-chain';
import type { TaskDeploymentDescriptor } from './task-deployment';
import type { TaskEnvironment } from './task-environment';
import { SubtaskCheckpointCoordinator, type OperatorBackends } from './subtask-checkpoint';
import { serializedSizeBytes } from './record-size';
import { restoreOperatorBackends } from './state-restore';
import { putBackChannelState, readRestoredChannelState } from './channel-state-restore';
import type { RestoredChannelState } from '../checkpoint/channel/channel-state-blob';
import { TaskEventBatch } from './task-event-batch';
import type { HeapKeyedStateBackend } from '../state';
import { SAMPLE_KEY_LIMIT, type TaskSample } from '../samples';
import { KeyWriteEpochs } from './key-write-epochs';
import { sampleKeyedState } from './keyed-state-sample';
import { TaskTimeMeter, type TaskTimeState } from './task-time-meter';
import type { StreamTaskInput, TaskInputHost } from './input/stream-task-input';
import { SourceInput } from './input/source-input';
import { NetworkInput } from './input/network-input';
import { FinalCheckpoint, type TriggerCheckpointMessage } from './final-checkpoint';
import { FINISHED_OPERATOR_CHAIN } from './finished-operator-chain';

export interface StepResult {
  /** Records (or source emissions) handled in this step. */
  readonly processed: number;
  /** True if there is work left that the task could do right now. */
  readonly hasMoreWork: boolean;
}

export class Task {
  #state: ExecutionState = 'CREATED';
  readonly #control: TaskMessage[] = [];
  readonly #network: TaskNetwork;
  readonly #chain: OperatorChain;
  readonly #source: SourceOperator | null;
  /** The source's emission or the input channels, behind one interface (Flink's StreamTaskInput). */
  readonly #input: StreamTaskInput;
  #backends: OperatorBackends[] = [];
  #checkpointing!: SubtaskCheckpointCoordinator;
  /** Drops the checkpoints' channel state and alignment timer when the task stops (a no-op before RUNNING). */
  #closeCheckpointing: () => void = () => {};
  /**
   * The synchronous savepoint (stop-with-savepoint) this task has snapshotted and waits for, as Flink's
   * StreamTask.runSynchronousSavepointMailboxLoop: only control messages run meanwhile, no input, no emission.
   */
  #synchronousSavepoint: CheckpointId | null = null;
  /** True from the operators' open until they are closed (cancel or failure). */
  #operatorsOpen = false;
  /** The checkpoint epoch: 1 + the last checkpoint whose barrier this task passed (or that it was restored from). */
  #epoch: CheckpointId;
  /** The first keyed backend of the chain, and the epoch that last wrote each of its keys (for samples). */
  #sampledKeyed: { readonly backend: HeapKeyedStateBackend; readonly epochs: KeyWriteEpochs } | null = null;
  /** Busy / backpressured / idle time while RUNNING, for samples (Flink's TaskIOMetricGroup). */
  readonly #time: TaskTimeMeter;
  /** After the input ended: the final checkpoint this task waits for before it is FINISHED (FLIP-147). */
  readonly #finalCheckpoint = new FinalCheckpoint();
  /** Flink's isTaskDeployedAsFinished: restored from a checkpoint holding its vertex fully finished. */
  readonly #deployedAsFinished: boolean;

  /** The runtime's environment, its event sink going through #batch. */
  private readonly env: TaskEnvironment;
  readonly #batch: TaskEventBatch;

  constructor(
    readonly descriptor: TaskDeploymentDescriptor,
    private readonly vertex: JobVertex,
    runtime: TaskEnvironment,
  ) {
    this.#batch = new TaskEventBatch(runtime.emit, runtime.clock, descriptor.taskId, descriptor.attempt);
    this.env = {
      clock: runtime.clock,
      transport: runtime.transport,
      storage: runtime.storage,
      external: runtime.external,
      ...(runtime.keyGroupStores ? { keyGroupStores: runtime.keyGroupStores } : {}),
      emit: (event) => this.#batch.emit(event),
      requestStep: () => runtime.requestStep(),
    };
    this.#network = new TaskNetwork(descriptor, this.env);
    this.#chain = new OperatorChain(vertex, this.#network.partitions, descriptor.subtaskIndex, serializedSizeBytes);
    this.#source = isSourceOperator(this.#chain.head) ? this.#chain.head : null;
    this.#input = this.#source ? new SourceInput(this.inputHost(), this.#source) : new NetworkInput(this.inputHost(), vertex.operators[0]?.keySelector);
    this.#epoch = (descriptor.restore?.checkpointId ?? 0) + 1;
    this.#deployedAsFinished = descriptor.restore?.finishedOnRestore === true;
    this.#time = new TaskTimeMeter(runtime.clock);
  }

  get taskId(): string {
    return this.descriptor.taskId;
  }

  get executionState(): ExecutionState {
    return this.#state;
  }

  /** For the UI and tests: the barrier handler's state name and blocked channels. */
  get barrierHandlerKind(): string | null {
    return this.#input.barrierHandlerKind;
  }

  blockedChannels(): readonly number[] {
    return this.#input.blockedChannels();
  }

  backends(): readonly OperatorBackends[] {
    return this.#backends;
  }

  /** Fault injection: the next snapshot's upload fails (see SubtaskCheckpointCoordinator). False unless RUNNING. */
  failNextSnapshotUpload(): boolean {
    if (this.#state !== 'RUNNING') return false;
    this.#checkpointing.failNextUpload();
    return true;
  }

  /** Deploy: restore state (asynchronously, from storage), open the operators, start running. */
  start(): void {
    this.transition('DEPLOYING');
    this.transition('INITIALIZING');
    restoreOperatorBackends(this.descriptor, this.vertex, this.env, (result) => {
      if (this.#state !== 'INITIALIZING') return;
      if (!result.ok) return this.fail(`State restore failed: ${result.error}`);
      // An unaligned checkpoint's in-flight data too (none for an aligned one: this calls back at once).
      readRestoredChannelState(this.descriptor, this.env, (channels) => {
        if (this.#state !== 'INITIALIZING') return;
        if (!channels.ok) return this.fail(`Channel state restore failed: ${channels.error}`);
        this.openAndRun(result.value, channels.value);
      });
    });
  }

  /** The operators open on their restored state, the channel state goes back in (Flink's restoreGates), the task runs. */
  private openAndRun(backends: OperatorBackends[], channels: RestoredChannelState): void {
    this.guard(() => {
      this.#backends = backends;
      this.trackKeyWrites();
      this.#input.open(this.#backends);
      if (this.#deployedAsFinished) this.restoredAsFinished();
      else this.openOperators();
      this.#checkpointing = new SubtaskCheckpointCoordinator({
        descriptor: this.descriptor,
        env: this.env,
        // Flink's FinishedOperatorChain: a task deployed finished snapshots no operator.
        chain: this.#deployedAsFinished ? FINISHED_OPERATOR_CHAIN : this.#chain,
        backends: this.#deployedAsFinished ? [] : this.#backends,
        finishing: () => ({
          outputEnded: this.#finalCheckpoint.endOfData,
          taskState: {
            // Flink's TaskStateSnapshot.FINISHED_ON_RESTORE is (deployed as finished, finished): both flags, from the first trigger on.
            ...(this.#finalCheckpoint.endOfData || this.#deployedAsFinished ? { isTaskFinished: true as const } : {}),
            ...(this.#deployedAsFinished ? { isTaskDeployedAsFinished: true as const } : {}),
          },
        }),
        network: this.#network,
        hasNetworkInput: this.#source === null,
        isAlive: () => this.#state === 'RUNNING',
      });
      const checkpointing = this.#checkpointing;
      this.#closeCheckpointing = () => checkpointing.close();
      putBackChannelState(channels, this.descriptor, this.env, this.#network);
      this.transition('RUNNING');
      this.env.requestStep();
    });
  }

  /**
   * A bounded picture of the task now, for the live views (docs/events.md, "Samples"): its barrier handler,
   * queues, credits, epoch, some keyed state and its sources' read positions. `slowdown` is the runtime's.
   */
  sample(options: { readonly slowdown?: number } = {}): TaskSample {
    const keyed = this.#sampledKeyed;
    const source = this.#source;
    const positions = source?.readPositions?.() ?? null;
    return {
      time: this.env.clock.now(),
      taskId: this.taskId,
      attempt: this.descriptor.attempt,
      state: this.#state,
      barrierHandler: this.#input.barrierHandlerSample(),
      inputQueues: this.#network.gate.queuedRecords(),
      outputs: this.#network.partitions.flatMap((partition) =>
        partition.subpartitionStates().map(({ target, backlog, credits }) => ({ backlog, credits, to: target.taskId, channel: target.channel })),
      ),
      epoch: this.#epoch,
      keyedState: keyed ? sampleKeyedState(keyed.backend, keyed.epochs, SAMPLE_KEY_LIMIT) : null,
      sourcePartitions: positions ? positions.map(({ partition, offset }) => ({ source: this.vertex.operators[0]!.uid, partition, offset })) : null,
      slowdown: options.slowdown ?? 1,
      ...this.#time.rates(),
    };
  }

  /**
   * The runtime says the task was busy for `durationMs` of work its clock did not see pass: the deterministic
   * runtime's virtual clock stands still inside step(), so it charges each step's modelled cost here. The time
   * runs from now (after busy time charged before) and counts as busy in the samples. The Worker runtime's
   * real clock does pass during step(), so it never calls this.
   */
  chargeBusyTime(durationMs: number): void {
    this.#time.chargeBusy(durationMs);
  }

  /** Every write to the first keyed backend records the epoch it happened in (restored values keep the restored checkpoint's). */
  private trackKeyWrites(): void {
    const backend = this.#backends.find((backends) => backends.keyed !== null)?.keyed ?? null;
    if (!backend) return;
    const epochs = new KeyWriteEpochs(backend, this.descriptor.restore?.checkpointId ?? 0, this.#epoch);
    this.#sampledKeyed = { backend, epochs };
  }

  /** The task passed checkpoint `checkpointId`'s barrier: what it writes from now on belongs to the next epoch. */
  private passedBarrier(checkpointId: CheckpointId): void {
    this.#epoch = Math.max(this.#epoch, checkpointId + 1);
    this.#sampledKeyed?.epochs.enter(this.#epoch);
  }

  private openOperators(): void {
    const { descriptor, env } = this;
    const isRestored = descriptor.restore !== null;
    this.#chain.operators.forEach((operator, i) => {
      const backends = this.#backends[i]!;
      operator.open({
        taskInfo: {
          taskId: descriptor.taskId,
          taskName: this.vertex.name,
          operatorUid: backends.operatorUid,
          indexOfThisSubtask: descriptor.subtaskIndex,
          numberOfParallelSubtasks: descriptor.parallelism,
          maxNumberOfParallelSubtasks: descriptor.maxParallelism,
          attemptNumber: descriptor.attempt,
        },
        clock: env.clock,
        keyedStateBackend: backends.keyed,
        operatorStateBackend: backends.operator,
        isRestored,
        restoredCheckpointId: descriptor.restore?.checkpointId ?? null,
        external: env.external,
        emit: env.emit,
      });
    });
    this.#operatorsOpen = true;
    if (descriptor.restore) {
      this.env.emit({ type: 'task-restored', time: env.clock.now(), taskId: this.taskId, attempt: descriptor.attempt, checkpointId: descriptor.restore.checkpointId });
    }
  }

  /** Enqueue only; the work happens in step(). */
  receive(message: TaskMessage): void {
    if (message.attempt !== this.descriptor.attempt) return;
    if (this.#state === 'FINISHED' && message.type === 'trigger-checkpoint') return this.declineAsFinished(message.checkpointId);
    if (this.isTerminal()) return;
    if (message.type === 'channel' || message.type === 'credit') this.#network.receive(message);
    else this.#control.push(message);
    this.env.requestStep();
  }

  step(budget: number): StepResult {
    if (this.#state !== 'RUNNING') return { processed: 0, hasMoreWork: false };
    let processed = 0;
    this.#time.enter('busy');
    this.guard(() => {
      while (this.#control.length > 0 && this.#state === 'RUNNING') this.handleControl(this.#control.shift()!);
      if (this.canProcess()) processed = this.#deployedAsFinished && this.#input.kind === 'source' ? this.endOfInput() : this.#input.processInput(budget);
      this.#batch.flush();
      this.#network.flush();
    });
    const hasMoreWork = this.#state === 'RUNNING' && this.hasMoreWork();
    this.#time.enter(this.timeStateAfterStep(hasMoreWork));
    return { processed, hasMoreWork };
  }

  /**
   * What the task does until its next step, as Flink's StreamTask#processInput decides when its default
   * action cannot go on: no output buffer → (soft) backpressured, checked first; else no input → idle.
   * Work left, or keyed state still loading for a buffer in hand, counts as busy. Every wait for an output
   * buffer here is Flink's soft backpressure: a record never blocks halfway (a subpartition's backlog may
   * overrun its bound by the records of one step), so there is no hard backpressure to measure.
   */
  private timeStateAfterStep(hasMoreWork: boolean): TaskTimeState {
    if (hasMoreWork) return 'busy';
    if (this.#synchronousSavepoint === null && !this.#network.outputAvailable()) return 'backPressured';
    if (this.#input.isWaitingForState()) return 'busy';
    return 'idle';
  }

  /** The job master cancels every task on failover; pending async work is dropped, the operators are closed. */
  cancel(): void {
    if (this.isTerminal()) return;
    this.transition('CANCELING');
    this.#input.close();
    this.#closeCheckpointing();
    this.closeOperators();
    this.transition('CANCELED');
  }

  /** The process hosting the task vanished (worker.terminate()): it stops at once and says nothing. */
  terminate(): void {
    this.#input.close();
    this.#closeCheckpointing();
    this.#time.stop();
    this.#state = 'FAILED';
  }

  /** A failure inside the task (operator exception, injected crash). */
  fail(cause: string): void {
    if (this.isTerminal()) return;
    this.#input.close();
    this.#closeCheckpointing();
    // As Flink's StreamTask cleans up before the task is FAILED: its operators are closed first.
    this.closeOperators();
    this.transition('FAILED');
    this.env.emit({ type: 'task-failed', time: this.env.clock.now(), taskId: this.taskId, attempt: this.descriptor.attempt, cause });
    this.env.transport.sendToJobMaster({ type: 'task-failed', taskId: this.taskId, attempt: this.descriptor.attempt, cause });
  }

  /** Closes opened operators once, each on its own: a failing close (the task may be failing because of it) stops no other. */
  private closeOperators(): void {
    if (!this.#operatorsOpen) return;
    this.#operatorsOpen = false;
    for (const operator of this.#chain.operators) {
      try {
        operator.close();
      } catch {
        // Nothing more to do for an operator that cannot even close; the task ends anyway.
      }
    }
  }

  private hasMoreWork(): boolean {
    if (this.#control.length > 0) return true;
    if (this.#synchronousSavepoint !== null || this.#finalCheckpoint.endOfData) return false;
    if (!this.#network.outputAvailable()) return false;
    return this.#input.hasMoreWork();
  }

  private decline(checkpointId: CheckpointId, reason: string): void {
    this.env.emit({ type: 'checkpoint-declined', time: this.env.clock.now(), taskId: this.taskId, attempt: this.descriptor.attempt, checkpointId, reason });
    this.env.transport.sendToJobMaster({
      type: 'decline-checkpoint',
      taskId: this.taskId,
      attempt: this.descriptor.attempt,
      checkpointId,
      reason,
      message: `Task ${this.taskId} declined checkpoint ${checkpointId}: ${reason}`,
    });
    this.#network.broadcast({ kind: 'cancellation-marker', checkpointId });
  }

  /**
   * A trigger that reached the task after it finished (planned while it still ran): Flink's Task declines a
   * checkpoint for a task that is not running (CHECKPOINT_DECLINED_TASK_NOT_READY), so the checkpoint is aborted
   * at once, without counting as a failure, and the next one is planned with this task finished. Nothing goes
   * downstream: its output has ended.
   */
  private declineAsFinished(checkpointId: CheckpointId): void {
    const reason = 'CHECKPOINT_DECLINED_TASK_NOT_READY';
    const { attempt } = this.descriptor;
    this.env.emit({ type: 'checkpoint-declined', time: this.env.clock.now(), taskId: this.taskId, attempt, checkpointId, reason });
    const message = `Task ${this.taskId} declined checkpoint ${checkpointId}: ${reason} (the task is FINISHED)`;
    this.env.transport.sendToJobMaster({ type: 'decline-checkpoint', taskId: this.taskId, attempt, checkpointId, reason, message });
  }

  private handleControl(message: TaskMessage): void {
    switch (message.type) {
      case 'trigger-checkpoint':
        if (this.#finalCheckpoint.endOfData) this.checkpointAfterEndOfData(message);
        // The plan triggers a task with network inputs once none of its producers sends (final-checkpoint.ts).
        else if (this.#input.kind === 'network') this.#finalCheckpoint.waitForEndOfInput(message);
        else this.#input.triggerCheckpoint(message);
        return;
      case 'notify-checkpoint-complete':
        this.#checkpointing.notifyCheckpointComplete(message.checkpointId);
        for (const operator of this.openedOperators()) operator.notifyCheckpointComplete(message.checkpointId);
        if (this.#synchronousSavepoint !== null && message.checkpointId >= this.#synchronousSavepoint) this.finishAfterSynchronousSavepoint();
        else if (this.#synchronousSavepoint === null && this.#finalCheckpoint.completes(message.checkpointId)) this.finishAfterFinalCheckpoint();
        return;
      case 'notify-checkpoint-aborted':
        this.#checkpointing.notifyCheckpointAborted(message.checkpointId);
        for (const operator of this.openedOperators()) operator.notifyCheckpointAborted(message.checkpointId);
        // The stop failed: the task goes on as before (Flink resumes the mailbox loop).
        if (message.checkpointId === this.#synchronousSavepoint) this.#synchronousSavepoint = null;
        this.#finalCheckpoint.aborted(message.checkpointId);
        return;
      default:
        throw new Error(`Unexpected control message ${message.type}`);
    }
  }

  /**
   * Every input ended (Flink's StreamTask#endData): the operators finish (a task deployed finished has none to),
   * the output partitions end. With checkpoints after tasks finish the task runs on until its final checkpoint
   * completes, and tells the job master it reached end of data; without, it is FINISHED now.
   */
  private endOfInput(): number {
    if (this.#operatorsOpen) this.#chain.endInput();
    this.#network.broadcast({ kind: 'end-of-partition' });
    this.#network.flush();
    if (this.descriptor.checkpointsAfterTasksFinish !== true) {
      this.transition('FINISHED');
      return 0;
    }
    const waiting = this.#finalCheckpoint.markEndOfData();
    this.env.transport.sendToJobMaster({ type: 'end-of-data', taskId: this.taskId, attempt: this.descriptor.attempt });
    for (const trigger of waiting) this.checkpointAfterEndOfData(trigger);
    return 0;
  }

  /**
   * A checkpoint after end of data (the first is the final checkpoint): the operators' state as it is, no barrier
   * (the output ended), no channel state (nothing is in flight into or out of this task any more). A checkpoint
   * this task already took, its barriers having come before its input ended, is not taken again.
   */
  private checkpointAfterEndOfData(trigger: TriggerCheckpointMessage): void {
    const { checkpointId, timestamp, options } = trigger;
    if (checkpointId < this.#epoch) return;
    this.#finalCheckpoint.performing(checkpointId);
    const checkpointing = this.#checkpointing;
    if (!checkpointing.channelState.isStarted(checkpointId)) checkpointing.initInputsCheckpoint(checkpointId, options);
    checkpointing.channelState.finishInput(checkpointId);
    const startDelayMs = Math.max(0, this.env.clock.now() - timestamp);
    checkpointing.checkpointState(checkpointId, timestamp, options, { startDelayMs, alignmentDurationMs: 0, processedDataBytes: 0, alignmentBufferedBytes: 0 });
    this.passedBarrier(checkpointId);
    if (options.checkpointType === 'SYNC_SAVEPOINT') this.#synchronousSavepoint = checkpointId;
  }

  /** The final checkpoint completed (Flink's afterInvoke): the operators close and the task is FINISHED. */
  private finishAfterFinalCheckpoint(): void {
    this.#input.close();
    this.#closeCheckpointing();
    this.closeOperators();
    this.transition('FINISHED');
  }

  /** Deployed finished: no operator opens (Flink's FinishedOperatorChain); it was restored all the same. */
  private restoredAsFinished(): void {
    const { descriptor, env } = this;
    env.emit({ type: 'task-restored', time: env.clock.now(), taskId: this.taskId, attempt: descriptor.attempt, checkpointId: descriptor.restore!.checkpointId });
  }

  /**
   * Stop-with-savepoint without drain (Flink's `flink stop`): the savepoint is committed (the sinks were
   * notified just now), so the task ends FINISHED without endInput — nothing is flushed that the savepoint
   * does not hold — and tells downstream its partitions end.
   */
  private finishAfterSynchronousSavepoint(): void {
    this.#synchronousSavepoint = null;
    this.#input.close();
    this.#closeCheckpointing();
    this.#network.broadcast({ kind: 'end-of-partition' });
    this.#network.flush();
    this.transition('FINISHED');
  }

  /** What the task's input may ask of it. */
  private inputHost(): TaskInputHost {
    return {
      descriptor: this.descriptor,
      env: this.env,
      chain: this.#chain,
      network: this.#network,
      checkpointing: () => this.#checkpointing,
      canProcess: () => this.canProcess(),
      isRunning: () => this.#state === 'RUNNING',
      passedBarrier: (checkpointId) => this.passedBarrier(checkpointId),
      startSynchronousSavepoint: (checkpointId) => {
        this.#synchronousSavepoint = checkpointId;
      },
      decline: (checkpointId, reason) => this.decline(checkpointId, reason),
      endOfInput: () => this.endOfInput(),
      fail: (cause) => this.fail(cause),
      consumed: (channel, records) => this.#batch.consumed(channel, records),
    };
  }

  /** The chain's operators, none for a task deployed finished (they were never opened). */
  private openedOperators(): readonly StreamOperator[] {
    return this.#deployedAsFinished ? [] : this.#chain.operators;
  }

  /** RUNNING, not waiting in a synchronous savepoint, input not ended: the input may process. */
  private canProcess(): boolean {
    return this.#state === 'RUNNING' && this.#synchronousSavepoint === null && !this.#finalCheckpoint.endOfData;
  }

  private guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.fail(error instanceof Error ? error.message : String(error));
    }
  }

  private transition(state: ExecutionState): void {
    if (state === 'RUNNING') this.#time.start('idle');
    else this.#time.stop();
    this.#state = state;
    this.env.emit({ type: 'task-state-changed', time: this.env.clock.now(), taskId: this.taskId, attempt: this.descriptor.attempt, state });
    this.env.transport.sendToJobMaster({ type: 'task-state', taskId: this.taskId, attempt: this.descriptor.attempt, state });
  }

  private isTerminal(): boolean {
    return this.#state === 'FINISHED' || this.#state === 'CANCELED' || this.#state === 'FAILED';
  }
}
