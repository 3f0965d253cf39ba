// KeyGroupStore: where a subtask's working keyed state lives when it is not on the heap (the indexeddb
// backend's "local disk", as RocksDB's is for Flink): one chunk per key group. Operations take effect in call order.
import type { StorageCallback } from './storage-result';
import type { AttemptNumber, JobId, OperatorUid, TaskId } from '../ids';

/**
 * One subtask attempt's working store of one operator. A chunk is a key group's state encoded as a
 * KeyGroupSnapshot (the same JSON shape checkpoint pieces have). Guarantee asked of implementations:
 * every call takes effect in the order it was made — a load issued before a write sees the old chunk,
 * one issued after it the new one — as IndexedDB orders overlapping transactions by creation.
 */
export interface KeyGroupStore {
  /** The chunks of `keyGroups`; a key group without a chunk is absent from the map. */
  load(keyGroups: readonly number[], done: StorageCallback<ReadonlyMap<number, Uint8Array>>): void;
  /** Puts every chunk in one batch (one transaction); a null chunk deletes the key group's. */
  write(chunks: ReadonlyMap<number, Uint8Array | null>, done: StorageCallback<void>): void;
}

/** Who a working store belongs to: chunks are keyed by job, attempt, operator, subtask and key group. */
export interface KeyGroupStoreScope {
  readonly jobId: JobId;
  readonly taskId: TaskId;
  readonly subtaskIndex: number;
  readonly attempt: AttemptNumber;
  readonly operatorUid: OperatorUid;
}

/** What a runtime offers tasks that run the indexeddb backend. */
export interface KeyGroupStores {
  /** How many key groups a backend keeps in memory at most (the bounded cache, RocksDB's block cache). */
  readonly maxResidentKeyGroups: number;
  /** An empty store for `scope`; working stores of earlier attempts of the job are cleaned up. */
  open(scope: KeyGroupStoreScope, done: StorageCallback<KeyGroupStore>): void;
}

/** A runtime's own bound on resident key groups; the job's `state.backend.indexeddb.cache.key-groups` may lower it. */
export const DEFAULT_MAX_RESIDENT_KEY_GROUPS = 32_768;
