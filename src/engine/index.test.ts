// The engine's entry exports Flink's key-group assignment under Flink's names (the vectors themselves
// are tested in state/key-groups.test.ts).
import { expect, it } from 'vitest';
import * as engine from './index';
import * as state from './state';

it('exports the key-group functions of the state layer under Flink names, with Flink results', () => {
  expect(engine.assignToKeyGroup).toBe(state.assignToKeyGroup);
  expect(engine.computeOperatorIndexForKeyGroup).toBe(state.computeOperatorIndexForKeyGroup);
  expect(engine.computeKeyGroupRangeForOperatorIndex).toBe(state.computeKeyGroupRangeForOperatorIndex);
  expect(engine.assignToKeyGroup('user-42', 128)).toBe(20);
  expect(engine.computeOperatorIndexForKeyGroup(128, 2, 81)).toBe(1);
  expect(engine.computeKeyGroupRangeForOperatorIndex(128, 2, 1).toString()).toBe('KeyGroupRange{startKeyGroup=64, endKeyGroup=127}');
});
