// KeyGroupPrefetcher: how a task feeds a buffer to a keyed head operator whose state backend keeps only some
// blocks of its key groups in memory. Guarantee: no record is processed before its block is resident, and records
// run in order. All blocks the rest of a buffer needs are asked for at once (one batch, one read of the working store).
// Assumes one buffer at a time: while its blocks load, the task processes nothing (as a RocksDB read blocks the task thread).
import type { StorageResult } from '../ports/checkpoint-storage';
import { assignToKeyGroup, type IndexedDbKeyedStateBackend, type Key } from '../state';

export class KeyGroupPrefetcher {
  #records: readonly unknown[] = [];
  /** Per record, its block (IndexedDbKeyedStateBackend.blockOf). */
  #blocks: Int32Array = new Int32Array(0);
  #next = 0;
  #loading = false;
  /** Counters for tests and the benchmark: how often, and for how long, the task waited for state. */
  readonly metrics = { waits: 0, waitedMs: 0 };

  constructor(
    private readonly backend: IndexedDbKeyedStateBackend,
    private readonly keySelector: (record: never) => Key,
    private readonly now: () => number,
    /** Called once per completed load: ok → the task may go on (ask for a step); failed → fail the task. */
    private readonly onLoaded: (result: StorageResult<void>) => void,
  ) {}

  /** True while a buffer is only partly processed (its remaining records wait for their key groups). */
  get hasBuffer(): boolean {
    return this.#next < this.#records.length;
  }

  /** The records of the buffer not processed yet (Flink's RecordDeserializer#getUnconsumedBuffer). */
  unconsumed(): readonly unknown[] {
    return this.#records.slice(this.#next);
  }

  get isLoading(): boolean {
    return this.#loading;
  }

  /** Takes a buffer polled from the input gate; it must be finished (process) before the next. */
  start(records: readonly unknown[]): void {
    if (this.hasBuffer) throw new Error('A buffer is still being processed');
    const blocks = new Int32Array(records.length);
    const maxParallelism = this.backend.maxParallelism;
    for (let i = 0; i < records.length; i++) {
      const key = this.keySelector(records[i] as never);
      blocks[i] = this.backend.blockOf(key, assignToKeyGroup(key, maxParallelism));
    }
    this.#records = records;
    this.#blocks = blocks;
    this.#next = 0;
  }

  /**
   * Processes the buffer's records in order while their blocks are resident; at the first one that is
   * not, starts loading the blocks of every record from there on and stops. Returns the count.
   */
  process(processRecord: (record: unknown) => void): number {
    if (this.#loading) return 0;
    const start = this.#next;
    const records = this.#records;
    while (this.#next < records.length) {
      if (!this.backend.isBlockResident(this.#blocks[this.#next]!)) {
        this.load();
        break;
      }
      processRecord(records[this.#next]);
      this.#next += 1;
    }
    const processed = this.#next - start;
    if (!this.hasBuffer) this.#records = [];
    return processed;
  }

  private load(): void {
    const wanted = new Set<number>();
    for (let i = this.#next; i < this.#blocks.length; i++) wanted.add(this.#blocks[i]!);
    this.#loading = true;
    this.metrics.waits += 1;
    const since = this.now();
    this.backend.ensureBlocksResident([...wanted], (result) => {
      this.#loading = false;
      this.metrics.waitedMs += this.now() - since;
      this.onLoaded(result);
    });
  }
}
