// FailureRateRestartBackoffTimeStrategy: restarts while at most `maxFailuresPerInterval` failures fall in any
// sliding window of `failuresIntervalMs`. Follows Flink's class; the window holds at most max + 1 timestamps.
import { checkArgument, type RestartBackoffTimeStrategy } from './restart-backoff-time-strategy';

export class FailureRateRestartBackoffTimeStrategy implements RestartBackoffTimeStrategy {
  readonly kind = 'failure-rate';
  /** Oldest first; bounded: never more than maxFailuresPerInterval + 1 entries. */
  private readonly failureTimestamps: number[] = [];
  private latestFailureTimestampMs = 0;

  constructor(
    readonly maxFailuresPerInterval: number,
    readonly failuresIntervalMs: number,
    readonly backoffTimeMs: number,
  ) {
    checkArgument(maxFailuresPerInterval > 0, 'Maximum number of restart attempts per time unit must be greater than 0.');
    checkArgument(failuresIntervalMs > 0, 'Failures interval must be greater than 0 ms.');
    checkArgument(backoffTimeMs >= 0, 'Backoff time must be at least 0 ms.');
  }

  canRestart(): boolean {
    const earliestFailure = this.failureTimestamps[0];
    if (!this.isFailureTimestampsQueueFull() || earliestFailure === undefined) return true;
    return this.latestFailureTimestampMs - earliestFailure > this.failuresIntervalMs;
  }

  getBackoffTime(): number {
    return this.backoffTimeMs;
  }

  notifyFailure(_cause: unknown, timestampMs: number): boolean {
    if (this.isFailureTimestampsQueueFull()) this.failureTimestamps.shift();
    this.failureTimestamps.push(timestampMs);
    this.latestFailureTimestampMs = timestampMs;
    return true;
  }

  private isFailureTimestampsQueueFull(): boolean {
    return this.failureTimestamps.length > this.maxFailuresPerInterval;
  }
}
