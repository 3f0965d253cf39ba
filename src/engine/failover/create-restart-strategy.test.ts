import { describe, expect, it } from 'vitest';
import { parseJobConfiguration } from '../config';
import { seededRandom } from '../ports';
import { createRestartStrategy } from './create-restart-strategy';
import { ExponentialDelayRestartBackoffTimeStrategy } from './exponential-delay-restart-backoff-time-strategy';
import { FailureRateRestartBackoffTimeStrategy } from './failure-rate-restart-backoff-time-strategy';
import { FixedDelayRestartBackoffTimeStrategy } from './fixed-delay-restart-backoff-time-strategy';
import { NoRestartBackoffTimeStrategy } from './no-restart-backoff-time-strategy';

const random = seededRandom(1);

describe('createRestartStrategy', () => {
  it('creates no restarts when checkpointing is off and no strategy is set', () => {
    expect(createRestartStrategy(parseJobConfiguration({}), random)).toBeInstanceOf(NoRestartBackoffTimeStrategy);
  });

  it("creates exponential-delay with Flink's defaults when checkpointing is on", () => {
    const strategy = createRestartStrategy(parseJobConfiguration({ 'execution.checkpointing.interval': '1 s' }), random);
    expect(strategy).toBeInstanceOf(ExponentialDelayRestartBackoffTimeStrategy);
    strategy.notifyFailure(new Error('boom'), 0);
    // 1 s initial backoff, ±10 % jitter.
    expect(strategy.getBackoffTime()).toBeGreaterThanOrEqual(1_000);
    expect(strategy.getBackoffTime()).toBeLessThanOrEqual(1_100);
  });

  it('creates the configured fixed-delay and failure-rate strategies with their parameters', () => {
    const fixed = createRestartStrategy(
      parseJobConfiguration({ 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.delay': '3 s' }),
      random,
    );
    expect(fixed).toBeInstanceOf(FixedDelayRestartBackoffTimeStrategy);
    expect(fixed.getBackoffTime()).toBe(3_000);
    const rate = createRestartStrategy(parseJobConfiguration({ 'restart-strategy.type': 'failurerate' }), random);
    expect(rate).toBeInstanceOf(FailureRateRestartBackoffTimeStrategy);
    expect(rate.kind).toBe('failure-rate');
  });
});
