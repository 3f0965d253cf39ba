// KeyGroupPrefetcher: how a task feeds a buffer to a keyed head operator whose state backend keeps only some
// key groups in memory. Guarantee: no record is processed before its key group is resident, and records run in order.
// Assumes one buffer at a time: while its key groups load, the task processes nothing (as a RocksDB read blocks the task thread).
import type { StorageResult } from '../ports/checkpoint-storage';
import { assignToKeyGroup, type IndexedDbKeyedStateBackend, type Key } from '../state';

export class KeyGroupPrefetcher {
  #records: readonly unknown[] = [];
  #keyGroups: Int32Array = new Int32Array(0);
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
    const keyGroups = new Int32Array(records.length);
    const maxParallelism = this.backend.maxParallelism;
    for (let i = 0; i < records.length; i++) keyGroups[i] = assignToKeyGroup(this.keySelector(records[i] as never), maxParallelism);
    this.#records = records;
    this.#keyGroups = keyGroups;
    this.#next = 0;
  }

  /**
   * Processes the buffer's records in order while their key groups are resident; at the first one that is
   * not, starts loading the key groups of the records from there on (as many as fit) and stops. Returns the count.
   */
  process(processRecord: (record: unknown) => void): number {
    if (this.#loading) return 0;
    const start = this.#next;
    const records = this.#records;
    while (this.#next < records.length) {
      if (!this.backend.isResident(this.#keyGroups[this.#next]!)) {
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
    for (let i = this.#next; i < this.#keyGroups.length && wanted.size < this.backend.maxResidentKeyGroups; i++) wanted.add(this.#keyGroups[i]!);
    this.#loading = true;
    this.metrics.waits += 1;
    const since = this.now();
    this.backend.ensureResident([...wanted], (result) => {
      this.#loading = false;
      this.metrics.waitedMs += this.now() - since;
      this.onLoaded(result);
    });
  }
}
