// CheckpointStorage on IndexedDB, for the Worker runtime and the page: blobs in `state`, metadata in
// `checkpoints`, written last in one transaction, so a checkpoint exists once, and only once, its metadata does.
// Every call ends in exactly one callback, after its transaction commits or aborts; nothing is thrown.
import type { CheckpointId, JobId } from '../engine/ids';
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import type { CheckpointStorage, StateWriteRequest, StorageCallback } from '../engine/ports/checkpoint-storage';
import { DEFAULT_DATABASE_NAME, jobRange, openCheckpointDatabase, type CheckpointDatabase, type StoredStateBlob } from './checkpoint-database';
import { describeError, inTransaction, settle } from './indexeddb-transaction';
import { newStorageKey } from './storage-key';
import { referencedStorageKeys, requiredStorageKeys } from './referenced-storage-keys';

export interface StoredObjectCounts {
  readonly state: number;
  readonly checkpoints: number;
}

/** One blob of an imported checkpoint, with the storage key it is stored under. */
export interface ImportedBlob {
  readonly key: string;
  readonly request: StateWriteRequest;
}

const NOTHING_KEPT: ReadonlySet<string> = new Set();

export class IndexedDbCheckpointStorage implements CheckpointStorage {
  #closedBecause: string | null = null;

  /** Takes over an open connection; `open` is the usual way in. Closes it when another tab upgrades the schema. */
  constructor(private readonly database: CheckpointDatabase) {
    database.addEventListener('versionchange', () => {
      this.#closedBecause = 'another tab opened a newer version of the database, so this connection was closed';
      database.close();
    });
    database.addEventListener('close', () => {
      this.#closedBecause ??= 'the browser closed the database connection';
    });
  }

  readonly #pendingWrites: Array<{ key: string; blob: StoredStateBlob; done: StorageCallback<string>; operation: string }> = [];

  static async open(dbName: string = DEFAULT_DATABASE_NAME): Promise<IndexedDbCheckpointStorage> {
    return new IndexedDbCheckpointStorage(await openCheckpointDatabase(dbName));
  }

  get name(): string {
    return this.database.name;
  }

  close(): void {
    this.#closedBecause ??= 'the storage was closed';
    this.database.close();
  }

  /**
   * Writes issued in the same turn of the event loop (an incremental snapshot's pieces) share one
   * transaction: an IndexedDB commit costs far more than a put. Each caller still gets its own result.
   */
  writeState(request: StateWriteRequest, done: StorageCallback<string>): void {
    const { jobId, checkpointId, taskId, operatorUid } = request;
    const key = newStorageKey(request);
    const blob: StoredStateBlob = { jobId, checkpointId, taskId, operatorUid, bytes: ownBytes(request.bytes) };
    this.#pendingWrites.push({ key, blob, done, operation: `writeState (job '${jobId}', checkpoint ${checkpointId}, task '${taskId}', operator '${operatorUid}')` });
    if (this.#pendingWrites.length === 1) queueMicrotask(() => this.#flushWrites());
  }

  #flushWrites(): void {
    const batch = this.#pendingWrites.splice(0);
    const written = this.#explained(() =>
      inTransaction(this.database, ['state'], 'readwrite', (transaction) => Promise.all(batch.map((write) => transaction.objectStore('state').add(write.blob, write.key)))),
    );
    for (const write of batch) settle(write.operation, written.then(() => write.key), write.done);
  }

  readState(storageKey: string, done: StorageCallback<Uint8Array>): void {
    this.#run(`readState ('${storageKey}')`, done, async () => {
      const blob = await inTransaction(this.database, ['state'], 'readonly', (transaction) => transaction.objectStore('state').get(storageKey));
      if (!blob) throw new Error(`no state is stored under '${storageKey}'`);
      return blob.bytes instanceof Uint8Array ? blob.bytes : new Uint8Array(blob.bytes);
    });
  }

  /**
   * Stores the metadata in one transaction that first checks every keyed-state blob it names is there;
   * refuses to overwrite the metadata of a checkpoint that already completed.
   */
  writeMetadata(metadata: CheckpointMetadata, done: StorageCallback<void>): void {
    this.#run(`writeMetadata (job '${metadata.jobId}', checkpoint ${metadata.checkpointId})`, done, () =>
      inTransaction(this.database, ['state', 'checkpoints'], 'readwrite', async (transaction) => {
        const state = transaction.objectStore('state');
        for (const key of requiredStorageKeys(metadata)) {
          if ((await state.getKey(key)) === undefined) throw new Error(`the metadata names state '${key}', which is not stored`);
        }
        const existing = await transaction.objectStore('checkpoints').getKey([metadata.jobId, metadata.checkpointId]);
        if (existing !== undefined) throw new Error(`checkpoint ${metadata.checkpointId} of job '${metadata.jobId}' already has metadata`);
        await transaction.objectStore('checkpoints').add(metadata);
      }),
    );
  }

  listCompleted(jobId: JobId, done: StorageCallback<CheckpointMetadata[]>): void {
    this.#run(`listCompleted (job '${jobId}')`, done, () =>
      inTransaction(this.database, ['checkpoints'], 'readonly', (transaction) => transaction.objectStore('checkpoints').getAll(jobRange(jobId))),
    );
  }

  /**
   * Deletes the checkpoint's metadata and every blob written for it, except the storage keys in `keep`
   * (pieces a newer incremental checkpoint still references), in one transaction.
   */
  discard(jobId: JobId, checkpointId: CheckpointId, done: StorageCallback<void>): void;
  discard(jobId: JobId, checkpointId: CheckpointId, keep: ReadonlySet<string>, done: StorageCallback<void>): void;
  discard(
    jobId: JobId,
    checkpointId: CheckpointId,
    keepOrDone: ReadonlySet<string> | StorageCallback<void>,
    maybeDone?: StorageCallback<void>,
  ): void {
    const [keep, done] = typeof keepOrDone === 'function' ? [NOTHING_KEPT, keepOrDone] : [keepOrDone, maybeDone];
    if (!done) throw new TypeError('discard needs a callback');
    this.#run(`discard (job '${jobId}', checkpoint ${checkpointId})`, done, () =>
      inTransaction(this.database, ['state', 'checkpoints'], 'readwrite', async (transaction) => {
        const state = transaction.objectStore('state');
        const keys = await state.index('by-checkpoint').getAllKeys(IDBKeyRange.only([jobId, checkpointId]));
        await Promise.all([
          transaction.objectStore('checkpoints').delete([jobId, checkpointId]),
          ...keys.filter((key) => !keep.has(key)).map((key) => state.delete(key)),
        ]);
      }),
    );
  }

  /**
   * Deletes the blobs of checkpoints that never completed (no metadata) and are older than the job's
   * newest completed checkpoint, so can no longer complete; blobs any metadata names are kept.
   * Newer blobs may belong to a checkpoint still in flight and are left alone. Returns the deleted keys.
   */
  cleanupOrphans(jobId: JobId): Promise<string[]>;
  cleanupOrphans(jobId: JobId, done: StorageCallback<string[]>): void;
  cleanupOrphans(jobId: JobId, done?: StorageCallback<string[]>): Promise<string[]> | void {
    const operation = `cleanupOrphans (job '${jobId}')`;
    if (done) return this.#run(operation, done, () => this.#deleteOrphans(jobId));
    return this.#explained(() => this.#deleteOrphans(jobId)).catch((error: unknown) => {
      throw new Error(`IndexedDB ${operation} failed: ${describeError(error)}`, { cause: error });
    });
  }

  /**
   * Stores an imported checkpoint (a snapshot file's): every blob under a key planned for it, then its
   * metadata, in one transaction. `add` refuses a key that exists, so nothing stored is ever overwritten,
   * and any failure aborts the transaction: either all of it is stored, or nothing.
   */
  importCheckpoint(blobs: readonly ImportedBlob[], metadata: CheckpointMetadata): Promise<void> {
    const operation = `import (job '${metadata.jobId}', checkpoint ${metadata.checkpointId})`;
    return this.#explained(() =>
      inTransaction(this.database, ['state', 'checkpoints'], 'readwrite', async (transaction) => {
        const state = transaction.objectStore('state');
        await Promise.all(
          blobs.map(({ key, request: { jobId, checkpointId, taskId, operatorUid, bytes } }) => state.add({ jobId, checkpointId, taskId, operatorUid, bytes: ownBytes(bytes) }, key)),
        );
        await transaction.objectStore('checkpoints').add(metadata);
      }),
    ).catch((error: unknown) => {
      throw new Error(`IndexedDB ${operation} failed: ${describeError(error)}`, { cause: error });
    });
  }

  /** For tests and inspection: how many blobs and how many checkpoints' metadata are stored. */
  async countObjects(): Promise<StoredObjectCounts> {
    return inTransaction(this.database, ['state', 'checkpoints'], 'readonly', async (transaction) => {
      const [state, checkpoints] = await Promise.all([transaction.objectStore('state').count(), transaction.objectStore('checkpoints').count()]);
      return { state, checkpoints };
    });
  }

  /**
   * For a job that is not running (a page that just loaded): every blob that no completed checkpoint
   * owns or references is an orphan, in-flight ones included. Returns the deleted keys.
   */
  cleanupStoppedJob(jobId: JobId): Promise<string[]> {
    return this.#explained(() => this.#deleteOrphans(jobId, true));
  }

  /** The highest checkpoint id storage holds anything of (blobs or metadata), 0 if none: ids are never reused. */
  highestCheckpointId(jobId: JobId): Promise<number> {
    return this.#explained(() =>
      inTransaction(this.database, ['state', 'checkpoints'], 'readonly', async (transaction) => {
        const lastBlob = await transaction.objectStore('state').index('by-checkpoint').openKeyCursor(jobRange(jobId), 'prev');
        const lastMetadata = await transaction.objectStore('checkpoints').openKeyCursor(jobRange(jobId), 'prev');
        return Math.max(lastBlob?.key[1] ?? 0, lastMetadata?.key[1] ?? 0);
      }),
    );
  }

  #deleteOrphans(jobId: JobId, jobStopped = false): Promise<string[]> {
    return inTransaction(this.database, ['state', 'checkpoints'], 'readwrite', async (transaction) => {
      const completed = await transaction.objectStore('checkpoints').getAll(jobRange(jobId));
      const newest = completed.at(-1);
      if (!newest && !jobStopped) return [];
      const completedIds = new Set(completed.map((metadata) => metadata.checkpointId));
      const referenced = new Set<string>();
      for (const metadata of completed) referencedStorageKeys(metadata, referenced);
      const state = transaction.objectStore('state');
      const deletions: Promise<void>[] = [];
      const deleted: string[] = [];
      // While the job may run, checkpoints newer than the newest completed one may still be in flight.
      let cursor = await state.index('by-checkpoint').openKeyCursor(jobStopped ? jobRange(jobId) : jobRange(jobId, newest!.checkpointId));
      while (cursor) {
        const [, checkpointId] = cursor.key;
        const key = cursor.primaryKey;
        if (!completedIds.has(checkpointId) && !referenced.has(key)) {
          deleted.push(key);
          deletions.push(state.delete(key));
        }
        cursor = await cursor.continue();
      }
      await Promise.all(deletions);
      return deleted;
    });
  }

  #run<T>(operation: string, done: StorageCallback<T>, work: () => Promise<T>): void {
    settle(operation, this.#explained(work), done);
  }

  /** Names why the connection is gone when an operation fails on a closed database. */
  #explained<T>(work: () => Promise<T>): Promise<T> {
    return work().catch((error: unknown) => {
      if (this.#closedBecause === null) throw error;
      throw new Error(`${this.#closedBecause} (${describeError(error)})`, { cause: error });
    });
  }
}

/** Bytes that own their whole buffer: storing a view would store (clone) all of its underlying buffer. */
function ownBytes(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole ? bytes : bytes.slice();
}
