// `barrierscope run`'s options: read and validated before anything runs. Every bad value is a UsageError
// naming the flag and what is allowed; numbers are bounded (Flink's bounds, or limits named in RUN_LIMITS).
import { parseArgs } from 'node:util';
import { SCENARIOS } from '../scenarios';
import { FAULT_SYNTAX, parseFault, type Fault } from '../runtime/sim/fault-plan';
import { DEFAULT_KEYS, DEFAULT_RECORDS_PER_SECOND, MAX_RUN_TIME_MS, type RunScenarioOptions } from '../runtime/sim/run-scenario';
import { formatDuration, parseDuration, UPPER_BOUND_MAX_PARALLELISM } from '../engine/config';
import { closestKey } from '../engine/config/did-you-mean';

/**
 * Bounds of the numeric options. Flink's where Flink has one; the simulator's own where a larger value
 * would run for minutes or exhaust memory (a run's cost grows with keys, and with parallelism squared:
 * every subtask of a keyed exchange has a channel to every subtask downstream).
 */
export const RUN_LIMITS = {
  /** Flink's upper bound of max parallelism (KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM). */
  maxParallelism: UPPER_BOUND_MAX_PARALLELISM,
  /** The simulator's: 256 runs running-sum in seconds; 1024 needs gigabytes. */
  parallelism: 256,
  /** The simulator's: 10 000 keys run in under ten seconds at the default rate and parallelism. */
  keys: 10_000,
  recordsPerSecond: 1_000_000,
  /** CheckpointConfig.MINIMAL_CHECKPOINT_TIME. */
  minCheckpointIntervalMs: 10,
  /** The longest a run goes on, drained or not. */
  untilMs: MAX_RUN_TIME_MS,
} as const;

export const RUN_USAGE = `Usage: barrierscope run [options]

Runs a scenario on the deterministic runtime (virtual time, seeded).

Options:
  --scenario NAME            ${[...SCENARIOS.keys()].join(' | ')} (default running-sum)
  --parallelism N            default parallelism, 1..${RUN_LIMITS.parallelism} (default 2)
  --max-parallelism N        number of key groups, 1..${RUN_LIMITS.maxParallelism} (default: derived as Flink does, 128)
  --checkpoint-interval T    execution.checkpointing.interval, e.g. 500ms, 2s (default 500ms)
  --mode MODE                exactly-once | at-least-once (default exactly-once)
  --seed N                   seed of the scheduler and of random faults (default 1)
  --fault SPEC               repeatable; one of:
                               ${FAULT_SYNTAX.join('\n                               ')}
  --keys N                   distinct keys, 1..${RUN_LIMITS.keys} (default ${DEFAULT_KEYS})
  --rate N                   records per second per source subtask (default ${DEFAULT_RECORDS_PER_SECOND})
  --bounded                  sources end at the end of their partitions (Flink's bounded sources): tasks
                             finish, the final checkpoint commits the last records and the run ends
                             when the job does (FINISHED); not with --until
  --until T                  stop at this virtual time, at most ${formatDuration(RUN_LIMITS.untilMs)} (default: when all input is committed)
  --set KEY=VALUE            repeatable; any other Flink option, e.g. --set restart-strategy.type=fixed-delay
  --stop-with-savepoint T    at this virtual time stop the job with a savepoint (Flink's flink stop);
                             with --out, write it as savepoint-<id>.bscp
  --from-savepoint FILE      start the job from a .bscp snapshot file (Flink's flink run -s)
  --export-checkpoints       with --out, write every retained completed checkpoint as checkpoint-<id>.bscp
  --out DIR                  write events.jsonl, checkpoints.json, output.json
  --check                    exit with status 1 unless the output passes the mode's check
  --help                     this text
`;

/** A bad command line: exit 2. `showUsage` adds the option list (not for problems the list cannot help with). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message);
  }
}

export interface RunOptions extends RunScenarioOptions {
  readonly out?: string;
  readonly check: boolean;
  /** The snapshot file to restore from. */
  readonly fromSavepoint?: string;
  readonly exportCheckpoints: boolean;
}

const OPTIONS = {
  scenario: { type: 'string' },
  parallelism: { type: 'string' },
  'max-parallelism': { type: 'string' },
  'checkpoint-interval': { type: 'string' },
  mode: { type: 'string' },
  seed: { type: 'string' },
  fault: { type: 'string', multiple: true },
  keys: { type: 'string' },
  rate: { type: 'string' },
  until: { type: 'string' },
  bounded: { type: 'boolean' },
  set: { type: 'string', multiple: true },
  'stop-with-savepoint': { type: 'string' },
  'from-savepoint': { type: 'string' },
  'export-checkpoints': { type: 'boolean' },
  out: { type: 'string' },
  check: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/** Flink options the run sets from a dedicated flag (always, with its default). */
const OPTIONS_SET_BY_FLAGS: ReadonlyMap<string, string> = new Map([
  ['parallelism.default', '--parallelism'],
  ['pipeline.max-parallelism', '--max-parallelism'],
  ['execution.checkpointing.interval', '--checkpoint-interval'],
  ['execution.checkpointing.mode', '--mode'],
]);

export function parseRunOptions(argv: readonly string[]): RunOptions | 'help' {
  rejectUnknownOptions(argv);
  let values;
  try {
    values = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options: OPTIONS }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const scenario = values.scenario ?? 'running-sum';
  if (!SCENARIOS.has(scenario)) throw new UsageError(`Unknown scenario '${scenario}'. Available: ${[...SCENARIOS.keys()].join(', ')}`);
  const mode = values.mode ?? 'exactly-once';
  if (mode !== 'exactly-once' && mode !== 'at-least-once') throw new UsageError(`--mode must be exactly-once or at-least-once, got '${mode}'`);
  const seedText = values.seed ?? '1';
  if (!/^\d+$/.test(seedText) || Number(seedText) > 0xffffffff) throw new UsageError(`--seed must be an integer from 0 to 4294967295, got '${seedText}'`);
  const { parallelism, maxParallelism } = parallelismOptions(values.parallelism, values['max-parallelism']);
  const faultSpecs = values.fault ?? [];
  const checkpointIntervalMs = duration('checkpoint-interval', values['checkpoint-interval'], 500);
  if (checkpointIntervalMs < RUN_LIMITS.minCheckpointIntervalMs) {
    throw new UsageError(`--checkpoint-interval must be at least ${RUN_LIMITS.minCheckpointIntervalMs} ms (Flink's minimum), got '${values['checkpoint-interval']}'`);
  }
  const untilMs = values.until === undefined ? undefined : duration('until', values.until, 0);
  if (untilMs !== undefined && untilMs > RUN_LIMITS.untilMs) {
    throw new UsageError(`--until must be at most ${formatDuration(RUN_LIMITS.untilMs)} (the longest run), got '${values.until}'`);
  }
  if (values.bounded === true && untilMs !== undefined) throw new UsageError('--bounded and --until cannot be combined: a bounded run ends when its job does', false);
  if (values.out === '') throw new UsageError(`--out needs a directory, got ''`, false);
  const stopWithSavepointAtMs = stopTime(values['stop-with-savepoint'], untilMs);
  if (values['from-savepoint'] === '') throw new UsageError(`--from-savepoint needs a snapshot file, got ''`, false);
  if (values['export-checkpoints'] === true && values.out === undefined) throw new UsageError('--export-checkpoints needs --out DIR: the directory the files go to', false);
  return {
    scenario,
    parallelism,
    ...(maxParallelism === undefined ? {} : { maxParallelism }),
    checkpointIntervalMs,
    mode,
    seed: Number(seedText),
    faults: faultSpecs.filter((spec) => spec !== 'random').map(fault),
    randomFaults: faultSpecs.includes('random'),
    ...(untilMs === undefined ? {} : { untilMs }),
    ...(values.bounded === true ? { bounded: true } : {}),
    keys: positiveInteger('keys', values.keys, DEFAULT_KEYS, RUN_LIMITS.keys, 'more would run for minutes'),
    recordsPerSecond: positiveInteger('rate', values.rate, DEFAULT_RECORDS_PER_SECOND, RUN_LIMITS.recordsPerSecond),
    configuration: configurationOf(values.set ?? []),
    ...(values.out === undefined ? {} : { out: values.out }),
    check: values.check ?? false,
    ...(stopWithSavepointAtMs === undefined ? {} : { stopWithSavepointAtMs }),
    ...(values['from-savepoint'] === undefined ? {} : { fromSavepoint: values['from-savepoint'] }),
    exportCheckpoints: values['export-checkpoints'] ?? false,
  };
}

/** `--stop-with-savepoint T`: within the longest run; a stopped run ends when its savepoint is committed, so not with --until. */
function stopTime(text: string | undefined, untilMs: number | undefined): number | undefined {
  if (text === undefined) return undefined;
  const atMs = duration('stop-with-savepoint', text, 0);
  if (atMs > RUN_LIMITS.untilMs) throw new UsageError(`--stop-with-savepoint must be at most ${formatDuration(RUN_LIMITS.untilMs)} (the longest run), got '${text}'`);
  if (untilMs !== undefined) throw new UsageError('--stop-with-savepoint and --until cannot be combined: a stopped run ends once its savepoint is committed', false);
  return atMs;
}

/** An option the run does not have, with the nearest one it has (as misspelled --set keys get). */
function rejectUnknownOptions(argv: readonly string[]): void {
  const { tokens } = parseArgs({ args: [...argv], strict: false, allowPositionals: true, tokens: true, options: OPTIONS });
  for (const token of tokens) {
    if (token.kind !== 'option' || Object.hasOwn(OPTIONS, token.name)) continue;
    const suggestion = token.rawName.startsWith('--') ? closestKey(token.name, Object.keys(OPTIONS)) : undefined;
    throw new UsageError(`Unknown option '${token.rawName}'${suggestion === undefined ? '' : `; did you mean --${suggestion}?`}`);
  }
}

/** Flink's bounds (max parallelism 1..32768, parallelism ≤ max parallelism) and the simulator's. */
function parallelismOptions(parallelismText: string | undefined, maxParallelismText: string | undefined) {
  const parallelism = positiveInteger('parallelism', parallelismText, 2, RUN_LIMITS.parallelism, `this simulator's limit; Flink's is ${RUN_LIMITS.maxParallelism}`);
  if (maxParallelismText === undefined) return { parallelism };
  const maxParallelism = positiveInteger('max-parallelism', maxParallelismText, 128, RUN_LIMITS.maxParallelism, "Flink's upper bound");
  if (parallelism > maxParallelism) {
    throw new UsageError(`--parallelism ${parallelism} is above --max-parallelism ${maxParallelism}: a job's parallelism must not exceed its max parallelism (the number of key groups)`);
  }
  return { parallelism, maxParallelism };
}

function positiveInteger(name: string, text: string | undefined, fallback: number, maximum: number, why?: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1) throw new UsageError(`--${name} must be a positive integer, got '${text}'`);
  if (!(value <= maximum)) throw new UsageError(`--${name} must be at most ${maximum}${why === undefined ? '' : ` (${why})`}, got '${text}'`);
  return value;
}

function duration(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new UsageError(`--${name} must be a positive duration such as 500ms or 2s, got '${text}' (${parsed.reason})`);
  if (parsed.milliseconds <= 0) throw new UsageError(`--${name} must be positive, got '${text}'`);
  return parsed.milliseconds;
}

function fault(spec: string): Fault {
  try {
    return parseFault(spec);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `--set KEY=VALUE`s, later ones winning; own keys only, so `__proto__` is just an unknown option. */
function configurationOf(assignments: readonly string[]): Record<string, string> {
  const configuration = new Map<string, string>();
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes KEY=VALUE, got '${assignment}'`);
    const key = assignment.slice(0, eq).trim();
    // The run writes these from its own options; a --set of them would be silently overwritten.
    const dedicated = OPTIONS_SET_BY_FLAGS.get(key);
    if (dedicated !== undefined) throw new UsageError(`--set ${key} is not read: use ${dedicated}`);
    configuration.set(key, assignment.slice(eq + 1).trim());
  }
  return Object.fromEntries(configuration);
}
