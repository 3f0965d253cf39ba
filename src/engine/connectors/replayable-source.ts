// A replayable, deterministic source over partitions with offsets (a Kafka topic in miniature). Offsets
// live in operator list state (even-split redistribution on rescale), so a restore rewinds to exactly
// the position the checkpoint's barrier was emitted at. Unbounded by default: at the end of its data it idles
// (Kafka's continuous mode). Bounded (Flink's Boundedness.BOUNDED, KafkaSource#setBounded with the partitions'
// ends): a reader whose partitions are all read to their end reports end of input, and its task finishes.
import { ListStateDescriptor, type ListState } from '../state';
import type { Source } from '../graph/stream-execution-environment';
import { AbstractStreamOperator, type Output, type SourceOperator, type SourceStatus } from '../operators/stream-operator';
import type { OperatorContext } from '../operators/runtime-context';

/** The replayable input: record `offset` of partition `partition`, the same every time it is read. */
export interface ReplayableTopic {
  readonly name: string;
  readonly numberOfPartitions: number;
  partitionLength(partition: number): number;
  read(partition: number, offset: number): unknown;
}

export interface PartitionOffset {
  readonly partition: number;
  /** The next offset to read. */
  readonly offset: number;
}

export interface ReplayableSourceOptions {
  readonly topic: ReplayableTopic;
  /** Steady emission rate per subtask, in records per second of the clock. */
  readonly recordsPerSecond: number;
  /**
   * Flink's Boundedness.BOUNDED: the input ends where the partitions end, so each reader reports end of input
   * once all of its partitions are read (at once for a reader with none, as a SourceReader with no splits and no
   * more to come). Absent or false: CONTINUOUS_UNBOUNDED, the reader idles at the end and waits for more.
   */
  readonly bounded?: boolean;
}

export const OFFSETS_STATE_NAME = 'partition-offsets';

export class ReplayableSource<T = unknown> implements Source<T> {
  declare readonly __type?: T;
  readonly name: string;

  constructor(readonly options: ReplayableSourceOptions) {
    if (!(options.recordsPerSecond > 0)) throw new Error(`recordsPerSecond must be positive, got ${options.recordsPerSecond}`);
    this.name = options.topic.name;
  }

  createReader(): ReplayableSourceReader {
    return new ReplayableSourceReader(this.options);
  }
}

export class ReplayableSourceReader extends AbstractStreamOperator implements SourceOperator {
  readonly isSource = true as const;
  #offsets: Array<{ partition: number; offset: number }> = [];
  #state!: ListState<PartitionOffset>;
  #startTime = 0;
  #emitted = 0;
  #nextPartition = 0;

  constructor(private readonly options: ReplayableSourceOptions) {
    super();
  }

  override open(context: OperatorContext): void {
    super.open(context);
    const { topic } = this.options;
    const { indexOfThisSubtask, numberOfParallelSubtasks } = context.taskInfo;
    this.#state = context.operatorStateBackend.getListState(new ListStateDescriptor<PartitionOffset>(OFFSETS_STATE_NAME));
    if (context.isRestored) {
      this.#offsets = this.#state.get().map((entry) => ({ ...entry }));
      context.emit({
        type: 'source-rewound',
        time: context.clock.now(),
        taskId: context.taskInfo.taskId,
        attempt: context.taskInfo.attemptNumber,
        source: context.taskInfo.operatorUid,
        offsets: Object.fromEntries(this.#offsets.map(({ partition, offset }) => [String(partition), offset])),
      });
    } else {
      for (let partition = 0; partition < topic.numberOfPartitions; partition++) {
        if (partition % numberOfParallelSubtasks === indexOfThisSubtask) this.#offsets.push({ partition, offset: 0 });
      }
    }
    this.#startTime = context.clock.now();
  }

  processElement(): void {
    throw new Error('A source has no input');
  }

  emitNext(out: Output, budget: number): SourceStatus {
    const now = this.context.clock.now();
    const due = Math.floor(((now - this.#startTime) * this.options.recordsPerSecond) / 1000) - this.#emitted;
    // Read first, then say what was read (one source-read per partition), then emit: cause before effect.
    // A topic's partition lengths do not change while it is read, so they are looked up once per call; the
    // partitions read are reported in the order first read, which is round-robin order from the first one.
    const offsets = this.#offsets;
    const count = offsets.length;
    const { topic } = this.options;
    const lengths: number[] = [];
    const fromOffsets: number[] = [];
    for (const position of offsets) {
      lengths.push(topic.partitionLength(position.partition));
      fromOffsets.push(position.offset);
    }
    const firstIndex = this.#nextPartition;
    const limit = Math.min(budget, due);
    const records: unknown[] = [];
    let exhausted = false;
    let next = this.#nextPartition;
    while (records.length < limit) {
      // nextReadablePartition, with the lengths read above.
      let index = -1;
      for (let i = 0; i < count; i++) {
        const candidate = (next + i) % count;
        if (offsets[candidate]!.offset < lengths[candidate]!) {
          index = candidate;
          break;
        }
      }
      if (index === -1) {
        exhausted = true;
        break;
      }
      next = (index + 1) % count;
      const position = offsets[index]!;
      records.push(topic.read(position.partition, position.offset));
      position.offset += 1;
    }
    this.#nextPartition = next;
    const { taskInfo } = this.context;
    for (let i = 0; i < count; i++) {
      const index = (firstIndex + i) % count;
      const { partition, offset: toOffset } = offsets[index]!;
      const fromOffset = fromOffsets[index]!;
      if (toOffset === fromOffset) continue;
      this.context.emit({
        type: 'source-read',
        time: now,
        taskId: taskInfo.taskId,
        attempt: taskInfo.attemptNumber,
        source: taskInfo.operatorUid,
        partition,
        fromOffset,
        toOffset,
      });
    }
    for (const record of records) out.collect(record);
    const emitted = records.length;
    this.#emitted += emitted;
    if (exhausted) return emitted > 0 ? { kind: 'more-available' } : this.atEnd();
    if (!this.nextReadablePartition()) return this.atEnd();
    if (emitted < due) return { kind: 'more-available' };
    const nextDueTime = this.#startTime + Math.ceil(((this.#emitted + 1) * 1000) / this.options.recordsPerSecond);
    return { kind: 'nothing-until', timeMs: nextDueTime };
  }

  /** Every partition is read to its end: a bounded reader's input ends (SourceReader's END_OF_INPUT), an unbounded one idles. */
  private atEnd(): SourceStatus {
    return this.options.bounded === true ? { kind: 'end-of-input' } : { kind: 'idle' };
  }

  readPositions(): readonly PartitionOffset[] {
    return this.#offsets.map(({ partition, offset }) => ({ partition, offset }));
  }

  override snapshotState(): void {
    this.#state.update(this.#offsets.map(({ partition, offset }) => ({ partition, offset })));
  }

  /** Round robin over this subtask's partitions that still have data. */
  private nextReadablePartition(): { partition: number; offset: number } | null {
    const count = this.#offsets.length;
    for (let i = 0; i < count; i++) {
      const position = this.#offsets[(this.#nextPartition + i) % count]!;
      if (position.offset < this.options.topic.partitionLength(position.partition)) {
        this.#nextPartition = (this.#nextPartition + i + 1) % count;
        return position;
      }
    }
    return null;
  }
}
