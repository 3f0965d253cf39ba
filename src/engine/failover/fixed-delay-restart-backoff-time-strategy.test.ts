// Ported from Flink's FixedDelayRestartBackoffTimeStrategyTest.
import { describe, expect, it } from 'vitest';
import { FixedDelayRestartBackoffTimeStrategy } from './fixed-delay-restart-backoff-time-strategy';

const failure = new Error('task failed');

describe('FixedDelayRestartBackoffTimeStrategy', () => {
  it('allows exactly the configured number of restarts (testNumberOfRestarts)', () => {
    const numberOfRestarts = 3;
    const strategy = new FixedDelayRestartBackoffTimeStrategy(numberOfRestarts, 0);
    for (let restartsLeft = numberOfRestarts; restartsLeft > 0; --restartsLeft) {
      strategy.notifyFailure(failure, 0);
      // Two calls, to make sure canRestart() does not move the counter.
      expect(strategy.canRestart()).toBe(true);
      expect(strategy.canRestart()).toBe(true);
    }
    strategy.notifyFailure(failure, 0);
    expect(strategy.canRestart()).toBe(false);
  });

  it('always waits the configured delay (testBackoffTime)', () => {
    expect(new FixedDelayRestartBackoffTimeStrategy(1, 10_000).getBackoffTime()).toBe(10_000);
  });

  it('with zero attempts fails the job on the first failure', () => {
    const strategy = new FixedDelayRestartBackoffTimeStrategy(0, 1_000);
    expect(strategy.notifyFailure(failure, 5)).toBe(true);
    expect(strategy.canRestart()).toBe(false);
  });

  it("rejects negative arguments with Flink's messages", () => {
    expect(() => new FixedDelayRestartBackoffTimeStrategy(-1, 0)).toThrow('Maximum number of restart attempts must be at least 0.');
    expect(() => new FixedDelayRestartBackoffTimeStrategy(1, -1)).toThrow('Backoff time between restart attempts must be at least 0 ms.');
  });
});
