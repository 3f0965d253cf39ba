// Reading a `.bscp` file named on the command line (`inspect FILE`, `run --from-savepoint FILE`): the file
// system's refusals and the decoder's, each as one line naming the file and what is wrong where (exit 3).
import * as fs from 'node:fs';
import { decodeSnapshotFile, SNAPSHOT_FILE_LIMITS, type SnapshotFile } from '../engine/format';

/** A snapshot file that cannot be used: unreadable, not a valid snapshot, or unable to restore the job. Exit 3. */
export class SnapshotFileRefused extends Error {
  override readonly name = 'SnapshotFileRefused';
}

export function readSnapshotFile(path: string): SnapshotFile {
  const decoded = decodeSnapshotFile(readBytes(path));
  if (!decoded.ok) throw new SnapshotFileRefused(`${path}: ${decoded.error.message}`);
  return decoded.value;
}

/** The file's bytes; its size is checked first, so an oversized file is refused without being read. */
function readBytes(path: string): Uint8Array {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path);
  } catch (error) {
    throw new SnapshotFileRefused(`${path}: ${fileSystemProblem(error)}`);
  }
  if (stat.isDirectory()) throw new SnapshotFileRefused(`${path}: is a directory, not a snapshot file`);
  if (stat.size > SNAPSHOT_FILE_LIMITS.maxFileBytes) {
    throw new SnapshotFileRefused(`${path}: file: ${stat.size} bytes, more than the ${SNAPSHOT_FILE_LIMITS.maxFileBytes} allowed`);
  }
  try {
    return new Uint8Array(fs.readFileSync(path));
  } catch (error) {
    throw new SnapshotFileRefused(`${path}: ${fileSystemProblem(error)}`);
  }
}

function fileSystemProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  return `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`;
}
