// The run's output directory: checked before the run (a directory, or one that can be created; writable;
// no directory where a result file goes), then written all or nothing: temporary names, then renames.
import * as fs from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface OutputFile {
  readonly name: string;
  /** Text (written as UTF-8) or bytes (a snapshot file). */
  readonly contents: string | Uint8Array;
}

/** The file-system calls the output needs: node:fs, or in tests a twin that fails on cue. */
export interface OutputFileSystem {
  /** What is at `path`, following symlinks. */
  kindOf(path: string): 'missing' | 'directory' | 'other';
  /** Whether this process may create, rename and remove entries in `directory`. */
  canWriteIn(directory: string): boolean;
  makeDirectory(path: string): void;
  /** Creates `path`, which must not exist, holding `contents`. */
  writeNew(path: string, contents: string | Uint8Array): void;
  rename(from: string, to: string): void;
  remove(path: string): void;
  removeDirectory(path: string): void;
}

export const NODE_FILE_SYSTEM: OutputFileSystem = {
  kindOf(path) {
    try {
      return fs.statSync(path).isDirectory() ? 'directory' : 'other';
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
      throw error;
    }
  },
  // A real probe, not access(2): for root access() says yes whatever the mode, and /proc says yes too.
  canWriteIn(directory) {
    const probe = `${directory}/.barrierscope-probe-${process.pid}`;
    try {
      fs.writeFileSync(probe, '', { flag: 'wx' });
      fs.rmSync(probe, { force: true });
      return true;
    } catch {
      return false;
    }
  },
  makeDirectory: (path) => fs.mkdirSync(path),
  writeNew: (path, contents) => fs.writeFileSync(path, contents, { flag: 'wx' }),
  rename: (from, to) => fs.renameSync(from, to),
  remove: (path) => fs.rmSync(path, { force: true }),
  removeDirectory: (path) => fs.rmdirSync(path),
};

/** Why `directory` cannot take the files named `names`, as one sentence naming --out; undefined if it can. */
export function outputDirectoryProblem(directory: string, names: readonly string[], io: OutputFileSystem = NODE_FILE_SYSTEM): string | undefined {
  try {
    const kind = io.kindOf(directory);
    if (kind === 'other') return `--out '${directory}' is not a directory`;
    if (kind === 'directory') {
      if (!io.canWriteIn(directory)) return `--out '${directory}' is not writable`;
      const blocked = names.find((name) => io.kindOf(join(directory, name)) === 'directory');
      return blocked === undefined ? undefined : `--out '${directory}' holds a directory named ${blocked}, where that output file goes`;
    }
    let ancestor = dirname(resolve(directory));
    while (io.kindOf(ancestor) === 'missing' && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
    if (io.kindOf(ancestor) !== 'directory') return `--out '${directory}' cannot be created: '${ancestor}' is not a directory`;
    if (!io.canWriteIn(ancestor)) return `--out '${directory}' cannot be created: '${ancestor}' is not writable`;
    return undefined;
  } catch (error) {
    return `--out '${directory}' cannot be used: ${(error as Error).message}`;
  }
}

/**
 * Writes `files` into `directory` (created if missing) all or nothing: each is written under a temporary
 * name beside its target, and only when all are written are they renamed into place, the files they
 * replace kept aside until then. On any failure, what was written is removed, the old files are put back,
 * and the error is rethrown.
 */
export function writeOutputFiles(directory: string, files: readonly OutputFile[], io: OutputFileSystem = NODE_FILE_SYSTEM, tag = String(process.pid)): void {
  const createdDirectories = makeDirectories(directory, io);
  const plan = files.map((file) => ({
    ...file,
    target: join(directory, file.name),
    temporary: join(directory, `.${file.name}.${tag}.tmp`),
    kept: join(directory, `.${file.name}.${tag}.old`),
  }));
  const written: string[] = [];
  const keptAside: typeof plan = [];
  const placed: typeof plan = [];
  try {
    for (const file of plan) {
      written.push(file.temporary);
      io.writeNew(file.temporary, file.contents);
    }
    for (const file of plan) {
      if (io.kindOf(file.target) === 'missing') continue;
      io.rename(file.target, file.kept);
      keptAside.push(file);
    }
    for (const file of plan) {
      io.rename(file.temporary, file.target);
      placed.push(file);
    }
  } catch (error) {
    for (const file of placed) bestEffort(() => io.remove(file.target));
    for (const file of keptAside) bestEffort(() => io.rename(file.kept, file.target));
    for (const path of written) bestEffort(() => io.remove(path));
    for (const path of createdDirectories.reverse()) bestEffort(() => io.removeDirectory(path));
    throw error;
  }
  for (const file of keptAside) bestEffort(() => io.remove(file.kept));
}

/** Creates `directory` and its missing ancestors; returns those it created, outermost first. */
function makeDirectories(directory: string, io: OutputFileSystem): string[] {
  const missing: string[] = [];
  for (let path = resolve(directory); io.kindOf(path) === 'missing' && dirname(path) !== path; path = dirname(path)) missing.unshift(path);
  const created: string[] = [];
  try {
    for (const path of missing) {
      io.makeDirectory(path);
      created.push(path);
    }
  } catch (error) {
    for (const path of created.reverse()) bestEffort(() => io.removeDirectory(path));
    throw error;
  }
  return created;
}

/** Clean-up after a failure: a second failure must not hide the first. */
function bestEffort(work: () => void): void {
  try {
    work();
  } catch {
    // The first error is the one reported.
  }
}
