// Ported from Flink's ExponentialDelayRestartBackoffTimeStrategyTest (1.19+, with attempts and merging).
// Flink's ManualClock becomes a `now` counter passed to notifyFailure; ThreadLocalRandom becomes a seeded Random.
import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../ports';
import {
  ExponentialDelayRestartBackoffTimeStrategy,
  type ExponentialDelayParameters,
} from './exponential-delay-restart-backoff-time-strategy';

const failure = new Error('task failed');
type StrategyNumbers = [number, number, number, number, number, number];
const INTEGER_MAX_VALUE = 2_147_483_647;

function strategy(
  initialBackoffMs: number,
  maxBackoffMs: number,
  backoffMultiplier: number,
  resetBackoffThresholdMs: number,
  jitterFactor: number,
  attemptsBeforeResetBackoff: number,
  random: Random = seededRandom(7),
) {
  const parameters: ExponentialDelayParameters = {
    initialBackoffMs,
    maxBackoffMs,
    backoffMultiplier,
    resetBackoffThresholdMs,
    jitterFactor,
    attemptsBeforeResetBackoff,
  };
  return new ExponentialDelayRestartBackoffTimeStrategy(parameters, random);
}

describe('ExponentialDelayRestartBackoffTimeStrategy', () => {
  it('stops after the attempts allowed before a reset (testMaxAttempts)', () => {
    const maxAttempts = 13;
    const maxBackoffMs = 3;
    const restartStrategy = strategy(1, maxBackoffMs, 1.2, 10, 0.25, maxAttempts);
    let now = 0;
    for (let i = 0; i <= maxAttempts; i++) {
      expect(restartStrategy.canRestart()).toBe(true);
      expect(restartStrategy.notifyFailure(failure, now)).toBe(true);
      now += maxBackoffMs + 1;
    }
    expect(restartStrategy.canRestart()).toBe(false);
  });

  it('refuses to tell a backoff before any failure (testNotCallNotifyFailure)', () => {
    expect(() => strategy(42, 45, 2, 8, 0, 10).getBackoffTime()).toThrow('Please call notifyFailure first.');
  });

  it('starts at the initial backoff (testInitialBackoff)', () => {
    const restartStrategy = strategy(42, 45, 2, 8, 0, INTEGER_MAX_VALUE);
    restartStrategy.notifyFailure(failure, 0);
    expect(restartStrategy.getBackoffTime()).toBe(42);
  });

  it('never exceeds the maximum backoff (testMaxBackoff)', () => {
    const restartStrategy = strategy(1, 6, 2, 8, 0.25, INTEGER_MAX_VALUE);
    for (let i = 0; i < 10; i++) {
      restartStrategy.notifyFailure(failure, 0);
      expect(restartStrategy.getBackoffTime()).toBeLessThanOrEqual(6);
    }
  });

  it('resets to the initial backoff after running the threshold without failure (testResetBackoff)', () => {
    const resetBackoffThresholdMs = 8;
    const restartStrategy = strategy(1, 5, 2, resetBackoffThresholdMs, 0.25, INTEGER_MAX_VALUE);
    let now = 0;
    expect(restartStrategy.notifyFailure(failure, now)).toBe(true);

    now += resetBackoffThresholdMs + restartStrategy.getBackoffTime() - 1;
    expect(restartStrategy.notifyFailure(failure, now)).toBe(true);
    expect(restartStrategy.getBackoffTime()).toBe(2); // increased

    now += resetBackoffThresholdMs + restartStrategy.getBackoffTime();
    expect(restartStrategy.notifyFailure(failure, now)).toBe(true);
    expect(restartStrategy.getBackoffTime()).toBe(1); // reset
  });

  it('multiplies and truncates like Java (testBackoffMultiplier)', () => {
    const maxBackoffMs = 300;
    const restartStrategy = strategy(4, maxBackoffMs, 2.3, INTEGER_MAX_VALUE, 0, 10);
    let now = 0;
    for (const expected of [4, 9, 21]) {
      expect(restartStrategy.notifyFailure(failure, now)).toBe(true);
      expect(restartStrategy.getBackoffTime()).toBe(expected);
      now += maxBackoffMs + 1;
    }
  });

  // Flink's assertCorrectRandomRange: over many runs, exactly the expected values appear.
  function observedBackoffs(parameters: StrategyNumbers, failureCount: number, seed: number) {
    const random = seededRandom(seed);
    const advanceMs = parameters[1] + 1;
    const seen = new Set<number>();
    let now = 0;
    for (let run = 0; run < 1_000; run++) {
      const restartStrategy = strategy(...parameters, random);
      for (let i = 0; i < failureCount; i++) {
        now += advanceMs;
        expect(restartStrategy.notifyFailure(failure, now)).toBe(true);
      }
      seen.add(restartStrategy.getBackoffTime());
    }
    return [...seen].sort((a, b) => a - b);
  }

  it('adds a jitter of ± backoff × factor, drawn from the Random port (testJitter, seed 11)', () => {
    const parameters: StrategyNumbers = [2, 7, 2, INTEGER_MAX_VALUE, 0.25, INTEGER_MAX_VALUE];
    expect(observedBackoffs(parameters, 2, 11)).toEqual([3, 4, 5]);
    expect(observedBackoffs(parameters, 3, 11)).toEqual([6, 7]);
    expect(observedBackoffs(parameters, 4, 11)).toEqual([7]);
  });

  it('keeps the jittered backoff between initial and max (testJitterNoHigherThanMax, seed 12)', () => {
    const parameters: StrategyNumbers = [1, 7, 2, INTEGER_MAX_VALUE, 1, INTEGER_MAX_VALUE];
    expect(observedBackoffs(parameters, 1, 12)).toEqual([1, 2]);
    expect(observedBackoffs(parameters, 2, 12)).toEqual([1, 2, 3, 4]);
    expect(observedBackoffs(parameters, 3, 12)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('resets, grows and resets again across a mixed history (testMultipleSettings)', () => {
    const resetBackoffThresholdMs = 80;
    const restartStrategy = strategy(1, 9, 2, resetBackoffThresholdMs, 0.25, INTEGER_MAX_VALUE);
    let now = 0;
    const failAndExpect = (backoffMs: number) => {
      expect(restartStrategy.notifyFailure(failure, now)).toBe(true);
      expect(restartStrategy.canRestart()).toBe(true);
      expect(restartStrategy.getBackoffTime()).toBe(backoffMs);
    };
    failAndExpect(1);
    now += resetBackoffThresholdMs + 1;
    failAndExpect(1); // initial again after a quiet threshold
    now += 4;
    failAndExpect(2); // grows
    now += resetBackoffThresholdMs + 9 + 1;
    failAndExpect(1); // reset after the threshold
    now += 9 + 1;
    failAndExpect(2); // grows again
  });

  // Flink's checkMultipleExceptionsAreMerged.
  function expectFailuresMerged(
    restartStrategy: ExponentialDelayRestartBackoffTimeStrategy,
    startMs: number,
    expectedBackoffMs: number,
  ): number {
    let now = startMs;
    let expectedNewAttempt = true;
    for (let advanceMs = 0; advanceMs < expectedBackoffMs; advanceMs++) {
      for (let i = 0; i < 10; i++) {
        expect(restartStrategy.notifyFailure(failure, now)).toBe(expectedNewAttempt);
        expectedNewAttempt = false;
        expect(restartStrategy.canRestart()).toBe(true);
        expect(restartStrategy.getBackoffTime()).toBe(expectedBackoffMs - advanceMs);
      }
      now += 1;
    }
    return now;
  }

  it('merges failures that arrive while a restart is pending into one attempt (testMergeMultipleExceptionsIntoOneAttempt)', () => {
    const restartStrategy = strategy(2, 6, 2, 80, 0, 3);
    let now = expectFailuresMerged(restartStrategy, 0, 2);
    now = expectFailuresMerged(restartStrategy, now + 1, 4);
    now = expectFailuresMerged(restartStrategy, now + 1, 6);
    now += 1;
    expect(restartStrategy.notifyFailure(failure, now)).toBe(true);
    expect(restartStrategy.canRestart()).toBe(false);
  });

  it('keeps merging correctly across many resets (testMergingExceptionsWorksWithResetting)', () => {
    const resetBackoffThresholdMs = 80;
    const restartStrategy = strategy(2, 6, 2, resetBackoffThresholdMs, 0, 3);
    let now = 0;
    for (let round = 0; round < 10; round++) {
      now = expectFailuresMerged(restartStrategy, now, 2);
      now = expectFailuresMerged(restartStrategy, now + 1, 4);
      now = expectFailuresMerged(restartStrategy, now + 1, 6);
      now += resetBackoffThresholdMs;
    }
  });

  it("rejects invalid parameters with Flink's messages", () => {
    expect(() => strategy(0, 1, 2, 1, 0, 1)).toThrow('Initial backoff must be at least 1.');
    expect(() => strategy(5, 4, 2, 1, 0, 1)).toThrow('Initial backoff cannot be higher than maximum backoff.');
    expect(() => strategy(1, 4, 1, 1, 0, 1)).toThrow('Backoff multiplier must be greater than 1.');
    expect(() => strategy(1, 4, 2, 0, 0, 1)).toThrow('Threshold duration for exponential backoff reset must be at least 1.');
    expect(() => strategy(1, 4, 2, 1, 1.1, 1)).toThrow('Jitter factor must be >= 0 and <= 1.');
    expect(() => strategy(1, 4, 2, 1, 0, 0)).toThrow('The attemptsBeforeResetBackoff must be at least 1.');
  });

  it('stays finite after very many attempts', () => {
    const restartStrategy = strategy(1_000, 60_000, 1.5, INTEGER_MAX_VALUE, 0.1, INTEGER_MAX_VALUE);
    let now = 0;
    for (let i = 0; i < 3_000; i++) {
      now += 60_001;
      restartStrategy.notifyFailure(failure, now);
    }
    expect(restartStrategy.getBackoffTime()).toBe(60_000);
  });
});
