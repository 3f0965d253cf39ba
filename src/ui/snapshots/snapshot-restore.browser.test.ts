// Snapshot files on the page's path in real Chromium with real IndexedDB: a file is opened as the page opens
// it (SnapshotFiles) and restored as the page restores it (importForRestore). Every refused file leaves every
// object store exactly as it was; an accepted one is imported under new keys beside what is stored, and a
// job exported, imported and restored at another parallelism on Web Workers continues exactly-once.
import { afterEach, describe, expect, it } from 'vitest';
import { deleteDB, openDB } from 'idb';
import { until, untilCheckpointsComplete } from '../../../tests/support/until';
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import { InMemoryExternalSystems } from '../../engine/connectors/external-systems';
import { encodeSnapshotFile } from '../../engine/format';
import { realCheckpoints } from '../../runtime/sim/real-checkpoints.fixture';
import type { StorageCallback } from '../../engine/ports/checkpoint-storage';
import type { ScenarioJobOptions } from '../../runtime/sim/scenario-job';
import { WorkerJob } from '../../runtime/worker/worker-job';
import { IndexedDbCheckpointStorage } from '../../storage/indexeddb-checkpoint-storage';
import { SnapshotFiles } from './opened-snapshot.svelte';
import { importForRestore, type RestoreSource } from './restore-import';
import { commitInto, recordCount } from './restored-output';
import { exportSnapshotFile, storageBlobReader } from './snapshot-export';

const databases: string[] = [];
const closing: Array<{ close(): void }> = [];
const jobs: WorkerJob[] = [];
afterEach(async () => {
  for (const job of jobs.splice(0)) job.stop();
  for (const connection of closing.splice(0)) connection.close();
  for (const name of databases.splice(0)) await deleteDB(name);
});

/** The page's job (running-sum, 100 keys), small and quick: its max parallelism derived, as the page leaves it. */
const PAGE_JOB: ScenarioJobOptions = { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 100, mode: 'exactly-once', keys: 100, recordsPerSecond: 40 };

async function openStorage(): Promise<{ storage: IndexedDbCheckpointStorage; databaseName: string }> {
  const databaseName = `snapshot-restore-test-${crypto.randomUUID()}`;
  databases.push(databaseName);
  const storage = await IndexedDbCheckpointStorage.open(databaseName);
  closing.push(storage);
  return { storage, databaseName };
}

/** Every object of every store of the database, store by store. */
async function countEveryStore(databaseName: string): Promise<Record<string, number>> {
  const database = await openDB(databaseName);
  try {
    const counts: Record<string, number> = {};
    for (const store of database.objectStoreNames) counts[store] = await database.count(store);
    return counts;
  } finally {
    database.close();
  }
}

/** Opens `bytes` as the page does; the decoded file, or the one-line reason it was refused. */
function open(name: string, bytes: Uint8Array): RestoreSource | string {
  const files = new SnapshotFiles();
  files.openBytes(name, bytes);
  const opened = files.opened;
  if (opened.kind === 'refused') return opened.error.message;
  if (opened.kind !== 'opened') throw new Error(`unexpected ${opened.kind}`);
  return { kind: 'file', name, snapshot: opened.file };
}

/** What the page does with a file the user asks to restore: refused (with the message) or imported. */
async function restoreFile(storage: IndexedDbCheckpointStorage, name: string, bytes: Uint8Array, scenario: ScenarioJobOptions): Promise<string | CheckpointMetadata> {
  const source = open(name, bytes);
  if (typeof source === 'string') return source;
  try {
    return (await importForRestore(storage, source, scenario)).initialCheckpoint;
  } catch (error) {
    return (error as Error).message;
  }
}

function value<T>(call: (done: StorageCallback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => call((result) => (result.ok ? resolve(result.value) : reject(new Error(result.error)))));
}

const fileOf = (options: Parameters<typeof realCheckpoints>[0]) => encodeSnapshotFile(realCheckpoints({ keys: 100, untilMs: 700, ...options }).snapshots.at(-1)!);

describe('importing a snapshot file for a restore', () => {
  it('leaves every IndexedDB store as it was for each refused file: truncated, bit-flipped, not a zip, wrong operators, max parallelism', async () => {
    const { storage, databaseName } = await openStorage();
    const good = fileOf({});
    // Storage is not empty: an accepted import of the same file is already there.
    expect(typeof (await restoreFile(storage, 'good.bscp', good, PAGE_JOB))).toBe('object');
    const flipped = good.slice();
    flipped[60]! ^= 0x10;
    const refused: Array<{ name: string; bytes: Uint8Array; scenario?: ScenarioJobOptions; message: RegExp }> = [
      { name: 'truncated', bytes: good.subarray(0, good.length - 100), message: /^zip: / },
      { name: 'bit-flipped', bytes: flipped, message: /checksum|CRC|inflate|deflate|_metadata/i },
      { name: 'not a zip', bytes: new TextEncoder().encode('{"checkpointId": 1, "note": "JSON that was never a zip archive"}'), message: /^file: does not start with a zip signature/ },
      { name: 'wrong operators', bytes: fileOf({ scenario: 'order-totals', keys: 20 }), message: /Cannot map checkpoint\/savepoint state for operator [0-9a-f]{32} \(uid 'orders-\w+'\)/ },
      {
        name: 'max parallelism mismatch',
        bytes: fileOf({ configuration: { 'pipeline.max-parallelism': 256 } }),
        scenario: { ...PAGE_JOB, maxParallelism: 128 },
        message: /Max parallelism mismatch .* with max parallelism 256 to new program with max parallelism 128/,
      },
      {
        name: 'parallelism above the max parallelism',
        bytes: fileOf({ configuration: { 'pipeline.max-parallelism': 4 } }),
        scenario: { ...PAGE_JOB, parallelism: 5 },
        message: /The maximum parallelism \(4\) of the restored state is lower than the configured parallelism \(5\)/,
      },
    ];
    for (const { name, bytes, scenario, message } of refused) {
      const before = await countEveryStore(databaseName);
      const outcome = await restoreFile(storage, `${name}.bscp`, bytes, scenario ?? PAGE_JOB);
      expect(outcome, name).toMatch(message);
      expect((outcome as string).includes('\n'), `${name}: one line`).toBe(false);
      expect(await countEveryStore(databaseName), name).toEqual(before);
    }
    expect(await countEveryStore(databaseName)).toEqual({ checkpoints: 1, state: 2 });
  });

  it('imports a file under new keys and a job id of its own, beside the same file imported before, overwriting nothing', async () => {
    const { storage, databaseName } = await openStorage();
    const file = fileOf({});
    const first = (await restoreFile(storage, 'a.bscp', file, PAGE_JOB)) as CheckpointMetadata;
    const second = (await restoreFile(storage, 'a.bscp', file, PAGE_JOB)) as CheckpointMetadata;
    expect(first.jobId).toMatch(/^imported-/);
    expect(second.jobId).not.toBe(first.jobId);
    expect(second.checkpointId).toBe(first.checkpointId);
    expect(await countEveryStore(databaseName)).toEqual({ checkpoints: 2, state: 4 });
    // Both copies read back as the file holds them.
    const reader = storageBlobReader(storage);
    const source = open('a.bscp', file) as Extract<RestoreSource, { kind: 'file' }>;
    const originalKeys = source.snapshot.metadata.operators.flatMap((operator) => operator.subtaskStates.flatMap((state) => (state.keyed ? [state.keyed.storageKey] : [])));
    for (const imported of [first, second]) {
      const keys = imported.operators.flatMap((operator) => operator.subtaskStates.flatMap((state) => (state.keyed ? [state.keyed.storageKey] : [])));
      for (const [index, key] of keys.entries()) expect(await reader(key)).toEqual(source.snapshot.blobs.get(originalKeys[index]!));
      expect(await value<CheckpointMetadata[]>((done) => storage.listCompleted(imported.jobId, done))).toEqual([imported]);
    }
  });

  it('stores nothing when one blob of an import cannot be written: the transaction is all or nothing', async () => {
    const { storage, databaseName } = await openStorage();
    const existing = await value<string>((done) => storage.writeState({ jobId: 'job', checkpointId: 1, taskId: 'sum#0', operatorUid: 'sum', bytes: Uint8Array.of(7) }, done));
    const before = await countEveryStore(databaseName);
    const request = { jobId: 'imported-x', checkpointId: 3, taskId: 'sum#0', operatorUid: 'sum', bytes: Uint8Array.of(1, 2) };
    const metadata: CheckpointMetadata = { version: 1, jobId: 'imported-x', checkpointId: 3, isSavepoint: true, triggerTimestamp: 0, completionTimestamp: 1, operators: [] };
    // The second key is taken: `add` refuses it, and the first blob and the metadata go with it.
    await expect(storage.importCheckpoint([{ key: 'fresh-key', request }, { key: existing, request }], metadata)).rejects.toThrow(/IndexedDB import \(job 'imported-x', checkpoint 3\) failed: ConstraintError/);
    expect(await countEveryStore(databaseName)).toEqual(before);
    expect(await storageBlobReader(storage)(existing)).toEqual(Uint8Array.of(7));
  });
});

describe('export, import and restore on Web Workers', () => {
  it('a checkpoint exported mid-run, imported and restored at parallelism 3 continues exactly-once, and the imported copy is kept (NO_CLAIM)', async () => {
    const { storage, databaseName } = await openStorage();
    const first = new WorkerJob({ jobId: 'running-sum', scenario: PAGE_JOB, storage, databaseName, external: new InMemoryExternalSystems() });
    jobs.push(first);
    first.start();
    await until(() => (first.jobMaster.store.latest()?.checkpointId ?? 0) >= 3 && first.output().length > 0, 'three checkpoints and some output');
    const checkpoint = first.jobMaster.store.latest()!;
    const bytes = await exportSnapshotFile(checkpoint, first.job, storageBlobReader(storage));
    first.stop();
    const committedByFirst = [...first.output()];
    expect(committedByFirst.length).toBeLessThan(500);

    const source = open(`checkpoint-${checkpoint.checkpointId}.bscp`, bytes);
    if (typeof source === 'string') throw new Error(source);
    const restore = await importForRestore(storage, source, { ...PAGE_JOB, parallelism: 3 });
    // What the page starts the ledger with is what the first run really committed up to that checkpoint.
    const before = restore.committedBefore;
    const beforeRecords = [...before.earlier.records, ...before.pending.flatMap((transaction) => transaction.records)].map((record) => JSON.stringify(record));
    const firstRecords = committedByFirst.map((record) => JSON.stringify(record));
    expect(beforeRecords.filter((record) => !firstRecords.includes(record))).toEqual([]);
    expect(recordCount(before)).toBeGreaterThan(0);

    const external = new InMemoryExternalSystems();
    commitInto(external.output('sums'), before);
    const restored = new WorkerJob({
      jobId: 'running-sum',
      scenario: restore.scenario,
      storage,
      databaseName,
      external,
      initialCheckpoint: restore.initialCheckpoint,
      highestCheckpointIdInStorage: await storage.highestCheckpointId('running-sum'),
    });
    jobs.push(restored);
    restored.start();
    await until(() => restored.output().length >= 500, 'all 500 records committed');
    await untilCheckpointsComplete({ latestCheckpointId: () => restored.jobMaster.store.latest()?.checkpointId ?? 0 }, 2);

    expect(restored.job.jobGraph.vertices.map((vertex) => vertex.parallelism)).toEqual([3, 3]);
    expect(restored.job.scenario.checkExactlyOnce(restored.output(), restored.job.parameters)).toEqual([]);
    expect(restored.jobMaster.stats.statistics().latest.restored?.id).toBe(checkpoint.checkpointId);
    // NO_CLAIM: the imported copy outlives the restored job's own checkpoints, which subsumed one another.
    const importJobId = restore.initialCheckpoint.jobId;
    expect(await value<CheckpointMetadata[]>((done) => storage.listCompleted(importJobId, done))).toEqual([restore.initialCheckpoint]);
    const reader = storageBlobReader(storage);
    for (const operator of restore.initialCheckpoint.operators) {
      for (const state of operator.subtaskStates) if (state.keyed) expect((await reader(state.keyed.storageKey)).length).toBeGreaterThan(0);
    }
  });
});
