// External outputs whose commits survive a reload: each committed transaction is also written to IndexedDB
// (database `barrierscope-outputs`, store `outputs`) under [jobId, output, transactionId], so a commit stays
// idempotent across page loads, and `open` hydrates what earlier loads committed, in commit order.
// Assumes one page runs a job id at a time. Writes are asynchronous: a commit issued in the last moments
// before a reload can be lost, and is re-committed on resume when it belongs to the restored checkpoint.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { InMemoryExternalOutput, InMemoryExternalSystems } from '../../engine/connectors/external-systems';

/** Its own database: the checkpoint database's schema belongs to the checkpoint storage (one fact, one place). */
export const OUTPUTS_DATABASE_NAME = 'barrierscope-outputs';
const SCHEMA_VERSION = 1;

/** One committed transaction as stored; `sequence` orders commits of a job across page loads. */
export interface StoredCommit {
  readonly jobId: string;
  readonly output: string;
  readonly transactionId: string;
  readonly sequence: number;
  readonly records: readonly unknown[];
}

interface OutputsSchema extends DBSchema {
  outputs: { key: [string, string, string]; value: StoredCommit };
}

type OutputsDatabase = IDBPDatabase<OutputsSchema>;

export interface DurableOutputsOptions {
  readonly databaseName?: string;
  /** Delete what earlier page loads committed for this job instead of hydrating it (a fresh start). */
  readonly discardStored?: boolean;
  /** A commit could not be stored; it stays visible on this page but will not survive a reload. */
  readonly onError?: (message: string) => void;
}

export class DurableExternalOutput extends InMemoryExternalOutput {
  constructor(private readonly persist: (transactionId: string, records: readonly unknown[]) => void) {
    super();
  }

  override commitTransaction(transactionId: string, records: readonly unknown[]): boolean {
    if (!super.commitTransaction(transactionId, records)) return false;
    this.persist(transactionId, records);
    return true;
  }

  /** A commit read back from IndexedDB: made visible again, not written again. */
  hydrate(transactionId: string, records: readonly unknown[]): void {
    super.commitTransaction(transactionId, records);
  }
}

export class DurableExternalSystems extends InMemoryExternalSystems {
  readonly #outputs = new Map<string, DurableExternalOutput>();
  readonly #writes = new Set<Promise<void>>();
  #nextSequence = 0;

  private constructor(
    private readonly database: OutputsDatabase,
    readonly jobId: string,
    private readonly onError: (message: string) => void,
  ) {
    super();
  }

  /** Opens the outputs database and hydrates (or, with `discardStored`, deletes) the job's earlier commits. */
  static async open(jobId: string, options: DurableOutputsOptions = {}): Promise<DurableExternalSystems> {
    const database = await openDB<OutputsSchema>(options.databaseName ?? OUTPUTS_DATABASE_NAME, SCHEMA_VERSION, {
      upgrade: (db, oldVersion) => {
        if (oldVersion < 1) db.createObjectStore('outputs', { keyPath: ['jobId', 'output', 'transactionId'] });
      },
    });
    const systems = new DurableExternalSystems(database, jobId, options.onError ?? (() => {}));
    if (options.discardStored) await database.delete('outputs', jobKeys(jobId));
    else await systems.hydrate();
    return systems;
  }

  override output(name: string): DurableExternalOutput {
    let output = this.#outputs.get(name);
    if (!output) {
      output = new DurableExternalOutput((transactionId, records) => this.store(name, transactionId, records));
      this.#outputs.set(name, output);
    }
    return output;
  }

  /** Resolves once every commit issued so far is stored (or has failed and been reported). */
  async flushed(): Promise<void> {
    await Promise.all([...this.#writes]);
  }

  close(): void {
    this.database.close();
  }

  private async hydrate(): Promise<void> {
    const stored = await this.database.getAll('outputs', jobKeys(this.jobId));
    stored.sort((a, b) => a.sequence - b.sequence);
    for (const commit of stored) this.output(commit.output).hydrate(commit.transactionId, commit.records);
    this.#nextSequence = (stored.at(-1)?.sequence ?? -1) + 1;
  }

  private store(output: string, transactionId: string, records: readonly unknown[]): void {
    const commit: StoredCommit = { jobId: this.jobId, output, transactionId, sequence: this.#nextSequence++, records };
    // `put`, not `add`: storing the same transaction again is harmless, the idempotence lives in the key.
    const write = this.database.put('outputs', commit).then(
      () => {},
      (error: unknown) => this.onError(`Storing committed transaction '${transactionId}' of output '${output}' failed: ${describe(error)}`),
    );
    this.#writes.add(write);
    void write.finally(() => this.#writes.delete(write));
  }
}

/** Every key of one job: arrays sort after strings, so [jobId, []] is above any [jobId, output, id]. */
function jobKeys(jobId: string): IDBKeyRange {
  return IDBKeyRange.bound([jobId], [jobId, []]);
}

function describe(error: unknown): string {
  return error instanceof Error || error instanceof DOMException ? `${error.name}: ${error.message}` : String(error);
}
