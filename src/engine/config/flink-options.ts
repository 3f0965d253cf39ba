// Back to Flink keys: the effective value of every option of a JobConfiguration, as flink-conf would write it.
// Guarantee: parseJobConfiguration(toFlinkOptions(c)) equals c (the restart strategy is written resolved).
import type { JobConfiguration } from './job-configuration';
import { JOB_OPTIONS, type JobOptionName, type OptionDefinition } from './options';
import type { RestartStrategyConfiguration } from './restart-strategy-configuration';

export function toFlinkOptions(configuration: JobConfiguration): Readonly<Record<string, string>> {
  const { checkpointing } = configuration;
  const options: Record<string, string> = {};
  const write = <T>(name: JobOptionName, value: T): void => {
    const definition = JOB_OPTIONS[name] as OptionDefinition<T>;
    options[definition.key] = definition.reader.format(value);
  };
  write('parallelism', configuration.parallelism);
  write('maxParallelism', configuration.maxParallelism);
  if (checkpointing.intervalMs !== null) write('checkpointingInterval', checkpointing.intervalMs);
  write('checkpointingMode', checkpointing.mode);
  write('checkpointingTimeout', checkpointing.timeoutMs);
  write('minPause', checkpointing.minPauseMs);
  write('maxConcurrentCheckpoints', checkpointing.maxConcurrentCheckpoints);
  write('tolerableFailedCheckpoints', checkpointing.tolerableFailedCheckpoints);
  write('numRetained', checkpointing.numRetained);
  write('unalignedEnabled', checkpointing.unalignedEnabled);
  write('alignedCheckpointTimeout', checkpointing.alignedCheckpointTimeoutMs);
  write('incremental', checkpointing.incremental);
  write('externalizedCheckpointRetention', checkpointing.externalizedCheckpointRetention);
  write('stateBackend', configuration.stateBackend);
  write('indexedDbCacheKeyGroups', configuration.indexedDbCacheKeyGroups);
  write('heartbeatInterval', configuration.heartbeat.intervalMs);
  write('heartbeatTimeout', configuration.heartbeat.timeoutMs);
  write('ignoreUnclaimedState', configuration.stateRecovery.ignoreUnclaimedState);
  write('claimMode', configuration.stateRecovery.claimMode);
  writeRestartStrategy(configuration.restartStrategy, write);
  return Object.freeze(options);
}

function writeRestartStrategy(
  strategy: RestartStrategyConfiguration,
  write: <T>(name: JobOptionName, value: T) => void,
): void {
  write('restartStrategyType', strategy.type);
  switch (strategy.type) {
    case 'disable':
      return;
    case 'fixed-delay':
      write('fixedDelayAttempts', strategy.attempts);
      write('fixedDelayDelay', strategy.delayMs);
      return;
    case 'failure-rate':
      write('failureRateMaxFailuresPerInterval', strategy.maxFailuresPerInterval);
      write('failureRateInterval', strategy.failureRateIntervalMs);
      write('failureRateDelay', strategy.delayMs);
      return;
    case 'exponential-delay':
      write('exponentialInitialBackoff', strategy.initialBackoffMs);
      write('exponentialMaxBackoff', strategy.maxBackoffMs);
      write('exponentialBackoffMultiplier', strategy.backoffMultiplier);
      write('exponentialResetBackoffThreshold', strategy.resetBackoffThresholdMs);
      write('exponentialJitterFactor', strategy.jitterFactor);
      write('exponentialAttemptsBeforeResetBackoff', strategy.attemptsBeforeResetBackoff);
      return;
  }
}
