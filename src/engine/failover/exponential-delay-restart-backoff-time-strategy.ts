// ExponentialDelayRestartBackoffTimeStrategy: backoff = initial * multiplier^attempt (± jitter, capped at max),
// reset after a quiet threshold; failures during a pending backoff merge into one attempt (Flink ≥ 1.19).
import type { Random } from '../ports';
import { randomInt } from '../ports';
import { checkArgument, type RestartBackoffTimeStrategy } from './restart-backoff-time-strategy';

/** Flink's DEFAULT_NEXT_RESTART_TIMESTAMP (Integer.MIN_VALUE): no failure seen yet. */
const NO_RESTART_SCHEDULED = -2_147_483_648;

export interface ExponentialDelayParameters {
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly backoffMultiplier: number;
  readonly resetBackoffThresholdMs: number;
  readonly jitterFactor: number;
  readonly attemptsBeforeResetBackoff: number;
}

export class ExponentialDelayRestartBackoffTimeStrategy implements RestartBackoffTimeStrategy {
  readonly kind = 'exponential-delay';
  private currentRestartAttempt = 0;
  private nextRestartTimestampMs = NO_RESTART_SCHEDULED;
  private latestFailureTimestampMs = 0;

  constructor(
    readonly parameters: ExponentialDelayParameters,
    private readonly random: Random,
  ) {
    const p = parameters;
    checkArgument(p.initialBackoffMs >= 1, 'Initial backoff must be at least 1.');
    checkArgument(p.maxBackoffMs >= 1, 'Maximum backoff must be at least 1.');
    checkArgument(p.initialBackoffMs <= p.maxBackoffMs, 'Initial backoff cannot be higher than maximum backoff.');
    checkArgument(p.backoffMultiplier > 1, 'Backoff multiplier must be greater than 1.');
    checkArgument(p.resetBackoffThresholdMs >= 1, 'Threshold duration for exponential backoff reset must be at least 1.');
    checkArgument(p.jitterFactor >= 0 && p.jitterFactor <= 1, 'Jitter factor must be >= 0 and <= 1.');
    checkArgument(p.attemptsBeforeResetBackoff >= 1, 'The attemptsBeforeResetBackoff must be at least 1.');
  }

  canRestart(): boolean {
    return this.currentRestartAttempt <= this.parameters.attemptsBeforeResetBackoff;
  }

  getBackoffTime(): number {
    if (this.nextRestartTimestampMs === NO_RESTART_SCHEDULED) {
      throw new Error('Please call notifyFailure first.');
    }
    return Math.max(0, this.nextRestartTimestampMs - this.latestFailureTimestampMs);
  }

  notifyFailure(_cause: unknown, timestampMs: number): boolean {
    this.latestFailureTimestampMs = timestampMs;
    // Merge multiple failures into one attempt while tasks are still waiting to be restarted.
    if (timestampMs <= this.nextRestartTimestampMs) return false;
    // The job ran `threshold` without failure since its last restart: start again from the initial backoff.
    if (timestampMs - this.nextRestartTimestampMs >= this.parameters.resetBackoffThresholdMs) {
      this.currentRestartAttempt = 0;
    }
    this.nextRestartTimestampMs = timestampMs + this.calculateActualBackoffTime();
    this.currentRestartAttempt++;
    return true;
  }

  private calculateActualBackoffTime(): number {
    const { initialBackoffMs, backoffMultiplier, maxBackoffMs } = this.parameters;
    // Java's (long) cast truncates; capping at MAX_SAFE_INTEGER stands in for its saturation at Long.MAX_VALUE.
    const currentBackoffMs = Math.min(
      Math.trunc(initialBackoffMs * backoffMultiplier ** this.currentRestartAttempt),
      Number.MAX_SAFE_INTEGER,
    );
    const withJitter = currentBackoffMs + this.calculateJitterBackoffMs(currentBackoffMs);
    return Math.max(initialBackoffMs, Math.min(withJitter, maxBackoffMs));
  }

  /** A uniform whole number in [-n, n] with n = trunc(backoff * jitterFactor), like nextLong(-n, n + 1). */
  private calculateJitterBackoffMs(currentBackoffMs: number): number {
    if (this.parameters.jitterFactor === 0) return 0;
    const offset = Math.trunc(currentBackoffMs * this.parameters.jitterFactor);
    return -offset + randomInt(this.random, 2 * offset + 1);
  }
}
