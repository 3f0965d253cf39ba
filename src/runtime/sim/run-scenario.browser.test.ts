// The engine and the deterministic runtime in real Chromium: the same code the page runs, giving
// the same committed output as in Node for the same seed.
import { expect, it } from 'vitest';
import { runScenario } from './run-scenario';

it('runs running-sum with a killed subtask to exactly-once output in the browser', () => {
  const result = runScenario({
    scenario: 'running-sum',
    parallelism: 2,
    checkpointIntervalMs: 300,
    mode: 'exactly-once',
    seed: 5,
    keys: 40,
    faults: [{ kind: 'kill', uid: 'sum', subtask: 1, atMs: 700 }],
  });
  expect(result.problems).toEqual([]);
  expect(result.numRestarts).toBe(1);
  expect(result.output).toHaveLength(200);
});
