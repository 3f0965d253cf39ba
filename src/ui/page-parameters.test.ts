import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRunOptions } from './config/run-options';
import { DEFAULT_PAGE_PARAMETERS, MAX_UNKNOWN_NAMES_REPORTED, pageLink, pageSearch, parsePageParameters, type PageParameters } from './page-parameters';
import { faultTargetsOf, MAX_PAGE_PARALLELISM, PAGE_SCENARIOS } from './config/run-options';
import { FAULT_LIMITS, type Fault } from '../runtime/sim/fault-plan';
import { RESTART_STRATEGY_TYPES, STATE_BACKEND_TYPES } from '../engine/config';

/** The page shows problems in a keyed list: two alike would break it (Svelte's each_key_duplicate). */
function expectAllDifferent(problems: readonly string[]): void {
  expect(new Set(problems).size).toBe(problems.length);
}

const KNOWN = 'scenario, runtime, rate, parallelism, max-parallelism, interval, mode, backend, incremental, unaligned, aligned-timeout, restart, seed, faults, storage';

describe('page URL parameters', () => {
  it('uses the defaults when the URL has no parameters', () => {
    expect(parsePageParameters('')).toEqual({ parameters: DEFAULT_PAGE_PARAMETERS, problems: [] });
  });

  it('reads a valid runtime, rate and storage', () => {
    expect(parsePageParameters('?runtime=deterministic&rate=200&storage=memory')).toEqual({
      parameters: { ...DEFAULT_PAGE_PARAMETERS, runtime: 'deterministic', recordsPerSecond: 200, storage: 'memory' },
      problems: [],
    });
  });

  it.each(['0', '-5', '2.5', 'fast', '', '10001', '1e3', '99999999999999999999'])('rejects rate=%s with a message and falls back to the default', (value) => {
    const { parameters, problems } = parsePageParameters(`?rate=${encodeURIComponent(value)}`);
    expect(parameters.recordsPerSecond).toBe(DEFAULT_PAGE_PARAMETERS.recordsPerSecond);
    expect(problems).toEqual([expect.stringContaining(`got '${value}'; using 25`)]);
  });

  it('rejects an unknown runtime and names the allowed ones', () => {
    const { parameters, problems } = parsePageParameters('?runtime=threads');
    expect(parameters.runtime).toBe('worker');
    expect(problems).toEqual(["URL parameter 'runtime' must be one of worker, deterministic, got 'threads'; using 'worker'."]);
  });

  it('suggests the closest known name for a mistyped parameter and keeps the others', () => {
    const { parameters, problems } = parsePageParameters('?rte=100&storage=memory');
    expect(parameters).toEqual({ ...DEFAULT_PAGE_PARAMETERS, storage: 'memory' });
    expect(problems).toEqual([`Unknown URL parameter 'rte' (did you mean 'rate'?); known: ${KNOWN}.`]);
  });

  it('refuses a parameter given several times with one notice, and uses the default rather than guess which was meant', () => {
    const { parameters, problems } = parsePageParameters('?rate=1&rate=2&rate=3');
    expect(parameters).toEqual(DEFAULT_PAGE_PARAMETERS);
    expect(problems).toEqual(["URL parameter 'rate' is given 3 times ('1', '2', '3'); give it once. Using the default, 25."]);
  });

  it('refuses a repeated runtime or storage the same way, keeping the parameters given once', () => {
    const { parameters, problems } = parsePageParameters('?runtime=deterministic&runtime=worker&storage=memory&storage=memory&rate=40');
    expect(parameters).toEqual({ ...DEFAULT_PAGE_PARAMETERS, runtime: 'worker', storage: 'indexeddb', recordsPerSecond: 40 });
    expect(problems).toEqual([
      "URL parameter 'runtime' is given 2 times ('deterministic', 'worker'); give it once. Using the default, 'worker'.",
      "URL parameter 'storage' is given 2 times ('memory', 'memory'); give it once. Using the default, 'indexeddb'.",
    ]);
  });

  it('lists no values when a parameter is repeated many times', () => {
    const { problems } = parsePageParameters(`?${Array.from({ length: 50 }, (_, i) => `rate=${i}`).join('&')}`);
    expect(problems).toEqual(["URL parameter 'rate' is given 50 times; give it once. Using the default, 25."]);
  });

  it('reports a repeated unknown parameter once, with how often it was given', () => {
    const { parameters, problems } = parsePageParameters('?foo=1&foo=2');
    expect(parameters).toEqual(DEFAULT_PAGE_PARAMETERS);
    expect(problems).toEqual([`Unknown URL parameter 'foo' (given 2 times); known: ${KNOWN}.`]);
  });

  it('ignores empty segments and reports nameless parameters once', () => {
    const { parameters, problems } = parsePageParameters('?&&&=&=');
    expect(parameters).toEqual(DEFAULT_PAGE_PARAMETERS);
    expect(problems).toEqual(["Ignored 2 URL parameters without a name (such as '=' or '=value')."]);
    expect(parsePageParameters('?&&').problems).toEqual([]);
    expect(parsePageParameters('?=5&rate=30')).toEqual({
      parameters: { ...DEFAULT_PAGE_PARAMETERS, recordsPerSecond: 30 },
      problems: ["Ignored a URL parameter without a name (such as '=' or '=value')."],
    });
  });

  it('bounds the problems of a URL full of unknown names, and cuts long names short', () => {
    const names = Array.from({ length: 40 }, (_, i) => `unknown${i}`);
    const { problems } = parsePageParameters(`?${names.join('&')}&${'x'.repeat(500)}=1`);
    expect(problems).toHaveLength(MAX_UNKNOWN_NAMES_REPORTED + 1);
    expect(problems.at(-1)).toBe(`${41 - MAX_UNKNOWN_NAMES_REPORTED} more unknown URL parameters are ignored too.`);
    const { problems: long } = parsePageParameters(`?${'y'.repeat(500)}=1`);
    expect(long).toEqual([`Unknown URL parameter '${'y'.repeat(40)}…'; known: ${KNOWN}.`]);
  });

  it.each(['?rate=1&rate=2&rate=3', '?foo=1&foo=2', '?&&&=&=', '?rate=fast&rate=fast&rte=1&rte=1&=&=', '?a&a&b&b&=&=&rate&rate'])(
    'never gives two alike problems for %s',
    (search) => expectAllDifferent(parsePageParameters(search).problems),
  );

  it('never gives two alike problems, and always a valid rate, for any query of known, unknown and empty names (fast-check, seed 7)', () => {
    const name = fc.constantFrom('rate', 'runtime', 'storage', 'rte', 'foo', '', 'r a');
    const value = fc.constantFrom('', '1', '50', 'fast', 'worker', 'memory', '=');
    const query = fc.array(fc.tuple(name, value), { maxLength: 12 }).map((pairs) => `?${pairs.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&')}`);
    fc.assert(
      fc.property(query, (search) => {
        const { parameters, problems } = parsePageParameters(search);
        expectAllDifferent(problems);
        expect(parameters.recordsPerSecond).toBeGreaterThanOrEqual(1);
      }),
      { seed: 7 },
    );
  });

  it('reads a whole run: scenario, Flink options, seed and fault plan', () => {
    const search =
      '?scenario=order-totals&runtime=deterministic&parallelism=3&max-parallelism=12&interval=2s&mode=at-least-once&backend=indexeddb&incremental=true&restart=fixed-delay&seed=42&faults=kill:totals%231@1500,fail-snapshot:totals%230@3';
    expect(parsePageParameters(search)).toEqual({
      parameters: {
        ...DEFAULT_PAGE_PARAMETERS,
        scenario: 'order-totals',
        runtime: 'deterministic',
        parallelism: 3,
        maxParallelism: 12,
        checkpointIntervalMs: 2000,
        mode: 'at-least-once',
        stateBackend: 'indexeddb',
        incremental: true,
        restartStrategy: 'fixed-delay',
        seed: 42,
        faults: [
          { kind: 'kill', uid: 'totals', subtask: 1, atMs: 1500 },
          { kind: 'fail-snapshot', uid: 'totals', subtask: 0, checkpointId: 3 },
        ],
      },
      problems: [],
    });
  });

  it.each([
    ['scenario=wordcount', "URL parameter 'scenario' must be one of running-sum, order-totals, keyed-sum, got 'wordcount'; using 'running-sum'."],
    ['parallelism=9', "URL parameter 'parallelism' (parallelism.default) must be a whole number from 1 to 8, got '9'; using 2."],
    ['parallelism=0', "URL parameter 'parallelism' (parallelism.default) must be a whole number from 1 to 8, got '0'; using 2."],
    ['max-parallelism=40000', "URL parameter 'max-parallelism' (pipeline.max-parallelism) must be a whole number from 1 to 32768, got '40000'; using the max parallelism derived as Flink does."],
    ['interval=5ms', "URL parameter 'interval' (execution.checkpointing.interval) must be a duration from 10ms to 1h (such as 500ms or 2s), got '5ms'; using 1s."],
    ['interval=1.5s', "URL parameter 'interval' (execution.checkpointing.interval) must be a duration from 10ms to 1h (such as 500ms or 2s), got '1.5s'; using 1s."],
    ['mode=exactly_once', "URL parameter 'mode' (execution.checkpointing.mode) must be one of exactly-once, at-least-once, got 'exactly_once' (did you mean 'exactly-once'?); using 'exactly-once'."],
    ['backend=rocksdb', "URL parameter 'backend' (state.backend.type) must be one of hashmap, indexeddb, got 'rocksdb'; using 'hashmap'."],
    ['incremental=yes', "URL parameter 'incremental' (execution.checkpointing.incremental) must be one of true, false, got 'yes'; using 'false'."],
    ['restart=fixeddelay', "URL parameter 'restart' (restart-strategy.type) must be one of disable, fixed-delay, failure-rate, exponential-delay, got 'fixeddelay' (did you mean 'fixed-delay'?); using 'exponential-delay'."],
    ['seed=-1', "URL parameter 'seed' must be a whole number from 0 to 4294967295, got '-1'; using 1."],
    ['runtime=deterministic&faults=kill:sum%230', "URL parameter 'faults': Cannot read fault 'kill:sum#0'. Expected one of: kill:<uid>#<subtask>@<ms>, kill-after:<uid>#<subtask>@<records>, fail-snapshot:<uid>#<subtask>@<checkpoint-id>, delay-channel:<uid>#<subtask>@<ms>+<latency-ms>, slow-task:<uid>#<subtask>@<ms>x<factor>, random; using no faults."],
    ['runtime=deterministic&faults=random', "URL parameter 'faults' cannot be 'random' (the CLI draws a random plan; a link names its faults); using no faults."],
    ['runtime=deterministic&faults=kill:sum%23999999@1', "URL parameter 'faults': Fault 'kill:sum#999999@1': <subtask> must be a whole number from 0 to 32767, got 999999; using no faults."],
  ])('refuses %s with one notice and the default', (search, notice) => {
    const { parameters, problems } = parsePageParameters(`?${search}`);
    expect(problems).toEqual([notice]);
    const defaults = parsePageParameters(search.includes('runtime=') ? '?runtime=deterministic' : '').parameters;
    expect(parameters).toEqual(defaults);
  });

  it('refuses a combination Flink or the page cannot run, one notice per parameter, keeping the rest', () => {
    expect(parsePageParameters('?parallelism=6&max-parallelism=4')).toEqual({
      parameters: { ...DEFAULT_PAGE_PARAMETERS, parallelism: 6 },
      problems: [
        "URL parameters 'parallelism' and 'max-parallelism': parallelism.default 6 is above pipeline.max-parallelism 4: a subtask needs at least one key group, so Flink refuses the job. Lower the parallelism or raise the max parallelism. Using the max parallelism derived as Flink does.",
      ],
    });
    expect(parsePageParameters('?faults=kill:sum%230@100').problems).toEqual([
      "URL parameter 'faults': A fault plan runs on the deterministic runtime only (virtual time makes it exact); on Web Workers break things by clicking a subtask. Using no faults.",
    ]);
    const { parameters, problems } = parsePageParameters('?runtime=deterministic&parallelism=2&faults=kill:sum%232@100,kill:nothing%230@5,kill:sum%231@7');
    expect(parameters.faults).toEqual([]);
    expect(parameters.parallelism).toBe(2);
    expect(problems).toEqual([
      "URL parameter 'faults': Fault 'kill:sum#2@100' names subtask 2, but at parallelism 2 the subtasks are 0 to 1. (and 1 more problem with it) Using no faults.",
    ]);
  });

  it('reads the unaligned options, and refuses unaligned checkpoints with AT_LEAST_ONCE or a timeout that is no duration', () => {
    expect(parsePageParameters('?unaligned=false&aligned-timeout=200ms')).toEqual({
      parameters: { ...DEFAULT_PAGE_PARAMETERS, alignedCheckpointTimeoutMs: 200 },
      problems: [],
    });
    const refused = parsePageParameters('?unaligned=true&mode=at-least-once&aligned-timeout=soon');
    expect(refused.parameters).toMatchObject({ unaligned: false, mode: 'at-least-once', alignedCheckpointTimeoutMs: 0 });
    expect(refused.problems).toEqual([
      expect.stringMatching(/^URL parameter 'aligned-timeout' \(execution\.checkpointing\.aligned-checkpoint-timeout\) must be a duration .* got 'soon'; using 0ms\.$/),
      expect.stringMatching(/^URL parameter 'unaligned': Unaligned checkpoints need execution\.checkpointing\.mode EXACTLY_ONCE.* Using unaligned=false\.$/),
    ]);
  });

  it('builds a link that lists every run parameter and reopens the same run', () => {
    const run: PageParameters = { ...DEFAULT_PAGE_PARAMETERS, runtime: 'deterministic', seed: 9, faults: [{ kind: 'kill', uid: 'sum', subtask: 1, atMs: 4000 }] };
    expect(pageSearch(run)).toBe(
      '?scenario=running-sum&runtime=deterministic&rate=25&parallelism=2&interval=1s&mode=exactly-once&backend=hashmap&incremental=false&unaligned=false&aligned-timeout=0ms&restart=exponential-delay&seed=9&faults=kill%3Asum%231%404000',
    );
    expect(pageLink(run, 'http://127.0.0.1:5173/barrierscope/?rate=3#x')).toBe(`http://127.0.0.1:5173/barrierscope/${pageSearch(run)}`);
    expect(parsePageParameters(pageSearch(DEFAULT_PAGE_PARAMETERS))).toEqual({ parameters: DEFAULT_PAGE_PARAMETERS, problems: [] });
  });

  it('parses every link it builds back to the same run (fast-check, seed 7)', () => {
    const fault = (uids: readonly string[], parallelism: number): fc.Arbitrary<Fault> => {
      const target = { uid: fc.constantFrom(...uids), subtask: fc.integer({ min: 0, max: parallelism - 1 }) };
      const count = fc.integer({ min: 0, max: FAULT_LIMITS.maxCount });
      return fc.oneof(
        fc.record({ kind: fc.constant('kill' as const), ...target, atMs: count }),
        fc.record({ kind: fc.constant('kill-after' as const), ...target, records: count }),
        fc.record({ kind: fc.constant('fail-snapshot' as const), ...target, checkpointId: fc.integer({ min: 1, max: FAULT_LIMITS.maxCount }) }),
        fc.record({ kind: fc.constant('delay-channel' as const), ...target, atMs: count, latencyMs: fc.integer({ min: 0, max: FAULT_LIMITS.maxLatencyMs }) }),
        fc.record({ kind: fc.constant('slow-task' as const), ...target, atMs: count, factor: fc.double({ min: 1, max: FAULT_LIMITS.maxFactor, noNaN: true }) }),
      );
    };
    const run = fc
      .record({ scenario: fc.constantFrom(...PAGE_SCENARIOS), parallelism: fc.integer({ min: 1, max: MAX_PAGE_PARALLELISM }), deterministic: fc.boolean() })
      .chain(({ scenario, parallelism, deterministic }) =>
        fc.record({
          scenario: fc.constant(scenario),
          runtime: fc.constant(deterministic ? ('deterministic' as const) : ('worker' as const)),
          recordsPerSecond: fc.integer({ min: 1, max: 10_000 }),
          parallelism: fc.constant(parallelism),
          maxParallelism: fc.option(fc.integer({ min: parallelism, max: 32_768 }), { nil: null }),
          checkpointIntervalMs: fc.integer({ min: 10, max: 3_600_000 }),
          mode: fc.constantFrom('exactly-once' as const, 'at-least-once' as const),
          stateBackend: fc.constantFrom(...STATE_BACKEND_TYPES),
          incremental: fc.boolean(),
          unaligned: fc.boolean(),
          alignedCheckpointTimeoutMs: fc.integer({ min: 0, max: 600_000 }),
          restartStrategy: fc.constantFrom(...RESTART_STRATEGY_TYPES),
          seed: fc.integer({ min: 0, max: 0xffff_ffff }),
          faults: deterministic ? fc.array(fault(faultTargetsOf(scenario), parallelism), { maxLength: 4 }) : fc.constant([]),
          storage: fc.constantFrom('indexeddb' as const, 'memory' as const),
        }),
      )
      // Only runs the page can start have a link: unaligned checkpoints need EXACTLY_ONCE, as in Flink.
      .filter(({ storage: _storage, ...options }) => checkRunOptions(options).ok);
    fc.assert(
      fc.property(run, (parameters) => {
        expect(parsePageParameters(pageSearch(parameters))).toEqual({ parameters, problems: [] });
      }),
      { seed: 7 },
    );
  });

  it('never fails, and always gives a valid run, for any query of run parameters and values (fast-check, seed 7)', () => {
    const name = fc.constantFrom('scenario', 'parallelism', 'max-parallelism', 'interval', 'mode', 'backend', 'incremental', 'unaligned', 'aligned-timeout', 'restart', 'seed', 'faults', 'runtime');
    const value = fc.oneof(
      fc.constantFrom('', '0', '1', '4', '9', '1s', 'true', 'deterministic', 'kill:sum#1@5', 'kill:sum#9@5', 'random', 'order-totals', 'indexeddb', ',', '%'),
      fc.string({ maxLength: 20 }),
    );
    const query = fc.array(fc.tuple(name, value), { maxLength: 10 }).map((pairs) => `?${pairs.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&')}`);
    fc.assert(
      fc.property(query, (search) => {
        const { parameters, problems } = parsePageParameters(search);
        expectAllDifferent(problems);
        expect(parameters.parallelism).toBeLessThanOrEqual(parameters.maxParallelism ?? MAX_PAGE_PARALLELISM);
        expect(parsePageParameters(pageSearch(parameters))).toEqual({ parameters, problems: [] });
      }),
      { seed: 7 },
    );
  });
});
