// Resolving the restart strategy as Flink's RestartBackoffTimeStrategyFactoryLoader does (2.x):
// restart-strategy.type if set; else exponential-delay with its defaults when checkpointing is on, else none.
import type { JobConfiguration } from './job-configuration';
import { JOB_OPTIONS, type JobOptionName, type RestartStrategyType } from './options';
import { ExplicitOptions } from './explicit-options';
import type { RestartStrategyConfiguration } from './restart-strategy-configuration';

const SUB_OPTIONS: Readonly<Record<Exclude<RestartStrategyType, 'disable'>, readonly JobOptionName[]>> = {
  'fixed-delay': ['fixedDelayAttempts', 'fixedDelayDelay'],
  'failure-rate': ['failureRateMaxFailuresPerInterval', 'failureRateInterval', 'failureRateDelay'],
  'exponential-delay': [
    'exponentialInitialBackoff',
    'exponentialMaxBackoff',
    'exponentialBackoffMultiplier',
    'exponentialResetBackoffThreshold',
    'exponentialJitterFactor',
    'exponentialAttemptsBeforeResetBackoff',
  ],
};

export function resolveRestartStrategy(
  explicit: ExplicitOptions,
  checkpointingEnabled: boolean,
): RestartStrategyConfiguration {
  const type = explicit.get('restartStrategyType');
  if (type === undefined) {
    // getDefaultRestartStrategyFactory: the *default* values of the exponential-delay options are used,
    // even if some restart-strategy.exponential-delay.* keys are set (they are read only with the type).
    return checkpointingEnabled ? exponentialDelay(defaultsOnly) : { type: 'disable' };
  }
  switch (type) {
    case 'disable':
      return { type: 'disable' };
    case 'fixed-delay':
      return {
        type,
        attempts: explicit.value('fixedDelayAttempts'),
        delayMs: explicit.value('fixedDelayDelay'),
      };
    case 'failure-rate':
      return {
        type,
        maxFailuresPerInterval: explicit.value('failureRateMaxFailuresPerInterval'),
        failureRateIntervalMs: explicit.value('failureRateInterval'),
        delayMs: explicit.value('failureRateDelay'),
      };
    case 'exponential-delay':
      return exponentialDelay(explicit);
  }
}

/** No explicit values: every get() answers Flink's default. */
const defaultsOnly = new ExplicitOptions();

function exponentialDelay(options: ExplicitOptions): RestartStrategyConfiguration {
  return {
    type: 'exponential-delay',
    initialBackoffMs: options.value('exponentialInitialBackoff'),
    maxBackoffMs: options.value('exponentialMaxBackoff'),
    backoffMultiplier: options.value('exponentialBackoffMultiplier'),
    resetBackoffThresholdMs: options.value('exponentialResetBackoffThreshold'),
    jitterFactor: options.value('exponentialJitterFactor'),
    attemptsBeforeResetBackoff: options.value('exponentialAttemptsBeforeResetBackoff'),
  };
}

/** Options that were set but that Flink would not read for this job's strategy. */
export function restartStrategyWarnings(explicit: ExplicitOptions, configuration: JobConfiguration): string[] {
  const inUse = explicit.has('restartStrategyType') ? configuration.restartStrategy.type : undefined;
  const warnings: string[] = [];
  for (const [type, names] of Object.entries(SUB_OPTIONS)) {
    if (type === inUse) continue;
    for (const name of names.filter((candidate) => explicit.has(candidate))) {
      const reason =
        inUse === undefined
          ? `"${JOB_OPTIONS.restartStrategyType.key}" is not set (Flink then uses its defaults)`
          : `the restart strategy is ${inUse}`;
      warnings.push(`"${JOB_OPTIONS[name].key}" is ignored because ${reason}.`);
    }
  }
  return warnings;
}
