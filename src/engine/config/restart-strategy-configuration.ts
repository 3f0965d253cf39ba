// RestartStrategyConfiguration: which restart strategy a job uses and its parameters, one variant per type.
// Values are Flink's, already validated against the strategies' own preconditions (see failover/).

export type RestartStrategyConfiguration =
  | { readonly type: 'disable' }
  | { readonly type: 'fixed-delay'; readonly attempts: number; readonly delayMs: number }
  | {
      readonly type: 'failure-rate';
      readonly maxFailuresPerInterval: number;
      readonly failureRateIntervalMs: number;
      readonly delayMs: number;
    }
  | {
      readonly type: 'exponential-delay';
      readonly initialBackoffMs: number;
      readonly maxBackoffMs: number;
      readonly backoffMultiplier: number;
      readonly resetBackoffThresholdMs: number;
      readonly jitterFactor: number;
      readonly attemptsBeforeResetBackoff: number;
    };
