import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './configuration-error';
import { isCheckpointingEnabled } from './job-configuration';
import { parseJobConfiguration, readJobConfiguration, type RawJobConfiguration } from './parse-job-configuration';

function problemsOf(raw: RawJobConfiguration) {
  try {
    parseJobConfiguration(raw);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('parseJobConfiguration defaults', () => {
  it("gives an empty configuration Flink's defaults, with checkpointing disabled and no restarts", () => {
    const configuration = parseJobConfiguration({});
    expect(configuration).toEqual({
      parallelism: 1,
      maxParallelism: -1,
      checkpointing: {
        intervalMs: null,
        mode: 'EXACTLY_ONCE',
        timeoutMs: 600_000,
        minPauseMs: 0,
        maxConcurrentCheckpoints: 1,
        tolerableFailedCheckpoints: 0,
        numRetained: 1,
        unalignedEnabled: false,
        alignedCheckpointTimeoutMs: 0,
        incremental: false,
        externalizedCheckpointRetention: 'NO_EXTERNALIZED_CHECKPOINTS',
      },
      stateBackend: 'hashmap',
      indexedDbCacheKeyGroups: 128,
      heartbeat: { intervalMs: 10_000, timeoutMs: 50_000 },
      stateRecovery: { ignoreUnclaimedState: false, claimMode: 'NO_CLAIM' },
      restartStrategy: { type: 'disable' },
    });
    expect(isCheckpointingEnabled(configuration)).toBe(false);
  });

  it('uses exponential-delay with its defaults when checkpointing is on and no strategy is set (Flink ≥ 1.19)', () => {
    const configuration = parseJobConfiguration({ 'execution.checkpointing.interval': '5 s' });
    expect(configuration.restartStrategy).toEqual({
      type: 'exponential-delay',
      initialBackoffMs: 1_000,
      maxBackoffMs: 60_000,
      backoffMultiplier: 1.5,
      resetBackoffThresholdMs: 3_600_000,
      jitterFactor: 0.1,
      attemptsBeforeResetBackoff: 2_147_483_647,
    });
  });

  it('returns a deeply frozen configuration', () => {
    const configuration = parseJobConfiguration({ 'execution.checkpointing.interval': 1000 });
    expect(Object.isFrozen(configuration)).toBe(true);
    expect(Object.isFrozen(configuration.checkpointing)).toBe(true);
    expect(Object.isFrozen(configuration.restartStrategy)).toBe(true);
  });
});

describe('parseJobConfiguration values', () => {
  it('reads strings, numbers and booleans as a flink-conf or URL would give them', () => {
    const configuration = parseJobConfiguration({
      'parallelism.default': '4',
      'pipeline.max-parallelism': 256,
      'execution.checkpointing.interval': '3 s',
      'execution.checkpointing.mode': 'at_least_once',
      'execution.checkpointing.timeout': '1 min',
      'execution.checkpointing.min-pause': 500,
      'execution.checkpointing.max-concurrent-checkpoints': '2',
      'execution.checkpointing.tolerable-failed-checkpoints': 3,
      'execution.checkpointing.incremental': 'TRUE',
      'state.backend.type': 'IndexedDB',
    });
    expect(configuration.parallelism).toBe(4);
    expect(configuration.maxParallelism).toBe(256);
    expect(configuration.checkpointing).toMatchObject({
      intervalMs: 3_000,
      mode: 'AT_LEAST_ONCE',
      timeoutMs: 60_000,
      minPauseMs: 500,
      maxConcurrentCheckpoints: 2,
      tolerableFailedCheckpoints: 3,
      incremental: true,
    });
    expect(configuration.stateBackend).toBe('indexeddb');
  });

  it.each([
    ['none', 'disable'],
    ['off', 'disable'],
    ['disable', 'disable'],
    ['fixeddelay', 'fixed-delay'],
    ['Fixed-Delay', 'fixed-delay'],
    ['failurerate', 'failure-rate'],
    ['exponentialdelay', 'exponential-delay'],
  ])('accepts restart-strategy.type %j as %s', (spelling, type) => {
    expect(parseJobConfiguration({ 'restart-strategy.type': spelling }).restartStrategy.type).toBe(type);
  });

  it("reads each strategy's options with Flink's defaults for the ones not set", () => {
    expect(
      parseJobConfiguration({ 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.attempts': 3 })
        .restartStrategy,
    ).toEqual({ type: 'fixed-delay', attempts: 3, delayMs: 1_000 });
    expect(
      parseJobConfiguration({ 'restart-strategy.type': 'failure-rate', 'restart-strategy.failure-rate.delay': '10 s' })
        .restartStrategy,
    ).toEqual({ type: 'failure-rate', maxFailuresPerInterval: 1, failureRateIntervalMs: 60_000, delayMs: 10_000 });
    expect(
      parseJobConfiguration({
        'restart-strategy.type': 'exponential-delay',
        'restart-strategy.exponential-delay.backoff-multiplier': '2.0',
        'restart-strategy.exponential-delay.attempts-before-reset-backoff': 10,
      }).restartStrategy,
    ).toMatchObject({ backoffMultiplier: 2, attemptsBeforeResetBackoff: 10, initialBackoffMs: 1_000 });
  });

  it("reads heartbeat.interval and heartbeat.timeout as durations, Flink's way (a bare number is milliseconds)", () => {
    expect(parseJobConfiguration({ 'heartbeat.interval': '2 s', 'heartbeat.timeout': 30_000 }).heartbeat).toEqual({ intervalMs: 2_000, timeoutMs: 30_000 });
    expect(parseJobConfiguration({ 'heartbeat.timeout': '10 s', 'heartbeat.interval': '10 s' }).heartbeat).toEqual({ intervalMs: 10_000, timeoutMs: 10_000 });
  });

  it('refuses heartbeat durations longer than a timer can wait (2^31 − 1 ms)', () => {
    expect(() => parseJobConfiguration({ 'heartbeat.interval': '30d', 'heartbeat.timeout': '60d' })).toThrow(/heartbeat\.interval: got "30d"; expected a duration from 1 ms to 2147483647 ms/);
    expect(parseJobConfiguration({ 'heartbeat.interval': 2 ** 31 - 1, 'heartbeat.timeout': 2 ** 31 - 1 }).heartbeat.intervalMs).toBe(2 ** 31 - 1);
  });

  it('accepts the deprecated num-retained key and warns about it', () => {
    const reading = readJobConfiguration({ 'state.checkpoints.num-retained': 3 });
    expect(reading.configuration.checkpointing.numRetained).toBe(3);
    expect(reading.warnings).toContain(
      '"state.checkpoints.num-retained" is deprecated; use "execution.checkpointing.num-retained".',
    );
  });

  it("reads the state-recovery options under Flink 2.x's keys and the execution.savepoint… keys they replaced", () => {
    expect(parseJobConfiguration({ 'execution.state-recovery.ignore-unclaimed-state': 'true', 'execution.state-recovery.claim-mode': 'claim' }).stateRecovery).toEqual({
      ignoreUnclaimedState: true,
      claimMode: 'CLAIM',
    });
    const reading = readJobConfiguration({ 'execution.savepoint.ignore-unclaimed-state': true, 'execution.savepoint-restore-mode': 'CLAIM' });
    expect(reading.configuration.stateRecovery).toEqual({ ignoreUnclaimedState: true, claimMode: 'CLAIM' });
    expect(reading.warnings).toEqual([
      '"execution.savepoint.ignore-unclaimed-state" is deprecated; use "execution.state-recovery.ignore-unclaimed-state".',
      '"execution.savepoint-restore-mode" is deprecated; use "execution.state-recovery.claim-mode".',
    ]);
  });

  it('refuses the LEGACY claim mode, which Flink 2.0 removed, and anything but true or false for ignore-unclaimed-state', () => {
    expect(() => parseJobConfiguration({ 'execution.savepoint-restore-mode': 'LEGACY', 'execution.state-recovery.ignore-unclaimed-state': 'yes' })).toThrow(
      [
        'Invalid job configuration (2 problems):',
        '  - execution.state-recovery.ignore-unclaimed-state: got "yes"; expected true or false',
        '  - execution.savepoint-restore-mode: got "LEGACY"; expected one of CLAIM, NO_CLAIM (LEGACY was removed in Flink 2.0; use NO_CLAIM or CLAIM)',
      ].join('\n'),
    );
  });

  it('prefers the current key over a deprecated one and says the deprecated one is ignored', () => {
    const reading = readJobConfiguration({
      'execution.checkpointing.num-retained': 2,
      'state.checkpoints.num-retained': 5,
    });
    expect(reading.configuration.checkpointing.numRetained).toBe(2);
    expect(reading.warnings).toEqual([
      '"state.checkpoints.num-retained" is ignored because "execution.checkpointing.num-retained" is also set.',
    ]);
  });

  it('warns that strategy options are ignored when restart-strategy.type is unset, as Flink ignores them', () => {
    const reading = readJobConfiguration({
      'execution.checkpointing.interval': '1 s',
      'restart-strategy.exponential-delay.max-backoff': '10 s',
    });
    expect(reading.configuration.restartStrategy).toMatchObject({ maxBackoffMs: 60_000 });
    expect(reading.warnings).toEqual([
      expect.stringContaining('"restart-strategy.exponential-delay.max-backoff" is ignored because'),
    ]);
  });

  it('accepts incremental checkpoints with the hashmap backend without a warning (key groups are the shared pieces)', () => {
    const reading = readJobConfiguration({ 'execution.checkpointing.incremental': true });
    expect(reading.warnings).toEqual([]);
    expect(reading.configuration.checkpointing.incremental).toBe(true);
  });
});

describe('parseJobConfiguration errors', () => {
  it('collects every bad value into one ConfigurationError naming option, value and what is allowed', () => {
    const problems = problemsOf({
      'parallelism.default': 0,
      'execution.checkpointing.interval': '5 fortnights',
      'execution.checkpointing.mode': 'MOSTLY_ONCE',
      'state.backend.type': 'rocksdb',
    });
    expect(problems).toEqual([
      { option: 'parallelism.default', value: 0, message: 'got 0; expected a whole number from 1 to 32768' },
      {
        option: 'execution.checkpointing.interval',
        value: '5 fortnights',
        message: expect.stringMatching(/^got "5 fortnights"; expected a duration ≥ 10 ms .*"fortnights"/),
      },
      {
        option: 'execution.checkpointing.mode',
        value: 'MOSTLY_ONCE',
        message: 'got "MOSTLY_ONCE"; expected one of EXACTLY_ONCE, AT_LEAST_ONCE',
      },
      {
        option: 'state.backend.type',
        value: 'rocksdb',
        message: `got "rocksdb"; expected one of hashmap, indexeddb (this simulator's RocksDB analogue is 'indexeddb')`,
      },
    ]);
  });

  it('lists all problems in the error message', () => {
    expect(() => parseJobConfiguration({ 'parallelism.default': -2, 'execution.checkpointing.timeout': '1 ms' })).toThrow(
      /2 problems[\s\S]*parallelism\.default[\s\S]*execution\.checkpointing\.timeout/,
    );
  });

  it('rejects an unknown key and suggests the nearest known one', () => {
    expect(problemsOf({ 'execution.checkpointing.intervall': '1 s' })).toEqual([
      {
        option: 'execution.checkpointing.intervall',
        value: '1 s',
        message: 'unknown option; did you mean "execution.checkpointing.interval"?',
      },
    ]);
  });

  it('gives no suggestion for a key unlike any option', () => {
    expect(problemsOf({ 'taskmanager.memory.process.size': '1g' })[0]?.message).toBe('unknown option');
  });

  it('rejects unaligned checkpoints in AT_LEAST_ONCE mode or with concurrent checkpoints', () => {
    const problems = problemsOf({
      'execution.checkpointing.unaligned.enabled': true,
      'execution.checkpointing.mode': 'AT_LEAST_ONCE',
      'execution.checkpointing.max-concurrent-checkpoints': 2,
    });
    expect(problems.map((problem) => problem.message)).toEqual([
      'requires execution.checkpointing.mode = EXACTLY_ONCE (got AT_LEAST_ONCE)',
      'requires execution.checkpointing.max-concurrent-checkpoints = 1 (got 2)',
    ]);
  });

  it('rejects a max parallelism below the parallelism', () => {
    expect(problemsOf({ 'parallelism.default': 8, 'pipeline.max-parallelism': 4 })).toEqual([
      { option: 'pipeline.max-parallelism', value: 4, message: 'must be ≥ parallelism.default (8), or -1 to derive it' },
    ]);
  });

  it('rejects a heartbeat interval or timeout of zero, or one that is not a duration', () => {
    expect(problemsOf({ 'heartbeat.interval': 0, 'heartbeat.timeout': 'soon' }).map((problem) => [problem.option, problem.message])).toEqual([
      ['heartbeat.interval', expect.stringMatching(/^got 0; expected a duration from 1 ms to 2147483647 ms/)],
      ['heartbeat.timeout', expect.stringMatching(/^got "soon"; expected a duration from 1 ms to 2147483647 ms/)],
    ]);
  });

  it('rejects a heartbeat timeout shorter than the interval, as HeartbeatServicesImpl does', () => {
    expect(problemsOf({ 'heartbeat.interval': '10 s', 'heartbeat.timeout': '5 s' })).toEqual([
      { option: 'heartbeat.timeout', value: 5_000, message: 'must be ≥ heartbeat.interval (10000 ms)' },
    ]);
    expect(problemsOf({ 'heartbeat.interval': '1 min' })).toEqual([
      { option: 'heartbeat.timeout', value: 50_000, message: 'must be ≥ heartbeat.interval (60000 ms)' },
    ]);
  });

  it("enforces the strategies' own preconditions (Flink's checkArgument messages)", () => {
    const messages = (raw: RawJobConfiguration) => problemsOf(raw).map((problem) => problem.option);
    expect(
      messages({
        'restart-strategy.type': 'exponential-delay',
        'restart-strategy.exponential-delay.initial-backoff': '2 min',
      }),
    ).toEqual(['restart-strategy.exponential-delay.initial-backoff']);
    expect(messages({ 'restart-strategy.exponential-delay.backoff-multiplier': 1 })).toEqual([
      'restart-strategy.exponential-delay.backoff-multiplier',
    ]);
    expect(messages({ 'restart-strategy.exponential-delay.jitter-factor': 1.5 })).toEqual([
      'restart-strategy.exponential-delay.jitter-factor',
    ]);
    expect(messages({ 'restart-strategy.failure-rate.max-failures-per-interval': 0 })).toEqual([
      'restart-strategy.failure-rate.max-failures-per-interval',
    ]);
    expect(messages({ 'restart-strategy.fixed-delay.attempts': -1 })).toEqual(['restart-strategy.fixed-delay.attempts']);
  });

  it('rejects values of the wrong kind from untrusted input without crashing', () => {
    const raw = { 'parallelism.default': { nested: 1 } } as unknown as RawJobConfiguration;
    expect(problemsOf(raw)).toEqual([
      { option: 'parallelism.default', value: { nested: 1 }, message: expect.stringContaining('expected a string') },
    ]);
  });

  it('does not treat inherited object keys as options', () => {
    expect(problemsOf({ constructor: '1' } as RawJobConfiguration)[0]?.message).toBe('unknown option');
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'reads the built-in Object name %j as a value like any other unknown spelling, not as an alias or a hint',
    (name) => {
      expect(problemsOf({ 'restart-strategy.type': name, 'state.backend.type': name })).toEqual([
        { option: 'state.backend.type', value: name, message: `got "${name}"; expected one of hashmap, indexeddb` },
        {
          option: 'restart-strategy.type',
          value: name,
          message: `got "${name}"; expected one of disable, fixed-delay, failure-rate, exponential-delay, none, off, fixeddelay, failurerate, exponentialdelay`,
        },
      ]);
    },
  );

  it('treats an own __proto__ key as an unknown option', () => {
    expect(problemsOf(Object.fromEntries([['__proto__', '1']]))).toEqual([{ option: '__proto__', value: '1', message: 'unknown option' }]);
  });
});
