// Working stores of the indexeddb keyed backend on IndexedDB: a database of its own (local working state, not
// checkpoints), one `chunks` record per key group keyed [job, attempt, operator, subtask, key group]; calls run in call order.
// Opening a scope deletes the job's chunks of earlier attempts and any stale chunks of the scope itself.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { StorageCallback } from '../engine/ports/checkpoint-storage';
import { DEFAULT_MAX_RESIDENT_KEY_GROUPS, type KeyGroupStore, type KeyGroupStores, type KeyGroupStoreScope } from '../engine/ports/key-group-store';
import { settle } from './indexeddb-transaction';

/** Bump on every schema change and add a step to `upgrade`. */
export const WORKING_STATE_SCHEMA_VERSION = 1;

type ChunkKey = [string, number, string, number, number];

interface WorkingStateSchema extends DBSchema {
  chunks: { key: ChunkKey; value: Uint8Array };
}

type WorkingStateDatabase = IDBPDatabase<WorkingStateSchema>;

/** A request whose failure the transaction's own `done` reports: not a second, unhandled rejection. */
function quietly(request: Promise<unknown>): void {
  request.catch(() => undefined);
}

/** The working-state database that goes with a checkpoint database (or with none, when storage is proxied). */
export function workingStateDatabaseName(checkpointDatabaseName: string | null): string {
  return `${checkpointDatabaseName ?? 'barrierscope'}-working-state`;
}

export class IndexedDbKeyGroupStores implements KeyGroupStores {
  private constructor(
    private readonly database: WorkingStateDatabase,
    readonly maxResidentKeyGroups: number,
  ) {}

  static async open(databaseName: string, maxResidentKeyGroups = DEFAULT_MAX_RESIDENT_KEY_GROUPS): Promise<IndexedDbKeyGroupStores> {
    const database = await openDB<WorkingStateSchema>(databaseName, WORKING_STATE_SCHEMA_VERSION, {
      upgrade: (db, oldVersion) => {
        if (oldVersion < 1) db.createObjectStore('chunks');
      },
    });
    return new IndexedDbKeyGroupStores(database, maxResidentKeyGroups);
  }

  open(scope: KeyGroupStoreScope, done: StorageCallback<KeyGroupStore>): void {
    const { jobId, attempt, operatorUid, subtaskIndex } = scope;
    const transaction = this.database.transaction('chunks', 'readwrite');
    quietly(transaction.store.delete(IDBKeyRange.bound([jobId, -Infinity], [jobId, attempt], false, true)));
    quietly(transaction.store.delete(IDBKeyRange.bound([jobId, attempt, operatorUid, subtaskIndex], [jobId, attempt, operatorUid, subtaskIndex, Infinity])));
    settle('opening the working state store', transaction.done.then(() => new IndexedDbKeyGroupStore(this.database, [jobId, attempt, operatorUid, subtaskIndex])), done);
  }

  /** How many chunks the database holds for `jobId` (for tests and the benchmark). */
  countChunks(jobId: string): Promise<number> {
    return this.database.count('chunks', IDBKeyRange.bound([jobId], [jobId, Infinity]));
  }

  close(): void {
    this.database.close();
  }
}

class IndexedDbKeyGroupStore implements KeyGroupStore {
  constructor(
    private readonly database: WorkingStateDatabase,
    private readonly prefix: readonly [string, number, string, number],
  ) {}

  load(keyGroups: readonly number[], done: StorageCallback<ReadonlyMap<number, Uint8Array>>): void {
    // One read-only transaction, created now: IndexedDB runs it after every earlier write to the store.
    const transaction = this.database.transaction('chunks', 'readonly');
    const reads = keyGroups.map((keyGroup) => transaction.store.get(this.key(keyGroup)));
    const loaded = Promise.all([Promise.all(reads), transaction.done]).then(([chunks]) => {
      const map = new Map<number, Uint8Array>();
      chunks.forEach((chunk, i) => {
        if (chunk !== undefined) map.set(keyGroups[i]!, chunk);
      });
      return map as ReadonlyMap<number, Uint8Array>;
    });
    settle('loading key groups', loaded, done);
  }

  write(chunks: ReadonlyMap<number, Uint8Array | null>, done: StorageCallback<void>): void {
    const transaction = this.database.transaction('chunks', 'readwrite');
    for (const [keyGroup, chunk] of chunks) {
      if (chunk === null) quietly(transaction.store.delete(this.key(keyGroup)));
      else quietly(transaction.store.put(chunk, this.key(keyGroup)));
    }
    settle('writing back key groups', transaction.done, done);
  }

  private key(keyGroup: number): ChunkKey {
    return [...this.prefix, keyGroup];
  }
}
