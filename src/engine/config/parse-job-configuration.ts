// Parsing a JobConfiguration from Flink option keys (flink-conf entries, URL parameters), with Flink's defaults.
// Collects every problem (bad value, unknown key, broken cross-option rule) and throws one ConfigurationError.
import { ConfigurationError, describeValue, type ConfigurationProblem } from './configuration-error';
import { closestKey } from './did-you-mean';
import type { CheckpointingConfiguration, JobConfiguration } from './job-configuration';
import type { RawValue } from './option-readers';
import { ExplicitOptions } from './explicit-options';
import { JOB_OPTIONS, KNOWN_OPTION_KEYS, type JobOptionName, type OptionDefinition } from './options';
import { resolveRestartStrategy, restartStrategyWarnings } from './resolve-restart-strategy';

export type RawJobConfiguration = Readonly<Record<string, RawValue>>;

export interface JobConfigurationReading {
  readonly configuration: JobConfiguration;
  /** Accepted but worth saying: deprecated keys, options Flink would ignore. */
  readonly warnings: readonly string[];
}

/** Parses and validates; throws ConfigurationError listing every problem. */
export function parseJobConfiguration(raw: RawJobConfiguration): JobConfiguration {
  return readJobConfiguration(raw).configuration;
}

/** Like parseJobConfiguration, and also returns the warnings (deprecated keys, ignored options). */
export function readJobConfiguration(raw: RawJobConfiguration): JobConfigurationReading {
  const problems: ConfigurationProblem[] = [];
  const warnings: string[] = [];
  rejectUnknownKeys(raw, problems);
  const explicit = readOptions(raw, problems, warnings);
  const configuration = buildConfiguration(explicit);
  problems.push(...crossOptionProblems(configuration));
  if (problems.length > 0) throw new ConfigurationError(problems);
  warnings.push(...restartStrategyWarnings(explicit, configuration));
  return { configuration: deepFreeze(configuration), warnings: Object.freeze(warnings) };
}

function rejectUnknownKeys(raw: RawJobConfiguration, problems: ConfigurationProblem[]): void {
  for (const key of Object.keys(raw)) {
    if (KNOWN_OPTION_KEYS.includes(key)) continue;
    const suggestion = closestKey(key, KNOWN_OPTION_KEYS);
    problems.push({
      option: key,
      value: raw[key],
      message: `unknown option${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`}`,
    });
  }
}

function readOptions(raw: RawJobConfiguration, problems: ConfigurationProblem[], warnings: string[]): ExplicitOptions {
  const explicit = new ExplicitOptions();
  for (const name of Object.keys(JOB_OPTIONS) as JobOptionName[]) {
    const definition: OptionDefinition<unknown> = JOB_OPTIONS[name];
    const usedKey = chooseKey(raw, definition, warnings);
    if (usedKey === undefined) continue;
    const value: unknown = raw[usedKey];
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problems.push({ option: usedKey, value, message: `got ${describeValue(value)}; expected a string, number or boolean` });
      continue;
    }
    const result = definition.reader.read(value);
    if (result.ok) explicit.set(name, result.value as never);
    else problems.push({ option: usedKey, value, message: `got ${describeValue(value)}; expected ${result.allowed}` });
  }
  return explicit;
}

/** The key to read: the current key wins over deprecated ones, as in Flink's Configuration. */
function chooseKey(raw: RawJobConfiguration, definition: OptionDefinition<unknown>, warnings: string[]) {
  const present = [definition.key, ...definition.deprecatedKeys].filter((key) => Object.hasOwn(raw, key));
  const [chosen, ...shadowed] = present;
  if (chosen !== undefined && chosen !== definition.key) {
    warnings.push(`"${chosen}" is deprecated; use "${definition.key}".`);
  }
  for (const key of shadowed) warnings.push(`"${key}" is ignored because "${chosen}" is also set.`);
  return chosen;
}

function buildConfiguration(explicit: ExplicitOptions): JobConfiguration {
  const checkpointing: CheckpointingConfiguration = {
    intervalMs: explicit.get('checkpointingInterval') ?? null,
    mode: explicit.value('checkpointingMode'),
    timeoutMs: explicit.value('checkpointingTimeout'),
    minPauseMs: explicit.value('minPause'),
    maxConcurrentCheckpoints: explicit.value('maxConcurrentCheckpoints'),
    tolerableFailedCheckpoints: explicit.value('tolerableFailedCheckpoints'),
    numRetained: explicit.value('numRetained'),
    unalignedEnabled: explicit.value('unalignedEnabled'),
    alignedCheckpointTimeoutMs: explicit.value('alignedCheckpointTimeout'),
    incremental: explicit.value('incremental'),
    externalizedCheckpointRetention: explicit.value('externalizedCheckpointRetention'),
  };
  return {
    parallelism: explicit.value('parallelism'),
    maxParallelism: explicit.value('maxParallelism'),
    checkpointing,
    stateBackend: explicit.value('stateBackend'),
    indexedDbCacheKeyGroups: explicit.value('indexedDbCacheKeyGroups'),
    heartbeat: { intervalMs: explicit.value('heartbeatInterval'), timeoutMs: explicit.value('heartbeatTimeout') },
    stateRecovery: { ignoreUnclaimedState: explicit.value('ignoreUnclaimedState'), claimMode: explicit.value('claimMode') },
    restartStrategy: resolveRestartStrategy(explicit, checkpointing.intervalMs !== null),
  };
}

function crossOptionProblems(configuration: JobConfiguration): ConfigurationProblem[] {
  const problems: ConfigurationProblem[] = [];
  const { checkpointing, parallelism, maxParallelism, restartStrategy, heartbeat } = configuration;
  if (maxParallelism !== -1 && parallelism > maxParallelism) {
    problems.push({
      option: JOB_OPTIONS.maxParallelism.key,
      value: maxParallelism,
      message: `must be ≥ ${JOB_OPTIONS.parallelism.key} (${parallelism}), or -1 to derive it`,
    });
  }
  // Unaligned checkpoints need EXACTLY_ONCE and one checkpoint at a time, refused before anything runs as Flink refuses
  // them (CheckpointingOptions.ENABLE_UNALIGNED: "can only be enabled if execution.checkpointing.mode is EXACTLY_ONCE
  // and if execution.checkpointing.max-concurrent-checkpoints is 1"). Flink's own checks: CheckpointCoordinatorConfiguration's
  // constructor, checkArgument(!isUnalignedCheckpointsEnabled || maxConcurrentCheckpoints <= 1, "maxConcurrentCheckpoints
  // can't be > 1 if UnalignedCheckpoints enabled"), which fails the job's submission; InputProcessorUtil#createCheckpointBarrierHandler,
  // IllegalStateException "Cannot use unaligned checkpoints with AT_LEAST_ONCE checkpointing mode", which fails every
  // task with network input at deployment. Here both are configuration problems, found before the job is built.
  // Savepoints stay aligned whatever these say (CheckpointOptions.forConfig, checkpointOptionsForConfig).
  if (checkpointing.unalignedEnabled && checkpointing.mode !== 'EXACTLY_ONCE') {
    problems.push({
      option: JOB_OPTIONS.unalignedEnabled.key,
      value: true,
      message: `requires ${JOB_OPTIONS.checkpointingMode.key} = EXACTLY_ONCE (got ${checkpointing.mode})`,
    });
  }
  if (checkpointing.unalignedEnabled && checkpointing.maxConcurrentCheckpoints !== 1) {
    problems.push({
      option: JOB_OPTIONS.unalignedEnabled.key,
      value: true,
      message: `requires ${JOB_OPTIONS.maxConcurrentCheckpoints.key} = 1 (got ${checkpointing.maxConcurrentCheckpoints})`,
    });
  }
  // HeartbeatServicesImpl: "The heartbeat timeout should be larger or equal than the heartbeat interval."
  if (heartbeat.timeoutMs < heartbeat.intervalMs) {
    problems.push({
      option: JOB_OPTIONS.heartbeatTimeout.key,
      value: heartbeat.timeoutMs,
      message: `must be ≥ ${JOB_OPTIONS.heartbeatInterval.key} (${heartbeat.intervalMs} ms)`,
    });
  }
  // ExponentialDelayRestartBackoffTimeStrategy: "Initial backoff cannot be higher than maximum backoff."
  if (restartStrategy.type === 'exponential-delay' && restartStrategy.initialBackoffMs > restartStrategy.maxBackoffMs) {
    problems.push({
      option: JOB_OPTIONS.exponentialInitialBackoff.key,
      value: restartStrategy.initialBackoffMs,
      message: `must be ≤ ${JOB_OPTIONS.exponentialMaxBackoff.key} (${restartStrategy.maxBackoffMs} ms)`,
    });
  }
  return problems;
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (typeof inner === 'object' && inner !== null) deepFreeze(inner);
  }
  return Object.freeze(value);
}
