// Restart strategies: whether and when a failed job restarts (Flink's RestartBackoffTimeStrategy family).
export type { RestartBackoffTimeStrategy } from './restart-backoff-time-strategy';
export { NoRestartBackoffTimeStrategy } from './no-restart-backoff-time-strategy';
export { FixedDelayRestartBackoffTimeStrategy } from './fixed-delay-restart-backoff-time-strategy';
export { FailureRateRestartBackoffTimeStrategy } from './failure-rate-restart-backoff-time-strategy';
export {
  ExponentialDelayRestartBackoffTimeStrategy,
  type ExponentialDelayParameters,
} from './exponential-delay-restart-backoff-time-strategy';
export { createRestartStrategy } from './create-restart-strategy';
