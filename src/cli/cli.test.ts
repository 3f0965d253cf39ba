// The `barrierscope` CLI as a user meets it: options are validated before anything runs (exit 2 with a
// message naming the problem), runs are byte-for-byte reproducible from the seed, and --check grades them.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { terminalProgress } from './main';
import type { EngineEvent } from '../engine/events';
import { foldCheckpointStatistics } from '../engine/checkpoint/checkpoint-stats-fold';
import { cli, cliShowingProgress, OUTPUT_FILES, summary, temporaryDirectory, type Invocation } from './testing';

function readJson<T>(directory: string, file: string): T {
  return JSON.parse(readFileSync(join(directory, file), 'utf8')) as T;
}

describe('barrierscope run: determinism', () => {
  it('writes byte-identical files for the same seed and options', async () => {
    const [first, second] = [temporaryDirectory(), temporaryDirectory()];
    const options = ['--keys', '20', '--fault', 'random', '--seed', '7'];
    const a = await cli('run', ...options, '--out', first);
    const b = await cli('run', ...options, '--out', second);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    for (const file of OUTPUT_FILES) {
      const bytes = readFileSync(join(first, file));
      expect(bytes.length, file).toBeGreaterThan(0);
      expect(bytes.equals(readFileSync(join(second, file))), `${file} differs between two runs with seed 7`).toBe(true);
    }
    expect(a.out.filter((line) => !line.startsWith('wrote'))).toEqual(b.out.filter((line) => !line.startsWith('wrote')));
  });

  it('draws a different random fault plan, with at least one kill, for a different seed', async () => {
    const one = await cli('run', '--keys', '20', '--fault', 'random', '--seed', '1');
    const two = await cli('run', '--keys', '20', '--fault', 'random', '--seed', '2');
    expect(summary(one, 'faults')).not.toBe(summary(two, 'faults'));
    for (const run of [one, two]) expect(summary(run, 'faults')).toMatch(/(^| )kill:[\w.-]+#\d+@\d+/);
  });

  it('writes an event log in virtual-time order whose first status change is CREATED to RUNNING', async () => {
    const directory = temporaryDirectory();
    expect((await cli('run', '--keys', '20', '--rate', '50', '--fault', 'kill:sum#1@700', '--out', directory)).code).toBe(0);
    const lines = readFileSync(join(directory, 'events.jsonl'), 'utf8').trimEnd().split('\n');
    const events = lines.map((line) => JSON.parse(line) as { type: string; time: number });
    expect(events.find((event) => event.type === 'job-status-changed')).toMatchObject({ time: 0, status: 'RUNNING', previous: 'CREATED' });
    for (let i = 1; i < events.length; i++) expect(events[i]!.time, `event ${i}`).toBeGreaterThanOrEqual(events[i - 1]!.time);
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['fault-injected', 'job-restarting', 'task-restored', 'checkpoint-completed', 'sink-committed']));
  });
});

describe('barrierscope run: checkpoints.json', () => {
  it('is the checkpoint statistics fold of events.jsonl (one fact in one place)', async () => {
    const directory = temporaryDirectory();
    expect((await cli('run', '--keys', '20', '--fault', 'kill:sum#1@700', '--out', directory)).code).toBe(0);
    const events = readFileSync(join(directory, 'events.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as EngineEvent);
    expect(readJson(directory, 'checkpoints.json')).toEqual(foldCheckpointStatistics(events).statistics());
  });
});

describe('barrierscope run: bad input is refused before anything runs', () => {
  const usageErrors: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
    ['non-numeric parallelism', ['--parallelism', 'two'], /--parallelism must be a positive integer, got 'two'/],
    ['zero parallelism', ['--parallelism', '0'], /--parallelism must be a positive integer, got '0'/],
    ['non-numeric keys', ['--keys', '1e3'], /--keys must be a positive integer, got '1e3'/],
    ['unknown scenario', ['--scenario', 'word-count'], /Unknown scenario 'word-count'\. Available: running-sum, order-totals/],
    ['unknown mode', ['--mode', 'exactly'], /--mode must be exactly-once or at-least-once, got 'exactly'/],
    ['negative seed', ['--seed=-1'], /--seed must be an integer from 0 to 4294967295, got '-1'/],
    ['fault without a target', ['--fault', 'kill:sum'], /Cannot read fault 'kill:sum'\. Expected one of: kill:<uid>#<subtask>@<ms>/],
    ['unknown fault kind', ['--fault', 'explode:sum#0@10'], /Cannot read fault 'explode:sum#0@10'/],
    ['fail-snapshot of checkpoint 0', ['--fault', 'fail-snapshot:sum#0@0'], /checkpoint ids start at 1/],
    ['slow-task without a factor', ['--fault', 'slow-task:sum#0@10'], /write slow-task:<uid>#<subtask>@<ms>x<factor>/],
    ['a fractional channel latency', ['--fault', 'delay-channel:sum#0@10+2.5'], /latency must be a whole number of milliseconds/],
    ['kill with a latency part', ['--fault', 'kill:sum#0@10+5'], /Fault 'kill:sum#0@10\+5' takes no '\+' part/],
    ['duration with an unknown unit', ['--checkpoint-interval', '5x'], /--checkpoint-interval must be a positive duration.*got '5x'.*unknown time unit "x"/],
    ['zero duration', ['--until', '0ms'], /--until must be positive, got '0ms'/],
    ['--set without =', ['--set', 'restart-strategy.type'], /--set takes KEY=VALUE, got 'restart-strategy.type'/],
    ['--set of an option a flag sets', ['--set', 'parallelism.default=4'], /--set parallelism.default is not read: use --parallelism/],
    ['--set of an unknown option', ['--set', 'execution.checkpointing.intervall=1s'], /execution\.checkpointing\.intervall/],
    ['--set of a bad value', ['--set', 'execution.checkpointing.tolerable-failed-checkpoints=x'], /tolerable-failed-checkpoints: got "x"/],
    ['unknown option', ['--speed', '2'], /Unknown option '--speed'/],
    ['a misspelled option, suggesting the right one', ['--paralelism', '4'], /Unknown option '--paralelism'; did you mean --parallelism\?/],
    ['a misspelled option given with =', ['--chekc=true'], /Unknown option '--chekc'; did you mean --check\?/],
    ['positional argument', ['running-sum'], /Unexpected argument 'running-sum'/],
    ["parallelism beyond Flink's bound", ['--parallelism', '100000'], /--parallelism must be at most 256 \(this simulator's limit; Flink's is 32768\), got '100000'/],
    ['parallelism above the max parallelism', ['--max-parallelism', '1', '--parallelism', '2'], /--parallelism 2 is above --max-parallelism 1/],
    ["max parallelism beyond Flink's bound", ['--max-parallelism', '32769'], /--max-parallelism must be at most 32768 \(Flink's upper bound\), got '32769'/],
    ['keys beyond the limit', ['--keys', '10000000'], /--keys must be at most 10000 \(more would run for minutes\), got '10000000'/],
    ['keys of 400 digits', ['--keys', '9'.repeat(400)], /--keys must be at most 10000/],
    ['a rate beyond the limit', ['--rate', '1000001'], /--rate must be at most 1000000, got '1000001'/],
    ['a checkpoint interval below Flink\'s minimum', ['--checkpoint-interval', '5ms'], /--checkpoint-interval must be at least 10 ms \(Flink's minimum\), got '5ms'/],
    ['--until beyond the longest run', ['--until', '31min'], /--until must be at most 30 min \(the longest run\), got '31min'/],
    ['a fault time beyond the safe integers', ['--fault', 'kill:sum#0@99999999999999999999999'], /<ms> must be a whole number from 0 to 9007199254740991, got 99999999999999999999999/],
    ['a fault subtask beyond the max parallelism bound', ['--fault', 'kill:sum#99999@10'], /<subtask> must be a whole number from 0 to 32767, got 99999/],
    ['unaligned checkpoints at least once (Flink refuses them)', ['--set', 'execution.checkpointing.unaligned.enabled=true', '--mode', 'at-least-once'], /execution\.checkpointing\.unaligned\.enabled: requires execution\.checkpointing\.mode = EXACTLY_ONCE \(got AT_LEAST_ONCE\)/],
    ['--set __proto__', ['--set', '__proto__=1'], /- __proto__: unknown option/],
    ['--set toString', ['--set', 'toString=1'], /- toString: unknown option/],
    ['--set constructor', ['--set', 'constructor=1'], /- constructor: unknown option/],
    ['--set hasOwnProperty', ['--set', 'hasOwnProperty=1'], /- hasOwnProperty: unknown option/],
    ['a built-in Object name as an option value', ['--set', 'restart-strategy.type=constructor'], /restart-strategy\.type: got "constructor"; expected one of disable, fixed-delay/],
    ['a built-in Object name as a scenario', ['--scenario', 'constructor'], /Unknown scenario 'constructor'\. Available: running-sum, order-totals, keyed-sum/],
  ];

  it.each(usageErrors)('exits 2 on %s and names the problem', async (_name, options, message) => {
    const directory = join(temporaryDirectory(), 'out');
    const result = await cli('run', '--keys', '20', ...options, '--out', directory);
    expect(result.code).toBe(2);
    expect(result.err.join('\n')).toMatch(message);
    expect(result.err.join('\n')).not.toMatch(/\[object Object\]|native code|undefined/);
    expect(result.out).toEqual([]);
    expect(existsSync(directory), 'nothing is written on bad input').toBe(false);
  });

  it('accepts Flink\'s largest max parallelism and a parallelism equal to the max parallelism', async () => {
    expect((await cli('run', '--keys', '20', '--max-parallelism', '32768', '--until', '100ms')).code).toBe(0);
    expect((await cli('run', '--keys', '20', '--max-parallelism', '2', '--parallelism', '2', '--until', '100ms')).code).toBe(0);
  });

  it.each([
    ['an operator uid not in the job', 'kill:summ#0@100', /operator uid 'summ', which is not in the job \(uids: numbers, sum, sink\)/],
    ['a subtask beyond the parallelism', 'kill:sum#2@100', /subtask 2 of 'sum', which has parallelism 2/],
    ['a snapshot upload of a task without keyed state', 'fail-snapshot:numbers#0@1', /uploads no keyed state.*pick one of: sum, sink/],
  ])('exits 1 on a fault naming %s, before the job runs', async (_name, fault, message) => {
    const directory = join(temporaryDirectory(), 'out');
    const result = await cli('run', '--keys', '20', '--fault', fault, '--out', directory);
    expect(result.code).toBe(1);
    expect(result.err.join('\n')).toMatch(message);
    expect(existsSync(directory)).toBe(false);
  });

  it('exits 2 on an unknown command and lists the commands', async () => {
    const result = await cli('frobnicate');
    expect(result.code).toBe(2);
    expect(result.err.join('\n')).toMatch(/Unknown command 'frobnicate'[\s\S]*scenarios/);
  });
});

describe('barrierscope run: --check', () => {
  it('passes exactly-once with kills in two attempts of the job', async () => {
    const result = await cli('run', '--keys', '20', '--fault', 'kill:sum#1@300', '--fault', 'kill:numbers#0@1400', '--check');
    expect(result.code).toBe(0);
    expect(summary(result, 'virtual time')).toMatch(/2 restart\(s\)/);
    expect(summary(result, 'check')).toBe('passed (no loss, no duplicate)');
  });

  it('passes at-least-once with a kill while the output holds duplicates', async () => {
    const atLeastOnce = await cli('run', '--keys', '20', '--mode', 'at-least-once', '--fault', 'kill:sum#1@300', '--check');
    const exactlyOnce = await cli('run', '--keys', '20', '--fault', 'kill:sum#1@300', '--check');
    expect(atLeastOnce.code).toBe(0);
    const committed = (run: Invocation) => Number(/^(\d+) records/.exec(summary(run, 'output'))![1]);
    expect(committed(exactlyOnce)).toBe(100);
    expect(committed(atLeastOnce)).toBeGreaterThan(100);
  });

  it('exits 1 and says why when the run is stopped before its output is complete', async () => {
    const result = await cli('run', '--keys', '20', '--until', '100ms', '--check');
    expect(result.code).toBe(1);
    expect(summary(result, 'check')).toBe('FAILED: not drained by 100 ms (job RUNNING)');
  });

  it('exits 0 without --check even when the check fails', async () => {
    const result = await cli('run', '--keys', '20', '--until', '100ms');
    expect(result.code).toBe(0);
    expect(summary(result, 'check')).toMatch(/^FAILED/);
  });
});

describe('barrierscope run: output files', () => {
  it('writes running-sum output as {key, value} records in commit order, 1,3,6,10,15 per key', async () => {
    const directory = temporaryDirectory();
    expect((await cli('run', '--keys', '20', '--fault', 'kill:sum#0@300', '--out', directory)).code).toBe(0);
    const output = readJson<Array<{ key: string; value: number }>>(directory, 'output.json');
    expect(output).toHaveLength(100);
    for (const record of output) expect(Object.keys(record).sort()).toEqual(['key', 'value']);
    expect(output.filter((record) => record.key === 'key-0').map((record) => record.value)).toEqual([1, 3, 6, 10, 15]);
  });

  it('writes order-totals output with the aggregate as the value', async () => {
    const directory = temporaryDirectory();
    expect((await cli('run', '--scenario', 'order-totals', '--keys', '20', '--out', directory)).code).toBe(0);
    const output = readJson<Array<{ key: string; value: { count: number; total: number } }>>(directory, 'output.json');
    expect(output[0]).toEqual({ key: expect.stringMatching(/^customer-\d+$/), value: { count: expect.any(Number), total: expect.any(Number) } });
    expect(output.filter((record) => record.key === 'customer-0').map((record) => record.value.count)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('writes checkpoint statistics shaped like GET /jobs/:id/checkpoints, with the failed snapshot in them', async () => {
    const directory = temporaryDirectory();
    const result = await cli(
      'run',
      '--keys',
      '20',
      '--checkpoint-interval',
      '100ms',
      '--fault',
      'fail-snapshot:sum#0@2',
      '--set',
      'execution.checkpointing.tolerable-failed-checkpoints=1',
      '--out',
      directory,
    );
    expect(result.code).toBe(0);
    expect(summary(result, 'virtual time')).toMatch(/0 restart\(s\)/);
    const statistics = readJson<{
      counts: { failed: number; completed: number; restored: number };
      latest: { failed: { id: number; status: string; failure_message: string } | null; completed: { status: string } | null };
      history: Array<{ id: number; status: string }>;
    }>(directory, 'checkpoints.json');
    expect(Object.keys(statistics).sort()).toEqual(['counts', 'history', 'latest', 'summary']);
    expect(statistics.counts).toMatchObject({ failed: 1, restored: 0 });
    expect(statistics.counts.completed).toBeGreaterThan(0);
    expect(statistics.latest.failed).toMatchObject({ id: 2, status: 'FAILED', failure_message: expect.stringContaining('upload of checkpoint 2 by sum#0 failed') });
    expect(statistics.latest.completed?.status).toBe('COMPLETED');
  });
});

describe('barrierscope scenarios and help', () => {
  it('lists every scenario with its description', async () => {
    const result = await cli('scenarios');
    expect(result.code).toBe(0);
    expect(result.out).toHaveLength(3);
    expect(result.out[0]).toMatch(/^running-sum\s+Keyed running sum/);
    expect(result.out[1]).toMatch(/^order-totals\s+Two sources/);
    expect(result.out[2]).toMatch(/^keyed-sum\s+Benchmark job/);
  });

  it('prints the run options with exit 0 for run --help', async () => {
    const result = await cli('run', '--help');
    expect(result.code).toBe(0);
    expect(result.out.join('\n')).toMatch(/--checkpoint-interval T[\s\S]*--fault SPEC[\s\S]*--check/);
  });

  it('prints the commands with exit 0 when given none', async () => {
    const result = await cli();
    expect(result.code).toBe(0);
    expect(result.out.join('\n')).toMatch(/Commands:[\s\S]*run[\s\S]*scenarios/);
  });
});

describe('barrierscope run: slow-task', () => {
  it('makes checkpoints take longer than the same seed without it, not just add a fault-injected line', async () => {
    const [normal, slowed] = [temporaryDirectory(), temporaryDirectory()];
    expect((await cli('run', '--keys', '20', '--out', normal)).code).toBe(0);
    expect((await cli('run', '--keys', '20', '--fault', 'slow-task:sum#0@0x1000', '--out', slowed)).code).toBe(0);
    const events = (directory: string) => readFileSync(join(directory, 'events.jsonl'), 'utf8').split('\n').filter((line) => !line.includes('"fault-injected"'));
    expect(events(slowed)).not.toEqual(events(normal));
    const longest = (directory: string) => Math.max(...readJson<{ history: Array<{ end_to_end_duration: number }> }>(directory, 'checkpoints.json').history.map((entry) => entry.end_to_end_duration));
    expect(longest(slowed)).toBeGreaterThan(longest(normal));
  });
});

describe('barrierscope run: progress on a terminal', () => {
  it('reports virtual time as it goes, clears its line at the end, and writes the same files as without', async () => {
    const [quiet, shown] = [temporaryDirectory(), temporaryDirectory()];
    const options = ['--keys', '200', '--fault', 'kill:sum#0@1500'];
    const updates: string[] = [];
    let cleared = 0;
    const plain = await cli('run', ...options, '--out', quiet);
    const withProgress = await cliShowingProgress({ show: (text) => updates.push(text), clear: () => (cleared += 1) }, 'run', ...options, '--out', shown);
    expect(withProgress.code).toBe(plain.code);
    expect(withProgress.err).toEqual([]);
    for (const file of OUTPUT_FILES) expect(readFileSync(join(shown, file)).equals(readFileSync(join(quiet, file))), file).toBe(true);
    expect(withProgress.out.slice(0, -1)).toEqual(plain.out.slice(0, -1));
    const seconds = updates.map((text) => Number(/at (\d+) s of virtual time/.exec(text)?.[1]));
    expect(updates.length).toBeGreaterThan(3);
    expect(updates[0]).toMatch(/^barrierscope: running-sum at 1 s of virtual time, \d+ checkpoint\(s\) completed$/);
    for (let i = 1; i < seconds.length; i++) expect(seconds[i]!).toBeGreaterThan(seconds[i - 1]!);
    expect(cleared).toBe(1);
  });

  it('draws on stderr only when it is a terminal, rewriting one line', () => {
    const written: string[] = [];
    const stream = (isTTY: boolean) => ({ isTTY, write: (text: string) => written.push(text) });
    expect(terminalProgress(stream(false))).toBeUndefined();
    const progress = terminalProgress(stream(true))!;
    progress.show('barrierscope: running-sum at 3 s of virtual time');
    progress.clear();
    expect(written).toEqual(['\r\x1b[Kbarrierscope: running-sum at 3 s of virtual time', '\r\x1b[K']);
  });
});
