// Ported from Flink's FailureRateRestartBackoffTimeStrategyTest, plus the sliding window at its edges.
import { describe, expect, it } from 'vitest';
import { FailureRateRestartBackoffTimeStrategy } from './failure-rate-restart-backoff-time-strategy';

const failure = new Error('task failed');

describe('FailureRateRestartBackoffTimeStrategy', () => {
  it('keeps restarting while failures are spread out (testManyFailuresWithinRate)', () => {
    const intervalMs = 1;
    const strategy = new FailureRateRestartBackoffTimeStrategy(1, intervalMs, 0);
    let now = 0;
    for (let failuresLeft = 3; failuresLeft > 0; failuresLeft--) {
      strategy.notifyFailure(failure, now);
      expect(strategy.canRestart()).toBe(true);
      now += intervalMs + 1;
    }
    expect(strategy.canRestart()).toBe(true);
  });

  it('stops when more than the allowed failures fall in one interval (testFailuresExceedingRate)', () => {
    const numFailures = 3;
    const strategy = new FailureRateRestartBackoffTimeStrategy(numFailures, 10_000, 0);
    for (let failuresLeft = numFailures; failuresLeft > 0; failuresLeft--) {
      strategy.notifyFailure(failure, 0);
      expect(strategy.canRestart()).toBe(true);
    }
    strategy.notifyFailure(failure, 0);
    expect(strategy.canRestart()).toBe(false);
  });

  it('waits the configured delay (testBackoffTime)', () => {
    expect(new FailureRateRestartBackoffTimeStrategy(1, 1, 10_000).getBackoffTime()).toBe(10_000);
  });

  it('slides the window: a failure exactly one interval after the oldest still counts, one later does not', () => {
    const atTheEdge = new FailureRateRestartBackoffTimeStrategy(2, 1_000, 0);
    atTheEdge.notifyFailure(failure, 0);
    atTheEdge.notifyFailure(failure, 400);
    atTheEdge.notifyFailure(failure, 1_000);
    expect(atTheEdge.canRestart()).toBe(false);

    const pastTheEdge = new FailureRateRestartBackoffTimeStrategy(2, 1_000, 0);
    pastTheEdge.notifyFailure(failure, 0);
    pastTheEdge.notifyFailure(failure, 400);
    pastTheEdge.notifyFailure(failure, 1_001);
    expect(pastTheEdge.canRestart()).toBe(true);
    // The oldest failure (0) left the window; 400 and 1001 remain, so a fourth at 1300 is one too many.
    pastTheEdge.notifyFailure(failure, 1_300);
    expect(pastTheEdge.canRestart()).toBe(false);
  });

  it("rejects invalid arguments with Flink's messages", () => {
    expect(() => new FailureRateRestartBackoffTimeStrategy(0, 1, 0)).toThrow('must be greater than 0');
    expect(() => new FailureRateRestartBackoffTimeStrategy(1, 0, 0)).toThrow('Failures interval must be greater than 0 ms.');
    expect(() => new FailureRateRestartBackoffTimeStrategy(1, 1, -1)).toThrow('Backoff time must be at least 0 ms.');
  });
});
