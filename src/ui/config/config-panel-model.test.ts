import { describe, expect, it } from 'vitest';
import { JOB_OPTIONS } from '../../engine/config/options';
import { CONFIG_CONTROLS, draftOf, readDraft } from './config-panel-model';
import { DEFAULT_RUN_OPTIONS } from './run-options';

describe('config panel model', () => {
  it("names each control's Flink option as the engine spells it, and explains every control", () => {
    const engineKeys = new Set(Object.values(JOB_OPTIONS).map((definition) => definition.key));
    for (const control of CONFIG_CONTROLS) {
      if (control.flinkKey !== null) expect(engineKeys, control.field).toContain(control.flinkKey);
      expect(control.explanation.length).toBeGreaterThan(20);
    }
    expect(CONFIG_CONTROLS.map((control) => control.flinkKey).filter((key) => key !== null)).toEqual([
      'parallelism.default',
      'pipeline.max-parallelism',
      'execution.checkpointing.interval',
      'execution.checkpointing.mode',
      'state.backend.type',
      'execution.checkpointing.incremental',
      'execution.checkpointing.unaligned.enabled',
      'execution.checkpointing.aligned-checkpoint-timeout',
      'restart-strategy.type',
    ]);
  });

  it('reads the running options back unchanged', () => {
    expect(readDraft(draftOf(DEFAULT_RUN_OPTIONS), DEFAULT_RUN_OPTIONS)).toEqual({
      options: DEFAULT_RUN_OPTIONS,
      fieldProblems: {},
      combinationProblems: [],
      notes: [],
      changed: false,
    });
  });

  it('reads a changed draft into validated options, with notes in Flink terms', () => {
    const draft = { ...draftOf(DEFAULT_RUN_OPTIONS), runtime: 'deterministic', parallelism: '4', maxParallelism: '16', checkpointInterval: '500 ms', mode: 'at-least-once', faults: 'kill:sum#3@2000,\nfail-snapshot:sum#0@2' };
    const reading = readDraft(draft, DEFAULT_RUN_OPTIONS);
    expect(reading.options).toEqual({
      ...DEFAULT_RUN_OPTIONS,
      runtime: 'deterministic',
      parallelism: 4,
      maxParallelism: 16,
      checkpointIntervalMs: 500,
      mode: 'at-least-once',
      faults: [
        { kind: 'kill', uid: 'sum', subtask: 3, atMs: 2000 },
        { kind: 'fail-snapshot', uid: 'sum', subtask: 0, checkpointId: 2 },
      ],
    });
    expect(reading.changed).toBe(true);
    expect(reading.notes).toEqual([expect.stringContaining('duplicates')]);
    expect(draftOf(reading.options!).faults).toBe('kill:sum#3@2000, fail-snapshot:sum#0@2');
  });

  it('says per control what is wrong, and applies nothing', () => {
    const draft = { ...draftOf(DEFAULT_RUN_OPTIONS), parallelism: '12', checkpointInterval: '5ms', seed: 'x', faults: 'kill:sum' };
    const reading = readDraft(draft, DEFAULT_RUN_OPTIONS);
    expect(reading.options).toBeNull();
    expect(reading.fieldProblems).toEqual({
      parallelism: 'Must be a whole number from 1 to 8.',
      checkpointInterval: "Must be from 10ms (Flink's minimal checkpoint time) to 1h, such as 500ms or 2s.",
      seed: 'Must be a whole number from 0 to 4294967295.',
      faults: expect.stringContaining("Cannot read fault 'kill:sum'"),
    });
    expect(reading.combinationProblems).toEqual([]);
  });

  it('still names a combination of valid controls while another control is wrong', () => {
    const reading = readDraft({ ...draftOf(DEFAULT_RUN_OPTIONS), parallelism: '6', maxParallelism: '4', checkpointInterval: 'soon' }, DEFAULT_RUN_OPTIONS);
    expect(reading.options).toBeNull();
    expect(Object.keys(reading.fieldProblems)).toEqual(['checkpointInterval']);
    expect(reading.combinationProblems).toEqual([expect.stringContaining('parallelism.default 6 is above pipeline.max-parallelism 4')]);
  });

  it('explains combinations before restarting: parallelism above max parallelism, faults on Workers, a restore that pins the key groups', () => {
    const base = draftOf(DEFAULT_RUN_OPTIONS);
    const tooWide = readDraft({ ...base, parallelism: '6', maxParallelism: '4' }, DEFAULT_RUN_OPTIONS);
    expect(tooWide.options).toBeNull();
    expect(tooWide.combinationProblems).toEqual([expect.stringContaining('parallelism.default 6 is above pipeline.max-parallelism 4')]);
    expect(readDraft({ ...base, faults: 'kill:sum#0@100' }, DEFAULT_RUN_OPTIONS).combinationProblems).toEqual([expect.stringContaining('deterministic runtime only')]);
    const restored = readDraft({ ...base, maxParallelism: '64' }, DEFAULT_RUN_OPTIONS, { maxParallelism: 128, description: 'checkpoint 7' });
    expect(restored.combinationProblems).toEqual([expect.stringContaining('checkpoint 7, whose keyed state is split into 128 key groups')]);
    expect(readDraft(base, DEFAULT_RUN_OPTIONS, { maxParallelism: 128, description: 'checkpoint 7' }).options).toEqual(DEFAULT_RUN_OPTIONS);
  });
});
