// Which keyed backend a subtask's operator runs (`state.backend.type`, carried by its deployment): the
// heap table ("hashmap") or the working store with a bounded cache ("indexeddb"), restored from the same snapshots.
import type { StorageCallback } from '../ports/checkpoint-storage';
import { HeapKeyedStateBackend, IndexedDbKeyedStateBackend, type KeyGroupRange, type KeyedStateSnapshot } from '../state';
import type { TaskDeploymentDescriptor } from './task-deployment';
import type { TaskEnvironment } from './task-environment';

export function createKeyedStateBackend(
  descriptor: TaskDeploymentDescriptor,
  env: TaskEnvironment,
  operatorUid: string,
  keyGroupRange: KeyGroupRange,
  snapshots: readonly KeyedStateSnapshot[],
  done: StorageCallback<HeapKeyedStateBackend>,
): void {
  const options = { maxParallelism: descriptor.maxParallelism, keyGroupRange };
  const type = descriptor.stateBackend ?? 'hashmap';
  if (type === 'hashmap') return done(attempt(() => HeapKeyedStateBackend.restore(options, snapshots)));
  const stores = env.keyGroupStores;
  if (!stores) return done({ ok: false, error: `state.backend.type '${type}' needs a working key-group store, and this runtime offers none` });
  const scope = { jobId: descriptor.jobId, taskId: descriptor.taskId, subtaskIndex: descriptor.subtaskIndex, attempt: descriptor.attempt, operatorUid };
  stores.open(scope, (opened) => {
    if (!opened.ok) return done({ ok: false, error: `Cannot open the working state store: ${opened.error}` });
    try {
      // The job's bound, unless the runtime (a test) sets a smaller one.
      const maxResidentKeyGroups = Math.min(descriptor.residentKeyGroups ?? Number.POSITIVE_INFINITY, stores.maxResidentKeyGroups);
      IndexedDbKeyedStateBackend.restoreInto({ ...options, store: opened.value, maxResidentKeyGroups }, snapshots, done);
    } catch (error) {
      done({ ok: false, error: message(error) });
    }
  });
}

function attempt<T>(create: () => T): { ok: true; value: T } | { ok: false; error: string } {
  try {
    return { ok: true, value: create() };
  } catch (error) {
    return { ok: false, error: message(error) };
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
