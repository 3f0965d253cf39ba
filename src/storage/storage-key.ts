// Storage keys of state blobs, laid out like Flink's `{job}/chk-N/...` paths. Unique across tabs and
// reloads: besides job, checkpoint, task and operator, each key ends in a time stamp and 64 random bits.
import type { StateWriteRequest } from '../engine/ports/checkpoint-storage';

export function newStorageKey(request: StateWriteRequest): string {
  const { jobId, checkpointId, taskId, operatorUid } = request;
  return `${jobId}/chk-${checkpointId}/${taskId}/${operatorUid}/${uniqueSuffix()}`;
}

/** A job id of its own for one imported snapshot file, so its checkpoint id can never collide with a stored one. */
export function newImportJobId(): string {
  return `imported-${uniqueSuffix()}`;
}

function uniqueSuffix(): string {
  const random = crypto.getRandomValues(new Uint8Array(8));
  const hex = Array.from(random, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${Date.now().toString(36)}-${hex}`;
}
