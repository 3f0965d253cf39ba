// Chooses where checkpoints go: IndexedDB when it opens and a probe write round-trips, otherwise the
// in-memory twin, never silently: the result says it is not durable and why, in words for the UI.
import type { Clock } from '../engine/ports/clock';
import type { CheckpointStorage, StorageCallback } from '../engine/ports/checkpoint-storage';
import { DEFAULT_DATABASE_NAME } from './checkpoint-database';
import { IndexedDbCheckpointStorage } from './indexeddb-checkpoint-storage';
import { MemoryCheckpointStorage } from './memory-checkpoint-storage';
import { describeError } from './indexeddb-transaction';

export interface CheckpointStorageChoice {
  readonly storage: CheckpointStorage;
  /** True when completed checkpoints survive a reload. */
  readonly durable: boolean;
  /** Why checkpoints are not durable, for the UI; null when they are. */
  readonly problem: string | null;
}

export interface StorageAvailabilityOptions {
  readonly dbName?: string;
  /** Where `indexedDB` is looked up (the page's window or a Worker's global scope). */
  readonly scope?: { readonly indexedDB?: IDBFactory };
}

/** The probe's job id: cannot collide with a real job, whose ids the engine generates. */
export const PROBE_JOB_ID = '__barrierscope-storage-probe__';

export async function openCheckpointStorage(clock: Clock, options: StorageAvailabilityOptions = {}): Promise<CheckpointStorageChoice> {
  const scope = options.scope ?? (globalThis as { indexedDB?: IDBFactory });
  if (!scope.indexedDB) return inMemory(clock, 'this browser context has no indexedDB');
  let storage: IndexedDbCheckpointStorage;
  try {
    storage = await IndexedDbCheckpointStorage.open(options.dbName ?? DEFAULT_DATABASE_NAME);
  } catch (error) {
    return inMemory(clock, `opening the database failed: ${describeError(error)}`);
  }
  try {
    await probe(storage);
  } catch (error) {
    storage.close();
    return inMemory(clock, `a probe write failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { storage, durable: true, problem: null };
}

export function unavailableMessage(reason: string): string {
  return `IndexedDB is unavailable (${reason}): checkpoints are kept in memory and will not survive a reload`;
}

function inMemory(clock: Clock, reason: string): CheckpointStorageChoice {
  return { storage: new MemoryCheckpointStorage(clock), durable: false, problem: unavailableMessage(reason) };
}

/** Writes, reads back and discards one small blob through the same calls checkpoints use. */
async function probe(storage: IndexedDbCheckpointStorage): Promise<void> {
  const written = Uint8Array.of(0x42, 0x53);
  const request = { jobId: PROBE_JOB_ID, checkpointId: 0, taskId: 'probe#0', operatorUid: 'probe', bytes: written };
  const key = await promised<string>((done) => storage.writeState(request, done));
  const read = await promised<Uint8Array>((done) => storage.readState(key, done));
  if (read.length !== written.length || read.some((byte, index) => byte !== written[index])) throw new Error('the probe read back different bytes');
  await promised<void>((done) => storage.discard(PROBE_JOB_ID, 0, done));
}

function promised<T>(call: (done: StorageCallback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => call((result) => (result.ok ? resolve(result.value) : reject(new Error(result.error)))));
}
