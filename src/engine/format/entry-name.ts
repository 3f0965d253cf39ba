// Entry names of a snapshot file: relative paths of plain segments (no `..`, no absolute paths, no
// backslashes or control characters), so that unzipping the file anywhere stays inside one folder.
import { fail, quote } from './snapshot-file-error';

export const METADATA_ENTRY = '_metadata';
const MAX_ENTRY_NAME_LENGTH = 512;
const SEGMENT = /^[A-Za-z0-9_.-]+$/;

/** Fails unless `name` is a safe entry name. */
export function checkEntryName(name: string, where = `entry ${quote(name)}`): void {
  if (name.length === 0 || name.length > MAX_ENTRY_NAME_LENGTH) fail('corrupt-zip', where, `a name must have 1 to ${MAX_ENTRY_NAME_LENGTH} characters`);
  for (const segment of name.split('/')) {
    if (!SEGMENT.test(segment) || segment === '.' || segment === '..') {
      fail('corrupt-zip', where, 'is not a relative path of letters, digits, "_", "." and "-" segments');
    }
  }
}

export function keyedStateEntryName(operatorId: string, subtaskIndex: number): string {
  return `${operatorId}/${subtaskIndex}/keyed-state`;
}

export function metaStateEntryName(operatorId: string, subtaskIndex: number): string {
  return `${operatorId}/${subtaskIndex}/meta-state`;
}

export function operatorStateEntryName(operatorId: string, subtaskIndex: number): string {
  return `${operatorId}/${subtaskIndex}/operator-state`;
}

/** A shared piece: one key group as uploaded by checkpoint `checkpointId` (Flink's `shared/` folder). */
export function sharedStateEntryName(operatorId: string, keyGroup: number, checkpointId: number): string {
  return `shared/${operatorId}/${keyGroup}-${checkpointId}`;
}
