// Checks of the receive side that any event log must pass, whichever runtime wrote it (docs/events.md,
// "Ordering guarantees"): per attempt and input channel, a task never consumes more records than were
// moved to it — or put back into it from a restored unaligned checkpoint's input channel state
// (`channel-state-restored`, side input: those records are at the channel's head without a `records-moved`;
// restored output channel state is sent later as ordinary `records-moved`); it consumes nothing from a
// channel between its `channel-blocked` and `channel-unblocked` (aligned alignment, and the channels an aligned
// barrier blocked before its checkpoint switched to unaligned, which stay blocked as in Flink; an unaligned
// barrier blocks nothing); a source's reads of a partition are contiguous within an attempt, starting where
// it was rewound to (or at 0); a buffer's epoch never goes back on its channel and is at most one more
// than the sender's last barrier (an unaligned barrier overtakes buffers of the epoch before it in the
// sender's backlog: they keep that epoch, which is lower, and restored output channel state has the restored
// checkpoint's epoch, one below the new records'). Pure: a list of problems, empty when the log keeps every guarantee.
import type { EngineEvent } from './events';

export function receiveSideProblems(events: Iterable<EngineEvent>): string[] {
  const problems: string[] = [];
  const moved = new Map<string, number>();
  const consumed = new Map<string, number>();
  const blocked = new Map<string, number>();
  const readHead = new Map<string, number>();
  const rewound = new Map<string, number>();
  const channelEpoch = new Map<string, number>();
  const lastBarrier = new Map<string, number>();
  for (const event of events) {
    switch (event.type) {
      case 'records-moved': {
        const channel = `${event.attempt}/${event.to}/${event.channel}`;
        moved.set(channel, (moved.get(channel) ?? 0) + event.count);
        if (event.epoch !== undefined) {
          const previous = channelEpoch.get(channel) ?? 0;
          if (event.epoch < previous) problems.push(`${event.time} ms: ${event.from} moved records of epoch ${event.epoch} to ${event.to} channel ${event.channel} after records of epoch ${previous}`);
          channelEpoch.set(channel, event.epoch);
          const barrier = lastBarrier.get(`${event.attempt}/${event.from}`);
          if (barrier !== undefined && event.epoch > barrier + 1) problems.push(`${event.time} ms: ${event.from} moved records of epoch ${event.epoch}, but its last barrier was ${barrier}`);
        }
        break;
      }
      case 'channel-state-restored':
        // Input channel state is at the head of the task's own channel `channel`, consumed like moved records.
        if (event.side === 'input') {
          const channel = `${event.attempt}/${event.taskId}/${event.channel}`;
          moved.set(channel, (moved.get(channel) ?? 0) + event.records);
        }
        break;
      case 'barrier-emitted':
        lastBarrier.set(`${event.attempt}/${event.taskId}`, event.checkpointId);
        break;
      case 'records-consumed': {
        const channel = `${event.attempt}/${event.taskId}/${event.channel}`;
        const total = (consumed.get(channel) ?? 0) + event.count;
        consumed.set(channel, total);
        if (total > (moved.get(channel) ?? 0)) problems.push(`${event.time} ms: ${event.taskId} consumed ${total} records from channel ${event.channel} (attempt ${event.attempt}), more than the ${moved.get(channel) ?? 0} moved to it`);
        const checkpointId = blocked.get(channel);
        if (checkpointId !== undefined) problems.push(`${event.time} ms: ${event.taskId} consumed from channel ${event.channel} while it was blocked for checkpoint ${checkpointId}`);
        break;
      }
      case 'channel-blocked':
        blocked.set(`${event.attempt}/${event.taskId}/${event.channel}`, event.checkpointId);
        break;
      case 'channel-unblocked': {
        const channel = `${event.attempt}/${event.taskId}/${event.channel}`;
        if (blocked.get(channel) !== event.checkpointId) problems.push(`${event.time} ms: ${event.taskId} unblocked channel ${event.channel} for checkpoint ${event.checkpointId}, which did not block it`);
        blocked.delete(channel);
        break;
      }
      case 'source-rewound':
        for (const [partition, offset] of Object.entries(event.offsets)) rewound.set(`${event.attempt}/${event.source}/${partition}`, offset);
        break;
      case 'source-read': {
        const partition = `${event.attempt}/${event.source}/${event.partition}`;
        const expected = readHead.get(partition) ?? rewound.get(partition) ?? 0;
        if (event.fromOffset !== expected) problems.push(`${event.time} ms: ${event.taskId} read partition ${event.partition} from offset ${event.fromOffset}, expected ${expected}`);
        if (event.toOffset <= event.fromOffset) problems.push(`${event.time} ms: ${event.taskId} read an empty range [${event.fromOffset}, ${event.toOffset}) of partition ${event.partition}`);
        readHead.set(partition, event.toOffset);
        break;
      }
      default:
        break;
    }
  }
  return problems;
}
