// Which states of the page's XState machines are active, derived from events alone (the page holds no
// engine objects): the job lifecycle from job-status-changed (and, inside RESTARTING, the backoff and the
// tasks' cancellation), the checkpoint coordinator from the job status and its checkpoint events.
import type { EngineEvent } from '../../engine/events';
import type { TaskId } from '../../engine/ids';
import type { EventFold } from '../model/event-fold';

export interface StatechartView {
  readonly machineId: string;
  /** Active state node ids, leaves only; the component lights their ancestors too. */
  readonly active: readonly string[];
  /** The latest change, for a sentence under the chart. */
  readonly lastChange: { readonly time: number; readonly text: string } | null;
}

const TERMINAL_TASK_STATES = new Set(['CANCELED', 'FAILED', 'FINISHED']);

/** The job lifecycle machine (src/machines/job-lifecycle.machine.ts, id `jobLifecycle`). */
export class JobLifecycleStatesFold implements EventFold<StatechartView> {
  private status = 'CREATED';
  private since = 0;
  private backoffUntil: number | null = null;
  private readonly taskStates = new Map<TaskId, string>();
  private cancelledSinceRestart = false;
  private lastChange: StatechartView['lastChange'] = null;

  apply(event: EngineEvent): void {
    switch (event.type) {
      case 'job-status-changed':
        this.status = event.status;
        this.since = event.time;
        this.cancelledSinceRestart = false;
        if (event.status !== 'RESTARTING') this.backoffUntil = null;
        this.lastChange = { time: event.time, text: `${event.previous} → ${event.status}${event.cause ? `: ${event.cause}` : ''}` };
        return;
      case 'job-restarting':
        this.backoffUntil = event.time + event.backoffMs;
        return;
      case 'task-state-changed':
        this.taskStates.set(event.taskId, event.state);
        if (this.status === 'RESTARTING' && TERMINAL_TASK_STATES.has(event.state)) this.cancelledSinceRestart = true;
        return;
      default:
        return;
    }
  }

  view(now: number): StatechartView {
    const id = `jobLifecycle.${this.status}`;
    if (this.status !== 'RESTARTING') return { machineId: 'jobLifecycle', active: [id], lastChange: this.lastChange };
    // RESTARTING is parallel: the backoff runs while the tasks are cancelled; both end before redeploying.
    const backoff = this.backoffUntil !== null && now >= this.backoffUntil ? 'elapsed' : 'waiting';
    const cancelling = [...this.taskStates.values()].some((state) => state === 'CANCELING');
    const tasks = this.cancelledSinceRestart && !cancelling ? 'terminated' : 'cancelling';
    return { machineId: 'jobLifecycle', active: [`${id}.backoff.${backoff}`, `${id}.tasks.${tasks}`], lastChange: this.lastChange };
  }

  /** Clock time the current status was entered. */
  statusSince(): number {
    return this.since;
  }
}

export interface CoordinatorStatesOptions {
  /** `execution.checkpointing.interval`; null: periodic checkpointing is off (manualOnly). Unknown if omitted. */
  readonly intervalMs?: number | null;
  /** `execution.checkpointing.max-concurrent-checkpoints` (Flink's default 1). */
  readonly maxConcurrentCheckpoints?: number;
}

/**
 * The checkpoint coordinator machine (src/machines/checkpoint-coordinator.machine.ts, id `checkpointCoordinator`):
 * `running` exactly while the job is RUNNING (CheckpointCoordinatorDeActivator); inside it `scheduled`, the
 * momentary `triggering` at a trigger's instant, and `waitingForSlot` when the next trigger is due while
 * max-concurrent-checkpoints are pending (only with a known interval); `stoppingWithSavepoint` from a
 * SYNC_SAVEPOINT trigger until the job leaves RUNNING or that savepoint fails.
 */
export class CoordinatorStatesFold implements EventFold<StatechartView> {
  private running = false;
  private lastTriggerAt: number | null = null;
  private readonly pending = new Set<number>();
  /** The synchronous savepoint of a stop-with-savepoint (checkpointType SYNC_SAVEPOINT) while it is under way. */
  private stopping: number | null = null;
  private lastChange: StatechartView['lastChange'] = null;

  constructor(private readonly options: CoordinatorStatesOptions = {}) {}

  apply(event: EngineEvent): void {
    switch (event.type) {
      case 'job-status-changed': {
        const running = event.status === 'RUNNING';
        if (running !== this.running) this.lastChange = { time: event.time, text: running ? 'START: the job is RUNNING, the scheduler starts' : `STOP: the job is ${event.status}, pending checkpoints are aborted` };
        this.running = running;
        // Leaving RUNNING aborts every pending checkpoint (CheckpointCoordinator.stopCheckpointScheduler), whether or
        // not each abort reaches the stream (a lost Worker's may not): none is pending when it runs again.
        if (!running) {
          this.stopping = null;
          this.pending.clear();
        }
        if (running) this.lastTriggerAt = event.time;
        return;
      }
      case 'checkpoint-triggered':
        if (!event.isSavepoint) this.lastTriggerAt = event.time;
        this.pending.add(event.checkpointId);
        if (event.checkpointType === 'SYNC_SAVEPOINT') this.stopping = event.checkpointId;
        this.lastChange = { time: event.time, text: event.checkpointType === 'SYNC_SAVEPOINT' ? `STOP_WITH_SAVEPOINT: savepoint ${event.checkpointId}` : `triggered ${event.isSavepoint ? 'savepoint' : 'checkpoint'} ${event.checkpointId}` };
        return;
      case 'checkpoint-completed':
        this.pending.delete(event.checkpointId);
        this.lastChange = { time: event.time, text: `METADATA_WRITTEN: checkpoint ${event.checkpointId} completed` };
        return;
      case 'checkpoint-aborted':
      case 'checkpoint-expired':
        this.pending.delete(event.checkpointId);
        // A failed stop-with-savepoint resumes periodic checkpointing: the job goes on running.
        if (this.stopping === event.checkpointId) this.stopping = null;
        this.lastChange = { time: event.time, text: `${event.type === 'checkpoint-expired' ? 'EXPIRE' : 'DECLINE'}: checkpoint ${event.checkpointId} ${event.type === 'checkpoint-expired' ? 'expired' : 'aborted'}` };
        return;
      default:
        return;
    }
  }

  view(now: number): StatechartView {
    const view = (leaf: string): StatechartView => ({ machineId: 'checkpointCoordinator', active: [`checkpointCoordinator.${leaf}`], lastChange: this.lastChange });
    if (!this.running) return view('stopped');
    if (this.stopping !== null) return view('stoppingWithSavepoint');
    if (this.options.intervalMs === null) return view('running.manualOnly');
    if (this.lastTriggerAt !== null && now === this.lastTriggerAt && this.pending.size > 0) return view('running.triggering');
    const interval = this.options.intervalMs;
    const slots = this.options.maxConcurrentCheckpoints ?? 1;
    if (interval !== undefined && this.lastTriggerAt !== null && now >= this.lastTriggerAt + interval && this.pending.size >= slots) return view('running.waitingForSlot');
    return view('running.scheduled');
  }
}
