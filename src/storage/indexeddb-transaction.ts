// Runs one IndexedDB transaction as a promise that settles only when the transaction has committed
// (or aborted), and turns any failure into one clear message naming the operation that failed.
import type { IDBPTransaction, StoreNames } from 'idb';
import type { CheckpointDatabase, CheckpointDatabaseSchema } from './checkpoint-database';
import { failed, ok, type StorageCallback } from '../engine/ports/checkpoint-storage';

type Stores = StoreNames<CheckpointDatabaseSchema>[];
export type CheckpointTransaction<S extends Stores, M extends IDBTransactionMode> = IDBPTransaction<CheckpointDatabaseSchema, S, M>;

/**
 * `work` issues its requests on the transaction; the result is its value once the transaction is done.
 * A failure inside `work` aborts the transaction, so nothing of it is kept. The error reported is the
 * transaction's own when it has one (a QuotaExceededError surfaces there, at commit).
 */
export async function inTransaction<S extends Stores, M extends IDBTransactionMode, T>(
  database: CheckpointDatabase,
  stores: S,
  mode: M,
  work: (transaction: CheckpointTransaction<S, M>) => Promise<T>,
): Promise<T> {
  const transaction = database.transaction(stores, mode);
  // The executor runs `work` now, while the transaction is active, and turns a synchronous throw
  // (DataCloneError, say) into a rejection, so `transaction.done` is always observed too.
  const working = new Promise<T>((resolve) => resolve(work(transaction)));
  try {
    const [value] = await Promise.all([working, transaction.done]);
    return value;
  } catch (error) {
    abortQuietly(transaction);
    throw transaction.error ?? error;
  }
}

function abortQuietly(transaction: { abort(): void }): void {
  try {
    transaction.abort();
  } catch {
    // Already committed or aborted: nothing left to undo.
  }
}

/** Settles `done` exactly once from a promise; a throwing callback is not mistaken for a storage error. */
export function settle<T>(operation: string, promise: Promise<T>, done: StorageCallback<T>): void {
  promise.then(
    (value) => done(ok(value)),
    (error: unknown) => done(failed(`IndexedDB ${operation} failed: ${describeError(error)}`)),
  );
}

/** What the browser means, for errors it often reports without a message (Chromium's quota error has none). */
const MEANINGS: Readonly<Record<string, string>> = {
  QuotaExceededError: "the browser's storage quota for this site is used up",
  AbortError: 'the transaction was aborted',
  VersionError: 'the database is at a newer version than this page expects',
};

export function describeError(error: unknown): string {
  if (error instanceof DOMException || error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${error.message || MEANINGS[error.name] || '(no message)'}`;
  }
  return String(error);
}
