// What the stream says of each subtask's channel state (unaligned checkpoints, FLIP-76): per checkpoint the
// in-flight records its barrier overtook, channel by channel (`barrier-overtook`), and per restore what was put
// back (`channel-state-restored`). Records' contents are not in the stream: counts and bytes are. Bounded: the
// newest KEPT_CHECKPOINTS checkpoints, and the restore of the latest attempt.
import type { DeployedChannel, EngineEvent, EventOf } from '../../engine/events';
import type { AttemptNumber, CheckpointId, TaskId } from '../../engine/ids';

/** Checkpoints whose channel state is kept (the inspector remembers fewer completed ones). */
export const KEPT_CHECKPOINTS = 32;

export interface ChannelStatePart {
  /** `input`: one of the subtask's input channels; `output`: its output to one consumer's input channel. */
  readonly side: 'input' | 'output';
  /** The other end: the sender of an input channel, the consumer of an output. */
  readonly peer: TaskId | null;
  /** The receiver's input channel index. */
  readonly channel: number;
  readonly records: number;
  /** Bytes overtaken (0 for a restore: the stream says records only). */
  readonly sizeBytes: number;
}

export interface RestoredChannelState {
  readonly attempt: AttemptNumber;
  readonly checkpointId: CheckpointId;
  readonly parts: readonly ChannelStatePart[];
}

export class ChannelStateLog {
  /** checkpoint → task → parts, oldest checkpoint first. */
  readonly #overtaken = new Map<CheckpointId, Map<TaskId, ChannelStatePart[]>>();
  readonly #restored = new Map<TaskId, { attempt: AttemptNumber; checkpointId: CheckpointId; parts: ChannelStatePart[] }>();
  /** Receiver task / input channel → sender, from the latest deployment. */
  #senders = new Map<string, TaskId>();
  #attempt: AttemptNumber = 0;

  apply(event: EngineEvent): void {
    switch (event.type) {
      case 'job-deployed':
        this.#attempt = event.attempt;
        this.#senders = new Map(event.channels.map((channel: DeployedChannel) => [inputKey(channel.to, channel.channel), channel.from]));
        for (const [taskId, restored] of this.#restored) if (restored.attempt < event.attempt) this.#restored.delete(taskId);
        return;
      case 'barrier-overtook':
        return this.#overtook(event);
      case 'channel-state-restored':
        return this.#restore(event);
      default:
        return;
    }
  }

  /** What subtask `taskId` persisted as channel state in checkpoint `checkpointId` (empty: none, or aligned). */
  overtaken(checkpointId: CheckpointId, taskId: TaskId): readonly ChannelStatePart[] {
    return this.#overtaken.get(checkpointId)?.get(taskId) ?? [];
  }

  /** The channel state the latest attempt put back into subtask `taskId`, or null. */
  restored(taskId: TaskId): RestoredChannelState | null {
    const restored = this.#restored.get(taskId);
    return restored && restored.attempt === this.#attempt ? restored : null;
  }

  #overtook(event: EventOf<'barrier-overtook'>): void {
    let tasks = this.#overtaken.get(event.checkpointId);
    if (!tasks) {
      this.#overtaken.set(event.checkpointId, (tasks = new Map()));
      while (this.#overtaken.size > KEPT_CHECKPOINTS) this.#overtaken.delete(Math.min(...this.#overtaken.keys()));
    }
    const parts = tasks.get(event.taskId) ?? [];
    tasks.set(event.taskId, parts);
    const peer = this.#peerOf(event.side, event.taskId, event.channel, event.to);
    const same = parts.find((part) => part.side === event.side && part.channel === event.channel && part.peer === peer);
    const part = { side: event.side, peer, channel: event.channel, records: (same?.records ?? 0) + event.records, sizeBytes: (same?.sizeBytes ?? 0) + event.sizeBytes };
    parts.splice(same ? parts.indexOf(same) : parts.length, same ? 1 : 0, part);
  }

  #restore(event: EventOf<'channel-state-restored'>): void {
    let restored = this.#restored.get(event.taskId);
    if (!restored || restored.attempt !== event.attempt) {
      restored = { attempt: event.attempt, checkpointId: event.checkpointId, parts: [] };
      this.#restored.set(event.taskId, restored);
    }
    restored.parts.push({ side: event.side, peer: this.#peerOf(event.side, event.taskId, event.channel, event.to), channel: event.channel, records: event.records, sizeBytes: 0 });
  }

  #peerOf(side: 'input' | 'output', taskId: TaskId, channel: number, to: TaskId | undefined): TaskId | null {
    return side === 'output' ? (to ?? null) : (this.#senders.get(inputKey(taskId, channel)) ?? null);
  }
}

function inputKey(taskId: TaskId, channel: number): string {
  return `${taskId}/${channel}`;
}
