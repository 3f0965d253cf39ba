// Fault injection from the page, whichever runtime runs the job: the session's commands (a fault applies
// only to a RUNNING subtask of a RUNNING job, and every press says what it did or why not). The runtime is
// the one source of truth for what is in effect (a slowdown), and an upload failure asked for stays
// announced only until it happened, or until the attempt it was set in ended without it.
import type { EngineEvent } from '../engine/events';
import type { CommandResult, JobSession } from '../runtime/job-session';

export { faultRefusal } from '../runtime/fault-refusal';

/** How much slower "Slow" makes a subtask. */
export const SLOWDOWN = 10;

/** The session's fault commands the page uses. */
export type FaultCommands = Pick<JobSession, 'kill' | 'crash' | 'failNextSnapshot' | 'slow' | 'slowdownOf' | 'delayChannel' | 'channelDelayOf' | 'requestSamples'>;

const INJECTED_UPLOAD_FAILURE = /^fail-snapshot:(\S+#\d+)@(\d+)/;

export class PageFaults {
  /** Subtasks whose next snapshot upload was asked to fail and has not yet. */
  readonly #pendingUploadFailures = new Set<string>();

  constructor(
    private readonly commands: FaultCommands,
    private readonly say: (notice: string) => void,
    /** Why a fault cannot be injected into a subtask now, as the runtime knows it (null: it can). */
    private readonly refusalOf: (taskId: string) => string | null,
  ) {}

  refusal(taskId: string): string | null {
    return this.refusalOf(taskId);
  }

  kill(taskId: string): void {
    this.tell(this.commands.kill(taskId));
  }

  crash(taskId: string): void {
    this.tell(this.commands.crash(taskId));
  }

  failNextUpload(taskId: string): void {
    if (this.#pendingUploadFailures.has(taskId)) return this.say(`The next snapshot upload of ${taskId} is already set to fail.`);
    if (this.tell(this.commands.failNextSnapshot(taskId))) this.#pendingUploadFailures.add(taskId);
  }

  /** Slows the subtask ×SLOWDOWN, or back to normal speed when the runtime says it is slowed. */
  toggleSlow(taskId: string): void {
    const slowed = this.commands.slowdownOf(taskId) > 1;
    const result = this.commands.slow(taskId, slowed ? 1 : SLOWDOWN);
    if (!result.ok) return this.say(result.message);
    this.commands.requestSamples(); // the samples carry the slowdown the views show
    this.say(slowed ? `${taskId} runs at normal speed again.` : `${taskId} now runs ${SLOWDOWN}× slower: watch backpressure and alignment grow.`);
  }

  /** Adds `latencyMs` to the channel, or takes its added latency away when the runtime says it has some. */
  toggleChannelDelay(channel: string, latencyMs: number): void {
    const delayed = this.commands.channelDelayOf(channel) > 0;
    const result = this.commands.delayChannel(channel, delayed ? 0 : latencyMs);
    if (!result.ok) return this.say(result.message);
    this.say(delayed ? `${channel} has its normal latency again.` : `${channel} now takes ${latencyMs} ms longer: watch its barrier come late and the receiver's other channels stay blocked.`);
  }

  /** Events of the job, in order: an asked-for upload failure is announced once it happens, or once it cannot. */
  record(events: readonly EngineEvent[]): void {
    for (const event of events) {
      if (event.type === 'fault-injected') {
        const [, taskId, checkpointId] = INJECTED_UPLOAD_FAILURE.exec(event.fault) ?? [];
        if (taskId === undefined || !this.#pendingUploadFailures.delete(taskId)) continue;
        this.say(`The snapshot upload of ${taskId} for checkpoint ${checkpointId} failed, as injected: ${taskId} declined the checkpoint.`);
      } else if (event.type === 'job-status-changed' && event.previous === 'RUNNING' && this.#pendingUploadFailures.size > 0) {
        const tasks = [...this.#pendingUploadFailures].join(', ');
        this.#pendingUploadFailures.clear();
        this.say(`The upload failure injected into ${tasks} was dropped: the job went ${event.status} before ${tasks} took another snapshot.`);
      }
    }
  }

  private tell(result: CommandResult): boolean {
    this.say(result.message);
    return result.ok;
  }
}
