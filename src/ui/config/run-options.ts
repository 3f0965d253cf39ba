// What one run of the page's job is: the scenario, the runtime, Flink's options the page lets you set, the seed
// and the fault plan. One type for the URL (page-parameters.ts), the config panel and PageController.restartWith;
// its valibot schema checks a value from anywhere, and runOptionProblems the combinations Flink (or the page)
// refuses, in words, before anything restarts. scenarioJobOptionsOf turns it into the job the runtimes build.
import * as v from 'valibot';
import { MINIMAL_CHECKPOINT_TIME_MS } from '../../engine/config/options';
import {
  RESTART_STRATEGY_TYPES,
  STATE_BACKEND_TYPES,
  UPPER_BOUND_MAX_PARALLELISM,
  type RestartStrategyType,
  type StateBackendType,
  unmodelledOptionProblems,
} from '../../engine/config';
import { FAULT_LIMITS, formatFault, type Fault } from '../../runtime/sim/fault-plan';
import { prepareScenarioJob, type ScenarioJobOptions } from '../../runtime/sim/scenario-job';
import { SCENARIOS } from '../../scenarios';

export type RuntimeKind = 'worker' | 'deterministic';
export type DeliveryMode = 'exactly-once' | 'at-least-once';

export const RUNTIME_KINDS = ['worker', 'deterministic'] as const satisfies readonly RuntimeKind[];
export const DELIVERY_MODES = ['exactly-once', 'at-least-once'] as const satisfies readonly DeliveryMode[];
export const PAGE_SCENARIOS: readonly string[] = Object.freeze([...SCENARIOS.keys()]);

/** Two Workers per unit of parallelism (source and operator): more than this would crowd a laptop. */
export const MAX_PAGE_PARALLELISM = 8;
/** Bounds of the source rate: above ~10k records/s per subtask the page only shows a blur. */
export const MIN_RECORDS_PER_SECOND = 1;
export const MAX_RECORDS_PER_SECOND = 10_000;
/** The longest aligned-checkpoint timeout the page offers: ten minutes, Flink's default checkpoint timeout. */
export const MAX_ALIGNED_CHECKPOINT_TIMEOUT_MS = 600_000;
/** The longest checkpoint interval the page offers: an hour (Flink has no upper bound; nothing would be seen). */
export const MAX_CHECKPOINT_INTERVAL_MS = 3_600_000;
/** Seeds are taken as unsigned 32-bit integers by the scheduler's random source. */
export const MAX_SEED = 0xffff_ffff;
/** Faults one link may carry. */
export const MAX_FAULTS = 20;
/** Keys of the page's job: per generation for the unbounded running-sum, in all for the other scenarios. */
export const PAGE_KEYS = 100;

export interface PageRunOptions {
  /** The job (src/scenarios): running-sum by default. */
  readonly scenario: string;
  /** Real Web Workers (default) or the deterministic replay (virtual time, seeded). */
  readonly runtime: RuntimeKind;
  /** Source emission rate per source subtask, in records per second. */
  readonly recordsPerSecond: number;
  /** `parallelism.default`. */
  readonly parallelism: number;
  /** `pipeline.max-parallelism` (the number of key groups); null derives it as Flink does. */
  readonly maxParallelism: number | null;
  /** `execution.checkpointing.interval`, in ms. */
  readonly checkpointIntervalMs: number;
  /** `execution.checkpointing.mode` (EXACTLY_ONCE, AT_LEAST_ONCE) and the sink that goes with it. */
  readonly mode: DeliveryMode;
  /** `state.backend.type`. */
  readonly stateBackend: StateBackendType;
  /** `execution.checkpointing.incremental`. */
  readonly incremental: boolean;
  /** `execution.checkpointing.unaligned.enabled` (FLIP-76): barriers overtake in-flight data, which is stored as channel state. */
  readonly unaligned: boolean;
  /**
   * `execution.checkpointing.aligned-checkpoint-timeout`, in ms (0, Flink's default: unaligned from the start). With
   * unaligned checkpoints on, a checkpoint starts aligned and switches to unaligned once it has run this long.
   */
  readonly alignedCheckpointTimeoutMs: number;
  /** `restart-strategy.type`, its sub-options at Flink's defaults. */
  readonly restartStrategy: RestartStrategyType;
  /** Seed of the deterministic runtime's scheduler. */
  readonly seed: number;
  /** The deterministic runtime's fault plan, in the CLI's syntax (fault-plan.ts). */
  readonly faults: readonly Fault[];
}

export const DEFAULT_RUN_OPTIONS: PageRunOptions = Object.freeze({
  scenario: 'running-sum',
  runtime: 'worker',
  recordsPerSecond: 25,
  parallelism: 2,
  maxParallelism: null,
  checkpointIntervalMs: 1000,
  mode: 'exactly-once',
  stateBackend: 'hashmap',
  incremental: false,
  unaligned: false,
  alignedCheckpointTimeoutMs: 0,
  // Flink's restart strategy when checkpointing is on and restart-strategy.type is unset (since 1.19).
  restartStrategy: 'exponential-delay',
  seed: 1,
  faults: Object.freeze([]),
});

const whole = (minimum: number, maximum: number) => v.pipe(v.number(), v.safeInteger(), v.minValue(minimum), v.maxValue(maximum));
const subtask = whole(0, FAULT_LIMITS.maxSubtask);
const count = whole(0, FAULT_LIMITS.maxCount);
const uid = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]+$/));

const faultSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('kill'), uid, subtask, atMs: count }),
  v.strictObject({ kind: v.literal('kill-after'), uid, subtask, records: count }),
  v.strictObject({ kind: v.literal('fail-snapshot'), uid, subtask, checkpointId: whole(1, FAULT_LIMITS.maxCount) }),
  v.strictObject({ kind: v.literal('delay-channel'), uid, subtask, atMs: count, latencyMs: whole(0, FAULT_LIMITS.maxLatencyMs) }),
  v.strictObject({
    kind: v.literal('slow-task'),
    uid,
    subtask,
    atMs: count,
    factor: v.pipe(v.number(), v.finite(), v.minValue(1), v.maxValue(FAULT_LIMITS.maxFactor)),
  }),
]);

/** Every field of PageRunOptions, in range: the shape a run's options must have wherever they come from. */
export const PAGE_RUN_OPTIONS_SCHEMA = v.strictObject({
  scenario: v.picklist(PAGE_SCENARIOS),
  runtime: v.picklist(RUNTIME_KINDS),
  recordsPerSecond: whole(MIN_RECORDS_PER_SECOND, MAX_RECORDS_PER_SECOND),
  parallelism: whole(1, MAX_PAGE_PARALLELISM),
  maxParallelism: v.nullable(whole(1, UPPER_BOUND_MAX_PARALLELISM)),
  checkpointIntervalMs: whole(MINIMAL_CHECKPOINT_TIME_MS, MAX_CHECKPOINT_INTERVAL_MS),
  mode: v.picklist(DELIVERY_MODES),
  stateBackend: v.picklist(STATE_BACKEND_TYPES),
  incremental: v.boolean(),
  unaligned: v.boolean(),
  alignedCheckpointTimeoutMs: whole(0, MAX_ALIGNED_CHECKPOINT_TIMEOUT_MS),
  restartStrategy: v.picklist(RESTART_STRATEGY_TYPES),
  seed: whole(0, MAX_SEED),
  faults: v.pipe(v.array(faultSchema), v.maxLength(MAX_FAULTS)),
});

/** A combination that cannot run, for the option it names (a Flink key, or the page's own name). */
export interface RunOptionProblem {
  /** The Flink option (or `faults`, `runtime`) the problem is about. */
  readonly option: string;
  readonly message: string;
}

/** The operators of a scenario that faults may target: uid → its vertex's parallelism follows the job's. */
const operatorUids = new Map<string, readonly string[]>();

export function faultTargetsOf(scenario: string): readonly string[] {
  let uids = operatorUids.get(scenario);
  if (!uids) {
    const { jobGraph } = prepareScenarioJob({ scenario, parallelism: 1, checkpointIntervalMs: 1000, mode: 'exactly-once', keys: 1, recordsPerSecond: 1 });
    uids = Object.freeze(jobGraph.vertices.flatMap((vertex) => vertex.operators.map((operator) => operator.uid)));
    operatorUids.set(scenario, uids);
  }
  return uids;
}

/**
 * Why these options cannot run together, one sentence each (empty: they can). Assumes each field is in range
 * (PAGE_RUN_OPTIONS_SCHEMA); checks what only the combination decides.
 */
export function runOptionProblems(options: PageRunOptions): RunOptionProblem[] {
  const problems: RunOptionProblem[] = [];
  if (options.maxParallelism !== null && options.parallelism > options.maxParallelism) {
    problems.push({
      option: 'pipeline.max-parallelism',
      message: `parallelism.default ${options.parallelism} is above pipeline.max-parallelism ${options.maxParallelism}: a subtask needs at least one key group, so Flink refuses the job. Lower the parallelism or raise the max parallelism.`,
    });
  }
  if (options.faults.length > 0 && options.runtime !== 'deterministic') {
    problems.push({
      option: 'faults',
      message: 'A fault plan runs on the deterministic runtime only (virtual time makes it exact); on Web Workers break things by clicking a subtask.',
    });
  }
  // Flink refuses unaligned checkpoints outside EXACTLY_ONCE (CheckpointConfig#isUnalignedCheckpointsEnabled needs it).
  if (options.unaligned && options.mode !== 'exactly-once') {
    problems.push({
      option: 'execution.checkpointing.unaligned.enabled',
      message: 'Unaligned checkpoints need execution.checkpointing.mode EXACTLY_ONCE: at least once never aligns, so there is nothing for a barrier to overtake. Choose EXACTLY_ONCE or turn unaligned checkpoints off.',
    });
  }
  // Options the engine reads but cannot run yet (unmodelled-options.ts) are refused here too, before a restart fails.
  if (options.unaligned && problems.length === 0 && PAGE_SCENARIOS.includes(options.scenario)) {
    for (const problem of unmodelledOptionProblems(prepareScenarioJob(scenarioJobOptionsOf(options)).configuration)) {
      problems.push({ option: problem.option, message: `${problem.option}: ${problem.message}.` });
    }
  }
  const targets = PAGE_SCENARIOS.includes(options.scenario) ? faultTargetsOf(options.scenario) : [];
  for (const fault of options.faults) {
    if (!targets.includes(fault.uid)) {
      problems.push({ option: 'faults', message: `Fault '${formatFault(fault)}' names no operator of ${options.scenario}; its operators are ${targets.join(', ')}.` });
    } else if (fault.subtask >= options.parallelism) {
      problems.push({ option: 'faults', message: `Fault '${formatFault(fault)}' names subtask ${fault.subtask}, but at parallelism ${options.parallelism} the subtasks are 0 to ${options.parallelism - 1}.` });
    }
  }
  return problems;
}

/** Remarks that do not stop a run but change what it shows, in Flink's terms. */
export function runOptionNotes(options: PageRunOptions): string[] {
  const notes: string[] = [];
  if (options.incremental && options.stateBackend === 'hashmap') {
    notes.push("Flink's hashmap backend always snapshots in full (incremental checkpoints are RocksDB's); this simulator makes incremental snapshots with either backend.");
  }
  if (options.mode === 'at-least-once') notes.push('At least once: barriers are not aligned and the sink writes at once, so a restore replays records into the output: expect duplicates after a failure.');
  if (options.unaligned) {
    notes.push(
      options.alignedCheckpointTimeoutMs === 0
        ? 'Unaligned checkpoints: a barrier overtakes the records queued ahead of it, and those records are stored with the checkpoint as channel state. Savepoints stay aligned.'
        : `Aligned checkpoint timeout ${durationText(options.alignedCheckpointTimeoutMs)}: each checkpoint starts aligned and switches to unaligned once it has run that long. Savepoints stay aligned.`,
    );
  } else if (options.alignedCheckpointTimeoutMs > 0) {
    notes.push('execution.checkpointing.aligned-checkpoint-timeout only matters with unaligned checkpoints on; without them every checkpoint stays aligned.');
  }
  if (options.restartStrategy === 'disable') notes.push('restart-strategy.type: disable: the first failure fails the job for good.');
  return notes;
}

/** Validated run options, or every reason they are not (the schema's, then the combinations'). */
export type RunOptionsCheck = { readonly ok: true; readonly options: PageRunOptions } | { readonly ok: false; readonly problems: readonly RunOptionProblem[] };

export function checkRunOptions(value: unknown): RunOptionsCheck {
  const parsed = v.safeParse(PAGE_RUN_OPTIONS_SCHEMA, value);
  if (!parsed.success) {
    return { ok: false, problems: parsed.issues.map((issue) => ({ option: v.getDotPath(issue) ?? 'options', message: issue.message })) };
  }
  const options = parsed.output as PageRunOptions;
  const problems = runOptionProblems(options);
  return problems.length === 0 ? { ok: true, options } : { ok: false, problems };
}

/** `1s`, `500ms`, `2min`: the largest of Flink's units that divides the duration evenly (Flink's TimeUtils reads it back). */
export function durationText(milliseconds: number): string {
  for (const [unit, factor] of [['h', 3_600_000], ['min', 60_000], ['s', 1_000]] as const) {
    if (milliseconds > 0 && milliseconds % factor === 0) return `${milliseconds / factor}${unit}`;
  }
  return `${milliseconds}ms`;
}

/** Everything the runtimes need to build this run's job: the scenario's options with Flink's keys, the seed and faults. */
export interface PageJobOptions extends ScenarioJobOptions {
  readonly seed: number;
  readonly faults: readonly Fault[];
}

export function scenarioJobOptionsOf(options: PageRunOptions): PageJobOptions {
  return {
    scenario: options.scenario,
    parallelism: options.parallelism,
    ...(options.maxParallelism === null ? {} : { maxParallelism: options.maxParallelism }),
    checkpointIntervalMs: options.checkpointIntervalMs,
    mode: options.mode,
    keys: PAGE_KEYS,
    recordsPerSecond: options.recordsPerSecond,
    // The page's default job never runs dry: fresh keys keep arriving (issue 7).
    ...(options.scenario === 'running-sum' ? { unbounded: true } : {}),
    configuration: {
      'state.backend.type': options.stateBackend,
      'execution.checkpointing.incremental': options.incremental,
      // Set only when on, so the default job's configuration is exactly what it was before these options existed.
      ...(options.unaligned ? { 'execution.checkpointing.unaligned.enabled': true } : {}),
      ...(options.unaligned || options.alignedCheckpointTimeoutMs > 0 ? { 'execution.checkpointing.aligned-checkpoint-timeout': durationText(options.alignedCheckpointTimeoutMs) } : {}),
      'restart-strategy.type': options.restartStrategy,
    },
    seed: options.seed,
    faults: options.faults,
  };
}
