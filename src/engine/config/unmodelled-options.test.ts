import { describe, expect, it } from 'vitest';
import { parseJobConfiguration } from './parse-job-configuration';
import { unmodelledOptionProblems } from './unmodelled-options';

describe('unmodelledOptionProblems', () => {
  it('has nothing to say about a configuration the runtimes can run', () => {
    expect(unmodelledOptionProblems(parseJobConfiguration({ 'execution.checkpointing.interval': '1 s' }))).toEqual([]);
  });

  it('names unaligned checkpoints, which Flink accepts but the simulator does not model yet', () => {
    const configuration = parseJobConfiguration({ 'execution.checkpointing.interval': '1 s', 'execution.checkpointing.unaligned.enabled': true });
    expect(unmodelledOptionProblems(configuration)).toEqual([
      { option: 'execution.checkpointing.unaligned.enabled', value: true, message: 'unaligned checkpoints (FLIP-76) are not modelled yet; set it to false' },
    ]);
  });
});
