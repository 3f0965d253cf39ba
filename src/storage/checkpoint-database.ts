// The IndexedDB schema behind IndexedDbCheckpointStorage: a `state` store of blobs and a `checkpoints`
// store of metadata, versioned; `upgrade` migrates step by step from whatever version a browser holds.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { CheckpointId, JobId, OperatorUid, TaskId } from '../engine/ids';
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';

export const DEFAULT_DATABASE_NAME = 'barrierscope';
/** Bump on every schema change and add a step to `migrate`; never edit a released step. */
export const SCHEMA_VERSION = 1;

/** One state blob written during a checkpoint's async phase, stored under its storage key. */
export interface StoredStateBlob {
  readonly jobId: JobId;
  readonly checkpointId: CheckpointId;
  readonly taskId: TaskId;
  readonly operatorUid: OperatorUid;
  readonly bytes: ArrayBuffer | Uint8Array;
}

export interface CheckpointDatabaseSchema extends DBSchema {
  state: { key: string; value: StoredStateBlob; indexes: { 'by-checkpoint': [JobId, CheckpointId] } };
  checkpoints: { key: [JobId, CheckpointId]; value: CheckpointMetadata };
}

export type CheckpointDatabase = IDBPDatabase<CheckpointDatabaseSchema>;

/**
 * Opens (creating or migrating) the database. Rejects, instead of waiting forever, when another tab
 * holds an older version open and does not let go (`blocked`).
 */
export function openCheckpointDatabase(dbName: string, version: number = SCHEMA_VERSION): Promise<CheckpointDatabase> {
  return new Promise((resolve, reject) => {
    let blocked = false;
    openDB<CheckpointDatabaseSchema>(dbName, version, {
      upgrade: (database, oldVersion) => migrate(database, oldVersion),
      blocked: (currentVersion) => {
        blocked = true;
        reject(new Error(`opening '${dbName}' at version ${version} is blocked by another tab holding version ${currentVersion} open`));
      },
    }).then(
      (database) => {
        // Opened after we gave up on it: nobody will use this connection, so do not keep it open.
        if (blocked) database.close();
        else resolve(database);
      },
      (error: unknown) => reject(error),
    );
  });
}

function migrate(database: CheckpointDatabase, oldVersion: number): void {
  if (oldVersion < 1) {
    const state = database.createObjectStore('state');
    state.createIndex('by-checkpoint', ['jobId', 'checkpointId']);
    database.createObjectStore('checkpoints', { keyPath: ['jobId', 'checkpointId'] });
  }
}

/** Every key of one job, ordered by checkpoint id (array keys compare element by element). */
export function jobRange(jobId: JobId, belowCheckpointId: CheckpointId = Infinity): IDBKeyRange {
  return IDBKeyRange.bound([jobId, -Infinity], [jobId, belowCheckpointId], false, true);
}
