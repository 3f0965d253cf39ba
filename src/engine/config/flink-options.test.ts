import { describe, expect, it } from 'vitest';
import { CHECKPOINTING_DISABLED_INTERVAL, checkpointConfigInfo } from './checkpoint-config-info';
import { toFlinkOptions } from './flink-options';
import { parseJobConfiguration, type RawJobConfiguration } from './parse-job-configuration';

const samples: RawJobConfiguration[] = [
  {},
  { 'execution.checkpointing.interval': '2 s' },
  {
    'parallelism.default': 3,
    'pipeline.max-parallelism': 128,
    'execution.checkpointing.interval': 1500,
    'execution.checkpointing.unaligned.enabled': true,
    'execution.checkpointing.aligned-checkpoint-timeout': '30 s',
    'state.backend.type': 'indexeddb',
    'execution.checkpointing.incremental': true,
    'restart-strategy.type': 'failure-rate',
  },
  { 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.attempts': 0, 'heartbeat.interval': '500 ms', 'heartbeat.timeout': '3 s' },
  { 'restart-strategy.type': 'exponential-delay', 'restart-strategy.exponential-delay.backoff-multiplier': 2.3 },
];

describe('toFlinkOptions', () => {
  it.each(samples.map((raw, index) => [index, raw] as const))(
    'writes sample %d so that parsing it back gives the same configuration',
    (_index, raw) => {
      const configuration = parseJobConfiguration(raw);
      expect(parseJobConfiguration(toFlinkOptions(configuration))).toEqual(configuration);
    },
  );

  it('writes durations in Flink notation and leaves the interval out when checkpointing is off', () => {
    const options = toFlinkOptions(parseJobConfiguration({}));
    expect(options['execution.checkpointing.timeout']).toBe('10 min');
    expect(options['restart-strategy.type']).toBe('disable');
    expect(options['heartbeat.interval']).toBe('10 s');
    expect(options['heartbeat.timeout']).toBe('50 s');
    expect(options).not.toHaveProperty('execution.checkpointing.interval');
    expect(options).not.toHaveProperty('restart-strategy.fixed-delay.attempts');
  });

  it('writes the resolved default restart strategy explicitly', () => {
    const options = toFlinkOptions(parseJobConfiguration({ 'execution.checkpointing.interval': '1 min' }));
    expect(options).toMatchObject({
      'execution.checkpointing.interval': '1 min',
      'restart-strategy.type': 'exponential-delay',
      'restart-strategy.exponential-delay.initial-backoff': '1 s',
      'restart-strategy.exponential-delay.max-backoff': '1 min',
      'restart-strategy.exponential-delay.reset-backoff-threshold': '1 h',
      'restart-strategy.exponential-delay.jitter-factor': '0.1',
    });
  });
});

describe('checkpointConfigInfo', () => {
  it("answers with Flink's REST field names and units (milliseconds)", () => {
    const configuration = parseJobConfiguration({
      'execution.checkpointing.interval': '3 s',
      'execution.checkpointing.min-pause': '1 s',
      'execution.checkpointing.tolerable-failed-checkpoints': 2,
      'execution.checkpointing.externalized-checkpoint-retention': 'RETAIN_ON_CANCELLATION',
      'state.backend.type': 'indexeddb',
    });
    expect(checkpointConfigInfo(configuration)).toEqual({
      mode: 'exactly_once',
      interval: 3_000,
      timeout: 600_000,
      min_pause: 1_000,
      max_concurrent: 1,
      externalization: { enabled: true, delete_on_cancellation: false },
      state_backend: 'IndexedDbStateBackend',
      checkpoint_storage: 'IndexedDbCheckpointStorage',
      unaligned_checkpoints: false,
      tolerable_failed_checkpoints: 2,
      aligned_checkpoint_timeout: 0,
      checkpoints_after_tasks_finish: true,
      state_changelog_enabled: false,
    });
  });

  it("reports Long.MAX_VALUE as the interval when checkpointing is disabled, as Flink's JobGraph does", () => {
    const info = checkpointConfigInfo(parseJobConfiguration({ 'execution.checkpointing.mode': 'AT_LEAST_ONCE' }));
    expect(info.interval).toBe(CHECKPOINTING_DISABLED_INTERVAL);
    expect(info.interval).toBe(JSON.parse('9223372036854775807'));
    expect(info.mode).toBe('at_least_once');
    expect(info.externalization).toEqual({ enabled: false, delete_on_cancellation: true });
  });
});
