// Snapshot files through the CLI as scripts use them: stop with a savepoint and write it, inspect it (tables and
// JSON), restore from it at another parallelism, export checkpoints; every bad file is one line and exit 3, with
// nothing written; the committed sample files still decode and restore.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSnapshotFile } from '../engine/format';
import { findScenario } from '../scenarios';
import { cli, summary, temporaryDirectory } from './testing';

const SAMPLES = join(import.meta.dirname, '..', '..', 'public', 'samples');
/** Made by `npx barrierscope run --stop-with-savepoint 1700ms --out DIR` (DIR/savepoint-4.bscp). */
const CLI_SAMPLE = join(SAMPLES, 'running-sum-savepoint.bscp');
/** Made in the page (a savepoint downloaded from the running sum), committed by the page's tests. */
const BROWSER_SAMPLE = join(SAMPLES, 'browser-savepoint.bscp');

const SMALL = ['--keys', '30', '--rate', '40', '--checkpoint-interval', '200ms'];
const runningSum = findScenario('running-sum');

function outputOf(directory: string): Array<{ key: string; value: number }> {
  return JSON.parse(readFileSync(join(directory, 'output.json'), 'utf8')) as Array<{ key: string; value: number }>;
}

async function stoppedRun(...extra: string[]) {
  const directory = temporaryDirectory();
  const run = await cli('run', ...SMALL, '--stop-with-savepoint', '900ms', ...extra, '--out', directory);
  expect(run.code, run.err.join('\n')).toBe(0);
  const [savepoint] = readdirSync(directory).filter((name) => name.endsWith('.bscp'));
  return { directory, run, file: join(directory, savepoint!) };
}

describe('barrierscope run --stop-with-savepoint and --from-savepoint', () => {
  it('writes the savepoint, and a run restored from it at 3 commits the rest: every key 1,3,6,10,15 exactly once', async () => {
    const { directory, run, file } = await stoppedRun();
    expect(file).toMatch(/savepoint-5\.bscp$/);
    expect(summary(run, 'savepoint')).toBe('5, stop-with-savepoint at 900 ms, completed at 908 ms and committed');
    expect(summary(run, 'virtual time')).toMatch(/job FINISHED/);
    expect(summary(run, 'wrote')).toBe(`${join(directory, 'events.jsonl')}, checkpoints.json, output.json, savepoint-5.bscp`);
    const restoredDirectory = temporaryDirectory();
    const restored = await cli('run', ...SMALL, '--from-savepoint', file, '--parallelism', '3', '--check', '--out', restoredDirectory);
    expect(restored.code, restored.err.join('\n')).toBe(0);
    expect(summary(restored, 'restored')).toBe(`savepoint 5 of running-sum from ${file}, parallelism 2 → 3, max parallelism 128`);
    expect(summary(restored, 'checkpoints')).toMatch(/, 1 restored from$/);
    const stoppedOutput = outputOf(directory);
    const restoredOutput = outputOf(restoredDirectory);
    expect(stoppedOutput.length).toBeGreaterThan(0);
    expect(restoredOutput.length).toBeGreaterThan(0);
    expect(runningSum.checkExactlyOnce([...stoppedOutput, ...restoredOutput], { keys: 30, recordsPerSecond: 40, mode: 'exactly-once' })).toEqual([]);
  });

  it('exits 1 with the reason when the stop fails, writing the run but no savepoint', async () => {
    const directory = temporaryDirectory();
    const run = await cli('run', ...SMALL, '--fault', 'kill:sum#0@850', '--stop-with-savepoint', '900ms', '--out', directory);
    expect(run.code).toBe(1);
    expect(run.err).toEqual(['barrierscope: stop-with-savepoint at 900 ms failed: Not all required tasks are currently running.']);
    expect(readdirSync(directory).sort()).toEqual(['checkpoints.json', 'events.jsonl', 'output.json']);
  });

  it('refuses --export-checkpoints without --out, and --stop-with-savepoint with --until', async () => {
    const noOut = await cli('run', '--export-checkpoints');
    expect([noOut.code, noOut.err]).toEqual([2, ['barrierscope: --export-checkpoints needs --out DIR: the directory the files go to']]);
    const both = await cli('run', '--stop-with-savepoint', '1s', '--until', '2s');
    expect(both.code).toBe(2);
    expect(both.err).toEqual(['barrierscope: --stop-with-savepoint and --until cannot be combined: a stopped run ends once its savepoint is committed']);
  });
});

describe('barrierscope run --export-checkpoints', () => {
  it('writes every retained completed checkpoint as a self-contained file, incremental ones included', async () => {
    const directory = temporaryDirectory();
    const sets = ['--set', 'execution.checkpointing.incremental=true', '--set', 'execution.checkpointing.num-retained=2'];
    const run = await cli('run', ...SMALL, ...sets, '--export-checkpoints', '--out', directory);
    expect(run.code, run.err.join('\n')).toBe(0);
    const files = readdirSync(directory)
      .filter((name) => name.endsWith('.bscp'))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    expect(files).toHaveLength(2);
    for (const name of files) {
      const decoded = decodeSnapshotFile(new Uint8Array(readFileSync(join(directory, name))));
      expect(decoded.ok && decoded.value.checkpointType).toBe('CHECKPOINT');
      expect(decoded.ok && `checkpoint-${decoded.value.metadata.checkpointId}.bscp`).toBe(name);
    }
    expect(summary(run, 'wrote')).toContain(`output.json, ${files.join(', ')}`);
  });
});

describe('barrierscope inspect', () => {
  it("prints FLIP-512's savepoint_metadata table, then every subtask's key groups, keys and values, offsets and transactions", async () => {
    const inspect = await cli('inspect', CLI_SAMPLE);
    expect(inspect.code).toBe(0);
    expect(inspect.out.slice(0, 8)).toEqual([
      `${CLI_SAMPLE}: savepoint 4 of job running-sum (running-sum), 4035 bytes`,
      'triggered at 1700 ms, completed at 1708 ms; SAVEPOINT, CANONICAL format',
      '',
      'savepoint_metadata',
      'checkpoint-id  operator-name    operator-uid  operator-uid-hash                 operator-parallelism  operator-max-parallelism  operator-subtask-state-count  operator-coordinator-state-size-in-bytes  operator-total-size-in-bytes',
      '4              Source: numbers  numbers       ca88eee0095684d687a1b6495617f957  2                     128                       2                             0                                         112',
      '4              Running sum      sum           239c254b5ff89532b198266322bc819f  2                     128                       2                             0                                         1599',
      '4              Sink: sums       sink          2e588ce1c86a9d46e2e85186773ce4fd  2                     128                       2                             0                                         1228',
    ]);
    expect(inspect.out).toContain('    source offsets: partition 0 at 84, partition 2 at 86');
    expect(inspect.out).toContain('    pending transactions: sink#0@4 (checkpoint 4, 16 records)');
    expect(inspect.out.filter((line) => /^ {4}\d+ +"key-\d+" +\d+$/.test(line))).toHaveLength(100);
  });

  it('prints one JSON object with the operators by name, uid, operator id, parallelism and max parallelism', async () => {
    const inspect = await cli('inspect', CLI_SAMPLE, '--json');
    expect(inspect.code).toBe(0);
    const json = JSON.parse(inspect.out.join('\n')) as { checkpointId: number; checkpointType: string; operators: Array<Record<string, unknown>> };
    expect(json).toMatchObject({ checkpointId: 4, checkpointType: 'SAVEPOINT' });
    expect(json.operators.map(({ name, uid, operatorId, parallelism, maxParallelism }) => ({ name, uid, operatorId, parallelism, maxParallelism }))).toEqual([
      { name: 'Source: numbers', uid: 'numbers', operatorId: 'ca88eee0095684d687a1b6495617f957', parallelism: 2, maxParallelism: 128 },
      { name: 'Running sum', uid: 'sum', operatorId: '239c254b5ff89532b198266322bc819f', parallelism: 2, maxParallelism: 128 },
      { name: 'Sink: sums', uid: 'sink', operatorId: '2e588ce1c86a9d46e2e85186773ce4fd', parallelism: 2, maxParallelism: 128 },
    ]);
  });

  it('refuses anything but one file', async () => {
    expect((await cli('inspect')).code).toBe(2);
    expect((await cli('inspect', CLI_SAMPLE, CLI_SAMPLE)).code).toBe(2);
  });
});

describe('bad snapshot files: one line, exit 3, nothing run or written', () => {
  const sample = readFileSync(CLI_SAMPLE);
  const scratch = temporaryDirectory();
  const write = (name: string, bytes: Uint8Array | string) => {
    const path = join(scratch, name);
    writeFileSync(path, bytes);
    return path;
  };
  const cases: ReadonlyArray<readonly [string, () => { path: string; args?: string[] }, RegExp]> = [
    ['a truncated file', () => ({ path: write('truncated.bscp', sample.subarray(0, 2000)) }), /truncated\.bscp: zip: no end of central directory record at the end of the file \(truncated\?\)$/],
    ['a file that is not a zip', () => ({ path: write('text.bscp', 'not a snapshot, just text\n'.repeat(4)) }), /text\.bscp: file: does not start with a zip signature \(PK\\3\\4\)/],
    ['a missing file', () => ({ path: join(scratch, 'missing.bscp') }), /missing\.bscp: no such file$/],
    ['a flipped byte in a state entry', () => ({ path: write('flipped.bscp', flipByteIn(sample, 'keyed-state')) }), /flipped\.bscp: (entry|zip)/],
    [
      "another job's snapshot (operators the job lacks)",
      () => ({ path: CLI_SAMPLE, args: ['--scenario', 'order-totals'] }),
      /^barrierscope: Failed to rollback to checkpoint\/savepoint .*running-sum-savepoint\.bscp\. Cannot map checkpoint\/savepoint state for operator ca88eee0095684d687a1b6495617f957 \(uid 'numbers'\) to the new program, because the operator is not available in the new program\./,
    ],
    [
      'another max parallelism',
      () => ({ path: CLI_SAMPLE, args: ['--max-parallelism', '64'] }),
      /Max parallelism mismatch between checkpoint\/savepoint state and new program\. Cannot map operator ca88eee0095684d687a1b6495617f957 \(uid 'numbers'\) with max parallelism 128 to new program with max parallelism 64\./,
    ],
    [
      'a parallelism above the max parallelism',
      () => ({ path: CLI_SAMPLE, args: ['--parallelism', '200'] }),
      /The maximum parallelism \(128\) of the restored state is lower than the configured parallelism \(200\)\./,
    ],
  ];

  it.each(cases)('%s', async (_name, make, message) => {
    const { path, args = [] } = make();
    const out = join(temporaryDirectory(), 'out');
    const run = await cli('run', '--from-savepoint', path, ...args, '--out', out);
    expect(run.code).toBe(3);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toMatch(/^barrierscope: /);
    expect(run.err[0]).toMatch(message);
    expect(run.err[0]).not.toMatch(/\n| {4}at /);
    expect(run.out).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('inspect refuses the same files the same way', async () => {
    const inspect = await cli('inspect', write('truncated-again.bscp', sample.subarray(0, 100)));
    expect(inspect.code).toBe(3);
    expect(inspect.err).toEqual([expect.stringMatching(/^barrierscope: .*truncated-again\.bscp: zip: /)]);
  });
});

describe('the committed sample files', () => {
  it('the CLI-made savepoint still decodes and restores, at parallelism 3, exactly-once after it', async () => {
    const run = await cli('run', '--from-savepoint', CLI_SAMPLE, '--parallelism', '3', '--check');
    expect(run.code, run.err.join('\n')).toBe(0);
    expect(summary(run, 'restored')).toBe(`savepoint 4 of running-sum from ${CLI_SAMPLE}, parallelism 2 → 3, max parallelism 128`);
    expect(summary(run, 'check')).toBe('passed (no loss, no duplicate)');
  });

  // The page's job is its DEFAULT_JOB (src/ui/live-job.svelte.ts): the running sum over 100 keys at 25 records/s.
  it.skipIf(!existsSync(BROWSER_SAMPLE))('a savepoint made in the page restores in the CLI, exactly-once after it', async () => {
    expect((await cli('inspect', BROWSER_SAMPLE, '--json')).code).toBe(0);
    const run = await cli('run', '--from-savepoint', BROWSER_SAMPLE, '--parallelism', '3', '--keys', '100', '--rate', '25', '--check');
    expect(run.code, `${run.err.join('\n')}\n${run.out.join('\n')}`).toBe(0);
    expect(summary(run, 'restored')).toMatch(/ → 3, max parallelism 128$/);
  });
});

/** The sample with one byte of its first entry whose name contains `part` flipped (its stored bytes). */
function flipByteIn(file: Buffer, part: string): Buffer {
  const copy = Buffer.from(file);
  const at = copy.indexOf(Buffer.from(part)) + part.length + 3;
  copy[at] = copy[at]! ^ 0xff;
  return copy;
}
