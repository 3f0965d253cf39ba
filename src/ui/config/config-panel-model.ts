// The config panel's model, without Svelte or DOM: its controls (each with the Flink option it sets and a line
// in Flink's terms), the draft the user edits (text as typed), and reading the draft into validated
// PageRunOptions — or the reason per control, and the combinations that cannot run, before anything restarts.
import { parseDuration } from '../../engine/config/duration';
import { MINIMAL_CHECKPOINT_TIME_MS, RESTART_STRATEGY_TYPES, STATE_BACKEND_TYPES, UPPER_BOUND_MAX_PARALLELISM } from '../../engine/config/options';
import { formatFault, parseFault, type Fault } from '../../runtime/sim/fault-plan';
import {
  checkRunOptions,
  DELIVERY_MODES,
  MAX_ALIGNED_CHECKPOINT_TIMEOUT_MS,
  MAX_CHECKPOINT_INTERVAL_MS,
  MAX_FAULTS,
  MAX_PAGE_PARALLELISM,
  MAX_RECORDS_PER_SECOND,
  MAX_SEED,
  MIN_RECORDS_PER_SECOND,
  PAGE_SCENARIOS,
  durationText,
  runOptionNotes,
  runOptionProblems,
  RUNTIME_KINDS,
  type PageRunOptions,
} from './run-options';

/** What the user has typed or chosen, control by control. */
export interface ConfigDraft {
  readonly scenario: string;
  readonly runtime: string;
  readonly recordsPerSecond: string;
  readonly parallelism: string;
  /** Empty: derived as Flink does. */
  readonly maxParallelism: string;
  /** A Flink duration: `1s`, `500ms`, `2 min`. */
  readonly checkpointInterval: string;
  readonly mode: string;
  readonly stateBackend: string;
  readonly incremental: boolean;
  readonly unaligned: boolean;
  /** A Flink duration: `0ms` (unaligned from the start), `200ms`. */
  readonly alignedCheckpointTimeout: string;
  readonly restartStrategy: string;
  readonly seed: string;
  /** The CLI's fault specs, separated by commas or new lines. */
  readonly faults: string;
}

export type ConfigField = keyof ConfigDraft;

export interface ControlChoice {
  readonly value: string;
  readonly label: string;
}

export interface ControlDefinition {
  readonly field: ConfigField;
  readonly label: string;
  /** The Flink option the control sets, or null for the page's own (scenario, runtime, rate, seed, faults). */
  readonly flinkKey: string | null;
  /** One line in Flink's terms (shown beside the control and as its hover text). */
  readonly explanation: string;
  readonly kind: 'select' | 'number' | 'text' | 'checkbox' | 'textarea';
  readonly choices?: readonly ControlChoice[];
  readonly min?: number;
  readonly max?: number;
  readonly placeholder?: string;
  /** Takes effect on the deterministic runtime only. */
  readonly deterministicOnly?: boolean;
  /** The panel's section the control sits in. */
  readonly group: ConfigGroup;
}

/** The panel's sections, in order, as Flink's documentation groups these options. */
export const CONFIG_GROUPS = ['Job', 'Parallelism', 'Checkpointing', 'Recovery', 'Deterministic replay'] as const;
export type ConfigGroup = (typeof CONFIG_GROUPS)[number];

const choices = (values: readonly string[], label: (value: string) => string = (value) => value): ControlChoice[] => values.map((value) => ({ value, label: label(value) }));

export const CONFIG_CONTROLS: readonly ControlDefinition[] = Object.freeze([
  {
    field: 'scenario',
    group: 'Job',
    label: 'Job',
    flinkKey: null,
    explanation:
      'running-sum: fresh keys forever, each 1, 2, 3, 4, 5 → 1, 3, 6, 10, 15; order-totals: two sources unioned, totals per customer; keyed-sum: a keyed count, output discarded.',
    kind: 'select',
    choices: choices(PAGE_SCENARIOS),
  },
  {
    field: 'runtime',
    group: 'Job',
    label: 'Runtime',
    flinkKey: null,
    explanation: 'Web Workers: one Worker per subtask in real time, as TaskManagers; deterministic: one thread, virtual time, seeded (pause, step, scrub).',
    kind: 'select',
    choices: choices(RUNTIME_KINDS, (value) => (value === 'worker' ? 'Web Workers' : 'deterministic replay')),
  },
  {
    field: 'recordsPerSecond',
    group: 'Job',
    label: 'Source rate',
    flinkKey: null,
    explanation: 'Records per second each source subtask reads from its partitions.',
    kind: 'number',
    min: MIN_RECORDS_PER_SECOND,
    max: MAX_RECORDS_PER_SECOND,
  },
  {
    field: 'parallelism',
    group: 'Parallelism',
    label: 'Parallelism',
    flinkKey: 'parallelism.default',
    explanation: 'Parallel subtasks per operator; each keyed subtask owns a contiguous range of key groups.',
    kind: 'number',
    min: 1,
    max: MAX_PAGE_PARALLELISM,
  },
  {
    field: 'maxParallelism',
    group: 'Parallelism',
    label: 'Max parallelism',
    flinkKey: 'pipeline.max-parallelism',
    explanation: 'The number of key groups, the unit keyed state is split and rescaled in; the highest parallelism the state can go to.',
    kind: 'number',
    min: 1,
    max: UPPER_BOUND_MAX_PARALLELISM,
    placeholder: 'derived (128)',
  },
  {
    field: 'checkpointInterval',
    group: 'Checkpointing',
    label: 'Checkpoint interval',
    flinkKey: 'execution.checkpointing.interval',
    explanation: 'How often the checkpoint coordinator triggers a checkpoint: the sources then inject barrier n into their output.',
    kind: 'text',
    placeholder: '1s',
  },
  {
    field: 'mode',
    group: 'Checkpointing',
    label: 'Checkpointing mode',
    flinkKey: 'execution.checkpointing.mode',
    explanation: 'EXACTLY_ONCE aligns barriers (a channel blocks until every input has delivered barrier n) and commits in two phases; AT_LEAST_ONCE does not, so a restore replays output.',
    kind: 'select',
    choices: choices(DELIVERY_MODES, (value) => (value === 'exactly-once' ? 'EXACTLY_ONCE' : 'AT_LEAST_ONCE')),
  },
  {
    field: 'stateBackend',
    group: 'Checkpointing',
    label: 'State backend',
    flinkKey: 'state.backend.type',
    explanation: "Where keyed working state lives: hashmap on the heap; indexeddb, this simulator's RocksDB, in IndexedDB per key group.",
    kind: 'select',
    choices: choices(STATE_BACKEND_TYPES),
  },
  {
    field: 'incremental',
    group: 'Checkpointing',
    label: 'Incremental checkpoints',
    flinkKey: 'execution.checkpointing.incremental',
    explanation: 'Upload only the key groups changed since the last completed checkpoint; unchanged ones are shared by reference.',
    kind: 'checkbox',
  },
  {
    field: 'unaligned',
    group: 'Checkpointing',
    label: 'Unaligned checkpoints',
    flinkKey: 'execution.checkpointing.unaligned.enabled',
    explanation: 'Barriers overtake the records queued ahead of them and those records are stored as channel state, so a backpressured job still checkpoints quickly (EXACTLY_ONCE only).',
    kind: 'checkbox',
  },
  {
    field: 'alignedCheckpointTimeout',
    group: 'Checkpointing',
    label: 'Aligned checkpoint timeout',
    flinkKey: 'execution.checkpointing.aligned-checkpoint-timeout',
    explanation: 'With unaligned checkpoints on: each checkpoint starts aligned and switches to unaligned once it has run this long; 0 means unaligned from the start.',
    kind: 'text',
    placeholder: '0ms',
  },
  {
    field: 'restartStrategy',
    group: 'Recovery',
    label: 'Restart strategy',
    flinkKey: 'restart-strategy.type',
    explanation: 'What the JobManager does when a task fails: exponential-delay (the default with checkpointing), fixed-delay (1 attempt by default), failure-rate, or disable.',
    kind: 'select',
    choices: choices(RESTART_STRATEGY_TYPES),
  },
  {
    field: 'seed',
    group: 'Deterministic replay',
    label: 'Seed',
    flinkKey: null,
    explanation: "The deterministic runtime's seed: the same seed and fault plan replay the same run, event for event.",
    kind: 'number',
    min: 0,
    max: MAX_SEED,
    deterministicOnly: true,
  },
  {
    field: 'faults',
    group: 'Deterministic replay',
    label: 'Fault plan',
    flinkKey: null,
    explanation: "Faults at set moments, the CLI's --fault specs separated by commas: kill:sum#1@4000, fail-snapshot:sum#0@3, slow-task:sum#0@2000x4.",
    kind: 'textarea',
    placeholder: 'kill:sum#1@4000',
    deterministicOnly: true,
  },
] satisfies ControlDefinition[]);

/**
 * Ready-made runs to learn from, filled into the draft (nothing restarts until Apply). The backpressure ones are
 * one job three ways: sum#1 slowed ×4000 from the start (0.02 ms of virtual work per record becomes 80 ms, about
 * 12 records/s against the 25 records/s its two inputs send), so its input queues fill, credit runs out and the
 * sources are backpressured; barriers queue behind the buffered records. Aligned, each checkpoint waits for its
 * barriers to get through the queue; unaligned, the barrier overtakes the queue and the queued records go into the
 * checkpoint as channel state; with an aligned-checkpoint timeout it starts aligned and switches when it runs long.
 */
export interface ConfigPreset {
  readonly id: string;
  readonly label: string;
  /** What the run shows, one sentence. */
  readonly explanation: string;
  readonly options: (current: PageRunOptions) => PageRunOptions;
}

/** The slow subtask of the backpressure presets, in the fault plan's syntax. */
export const BACKPRESSURE_FAULT = 'slow-task:sum#1@0x4000';

const backpressured = (current: PageRunOptions, unaligned: boolean, alignedCheckpointTimeoutMs: number): PageRunOptions => ({
  ...current,
  scenario: 'running-sum',
  runtime: 'deterministic',
  recordsPerSecond: 25,
  parallelism: 2,
  maxParallelism: null,
  checkpointIntervalMs: 1000,
  mode: 'exactly-once',
  unaligned,
  alignedCheckpointTimeoutMs,
  faults: [parseFault(BACKPRESSURE_FAULT)],
});

export const CONFIG_PRESETS: readonly ConfigPreset[] = Object.freeze([
  {
    id: 'backpressure-aligned',
    label: 'Backpressure, aligned',
    explanation: 'A slow sink subtask (sum#1 ×4000): barriers wait behind the queued records, so alignment and checkpoint durations grow.',
    options: (current) => backpressured(current, false, 0),
  },
  {
    id: 'backpressure-unaligned',
    label: 'Backpressure, unaligned',
    explanation: 'The same slow sink with unaligned checkpoints: barriers overtake the queue, the overtaken records become channel state, checkpoints stay short.',
    options: (current) => backpressured(current, true, 0),
  },
  {
    id: 'backpressure-timeout',
    label: 'Backpressure, aligned timeout 200ms',
    explanation: 'The same slow sink: each checkpoint starts aligned and switches to unaligned once it has run 200 ms.',
    options: (current) => backpressured(current, true, 200),
  },
] satisfies ConfigPreset[]);

export function draftOf(options: PageRunOptions): ConfigDraft {
  return {
    scenario: options.scenario,
    runtime: options.runtime,
    recordsPerSecond: String(options.recordsPerSecond),
    parallelism: String(options.parallelism),
    maxParallelism: options.maxParallelism === null ? '' : String(options.maxParallelism),
    checkpointInterval: durationText(options.checkpointIntervalMs),
    mode: options.mode,
    stateBackend: options.stateBackend,
    incremental: options.incremental,
    unaligned: options.unaligned,
    alignedCheckpointTimeout: durationText(options.alignedCheckpointTimeoutMs),
    restartStrategy: options.restartStrategy,
    seed: String(options.seed),
    faults: options.faults.map(formatFault).join(', '),
  };
}

/** The snapshot the restart would start from, when it starts from one: Flink refuses to change its max parallelism. */
export interface RestoreContext {
  readonly maxParallelism: number;
  /** "checkpoint 7", for the sentence. */
  readonly description: string;
}

export interface DraftReading {
  /** The options to apply, or null while any control or combination is wrong. */
  readonly options: PageRunOptions | null;
  /** Why a control's value cannot be used, by control (a sentence). */
  readonly fieldProblems: Readonly<Partial<Record<ConfigField, string>>>;
  /** Values fine one by one that cannot run together. */
  readonly combinationProblems: readonly string[];
  /** What a choice changes, in Flink's terms (never blocks). */
  readonly notes: readonly string[];
  /** The draft differs from the running options. */
  readonly changed: boolean;
}

export function readDraft(draft: ConfigDraft, current: PageRunOptions, restore: RestoreContext | null = null): DraftReading {
  const fieldProblems: Partial<Record<ConfigField, string>> = {};
  const wholeNumber = (field: ConfigField, text: string, minimum: number, maximum: number): number => {
    const trimmed = text.trim();
    const value = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (Number.isSafeInteger(value) && value >= minimum && value <= maximum) return value;
    fieldProblems[field] = `Must be a whole number from ${minimum} to ${maximum}.`;
    return Number.NaN;
  };
  const oneOf = (field: ConfigField, text: string, allowed: readonly string[]): string => {
    if (!allowed.includes(text)) fieldProblems[field] = `Must be one of ${allowed.join(', ')}.`;
    return text;
  };
  const candidate = {
    scenario: oneOf('scenario', draft.scenario, PAGE_SCENARIOS),
    runtime: oneOf('runtime', draft.runtime, RUNTIME_KINDS),
    recordsPerSecond: wholeNumber('recordsPerSecond', draft.recordsPerSecond, MIN_RECORDS_PER_SECOND, MAX_RECORDS_PER_SECOND),
    parallelism: wholeNumber('parallelism', draft.parallelism, 1, MAX_PAGE_PARALLELISM),
    maxParallelism: draft.maxParallelism.trim() === '' ? null : wholeNumber('maxParallelism', draft.maxParallelism, 1, UPPER_BOUND_MAX_PARALLELISM),
    checkpointIntervalMs: interval(draft.checkpointInterval, fieldProblems),
    mode: oneOf('mode', draft.mode, DELIVERY_MODES),
    stateBackend: oneOf('stateBackend', draft.stateBackend, STATE_BACKEND_TYPES),
    incremental: draft.incremental,
    unaligned: draft.unaligned,
    alignedCheckpointTimeoutMs: alignedTimeout(draft.alignedCheckpointTimeout, fieldProblems),
    restartStrategy: oneOf('restartStrategy', draft.restartStrategy, RESTART_STRATEGY_TYPES),
    seed: wholeNumber('seed', draft.seed, 0, MAX_SEED),
    faults: faults(draft.faults, fieldProblems),
  };
  if (Object.keys(fieldProblems).length > 0) {
    // Still say what the valid controls cannot do together: each bad control takes the running value, and a
    // combination that involves a bad control is left for later.
    const substituted: Record<string, unknown> = { ...candidate };
    for (const field of optionsWithProblems(fieldProblems)) substituted[field] = current[field];
    const combinationProblems = runOptionProblems(substituted as unknown as PageRunOptions)
      .filter((problem) => (COMBINATION_FIELDS[problem.option] ?? []).every((field) => fieldProblems[field] === undefined))
      .map((problem) => problem.message);
    return { options: null, fieldProblems, combinationProblems, notes: [], changed: true };
  }
  const check = checkRunOptions(candidate);
  const combinationProblems = check.ok ? [] : check.problems.map((problem) => problem.message);
  const options = check.ok ? check.options : null;
  if (options && restore) combinationProblems.push(...restoreProblems(options, restore));
  const valid = combinationProblems.length === 0 ? options : null;
  return {
    options: valid,
    fieldProblems,
    combinationProblems,
    notes: options ? runOptionNotes(options) : [],
    changed: !sameOptions(candidate as PageRunOptions, current),
  };
}

/** The controls each combination problem (by its option) depends on. */
const COMBINATION_FIELDS: Readonly<Record<string, readonly ConfigField[]>> = {
  'pipeline.max-parallelism': ['parallelism', 'maxParallelism'],
  faults: ['faults', 'parallelism', 'runtime', 'scenario'],
  'execution.checkpointing.unaligned.enabled': ['unaligned', 'mode'],
};

/** The PageRunOptions fields whose controls have a problem (the interval control sets checkpointIntervalMs). */
function optionsWithProblems(fieldProblems: Partial<Record<ConfigField, string>>): (keyof PageRunOptions)[] {
  return (Object.keys(fieldProblems) as ConfigField[]).map((field) => (field === 'checkpointInterval' ? 'checkpointIntervalMs' : field === 'alignedCheckpointTimeout' ? 'alignedCheckpointTimeoutMs' : field));
}

/** Flink's restore rules that a new configuration can break (savepoint-restore.ts has them all, for a real restore). */
function restoreProblems(options: PageRunOptions, restore: RestoreContext): string[] {
  const problems: string[] = [];
  if (options.maxParallelism !== null && options.maxParallelism !== restore.maxParallelism) {
    problems.push(
      `The restart restores ${restore.description}, whose keyed state is split into ${restore.maxParallelism} key groups: Flink refuses a different pipeline.max-parallelism (${options.maxParallelism}). Leave it empty or set ${restore.maxParallelism}.`,
    );
  }
  if (options.parallelism > restore.maxParallelism) {
    problems.push(`The restart restores ${restore.description} with max parallelism ${restore.maxParallelism}: parallelism.default ${options.parallelism} is above it.`);
  }
  return problems;
}

function interval(text: string, fieldProblems: Partial<Record<ConfigField, string>>): number {
  const parsed = parseDuration(text);
  if (parsed.ok && parsed.milliseconds >= MINIMAL_CHECKPOINT_TIME_MS && parsed.milliseconds <= MAX_CHECKPOINT_INTERVAL_MS) return parsed.milliseconds;
  fieldProblems.checkpointInterval = parsed.ok
    ? `Must be from ${MINIMAL_CHECKPOINT_TIME_MS}ms (Flink's minimal checkpoint time) to ${durationText(MAX_CHECKPOINT_INTERVAL_MS)}, such as 500ms or 2s.`
    : `Not a duration: ${parsed.reason}.`;
  return Number.NaN;
}

function alignedTimeout(text: string, fieldProblems: Partial<Record<ConfigField, string>>): number {
  const parsed = parseDuration(text.trim() === '' ? '0ms' : text);
  if (parsed.ok && parsed.milliseconds <= MAX_ALIGNED_CHECKPOINT_TIMEOUT_MS) return parsed.milliseconds;
  fieldProblems.alignedCheckpointTimeout = parsed.ok ? `Must be at most ${durationText(MAX_ALIGNED_CHECKPOINT_TIMEOUT_MS)}, such as 0ms or 200ms.` : `Not a duration: ${parsed.reason}.`;
  return Number.NaN;
}

function faults(text: string, fieldProblems: Partial<Record<ConfigField, string>>): Fault[] {
  const specs = text
    .split(/[,\n]/)
    .map((spec) => spec.trim())
    .filter((spec) => spec !== '');
  if (specs.length > MAX_FAULTS) {
    fieldProblems.faults = `At most ${MAX_FAULTS} faults.`;
    return [];
  }
  const result: Fault[] = [];
  for (const spec of specs) {
    if (spec === 'random') {
      fieldProblems.faults = "'random' is the CLI's: name the faults, so a link can reopen the run.";
      return [];
    }
    try {
      result.push(parseFault(spec));
    } catch (error) {
      fieldProblems.faults = (error as Error).message;
      return [];
    }
  }
  return result;
}

function sameOptions(candidate: PageRunOptions, current: PageRunOptions): boolean {
  const fields = Object.keys(candidate) as (keyof PageRunOptions)[];
  return fields.every((field) =>
    field === 'faults' ? candidate.faults.map(formatFault).join() === current.faults.map(formatFault).join() : candidate[field] === current[field],
  );
}
