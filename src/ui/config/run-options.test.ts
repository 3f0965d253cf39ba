import { describe, expect, it } from 'vitest';
import { prepareScenarioJob } from '../../runtime/sim/scenario-job';
import { checkRunOptions, DEFAULT_RUN_OPTIONS, faultTargetsOf, runOptionNotes, scenarioJobOptionsOf } from './run-options';

describe('page run options', () => {
  it('accepts the defaults, and builds the unbounded running-sum with Flink keys for what the page sets', () => {
    expect(checkRunOptions(DEFAULT_RUN_OPTIONS)).toEqual({ ok: true, options: DEFAULT_RUN_OPTIONS });
    const job = prepareScenarioJob(scenarioJobOptionsOf({ ...DEFAULT_RUN_OPTIONS, stateBackend: 'indexeddb', incremental: true, restartStrategy: 'fixed-delay', maxParallelism: 16 }));
    expect(job.parameters.unbounded).toBe(true);
    expect(job.jobGraph.maxParallelism).toBe(16);
    expect(job.configuration.stateBackend).toBe('indexeddb');
    expect(job.configuration.checkpointing.incremental).toBe(true);
    expect(job.configuration.restartStrategy.type).toBe('fixed-delay');
    expect(job.configuration.checkpointing.mode).toBe('EXACTLY_ONCE');
  });

  it('keeps the other scenarios bounded', () => {
    expect(prepareScenarioJob(scenarioJobOptionsOf({ ...DEFAULT_RUN_OPTIONS, scenario: 'order-totals', mode: 'at-least-once' })).parameters).toEqual({
      keys: 100,
      recordsPerSecond: 25,
      mode: 'at-least-once',
    });
  });

  it('sets the unaligned options only when they are on, as Flink spells them, and refuses them in AT_LEAST_ONCE', () => {
    expect(Object.keys(scenarioJobOptionsOf(DEFAULT_RUN_OPTIONS).configuration ?? {})).toEqual(['state.backend.type', 'execution.checkpointing.incremental', 'restart-strategy.type']);
    expect(scenarioJobOptionsOf({ ...DEFAULT_RUN_OPTIONS, unaligned: true, alignedCheckpointTimeoutMs: 200 }).configuration).toMatchObject({
      'execution.checkpointing.unaligned.enabled': true,
      'execution.checkpointing.aligned-checkpoint-timeout': '200ms',
    });
    const atLeastOnce = checkRunOptions({ ...DEFAULT_RUN_OPTIONS, unaligned: true, mode: 'at-least-once' });
    expect(atLeastOnce.ok).toBe(false);
    expect(!atLeastOnce.ok && atLeastOnce.problems.map((problem) => problem.message)).toContainEqual(expect.stringMatching(/^Unaligned checkpoints need execution\.checkpointing\.mode EXACTLY_ONCE/));
    expect(checkRunOptions({ ...DEFAULT_RUN_OPTIONS, alignedCheckpointTimeoutMs: 600_001 }).ok).toBe(false);
    expect(runOptionNotes({ ...DEFAULT_RUN_OPTIONS, unaligned: true, alignedCheckpointTimeoutMs: 2000 }).join(' ')).toContain('Aligned checkpoint timeout 2s');
    expect(runOptionNotes({ ...DEFAULT_RUN_OPTIONS, alignedCheckpointTimeoutMs: 2000 }).join(' ')).toContain('only matters with unaligned checkpoints on');
  });

  it('names the operators faults may target', () => {
    expect(faultTargetsOf('running-sum')).toEqual(['numbers', 'sum', 'sink']);
  });

  it('refuses out-of-range fields by their path and bad combinations in words', () => {
    const check = checkRunOptions({ ...DEFAULT_RUN_OPTIONS, parallelism: 0, mode: 'exactly_once' });
    expect(check.ok).toBe(false);
    expect(!check.ok && check.problems.map((problem) => problem.option)).toEqual(['parallelism', 'mode']);
    expect(checkRunOptions({ ...DEFAULT_RUN_OPTIONS, parallelism: 4, maxParallelism: 2 })).toEqual({
      ok: false,
      problems: [expect.objectContaining({ option: 'pipeline.max-parallelism' })],
    });
    expect(checkRunOptions({ ...DEFAULT_RUN_OPTIONS, extra: 1 }).ok).toBe(false);
    expect(checkRunOptions({ ...DEFAULT_RUN_OPTIONS, runtime: 'deterministic', faults: [{ kind: 'kill', uid: 'sum', subtask: 2, atMs: 5 }] })).toEqual({
      ok: false,
      problems: [{ option: 'faults', message: "Fault 'kill:sum#2@5' names subtask 2, but at parallelism 2 the subtasks are 0 to 1." }],
    });
  });

  it('says what a choice changes, in Flink terms', () => {
    expect(runOptionNotes(DEFAULT_RUN_OPTIONS)).toEqual([]);
    expect(runOptionNotes({ ...DEFAULT_RUN_OPTIONS, incremental: true, mode: 'at-least-once', restartStrategy: 'disable' })).toHaveLength(3);
  });
});
