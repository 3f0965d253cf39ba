// Building the RestartBackoffTimeStrategy a job's configuration names (Flink's RestartBackoffTimeStrategyFactoryLoader).
// The configuration already carries the resolved strategy, defaults included (see config/resolve-restart-strategy).
import type { JobConfiguration } from '../config';
import type { Random } from '../ports';
import { ExponentialDelayRestartBackoffTimeStrategy } from './exponential-delay-restart-backoff-time-strategy';
import { FailureRateRestartBackoffTimeStrategy } from './failure-rate-restart-backoff-time-strategy';
import { FixedDelayRestartBackoffTimeStrategy } from './fixed-delay-restart-backoff-time-strategy';
import { NoRestartBackoffTimeStrategy } from './no-restart-backoff-time-strategy';
import type { RestartBackoffTimeStrategy } from './restart-backoff-time-strategy';

export function createRestartStrategy(
  configuration: Pick<JobConfiguration, 'restartStrategy'>,
  random: Random,
): RestartBackoffTimeStrategy {
  const strategy = configuration.restartStrategy;
  switch (strategy.type) {
    case 'disable':
      return new NoRestartBackoffTimeStrategy();
    case 'fixed-delay':
      return new FixedDelayRestartBackoffTimeStrategy(strategy.attempts, strategy.delayMs);
    case 'failure-rate':
      return new FailureRateRestartBackoffTimeStrategy(
        strategy.maxFailuresPerInterval,
        strategy.failureRateIntervalMs,
        strategy.delayMs,
      );
    case 'exponential-delay':
      return new ExponentialDelayRestartBackoffTimeStrategy(strategy, random);
  }
}
