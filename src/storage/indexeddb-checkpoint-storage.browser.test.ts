// IndexedDbCheckpointStorage and openCheckpointStorage in real Chromium (Vitest browser mode): every
// test uses its own database and deletes it afterwards. Durability across reloads is a reopen here.
import { afterEach, describe, expect, test } from 'vitest';
import { deleteDB, openDB } from 'idb';
import type { Clock } from '../engine/ports/clock';
import type { StateWriteRequest, StorageCallback, StorageResult } from '../engine/ports/checkpoint-storage';
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import { IndexedDbCheckpointStorage } from './indexeddb-checkpoint-storage';
import { openCheckpointDatabase, type CheckpointDatabase } from './checkpoint-database';
import { MemoryCheckpointStorage } from './memory-checkpoint-storage';
import { openCheckpointStorage } from './storage-availability';

const JOB = 'job-a';
const opened: { close(): void }[] = [];
const databases: string[] = [];

afterEach(async () => {
  for (const connection of opened.splice(0)) connection.close();
  for (const name of databases.splice(0)) await deleteDB(name);
});

function newDatabaseName(): string {
  const name = `barrierscope-test-${crypto.randomUUID()}`;
  databases.push(name);
  return name;
}

async function openStorage(name = newDatabaseName()): Promise<IndexedDbCheckpointStorage> {
  const storage = await IndexedDbCheckpointStorage.open(name);
  opened.push(storage);
  return storage;
}

function call<T>(operation: (done: StorageCallback<T>) => void): Promise<StorageResult<T>> {
  return new Promise((resolve) => operation(resolve));
}

async function value<T>(operation: (done: StorageCallback<T>) => void): Promise<T> {
  const result = await call(operation);
  if (!result.ok) throw new Error(`expected success, got: ${result.error}`);
  return result.value;
}

function request(checkpointId: number, taskId: string, bytes: Uint8Array, jobId = JOB): StateWriteRequest {
  return { jobId, checkpointId, taskId, operatorUid: 'sum', bytes };
}

function writeState(storage: IndexedDbCheckpointStorage, checkpointId: number, taskId = 'sum#0', jobId = JOB): Promise<string> {
  return value<string>((done) => storage.writeState(request(checkpointId, taskId, Uint8Array.of(checkpointId, 1, 2), jobId), done));
}

function metadataOf(checkpointId: number, storageKeys: readonly string[], jobId = JOB): CheckpointMetadata {
  return {
    version: 1,
    jobId,
    checkpointId,
    isSavepoint: false,
    triggerTimestamp: checkpointId * 1000,
    completionTimestamp: checkpointId * 1000 + 40,
    operators: [
      {
        operatorUid: 'sum',
        parallelism: storageKeys.length,
        maxParallelism: 128,
        subtaskStates: storageKeys.map((storageKey) => ({
          operatorUid: 'sum',
          keyed: { storageKey, keyGroupRange: { start: 0, end: 127 }, stateSizeBytes: 3 },
          operator: null,
        })),
      },
    ],
  };
}

/** Writes one blob per task and then the metadata naming them: a completed checkpoint. */
async function completeCheckpoint(storage: IndexedDbCheckpointStorage, checkpointId: number, tasks = ['sum#0', 'sum#1'], jobId = JOB): Promise<string[]> {
  const keys: string[] = [];
  for (const task of tasks) keys.push(await writeState(storage, checkpointId, task, jobId));
  await value<void>((done) => storage.writeMetadata(metadataOf(checkpointId, keys, jobId), done));
  return keys;
}

const listCompletedIds = async (storage: IndexedDbCheckpointStorage, jobId = JOB) =>
  (await value<CheckpointMetadata[]>((done) => storage.listCompleted(jobId, done))).map((metadata) => metadata.checkpointId);

describe('IndexedDbCheckpointStorage', () => {
  test('a written blob reads back byte for byte, and the metadata naming it is listed as written', async () => {
    const storage = await openStorage();
    const bytes = Uint8Array.of(9, 8, 7, 0, 255);
    const key = await value<string>((done) => storage.writeState(request(1, 'sum#0', bytes), done));
    const metadata = metadataOf(1, [key]);
    await value<void>((done) => storage.writeMetadata(metadata, done));

    expect(await value<Uint8Array>((done) => storage.readState(key, done))).toEqual(bytes);
    expect(await value<CheckpointMetadata[]>((done) => storage.listCompleted(JOB, done))).toEqual([metadata]);
  });

  test('a blob written from a view of a larger buffer stores only the bytes of the view', async () => {
    const storage = await openStorage();
    const buffer = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const key = await value<string>((done) => storage.writeState(request(1, 'sum#0', buffer.subarray(2, 5)), done));
    const read = await value<Uint8Array>((done) => storage.readState(key, done));
    expect(read).toEqual(Uint8Array.of(3, 4, 5));
    expect(read.buffer.byteLength).toBe(3);
  });

  test('storage keys name job, checkpoint, task and operator, and differ even when all four are the same', async () => {
    const storage = await openStorage();
    const first = await writeState(storage, 7, 'sum#1');
    const second = await writeState(storage, 7, 'sum#1');
    expect(first).toMatch(/^job-a\/chk-7\/sum#1\/sum\/.+/);
    expect(second).not.toBe(first);
  });

  test('reading a key that holds no state fails through the callback, naming the key', async () => {
    const storage = await openStorage();
    const result = await call<Uint8Array>((done) => storage.readState('job-a/chk-1/sum#0/sum/missing', done));
    expect(result).toEqual({ ok: false, error: expect.stringContaining("readState ('job-a/chk-1/sum#0/sum/missing')") });
  });

  test('listCompleted returns only that job’s checkpoints, oldest first, in numeric order', async () => {
    const storage = await openStorage();
    for (const checkpointId of [10, 2, 1]) await completeCheckpoint(storage, checkpointId);
    await completeCheckpoint(storage, 5, ['sum#0'], 'job-b');
    expect(await listCompletedIds(storage)).toEqual([1, 2, 10]);
    expect(await listCompletedIds(storage, 'job-b')).toEqual([5]);
  });

  test('a checkpoint whose metadata was never written is not listed', async () => {
    const storage = await openStorage();
    await completeCheckpoint(storage, 1);
    await writeState(storage, 2, 'sum#0');
    await writeState(storage, 2, 'sum#1');
    expect(await listCompletedIds(storage)).toEqual([1]);
  });

  test('metadata naming a blob that is not stored is refused, and the checkpoint does not exist', async () => {
    const storage = await openStorage();
    const key = await writeState(storage, 1);
    const result = await call<void>((done) => storage.writeMetadata(metadataOf(1, [key, 'job-a/chk-1/sum#1/sum/never-written']), done));
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/writeMetadata \(job 'job-a', checkpoint 1\) failed: .*never-written/) });
    expect(await listCompletedIds(storage)).toEqual([]);
  });

  test('the metadata of a completed checkpoint is never overwritten', async () => {
    const storage = await openStorage();
    const keys = await completeCheckpoint(storage, 1);
    const result = await call<void>((done) => storage.writeMetadata({ ...metadataOf(1, keys), isSavepoint: true }, done));
    expect(result).toEqual({ ok: false, error: expect.stringContaining('already has metadata') });
    expect((await value<CheckpointMetadata[]>((done) => storage.listCompleted(JOB, done)))[0]?.isSavepoint).toBe(false);
  });

  test('discard deletes a checkpoint’s metadata and blobs and leaves other checkpoints alone', async () => {
    const storage = await openStorage();
    await completeCheckpoint(storage, 1);
    const kept = await completeCheckpoint(storage, 2);
    expect(await storage.countObjects()).toEqual({ state: 4, checkpoints: 2 });

    await value<void>((done) => storage.discard(JOB, 1, done));

    expect(await storage.countObjects()).toEqual({ state: 2, checkpoints: 1 });
    expect(await listCompletedIds(storage)).toEqual([2]);
    for (const key of kept) expect((await call<Uint8Array>((done) => storage.readState(key, done))).ok).toBe(true);
  });

  test('discard keeps the blobs it is told to keep (pieces a newer checkpoint shares)', async () => {
    const storage = await openStorage();
    const [shared, own] = await completeCheckpoint(storage, 1);
    await value<void>((done) => storage.discard(JOB, 1, new Set([shared!]), done));

    expect(await storage.countObjects()).toEqual({ state: 1, checkpoints: 0 });
    expect(await value<Uint8Array>((done) => storage.readState(shared!, done))).toEqual(Uint8Array.of(1, 1, 2));
    expect((await call<Uint8Array>((done) => storage.readState(own!, done))).ok).toBe(false);
  });

  test('discard also removes the blobs of a checkpoint that never completed', async () => {
    const storage = await openStorage();
    await writeState(storage, 3, 'sum#0');
    await writeState(storage, 3, 'sum#1');
    await value<void>((done) => storage.discard(JOB, 3, done));
    expect(await storage.countObjects()).toEqual({ state: 0, checkpoints: 0 });
  });

  test('cleanupOrphans deletes half-written checkpoints older than the newest completed one, and nothing else', async () => {
    const storage = await openStorage();
    await completeCheckpoint(storage, 1);
    const halfWritten = [await writeState(storage, 2, 'sum#0')];
    await completeCheckpoint(storage, 3);
    await writeState(storage, 4, 'sum#0'); // in flight: may still complete
    await writeState(storage, 2, 'sum#0', 'job-b'); // another job's
    await completeCheckpoint(storage, 5, ['sum#0'], 'job-b');

    expect(await value<string[]>((done) => storage.cleanupOrphans(JOB, done))).toEqual(halfWritten);
    expect(await storage.countObjects()).toEqual({ state: 4 + 1 + 2, checkpoints: 3 });
    expect(await storage.cleanupOrphans(JOB)).toEqual([]);
    expect(await listCompletedIds(storage)).toEqual([1, 3]);
  });

  test('cleanupOrphans keeps a discarded checkpoint’s blob that newer metadata still names', async () => {
    const storage = await openStorage();
    const [shared] = await completeCheckpoint(storage, 1, ['sum#0']);
    const own = await writeState(storage, 2, 'sum#1');
    await value<void>((done) => storage.writeMetadata(metadataOf(2, [shared!, own]), done));
    await value<void>((done) => storage.discard(JOB, 1, new Set([shared!]), done));

    expect(await storage.cleanupOrphans(JOB)).toEqual([]);
    expect(await value<Uint8Array>((done) => storage.readState(shared!, done))).toEqual(Uint8Array.of(1, 1, 2));
  });

  test('cleanupOrphans deletes nothing while a job has no completed checkpoint', async () => {
    const storage = await openStorage();
    await writeState(storage, 1);
    expect(await storage.cleanupOrphans(JOB)).toEqual([]);
    expect(await storage.countObjects()).toEqual({ state: 1, checkpoints: 0 });
  });

  test('cleanupOrphans never deletes a blob of a completed checkpoint, even one its metadata does not name', async () => {
    const storage = await openStorage();
    await completeCheckpoint(storage, 1, ['sum#0']);
    const unnamed = await writeState(storage, 1, 'sum#1');
    await completeCheckpoint(storage, 2, ['sum#0']);
    expect(await storage.cleanupOrphans(JOB)).toEqual([]);
    expect((await call<Uint8Array>((done) => storage.readState(unnamed, done))).ok).toBe(true);
  });

  test('a reopened database (a page reload) sees the completed checkpoints and reads their state', async () => {
    const name = newDatabaseName();
    const before = await openStorage(name);
    const keys = await completeCheckpoint(before, 1);
    await writeState(before, 2); // the reload interrupts checkpoint 2
    before.close();

    const after = await openStorage(name);
    expect(await listCompletedIds(after)).toEqual([1]);
    for (const key of keys) expect(await value<Uint8Array>((done) => after.readState(key, done))).toEqual(Uint8Array.of(1, 1, 2));
    expect(await after.countObjects()).toEqual({ state: 3, checkpoints: 1 });
  });

  test('a 4 MiB blob round-trips intact', async () => {
    const storage = await openStorage();
    const bytes = new Uint8Array(4 * 1024 * 1024);
    for (let index = 0; index < bytes.length; index++) bytes[index] = (index * 31 + (index >>> 12)) & 0xff;
    const key = await value<string>((done) => storage.writeState(request(1, 'sum#0', bytes), done));
    const read = await value<Uint8Array>((done) => storage.readState(key, done));
    expect(read.length).toBe(bytes.length);
    expect(firstDifference(read, bytes)).toBe(-1); // toEqual walks 4 Mi elements far more slowly
  });

  test('a quota failure reaches the writeState callback naming the operation, and nothing is stored', async () => {
    const name = newDatabaseName();
    const database = await openCheckpointDatabase(name);
    const storage = new IndexedDbCheckpointStorage(withExceededQuota(database));
    opened.push(storage);

    const result = await call<string>((done) => storage.writeState(request(1, 'sum#0', Uint8Array.of(1)), done));

    expect(result).toEqual({
      ok: false,
      error: expect.stringMatching(/^IndexedDB writeState \(job 'job-a', checkpoint 1, task 'sum#0', operator 'sum'\) failed: QuotaExceededError/),
    });
    expect(await storage.countObjects()).toEqual({ state: 0, checkpoints: 0 });
  });

  test('a blob the browser cannot clone (a detached buffer) fails through the callback', async () => {
    const storage = await openStorage();
    const bytes = new Uint8Array(16);
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
    const result = await call<string>((done) => storage.writeState(request(1, 'sum#0', bytes), done));
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^IndexedDB writeState .* failed: DataCloneError/) });
    expect(await storage.countObjects()).toEqual({ state: 0, checkpoints: 0 });
  });

  test('when another tab upgrades the schema this connection closes, and later calls fail saying why', async () => {
    const name = newDatabaseName();
    const storage = await openStorage(name);
    const newer = await openDB(name, 2);
    opened.push(newer);

    const result = await call<CheckpointMetadata[]>((done) => storage.listCompleted(JOB, done));
    expect(result).toEqual({ ok: false, error: expect.stringContaining('another tab opened a newer version of the database') });
  });

  test('opening is rejected, not left waiting, while another tab holds an older version open', async () => {
    const name = newDatabaseName();
    const older = await openDB(name, 1); // a raw connection that does not give way on versionchange
    await expect(openCheckpointDatabase(name, 2)).rejects.toThrow(/blocked by another tab holding version 1/);
    older.close();
  });
});

describe('openCheckpointStorage', () => {
  const realClock: Clock = {
    now: () => performance.now(),
    setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };

  test('chooses IndexedDB when it opens and the probe round-trips, leaving no probe behind', async () => {
    const choice = await openCheckpointStorage(realClock, { dbName: newDatabaseName() });
    const storage = choice.storage as IndexedDbCheckpointStorage;
    opened.push(storage);
    expect(choice).toMatchObject({ durable: true, problem: null });
    expect(storage).toBeInstanceOf(IndexedDbCheckpointStorage);
    expect(await storage.countObjects()).toEqual({ state: 0, checkpoints: 0 });
  });

  test('without indexedDB it keeps checkpoints in memory and says so', async () => {
    const choice = await openCheckpointStorage(realClock, { dbName: newDatabaseName(), scope: {} });
    expect(choice.storage).toBeInstanceOf(MemoryCheckpointStorage);
    expect(choice.durable).toBe(false);
    expect(choice.problem).toBe(
      'IndexedDB is unavailable (this browser context has no indexedDB): checkpoints are kept in memory and will not survive a reload',
    );
  });

  test('a database already at a newer version than this app falls back to memory, naming the failed open', async () => {
    const name = newDatabaseName();
    (await openDB(name, 99)).close();
    const choice = await openCheckpointStorage(realClock, { dbName: name });
    expect(choice.storage).toBeInstanceOf(MemoryCheckpointStorage);
    expect(choice.problem).toMatch(/^IndexedDB is unavailable \(opening the database failed: VersionError: .*\): checkpoints are kept in memory/);
  });

  test('a database whose probe write fails falls back to memory, naming the probe', async () => {
    const name = newDatabaseName();
    (await openDB(name, 1)).close(); // version 1 without our object stores: every write fails
    const choice = await openCheckpointStorage(realClock, { dbName: name });
    expect(choice.storage).toBeInstanceOf(MemoryCheckpointStorage);
    expect(choice.durable).toBe(false);
    expect(choice.problem).toMatch(/^IndexedDB is unavailable \(a probe write failed: IndexedDB writeState .*NotFoundError/);
  });
});

/**
 * A fake of a full disk: the database works, except that adding or putting into any store throws
 * QuotaExceededError, as Chromium reports it. Everything else passes through to the real connection.
 */
function withExceededQuota(database: CheckpointDatabase): CheckpointDatabase {
  const quotaExceeded = () => {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  const store = <S extends object>(real: S): S => passThrough(real, { add: quotaExceeded, put: quotaExceeded });
  const transaction = <T extends object & { objectStore(name: string): object }>(real: T): T =>
    passThrough(real, { objectStore: (name: string) => store(real.objectStore(name)) });
  return passThrough(database, {
    transaction: (...args: Parameters<CheckpointDatabase['transaction']>) => transaction(database.transaction(...args)),
  });
}

function passThrough<T extends object>(target: T, overrides: Record<string, unknown>): T {
  return new Proxy(target, {
    get(real, property) {
      if (typeof property === 'string' && property in overrides) return overrides[property];
      const member: unknown = Reflect.get(real, property, real);
      return typeof member === 'function' ? member.bind(real) : member;
    },
  });
}

function firstDifference(left: Uint8Array, right: Uint8Array): number {
  for (let index = 0; index < Math.max(left.length, right.length); index++) if (left[index] !== right[index]) return index;
  return -1;
}
