// `barrierscope run --bounded`: the sources end, every task finishes after its final checkpoint, and the run
// ends when the job does (FINISHED), with every record committed exactly once, failures or not.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineEvent } from '../engine/events';
import { cli, summary, temporaryDirectory } from './testing';

function events(directory: string): EngineEvent[] {
  return readFileSync(join(directory, 'events.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as EngineEvent);
}

describe('barrierscope run --bounded', () => {
  it('ends when the job is FINISHED, every task FINISHED after the final checkpoint committed the last records', async () => {
    const directory = temporaryDirectory();
    const run = await cli('run', '--bounded', '--keys', '20', '--check', '--out', directory);
    expect(run.code).toBe(0);
    expect(summary(run, 'scenario')).toBe('running-sum (parallelism 2, exactly-once, seed 1, bounded)');
    expect(summary(run, 'virtual time')).toMatch(/^\d+ ms, job FINISHED, 0 restart\(s\)$/);
    expect(summary(run, 'output')).toMatch(/^100 records committed/);
    const log = events(directory);
    expect(log.filter((event) => event.type === 'job-status-changed').at(-1)).toMatchObject({ status: 'FINISHED', previous: 'RUNNING' });
    const finished = log.filter((event) => event.type === 'task-state-changed' && event.state === 'FINISHED').map((event) => (event as { taskId: string }).taskId);
    expect(finished.sort()).toEqual(['numbers#0', 'numbers#1', 'sum#0', 'sum#1']);
    // The final checkpoint completed before the first task finished, and the sink committed with it.
    const firstFinished = log.findIndex((event) => event.type === 'task-state-changed' && event.state === 'FINISHED');
    const finalCompleted = log.findLastIndex((event, index) => index < firstFinished && event.type === 'checkpoint-completed');
    expect(finalCompleted).toBeGreaterThan(0);
    const finalId = (log[finalCompleted] as { checkpointId: number }).checkpointId;
    expect(log.some((event) => event.type === 'sink-committed' && event.checkpointId === finalId)).toBe(true);
  });

  it('finishes with the same output after a failure, restored from the latest checkpoint', async () => {
    const clean = temporaryDirectory();
    const failed = temporaryDirectory();
    expect((await cli('run', '--bounded', '--keys', '20', '--out', clean)).code).toBe(0);
    const run = await cli('run', '--bounded', '--keys', '20', '--fault', 'kill:sum#0@300', '--check', '--out', failed);
    expect(run.code).toBe(0);
    expect(summary(run, 'virtual time')).toMatch(/job FINISHED, 1 restart\(s\)$/);
    const sorted = (directory: string) => (JSON.parse(readFileSync(join(directory, 'output.json'), 'utf8')) as unknown[]).map((record) => JSON.stringify(record)).sort();
    expect(sorted(failed)).toEqual(sorted(clean));
  });

  it('refuses --until with --bounded before anything runs', async () => {
    const run = await cli('run', '--bounded', '--until', '1s');
    expect(run.code).toBe(2);
    expect(run.err.join('\n')).toMatch(/--bounded and --until cannot be combined: a bounded run ends when its job does/);
  });
});
