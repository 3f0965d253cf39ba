import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_PARAMETERS, MAX_UNKNOWN_NAMES_REPORTED, parsePageParameters } from './page-parameters';

/** The page shows problems in a keyed list: two alike would break it (Svelte's each_key_duplicate). */
function expectAllDifferent(problems: readonly string[]): void {
  expect(new Set(problems).size).toBe(problems.length);
}

describe('page URL parameters', () => {
  it('uses the defaults when the URL has no parameters', () => {
    expect(parsePageParameters('')).toEqual({ parameters: DEFAULT_PAGE_PARAMETERS, problems: [] });
  });

  it('reads a valid runtime, rate and storage', () => {
    expect(parsePageParameters('?runtime=deterministic&rate=200&storage=memory')).toEqual({
      parameters: { runtime: 'deterministic', recordsPerSecond: 200, storage: 'memory' },
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
    expect(problems).toEqual(["Unknown URL parameter 'rte' (did you mean 'rate'?); known: runtime, rate, storage."]);
  });

  it('refuses a parameter given several times with one notice, and uses the default rather than guess which was meant', () => {
    const { parameters, problems } = parsePageParameters('?rate=1&rate=2&rate=3');
    expect(parameters).toEqual(DEFAULT_PAGE_PARAMETERS);
    expect(problems).toEqual(["URL parameter 'rate' is given 3 times ('1', '2', '3'); give it once. Using the default, 25."]);
  });

  it('refuses a repeated runtime or storage the same way, keeping the parameters given once', () => {
    const { parameters, problems } = parsePageParameters('?runtime=deterministic&runtime=worker&storage=memory&storage=memory&rate=40');
    expect(parameters).toEqual({ runtime: 'worker', storage: 'indexeddb', recordsPerSecond: 40 });
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
    expect(problems).toEqual(["Unknown URL parameter 'foo' (given 2 times); known: runtime, rate, storage."]);
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
    expect(long).toEqual([`Unknown URL parameter '${'y'.repeat(40)}…'; known: runtime, rate, storage.`]);
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
});
