// RestartBackoffTimeStrategy: decides whether a failed job may restart and after how long (Flink's interface,
// flink-runtime executiongraph/failover). Pure: time comes in with each failure, randomness from the Random port.
import type { RestartStrategyType } from '../config';

export interface RestartBackoffTimeStrategy {
  /** Which strategy this is, for display ("exponential-delay", ...). */
  readonly kind: RestartStrategyType;

  /** Whether a restart should be conducted, as of the latest notified failure. */
  canRestart(): boolean;

  /**
   * The delay before restarting, in milliseconds, as of the latest notified failure. Flink's
   * ExecutionFailureHandler asks this right after notifyFailure, at the same instant; that instant is
   * the notified timestamp here, so strategies need no clock of their own.
   */
  getBackoffTime(): number;

  /**
   * Records a failure at `timestampMs`. Returns true if it starts a new restart attempt, false if it was
   * merged into an attempt that is still pending (only exponential-delay merges, since FLINK-33735).
   */
  notifyFailure(cause: unknown, timestampMs: number): boolean;
}

/** Java's Preconditions.checkArgument: a programming error, not a user-input problem. */
export function checkArgument(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(message);
}
