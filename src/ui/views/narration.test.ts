import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/events';
import { foldAll } from '../model/event-fold';
import { faultSentence, filterLines, NarrationFold } from './narration';
import { killedRun } from './views.fixture';
import { runScenario } from '../../runtime/sim/run-scenario';
import { UNALIGNED_BACKPRESSURED_RUN } from '../unaligned-run.fixture';

describe('narration of a killed exactly-once run', () => {
  const { events } = killedRun();
  const view = foldAll(() => new NarrationFold(), events).view(Infinity);
  const texts = view.lines.map((l) => l.text);

  it('tells an alignment in one sentence: the barrier, its sender, the blocked channel and whom it waits for', () => {
    expect(texts).toContain('sum#1 received barrier 1 on channel 0 from numbers#0 and blocked that channel; it waits for numbers#1.');
  });

  it('tells the last barrier of an alignment with its duration', () => {
    expect(texts.some((t) => /^sum#0 received barrier 1 on channel 1 from numbers#1, the last one: barrier 1 is in on all 2 channels, \d+ ms after the first\.$/.test(t))).toBe(true);
  });

  it('joins an upload and its acknowledgement, with sizes and durations rounded for people', () => {
    expect(texts.some((t) => /^sum#0 uploaded its state for checkpoint 1 \([\d.]+ KiB in \d+ ms\) and acknowledged it to the checkpoint coordinator\.$/.test(t))).toBe(true);
    expect(texts.every((t) => !/\d\.\d{2,}/.test(t))).toBe(true);
  });

  it('tells the failure and the recovery in order: kill, restart, restore, rewind', () => {
    const failureOrRecovery = view.lines.filter((l) => l.kind === 'failures' || l.kind === 'recovery').map((l) => l.text);
    expect(failureOrRecovery[0]).toMatch(/^Fault: the worker running sum#0 was killed/);
    expect(failureOrRecovery[1]).toMatch(/^The restart strategy allows a restart: attempt 1 is deployed after a backoff of [\d,]+ ms\.$/);
    expect(failureOrRecovery.some((t) => /^numbers#0 rewound partition 0 to offset \d+ and partition 2 to offset \d+/.test(t))).toBe(true);
    expect(failureOrRecovery.some((t) => /^sum#0 restored its state from checkpoint 2\.$/.test(t))).toBe(true);
  });

  it('names subsumed checkpoints and commits', () => {
    expect(texts).toContain('Checkpoint 1 was subsumed by checkpoint 2 and discarded (execution.checkpointing.num-retained).');
    expect(texts.some((t) => /^sum#0's sink committed transaction sink#0@1: \d+ records are now visible downstream\.$/.test(t))).toBe(true);
  });

  it('stamps each line with its event time, in order', () => {
    const times = view.lines.map((l) => l.time);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('filters by kind and keeps only the newest lines', () => {
    const failures = filterLines(view, new Set(['failures']), 10);
    expect(failures.every((l) => l.kind === 'failures')).toBe(true);
    const newestFirst = filterLines(view, new Set(['alignment']), 50);
    for (let i = 1; i < newestFirst.length; i++) {
      const [a, b] = [newestFirst[i - 1]!, newestFirst[i]!];
      expect(a.time > b.time || (a.time === b.time && a.seq < b.seq)).toBe(true);
    }
    const bounded = foldAll(() => new NarrationFold({ maxLines: 20 }), events).view(Infinity);
    expect(bounded.lines).toHaveLength(20);
    expect(bounded.dropped).toBe(view.lines.length - 20);
    expect(bounded.lines.at(-1)!.text).toBe(view.lines.at(-1)!.text);
  });
});

describe('narration of a killed at-least-once run', () => {
  const { events } = killedRun('at-least-once');
  const lines = foldAll(() => new NarrationFold({ maxLines: 5000 }), events).view(Infinity).lines;

  it('tallies the sink writes in one line per sink subtask between checkpoints', () => {
    const writes = lines.filter((l) => l.text.includes('at-least-once sink wrote'));
    const triggers = events.filter((e) => e.type === 'checkpoint-triggered').length;
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.length).toBeLessThanOrEqual(2 * (triggers + 3));
    expect(writes[0]!.text).toMatch(/^sum#\d's at-least-once sink wrote [\d,]+ records? straight to the output from here to the next checkpoint/);
  });

  it('never blocks a channel', () => {
    expect(lines.some((l) => l.text.includes('blocked that channel'))).toBe(false);
  });
});

describe('fault sentences', () => {
  it('reads a page kill and a failed upload in words', () => {
    expect(faultSentence('kill:sum#1@1200 (from the page)')).toBe('Fault from the page: the worker running sum#1 was killed; the job master will notice the lost task (kill:sum#1@1200 (from the page)).');
    expect(faultSentence('fail-snapshot:sum#0@5')).toBe("Fault: sum#0's next snapshot upload is made to fail (fail-snapshot:sum#0@5).");
  });
});

describe('the narration view between frames', () => {
  it('is the same view while nothing is said, and a new one when a tally grows or a sentence is extended', () => {
    const fold = new NarrationFold();
    const write = (time: number): EngineEvent => ({ type: 'sink-written', time, taskId: 'sum#0', attempt: 0, written: [{ key: 'a', value: 1 }] });
    fold.apply(write(1));
    const first = fold.view(1);
    fold.apply({ type: 'records-moved', time: 2, from: 'numbers#0', to: 'sum#0', channel: 0, count: 3, attempt: 0 } as EngineEvent);
    expect(fold.view(2)).toBe(first);
    fold.apply(write(3));
    expect(fold.view(3).lines.at(-1)!.text).toMatch(/wrote 2 records/);
  });
});

describe('narration of a restore that commits a transaction again', () => {
  it('says the repeated commit changes nothing downstream', () => {
    const commit: EngineEvent = { type: 'sink-committed', time: 10, taskId: 'sum#0', attempt: 0, transactionId: 'sink#0@3', records: 2, checkpointId: 3, committed: [] };
    const lines = foldAll(() => new NarrationFold(), [commit, { ...commit, time: 90 }]).view(90).lines;
    expect(lines.map((line) => line.text)).toEqual([
      "sum#0's sink committed transaction sink#0@3: 2 records are now visible downstream.",
      "sum#0's sink committed transaction sink#0@3 again on restore (recoverAndCommit): its records were already visible, so nothing changes downstream.",
    ]);
  });
});

describe('narration of unaligned checkpoints', () => {
  it('says a subtask snapshots at its first barrier, what barriers overtook, each timeout switch, and what a restore put back', () => {
    const { events } = runScenario({
      ...UNALIGNED_BACKPRESSURED_RUN,
      configuration: { ...UNALIGNED_BACKPRESSURED_RUN.configuration, 'execution.checkpointing.aligned-checkpoint-timeout': '20ms' },
    });
    const text = foldAll(() => new NarrationFold({ maxLines: 100_000 }), events)
      .view(Infinity)
      .lines.map((line) => line.text);
    expect(text.some((line) => /snapshots at once, unaligned, without waiting for numbers#[01]/.test(line))).toBe(events.some((e) => e.type === 'barrier-overtook' && e.side === 'input'));
    expect(text.some((line) => /^Barrier \d+ overtook \d+ records? \(.*\) in sum#1's input channel \d from numbers#[01]: they are persisted as channel state/.test(line))).toBe(true);
    expect(text.filter((line) => /outlasted execution.checkpointing.aligned-checkpoint-timeout: it switches to an unaligned checkpoint/.test(line)).length).toBe(
      events.filter((e) => e.type === 'checkpoint-switched-to-unaligned').length,
    );
    expect(text.filter((line) => /put \d+ in-flight records of checkpoint \d+ back into/.test(line)).length).toBe(events.filter((e) => e.type === 'channel-state-restored').length);
    // Never the aligned sentence for a snapshot taken before every barrier came.
    for (const line of text.filter((l) => / has barrier \d+ on all \d+ channels/.test(l))) expect(line).not.toMatch(/unaligned/);
  });
});
