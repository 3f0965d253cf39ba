// Which storage keys a checkpoint's metadata may name. Deliberately generous: every string anywhere in
// the metadata counts, so a shape added later (e.g. shared pieces of incremental checkpoints) stays safe.
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import { storageKeysOf } from '../engine/checkpoint/task-state';

/** All strings in the metadata; a blob whose key is among them must not be treated as an orphan. */
export function referencedStorageKeys(metadata: CheckpointMetadata, into: Set<string> = new Set()): Set<string> {
  collectStrings(metadata, into);
  return into;
}

function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) collectStrings(item, into);
}

/** The keys a checkpoint's metadata names that the state store must hold (keyed-state handles and their shared pieces). */
export function requiredStorageKeys(metadata: CheckpointMetadata): string[] {
  const keys: string[] = [];
  for (const operator of metadata.operators) for (const subtask of operator.subtaskStates) if (subtask?.keyed) keys.push(...storageKeysOf(subtask.keyed));
  return keys;
}
