// NoRestartBackoffTimeStrategy: never restarts; the first failure fails the job (restart-strategy.type: disable).
// Flink's default when checkpointing is disabled.
import type { RestartBackoffTimeStrategy } from './restart-backoff-time-strategy';

export class NoRestartBackoffTimeStrategy implements RestartBackoffTimeStrategy {
  readonly kind = 'disable';

  canRestart(): boolean {
    return false;
  }

  getBackoffTime(): number {
    return 0;
  }

  notifyFailure(_cause: unknown, _timestampMs: number): boolean {
    return true;
  }
}
