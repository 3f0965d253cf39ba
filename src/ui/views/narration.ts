// Narration: one sentence per meaningful event, in Flink's words, with numbers rounded for people.
// Related events of one moment read as one sentence (a barrier that blocks its channel; an upload that
// ends in an acknowledgement). Data events (records moved, consumed, read) are left to the picture.
// Bounded: the newest `maxLines` sentences are kept.
import type { EngineEvent, EventOf } from '../../engine/events';
import type { CheckpointId, TaskId } from '../../engine/ids';
import type { EventFold } from '../model/event-fold';
import { formatCount, formatMs, formatSize, listOf } from '../format';
import { TopologyFold } from '../model/topology';

export const NARRATION_KINDS = ['job', 'checkpoints', 'alignment', 'snapshots', 'failures', 'recovery', 'sinks'] as const;
export type NarrationKind = (typeof NARRATION_KINDS)[number];

/** What each filter shows, in Flink's terms (for the filter's tooltip). */
export const NARRATION_KIND_HELP: Record<NarrationKind, string> = {
  job: 'Job status changes (JobStatus) and deployments of each execution attempt.',
  checkpoints: 'The checkpoint coordinator: triggers, completions, aborts, expiries and retained checkpoints discarded.',
  alignment: 'Barriers arriving at input channels, channels blocked for alignment and released again.',
  snapshots: 'Subtasks emitting barriers, taking the synchronous snapshot, uploading it and acknowledging.',
  failures: 'Injected faults, failed tasks, failed snapshots and declined checkpoints.',
  recovery: 'Restarts: the restart strategy, state restored from a checkpoint, sources rewound to its offsets.',
  sinks: 'The sink making output visible: two-phase-commit transactions committed or aborted, at-least-once writes.',
};

export interface NarrationLine {
  readonly seq: number;
  readonly time: number;
  readonly kind: NarrationKind;
  readonly text: string;
  readonly checkpointId: CheckpointId | null;
  readonly taskId: TaskId | null;
}

export interface NarrationView {
  readonly lines: readonly NarrationLine[];
  /** Sentences dropped because the narration keeps only the newest. */
  readonly dropped: number;
}

interface Draft {
  seq: number;
  time: number;
  kind: NarrationKind;
  text: string;
  checkpointId: CheckpointId | null;
  taskId: TaskId | null;
  /** What a following event of the same moment may extend, e.g. `barrier:sum#1:4:0`. */
  tag: string | null;
}

const REASONS: Record<string, string> = {
  CHECKPOINT_ASYNC_EXCEPTION: 'a subtask’s asynchronous snapshot failed',
  CHECKPOINT_SUBSUMED: 'a newer checkpoint completed first (subsumed)',
  CHECKPOINT_COORDINATOR_SUSPEND: 'the coordinator stopped because the job left RUNNING',
  CHECKPOINT_EXPIRED: 'it did not complete within execution.checkpointing.timeout',
  FINALIZE_CHECKPOINT_FAILURE: 'its metadata could not be written',
  CHECKPOINT_DECLINED_SUBSUMED: 'a subtask saw a newer barrier first',
  CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER: 'a cancellation marker reached a subtask',
  CHECKPOINT_DECLINED_INPUT_END_OF_STREAM: 'an input ended',
};

export class NarrationFold implements EventFold<NarrationView> {
  private readonly topology = new TopologyFold();
  private readonly lines: Draft[] = [];
  private readonly barriersSeen = new Map<string, Set<number>>();
  /** `task:checkpoint` known to be unaligned at that task (an overtake or a switch said so); bounded with barriersSeen. */
  private readonly unaligned = new Set<string>();
  /** Subtasks FINISHED (FLIP-147): their channels ended, so no barrier comes from them. */
  private readonly finished = new Set<TaskId>();
  private lastCompleted: { checkpointId: CheckpointId; time: number } | null = null;
  private readonly openWrites = new Map<TaskId, { line: Draft; count: number }>();
  /** Committed transaction ids, the newest 1,024: a restore's repeated commit changes nothing downstream. */
  private readonly committed = new Set<string>();
  private seq = 0;
  private dropped = 0;
  private readonly maxLines: number;
  /** The view until the next event: a frame costs nothing when nothing was said. */
  private shown: NarrationView | null = null;

  constructor(options: { maxLines?: number } = {}) {
    this.maxLines = options.maxLines ?? 500;
  }

  apply(event: EngineEvent): void {
    this.topology.apply(event);
    // A checkpoint or a job change closes the running tallies of at-least-once writes.
    if (event.type === 'checkpoint-triggered' || event.type === 'job-status-changed') this.openWrites.clear();
    this.narrate(event);
  }

  view(_now?: number): NarrationView {
    this.shown ??= { lines: this.lines.map(({ tag: _tag, ...line }) => line), dropped: this.dropped };
    return this.shown;
  }

  private narrate(event: EngineEvent): void {
    switch (event.type) {
      case 'job-status-changed':
        return this.say(event, 'job', `The job is ${event.status} (was ${event.previous})${event.cause ? `: ${event.cause}` : ''}.`);
      case 'job-deployed': {
        const restore = event.restoredCheckpointId === null ? 'with empty state' : `restoring checkpoint ${event.restoredCheckpointId}`;
        return this.say(event, 'job', `Attempt ${event.attempt} deployed: ${event.subtasks.length} subtasks and ${event.channels.length} channels, ${restore}.`);
      }
      case 'task-state-changed':
        if (event.state === 'FINISHED') this.finished.add(event.taskId);
        else this.finished.delete(event.taskId);
        if (event.state === 'FAILED') return this.say(event, 'failures', `${event.taskId} (attempt ${event.attempt}) is FAILED.`, { taskId: event.taskId });
        return;
      case 'task-failed':
        return this.say(event, 'failures', `${event.taskId} failed: ${event.cause}.`, { taskId: event.taskId });
      case 'fault-injected':
        return this.say(event, 'failures', faultSentence(event.fault));
      case 'job-restarting':
        return this.say(event, 'recovery', `The restart strategy allows a restart: attempt ${event.attempt} is deployed after a backoff of ${formatMs(event.backoffMs)}.`);
      case 'task-restored':
        return this.say(event, 'recovery', event.checkpointId === null ? `${event.taskId} started with empty state.` : `${event.taskId} restored its state from checkpoint ${event.checkpointId}.`, {
          taskId: event.taskId,
          checkpointId: event.checkpointId,
        });
      case 'source-rewound': {
        const parts = Object.entries(event.offsets).map(([partition, offset]) => `partition ${partition} to offset ${formatCount(offset)}`);
        return this.say(event, 'recovery', `${event.taskId} rewound ${listOf(parts)}, the offsets in the restored checkpoint: what it read after them is read again.`, { taskId: event.taskId });
      }
      case 'checkpoint-triggered':
        // Bounded: only the barriers of recent checkpoints matter for "it waits for …".
        if (this.barriersSeen.size > 256) this.barriersSeen.clear();
        if (this.unaligned.size > 256) this.unaligned.clear();
        return this.say(event, 'checkpoints', `The checkpoint coordinator triggered ${event.isSavepoint ? 'savepoint' : 'checkpoint'} ${event.checkpointId} at the sources.`, { checkpointId: event.checkpointId });
      case 'barrier-emitted':
        return this.barrierEmitted(event);
      case 'barrier-received':
        return this.barrierReceived(event);
      case 'channel-blocked':
        return this.channelBlocked(event);
      case 'alignment-done':
        return this.alignmentDone(event);
      case 'checkpoint-switched-to-unaligned':
        this.unaligned.add(`${event.taskId}:${event.checkpointId}`);
        return this.say(
          event,
          'alignment',
          `${event.taskId}'s alignment for checkpoint ${event.checkpointId} outlasted execution.checkpointing.aligned-checkpoint-timeout: it switches to an unaligned checkpoint.`,
          { taskId: event.taskId, checkpointId: event.checkpointId },
        );
      case 'barrier-overtook':
        return this.barrierOvertook(event);
      case 'channel-state-restored':
        return this.say(
          event,
          'recovery',
          event.side === 'input'
            ? `${event.taskId} put ${event.records} in-flight records of checkpoint ${event.checkpointId} back into input channel ${event.channel} before any new input.`
            : `${event.taskId} put ${event.records} in-flight records of checkpoint ${event.checkpointId} back into its output to ${event.to ?? 'its consumer'}, ahead of anything new.`,
          { taskId: event.taskId, checkpointId: event.checkpointId },
        );
      case 'channel-unblocked': {
        const sender = this.topology.senderOf(event.taskId, event.channel);
        const from = sender ? ` from ${sender}` : '';
        return this.say(event, 'alignment', `${event.taskId} unblocked channel ${event.channel}${from}: its held records flow again.`, { taskId: event.taskId, checkpointId: event.checkpointId ?? null });
      }
      case 'snapshot-sync-done':
        return this.say(event, 'snapshots', `${event.taskId} took the synchronous part of its snapshot for checkpoint ${event.checkpointId}; the upload runs asynchronously while it keeps processing.`, {
          taskId: event.taskId,
          checkpointId: event.checkpointId,
        });
      case 'snapshot-async-done':
        return this.say(event, 'snapshots', `${event.taskId} uploaded its state for checkpoint ${event.checkpointId} (${formatSize(event.stateSizeBytes)} in ${formatMs(event.asyncDurationMs)}).`, {
          taskId: event.taskId,
          checkpointId: event.checkpointId,
          tag: `upload:${event.taskId}:${event.checkpointId}`,
        });
      case 'checkpoint-acknowledged':
        return this.acknowledged(event);
      case 'snapshot-failed':
        return this.say(event, 'failures', `${event.taskId} failed the ${event.phase} part of its snapshot for checkpoint ${event.checkpointId} (${event.message}); it declines the checkpoint and keeps running.`, {
          taskId: event.taskId,
          checkpointId: event.checkpointId,
        });
      case 'checkpoint-declined':
        return this.say(event, 'failures', `${event.taskId} declined checkpoint ${event.checkpointId}: ${event.reason}.`, { taskId: event.taskId, checkpointId: event.checkpointId });
      case 'checkpoint-completed': {
        this.lastCompleted = { checkpointId: event.checkpointId, time: event.time };
        const what = event.isSavepoint ? 'Savepoint' : 'Checkpoint';
        return this.say(event, 'checkpoints', `${what} ${event.checkpointId} completed in ${formatMs(event.endToEndDurationMs)} (${formatSize(event.stateSizeBytes)}): every subtask acknowledged and its metadata was written; a restart now restores from it.`, { checkpointId: event.checkpointId });
      }
      case 'checkpoint-aborted':
        return this.say(event, 'checkpoints', `Checkpoint ${event.checkpointId} was aborted: ${REASONS[event.reason] ?? event.message} (${event.reason}).`, { checkpointId: event.checkpointId });
      case 'checkpoint-expired':
        return this.say(event, 'checkpoints', `Checkpoint ${event.checkpointId} expired: ${REASONS.CHECKPOINT_EXPIRED}.`, { checkpointId: event.checkpointId });
      case 'checkpoint-discarded': {
        const by = this.lastCompleted && this.lastCompleted.time === event.time && this.lastCompleted.checkpointId > event.checkpointId ? this.lastCompleted.checkpointId : null;
        const text = by === null ? `Checkpoint ${event.checkpointId} was discarded and its state deleted.` : `Checkpoint ${event.checkpointId} was subsumed by checkpoint ${by} and discarded (execution.checkpointing.num-retained).`;
        return this.say(event, 'checkpoints', text, { checkpointId: event.checkpointId });
      }
      case 'sink-committed': {
        const checkpoint = event.checkpointId ?? null;
        if (this.committed.has(event.transactionId)) {
          return this.say(event, 'sinks', `${event.taskId}'s sink committed transaction ${event.transactionId} again on restore (recoverAndCommit): its records were already visible, so nothing changes downstream.`, { taskId: event.taskId, checkpointId: checkpoint });
        }
        this.committed.add(event.transactionId);
        if (this.committed.size > 1024) this.committed.delete(this.committed.values().next().value!);
        return this.say(event, 'sinks', `${event.taskId}'s sink committed transaction ${event.transactionId}: ${formatCount(event.records)} records are now visible downstream.`, { taskId: event.taskId, checkpointId: checkpoint });
      }
      case 'sink-aborted':
        return this.say(event, 'sinks', `${event.taskId}'s sink aborted transaction ${event.transactionId}: its ${formatCount(event.records)} records are never visible (the restored job produces them again).`, { taskId: event.taskId });
      case 'sink-written':
        return this.sinkWritten(event);
      default:
        return;
    }
  }

  private barrierEmitted(event: EventOf<'barrier-emitted'>): void {
    const isSource = this.topology.inputChannels(event.taskId) === 0;
    const start = isSource ? `${event.taskId} received the trigger and sent barrier ${event.checkpointId}` : `${event.taskId} forwarded barrier ${event.checkpointId}`;
    const where = this.topology.hasOutputs(event.taskId) ? ' downstream, behind the records it already sent' : ' (no downstream: the chain ends in a sink)';
    this.say(event, 'snapshots', `${start}${where}.`, { taskId: event.taskId, checkpointId: event.checkpointId });
  }

  private barrierReceived(event: EventOf<'barrier-received'>): void {
    const key = `${event.taskId}:${event.checkpointId}`;
    let seen = this.barriersSeen.get(key);
    if (!seen) this.barriersSeen.set(key, (seen = new Set()));
    seen.add(event.channel);
    const sender = this.topology.senderOf(event.taskId, event.channel);
    const from = sender ? ` from ${sender}` : '';
    this.say(event, 'alignment', `${event.taskId} received barrier ${event.checkpointId} on channel ${event.channel}${from}`, {
      taskId: event.taskId,
      checkpointId: event.checkpointId,
      tag: `barrier:${key}:${event.channel}`,
      open: true,
    });
  }

  private channelBlocked(event: EventOf<'channel-blocked'>): void {
    const waiting = this.waitingFor(event.taskId, event.checkpointId);
    const rest = waiting.length > 0 ? `; it waits for ${listOf(waiting)}` : '';
    if (this.extend(`barrier:${event.taskId}:${event.checkpointId}:${event.channel}`, ` and blocked that channel${rest}`)) return;
    this.say(event, 'alignment', `${event.taskId} blocked channel ${event.channel} for checkpoint ${event.checkpointId}${rest}.`, { taskId: event.taskId, checkpointId: event.checkpointId });
  }

  private alignmentDone(event: EventOf<'alignment-done'>): void {
    const channels = this.topology.inputChannels(event.taskId);
    // Before every barrier came from a sender still running (a finished one's channel ended, FLIP-147): unaligned.
    const waiting = channels > 0 ? this.waitingFor(event.taskId, event.checkpointId).filter((sender) => !this.finished.has(sender)) : [];
    if (waiting.length > 0) {
      const text = ` and snapshots at once, unaligned, without waiting for ${waiting.join(', ')}: records still ahead of barrier ${event.checkpointId} on those channels go into the checkpoint as channel state`;
      const last = this.lines[this.lines.length - 1];
      if (last?.tag?.startsWith(`barrier:${event.taskId}:${event.checkpointId}:`) && this.extend(last.tag, text)) return;
      return this.say(event, 'alignment', `${event.taskId}${text.replace(/^ and/, '')}.`, { taskId: event.taskId, checkpointId: event.checkpointId });
    }
    const on = channels > 0 ? ` on all ${channels} channels` : ' on every channel';
    const last = this.lines[this.lines.length - 1];
    if (last?.tag?.startsWith(`barrier:${event.taskId}:${event.checkpointId}:`) && this.extend(last.tag, `, the last one: barrier ${event.checkpointId} is in${on}, ${formatMs(event.alignmentDurationMs)} after the first`)) return;
    this.say(event, 'alignment', `${event.taskId} has barrier ${event.checkpointId}${on}, ${formatMs(event.alignmentDurationMs)} after the first.`, { taskId: event.taskId, checkpointId: event.checkpointId });
  }

  /** Unaligned: the barrier went ahead of queued records, which become channel state (one line per channel). */
  private barrierOvertook(event: EventOf<'barrier-overtook'>): void {
    this.unaligned.add(`${event.taskId}:${event.checkpointId}`);
    const records = `${event.records} record${event.records === 1 ? '' : 's'} (${formatSize(event.sizeBytes)})`;
    const where =
      event.side === 'input'
        ? `in ${event.taskId}'s input channel ${event.channel}${this.topology.senderOf(event.taskId, event.channel) ? ` from ${this.topology.senderOf(event.taskId, event.channel)}` : ''}`
        : `in ${event.taskId}'s output to ${event.to ?? 'its consumer'}`;
    this.say(event, 'alignment', `Barrier ${event.checkpointId} overtook ${records} ${where}: they are persisted as channel state of checkpoint ${event.checkpointId} and still processed.`, {
      taskId: event.taskId,
      checkpointId: event.checkpointId,
    });
  }

  private acknowledged(event: EventOf<'checkpoint-acknowledged'>): void {
    const size = event.checkpointedSizeBytes !== undefined && event.stateSizeBytes !== undefined && event.checkpointedSizeBytes < event.stateSizeBytes ? ` (${formatSize(event.checkpointedSizeBytes)} new of ${formatSize(event.stateSizeBytes)})` : '';
    if (this.extend(`upload:${event.taskId}:${event.checkpointId}`, ` and acknowledged it to the checkpoint coordinator${size}`)) return;
    this.say(event, 'snapshots', `${event.taskId} acknowledged checkpoint ${event.checkpointId} to the checkpoint coordinator${size}.`, { taskId: event.taskId, checkpointId: event.checkpointId });
  }

  /** At-least-once writes: one line per sink subtask until the next checkpoint or job change, its count growing. */
  private sinkWritten(event: EventOf<'sink-written'>): void {
    const open = this.openWrites.get(event.taskId);
    const count = (open?.count ?? 0) + event.written.length;
    const text = `${event.taskId}'s at-least-once sink wrote ${formatCount(count)} ${count === 1 ? 'record' : 'records'} straight to the output from here to the next checkpoint (no transaction: a replay writes them again).`;
    if (open && this.lines.includes(open.line)) {
      open.line.text = text;
      open.count = count;
      this.shown = null;
      return;
    }
    this.say(event, 'sinks', text, { taskId: event.taskId });
    this.openWrites.set(event.taskId, { line: this.lines[this.lines.length - 1]!, count });
  }

  /** The senders whose barrier `taskId` still waits for in checkpoint `checkpointId`. */
  private waitingFor(taskId: TaskId, checkpointId: CheckpointId): string[] {
    const seen = this.barriersSeen.get(`${taskId}:${checkpointId}`) ?? new Set<number>();
    const waiting: string[] = [];
    for (let channel = 0; channel < this.topology.inputChannels(taskId); channel++) {
      if (!seen.has(channel)) waiting.push(this.topology.senderOf(taskId, channel) ?? `channel ${channel}`);
    }
    return waiting;
  }

  /** Appends to the latest line if it carries `tag` (an open sentence of the same moment); false otherwise. */
  private extend(tag: string, tail: string): boolean {
    const last = this.lines[this.lines.length - 1];
    if (!last || last.tag !== tag) return false;
    last.text = `${last.text.replace(/\.$/, '')}${tail}.`;
    last.tag = null;
    this.shown = null;
    return true;
  }

  private say(
    event: EngineEvent,
    kind: NarrationKind,
    text: string,
    about: { taskId?: TaskId; checkpointId?: CheckpointId | null; tag?: string; open?: boolean } = {},
  ): void {
    this.shown = null;
    this.lines.push({
      seq: this.seq++,
      time: event.time,
      kind,
      text: about.open ? `${text}.` : text,
      checkpointId: about.checkpointId ?? null,
      taskId: about.taskId ?? null,
      tag: about.tag ?? null,
    });
    if (this.lines.length > this.maxLines) {
      this.lines.shift();
      this.dropped++;
    }
  }
}

/** A fault spec (docs/events.md, fault-injected) as a sentence. */
export function faultSentence(fault: string): string {
  const match = /^([a-z-]+):([^@\s]+)@(\S+)/.exec(fault);
  if (!match) return `Fault injected: ${fault}.`;
  const [, kind, target] = match;
  const fromPage = fault.includes('(from the page)') ? ' from the page' : '';
  switch (kind) {
    case 'kill':
      return `Fault${fromPage}: the worker running ${target} was killed; the job master will notice the lost task (${fault}).`;
    case 'kill-after':
      return `Fault: ${target} was killed after its record count was reached (${fault}).`;
    case 'crash':
      return `Fault${fromPage}: ${target}'s operator threw an exception (${fault}).`;
    case 'fail-snapshot':
      return `Fault: ${target}'s next snapshot upload is made to fail (${fault}).`;
    case 'slow-task':
      return `Fault: ${target} now processes records more slowly, so backpressure builds upstream (${fault}).`;
    case 'delay-channel': {
      const added = /\+(\d+)/.exec(fault.slice(fault.indexOf('@')))?.[1];
      if (!target!.includes('->')) return `Fault: messages into ${target} are delayed from now on (${fault}).`;
      return added === '0'
        ? `The channel ${target} has its normal latency again (${fault}).`
        : `Fault: the channel ${target} is slowed: each record and barrier on it takes ${added} ms longer, in order (${fault}).`;
    }
    default:
      return `Fault injected: ${fault}.`;
  }
}

/** The newest `limit` lines of the chosen kinds, newest moment first; lines of one moment keep their order (cause first). */
export function filterLines(view: NarrationView, kinds: ReadonlySet<NarrationKind>, limit = 200): NarrationLine[] {
  const lines = view.lines.filter((line) => kinds.has(line.kind));
  return lines.slice(Math.max(0, lines.length - limit)).sort((a, b) => b.time - a.time || a.seq - b.seq);
}
