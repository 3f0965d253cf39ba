// Restoring a subtask's state backends from a completed checkpoint (Flink's StreamTaskStateInitializer):
// keyed state is read from every handle that intersects this subtask's key-group range (that is how
// rescaling redistributes key groups); operator state arrives already redistributed in the descriptor.
import type { JobVertex } from '../graph/job-graph';
import type { StorageCallback, StorageResult } from '../ports/checkpoint-storage';
import {
  computeKeyGroupRangeForOperatorIndex,
  HeapKeyedStateBackend,
  OperatorStateBackend,
  type KeyedStateSnapshot,
} from '../state';
import type { OperatorBackends } from './subtask-checkpoint';
import type { TaskDeploymentDescriptor } from './task-deployment';
import type { TaskEnvironment } from './task-environment';
import { decodeJson } from './record-size';

export function restoreOperatorBackends(
  descriptor: TaskDeploymentDescriptor,
  vertex: JobVertex,
  env: TaskEnvironment,
  done: StorageCallback<OperatorBackends[]>,
): void {
  const keyGroupRange = computeKeyGroupRangeForOperatorIndex(descriptor.maxParallelism, descriptor.parallelism, descriptor.subtaskIndex);
  const results: OperatorBackends[] = [];
  let index = 0;
  const next = (): void => {
    const node = vertex.operators[index];
    if (!node) return done({ ok: true, value: results });
    const restore = descriptor.restore?.operators.find((operator) => operator.operatorUid === node.uid) ?? null;
    const operator = restore?.operatorState ? OperatorStateBackend.restore(restore.operatorState) : new OperatorStateBackend();
    const options = { maxParallelism: descriptor.maxParallelism, keyGroupRange };
    const finish = (keyed: HeapKeyedStateBackend | null) => {
      results.push({ operatorUid: node.uid, keyed, operator });
      index += 1;
      next();
    };
    if (!node.keySelector) return finish(null);
    readAll(restore?.keyedHandles.map((handle) => handle.storageKey) ?? [], env, (read) => {
      if (!read.ok) return done(read);
      try {
        finish(HeapKeyedStateBackend.restore(options, read.value as KeyedStateSnapshot[]));
      } catch (error) {
        done({ ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    });
  };
  next();
}

function readAll(storageKeys: readonly string[], env: TaskEnvironment, done: (result: StorageResult<unknown[]>) => void): void {
  const values: unknown[] = [];
  const readNext = (i: number): void => {
    const key = storageKeys[i];
    if (key === undefined) return done({ ok: true, value: values });
    env.storage.readState(key, (result) => {
      if (!result.ok) return done(result);
      values.push(decodeJson(result.value));
      readNext(i + 1);
    });
  };
  readNext(0);
}
