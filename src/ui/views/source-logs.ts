// Sources as logs (Kafka-like partitions): each partition's read head, the offset stored in the latest
// completed checkpoint, and — after a restore — the head jumping back to the restored offset, with the
// records read a second time marked. Unbounded partitions: the view is a window of offsets around the head.
// A read of an older attempt than the partition's latest (a killed task's last events) moves nothing; a newer
// attempt that starts reading below the head without a `source-rewound` (a restart with no checkpoint to
// restore) rewinds it all the same.
import type { EngineEvent } from '../../engine/events';
import type { OperatorUid, TaskId } from '../../engine/ids';
import type { EventFold } from '../model/event-fold';

export interface LogCell {
  readonly offset: number;
  /** Below the read head: the source has emitted it (in this attempt or before a rewind). */
  readonly read: boolean;
  /** Below the latest completed checkpoint's offset: a restore would not read it again. */
  readonly checkpointed: boolean;
  /** Was read before a rewind and will be (or was) read again: Flink's replay after a restore. */
  readonly replayed: boolean;
}

export interface Rewind {
  readonly time: number;
  readonly from: number;
  readonly to: number;
}

export interface PartitionLog {
  /** `<source uid>/<partition>`. */
  readonly id: string;
  readonly source: OperatorUid;
  readonly partition: number;
  readonly taskId: TaskId | null;
  /** The read head: the next offset to read. */
  readonly offset: number;
  /** The next offset to read as stored in the latest completed checkpoint, or null before the first. */
  readonly checkpointedOffset: number | null;
  readonly checkpointId: number | null;
  /** The highest offset ever read (before any rewind). */
  readonly highWatermark: number;
  readonly lastRewind: Rewind | null;
  /** Offsets read again after a rewind, in total. */
  readonly replayedRecords: number;
  /** The offsets drawn: a window around the head. */
  readonly window: { readonly start: number; readonly end: number };
  readonly cells: readonly LogCell[];
}

export interface SourceLogsView {
  readonly partitions: readonly PartitionLog[];
}

interface MutablePartition {
  source: OperatorUid;
  partition: number;
  taskId: TaskId | null;
  /** The attempt whose reads move the head: the latest seen. */
  attempt: number;
  offset: number;
  checkpointedOffset: number | null;
  checkpointId: number | null;
  highWatermark: number;
  lastRewind: Rewind | null;
  /** Half-open offset ranges read before a rewind that lies below them (merged, at most a few). */
  replayRanges: Array<[number, number]>;
}

export class SourceLogsFold implements EventFold<SourceLogsView> {
  private readonly partitions = new Map<string, MutablePartition>();
  private readonly windowSize: number;

  constructor(options: { windowSize?: number } = {}) {
    this.windowSize = options.windowSize ?? 32;
  }

  apply(event: EngineEvent): void {
    switch (event.type) {
      case 'source-read': {
        const log = this.partition(event.source, event.partition);
        if (event.attempt < log.attempt) return;
        if (event.attempt > log.attempt && event.fromOffset < log.offset) rewind(log, event.fromOffset, event.time);
        log.attempt = event.attempt;
        log.taskId = event.taskId;
        log.offset = Math.max(log.offset, event.toOffset);
        log.highWatermark = Math.max(log.highWatermark, event.toOffset);
        return;
      }
      case 'source-rewound': {
        for (const [partitionText, to] of Object.entries(event.offsets)) {
          const log = this.partition(event.source, Number(partitionText));
          if (event.attempt < log.attempt) continue;
          log.attempt = event.attempt;
          log.taskId = event.taskId;
          rewind(log, to, event.time);
          // A restore reads from the checkpoint it restored: that is now the offset a restore would use.
          log.checkpointedOffset ??= to;
        }
        return;
      }
      case 'checkpoint-completed':
        for (const [source, byPartition] of Object.entries(event.sourceOffsets ?? {})) {
          for (const [partitionText, offset] of Object.entries(byPartition)) {
            const log = this.partition(source, Number(partitionText));
            log.checkpointedOffset = offset;
            log.checkpointId = event.checkpointId;
          }
        }
        return;
      default:
        return;
    }
  }

  view(_now?: number): SourceLogsView {
    const partitions = [...this.partitions.values()].sort((a, b) => a.source.localeCompare(b.source) || a.partition - b.partition);
    return { partitions: partitions.map((log) => this.freeze(log)) };
  }

  private freeze(log: MutablePartition): PartitionLog {
    // The head sits three quarters along the window; the window never starts below 0.
    const start = Math.max(0, log.offset - Math.round(this.windowSize * 0.75));
    const end = start + this.windowSize;
    const cells: LogCell[] = [];
    for (let offset = start; offset < end; offset++) {
      cells.push({
        offset,
        read: offset < log.offset,
        checkpointed: log.checkpointedOffset !== null && offset < log.checkpointedOffset,
        replayed: log.replayRanges.some(([from, to]) => offset >= from && offset < to),
      });
    }
    const replayedRecords = log.replayRanges.reduce((sum, [from, to]) => sum + Math.max(0, Math.min(to, log.offset) - from), 0);
    return {
      id: `${log.source}/${log.partition}`,
      source: log.source,
      partition: log.partition,
      taskId: log.taskId,
      offset: log.offset,
      checkpointedOffset: log.checkpointedOffset,
      checkpointId: log.checkpointId,
      highWatermark: log.highWatermark,
      lastRewind: log.lastRewind,
      replayedRecords,
      window: { start, end },
      cells,
    };
  }

  private partition(source: OperatorUid, partition: number): MutablePartition {
    const id = `${source}/${partition}`;
    let log = this.partitions.get(id);
    if (!log) {
      log = { source, partition, taskId: null, attempt: 0, offset: 0, checkpointedOffset: null, checkpointId: null, highWatermark: 0, lastRewind: null, replayRanges: [] };
      this.partitions.set(id, log);
    }
    return log;
  }
}

/** The read head goes back to `to`: what was read from there up to the high watermark is read again. */
function rewind(log: MutablePartition, to: number, time: number): void {
  if (log.highWatermark > to) addRange(log.replayRanges, [to, log.highWatermark]);
  log.lastRewind = { time, from: log.offset, to };
  log.offset = to;
}

/** Adds a half-open range, merging overlaps; keeps the newest few (a long run rewinds many times). */
function addRange(ranges: Array<[number, number]>, range: [number, number]): void {
  ranges.push(range);
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = ranges.length - 1; i > 0; i--) {
    const previous = ranges[i - 1]!;
    const current = ranges[i]!;
    if (current[0] <= previous[1]) {
      previous[1] = Math.max(previous[1], current[1]);
      ranges.splice(i, 1);
    }
  }
  while (ranges.length > 8) ranges.shift();
}
