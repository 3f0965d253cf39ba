// FixedDelayRestartBackoffTimeStrategy: restarts up to `maxNumberRestartAttempts` times, each after the same delay.
// Follows Flink's class: the counter moves only in notifyFailure, so canRestart() may be asked any number of times.
import { checkArgument, type RestartBackoffTimeStrategy } from './restart-backoff-time-strategy';

export class FixedDelayRestartBackoffTimeStrategy implements RestartBackoffTimeStrategy {
  readonly kind = 'fixed-delay';
  private currentRestartAttempt = 0;

  constructor(
    readonly maxNumberRestartAttempts: number,
    readonly backoffTimeMs: number,
  ) {
    checkArgument(maxNumberRestartAttempts >= 0, 'Maximum number of restart attempts must be at least 0.');
    checkArgument(backoffTimeMs >= 0, 'Backoff time between restart attempts must be at least 0 ms.');
  }

  canRestart(): boolean {
    return this.currentRestartAttempt <= this.maxNumberRestartAttempts;
  }

  getBackoffTime(): number {
    return this.backoffTimeMs;
  }

  notifyFailure(_cause: unknown, _timestampMs: number): boolean {
    this.currentRestartAttempt++;
    return true;
  }
}
