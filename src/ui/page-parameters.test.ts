import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_PARAMETERS, parsePageParameters } from './page-parameters';

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

  it('uses the first value of a repeated parameter and says so', () => {
    const { parameters, problems } = parsePageParameters('?rate=100&rate=7');
    expect(parameters.recordsPerSecond).toBe(100);
    expect(problems).toEqual(["URL parameter 'rate' is given more than once; using the first value."]);
  });
});
