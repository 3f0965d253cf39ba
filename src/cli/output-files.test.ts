// `run --out DIR` is checked before the run (exit 2, one line on stderr, nothing run or written) and
// written all or nothing: a failure while writing leaves DIR as it was, old files and all.
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_FILE_SYSTEM, outputDirectoryProblem, writeOutputFiles, type OutputFileSystem } from './output-files';
import { cli, OUTPUT_FILES, temporaryDirectory } from './testing';

const isRoot = process.getuid?.() === 0;

/** Every entry under `directory` with its content ('/' for a directory), to compare before and after. */
function snapshot(directory: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    entries[path.slice(directory.length)] = entry.isDirectory() ? '/' : readFileSync(path, 'utf8');
  }
  return entries;
}

/** Exit 2, one line on stderr matching `message`, no summary: the run never started. */
function expectRefusedBeforeTheRun(result: Awaited<ReturnType<typeof cli>>, message: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.err).toHaveLength(1);
  expect(result.err[0]).not.toContain('\n');
  expect(result.err[0]).toMatch(message);
  expect(result.out).toEqual([]);
}

describe('barrierscope run --out: checked before the run', () => {
  it('refuses an empty --out instead of ignoring it', async () => {
    const result = await cli('run', '--keys', '20', '--out', '');
    expect(result.code).toBe(2);
    expect(result.err.join('\n')).toMatch(/^barrierscope: --out needs a directory, got ''/);
    expect(result.out).toEqual([]);
  });

  it('refuses a file as --out and leaves the file as it was', async () => {
    const file = join(temporaryDirectory(), 'notes.txt');
    writeFileSync(file, 'keep me');
    expectRefusedBeforeTheRun(await cli('run', '--keys', '20', '--out', file), /^barrierscope: --out '.*notes\.txt' is not a directory$/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('refuses an --out that would have to be created inside a file', async () => {
    const file = join(temporaryDirectory(), 'notes.txt');
    writeFileSync(file, 'keep me');
    expectRefusedBeforeTheRun(await cli('run', '--keys', '20', '--out', join(file, 'run', 'a')), /--out '.*notes\.txt\/run\/a' cannot be created: '.*notes\.txt' is not a directory$/);
  });

  it('refuses a directory holding a directory named checkpoints.json and writes none of the files', async () => {
    const directory = temporaryDirectory();
    mkdirSync(join(directory, 'checkpoints.json'));
    const before = snapshot(directory);
    expectRefusedBeforeTheRun(await cli('run', '--keys', '20', '--out', directory), /--out '.*' holds a directory named checkpoints\.json, where that output file goes$/);
    expect(snapshot(directory)).toEqual(before);
  });

  it.runIf(!isRoot)('refuses a directory it may not write to (as a user without the permission)', async () => {
    const directory = temporaryDirectory();
    chmodSync(directory, 0o555);
    try {
      expectRefusedBeforeTheRun(await cli('run', '--keys', '20', '--out', directory), /--out '.*' is not writable$/);
      expectRefusedBeforeTheRun(await cli('run', '--keys', '20', '--out', join(directory, 'new')), /--out '.*new' cannot be created: '.*' is not writable$/);
    } finally {
      chmodSync(directory, 0o755);
    }
  });

  it.runIf(process.platform === 'linux')('refuses a directory no one may create files in, even as root (/proc)', async () => {
    expectRefusedBeforeTheRun(await cli('run', '--keys', '20', '--out', '/proc/barrierscope-out'), /--out '\/proc\/barrierscope-out' cannot be created: '\/proc' is not writable$/);
  });

  it('says a directory is not writable when the file system says so', () => {
    const readOnly: OutputFileSystem = { ...NODE_FILE_SYSTEM, canWriteIn: () => false };
    const directory = temporaryDirectory();
    expect(outputDirectoryProblem(directory, OUTPUT_FILES, readOnly)).toBe(`--out '${directory}' is not writable`);
    expect(outputDirectoryProblem(join(directory, 'a', 'b'), OUTPUT_FILES, readOnly)).toBe(`--out '${join(directory, 'a', 'b')}' cannot be created: '${directory}' is not writable`);
  });

  it('creates a missing --out with its parents and writes the three files there', async () => {
    const directory = join(temporaryDirectory(), 'a', 'b');
    const result = await cli('run', '--keys', '20', '--out', directory);
    expect(result.code).toBe(0);
    expect(readdirSync(directory).sort()).toEqual([...OUTPUT_FILES].sort());
    expect(result.out.at(-1)).toBe(`wrote         ${join(directory, 'events.jsonl')}, checkpoints.json, output.json`);
  });

  it('replaces the files of an earlier run and leaves other files alone', async () => {
    const directory = temporaryDirectory();
    for (const file of OUTPUT_FILES) writeFileSync(join(directory, file), 'old');
    writeFileSync(join(directory, 'README'), 'mine');
    expect((await cli('run', '--keys', '20', '--out', directory)).code).toBe(0);
    for (const file of OUTPUT_FILES) expect(readFileSync(join(directory, file), 'utf8')).not.toBe('old');
    expect(readFileSync(join(directory, 'README'), 'utf8')).toBe('mine');
    expect(readdirSync(directory).sort()).toEqual([...OUTPUT_FILES, 'README'].sort());
  });
});

describe('writeOutputFiles: all or nothing', () => {
  const files = OUTPUT_FILES.map((name) => ({ name, contents: `new ${name}` }));

  /** node:fs, except that `call` throws for paths containing `part`. */
  function failing(call: 'writeNew' | 'rename', part: string): OutputFileSystem {
    return {
      ...NODE_FILE_SYSTEM,
      [call]: (path: string, other: string) => {
        if (path.includes(part)) throw new Error(`ENOSPC: no space left on device, ${call} '${path}'`);
        return NODE_FILE_SYSTEM[call](path, other);
      },
    };
  }

  it('leaves the directory as it was when the last file cannot be written', () => {
    const directory = temporaryDirectory();
    for (const file of OUTPUT_FILES) writeFileSync(join(directory, file), `old ${file}`);
    const before = snapshot(directory);
    expect(() => writeOutputFiles(directory, files, failing('writeNew', 'output.json'))).toThrow(/ENOSPC/);
    expect(snapshot(directory)).toEqual(before);
  });

  it('puts the old files back when a rename into place fails half way', () => {
    const directory = temporaryDirectory();
    for (const file of OUTPUT_FILES) writeFileSync(join(directory, file), `old ${file}`);
    const before = snapshot(directory);
    expect(() => writeOutputFiles(directory, files, failing('rename', '.checkpoints.json.test.tmp'), 'test')).toThrow(/ENOSPC/);
    expect(snapshot(directory)).toEqual(before);
  });

  it('removes the directories it created when writing fails', () => {
    const parent = temporaryDirectory();
    expect(() => writeOutputFiles(join(parent, 'a', 'b'), files, failing('writeNew', 'events.jsonl'))).toThrow(/ENOSPC/);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('leaves only the three files, without temporary names, when it succeeds', () => {
    const directory = temporaryDirectory();
    writeFileSync(join(directory, 'events.jsonl'), 'old');
    writeOutputFiles(directory, files);
    expect(snapshot(directory)).toEqual(Object.fromEntries(files.map((file) => [`/${file.name}`, file.contents])));
    expect(existsSync(join(directory, `.events.jsonl.${process.pid}.old`))).toBe(false);
  });
});
