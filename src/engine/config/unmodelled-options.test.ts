import { describe, expect, it } from 'vitest';
import { parseJobConfiguration } from './parse-job-configuration';
import { unmodelledOptionProblems } from './unmodelled-options';

describe('unmodelledOptionProblems', () => {
  it('has nothing to say about a configuration the runtimes can run', () => {
    expect(unmodelledOptionProblems(parseJobConfiguration({ 'execution.checkpointing.interval': '1 s' }))).toEqual([]);
  });

  it('lets unaligned checkpoints and the aligned-checkpoint timeout run (issue 9)', () => {
    for (const timeout of ['0 ms', '200 ms']) {
      const configuration = parseJobConfiguration({
        'execution.checkpointing.interval': '1 s',
        'execution.checkpointing.unaligned.enabled': true,
        'execution.checkpointing.aligned-checkpoint-timeout': timeout,
      });
      expect(unmodelledOptionProblems(configuration)).toEqual([]);
    }
  });
});
