import { describe, expect, it } from 'vitest';
import { runScenario } from '../runtime/sim/run-scenario';
import { findScenario } from './index';
import { checkAgainstLedger, type LedgerExpectation } from './scenario';
import type { LedgerExpectation as ViewLedgerExpectation } from '../ui/views/ledger-model';

describe('ledger expectations', () => {
  it('gives every key of the input its failure-free values, and keys of no generation none', () => {
    // The ledger view (src/ui/views/ledger-model.ts) takes it as it is.
    const expectation: ViewLedgerExpectation = findScenario('running-sum').ledger({ keys: 3, recordsPerSecond: 1, mode: 'exactly-once' }) satisfies LedgerExpectation;
    expect(expectation.expected('key-2')).toEqual(['1', '3', '6', '10', '15']);
    expect(expectation.expected('key-3')).toEqual([]);
    expect(findScenario('running-sum').ledger({ keys: 3, recordsPerSecond: 1, mode: 'exactly-once', unbounded: true }).expected('key-3000')).toHaveLength(5);
  });

  it.each([
    ['running-sum', 12],
    ['order-totals', 6],
  ])('%s: a run killed and restored commits every key in full, as the ledger expects', (name, keys) => {
    const result = runScenario({
      scenario: name,
      parallelism: 2,
      checkpointIntervalMs: 100,
      mode: 'exactly-once',
      seed: 5,
      keys,
      recordsPerSecond: 40,
      faults: [{ kind: 'kill', uid: name === 'running-sum' ? 'sum' : 'totals', subtask: 0, atMs: 150 }],
      recordEvents: false,
    });
    expect(result.problems).toEqual([]);
    expect(result.numRestarts).toBe(1);
    const ledger = result.scenario.ledger(result.parameters);
    expect(checkAgainstLedger(result.output, ledger)).toEqual({ completedKeys: keys, keysInProgress: 0, problems: [] });
  });

  it('order-totals shows counts, and the total with the last order', () => {
    const ledger = findScenario('order-totals').ledger({ keys: 2, recordsPerSecond: 1, mode: 'exactly-once' });
    expect(ledger.valueOf({ key: 'customer-1', count: 2, total: 40 })).toBe('#2');
    expect(ledger.expected('customer-1')).toEqual(['#1', '#2', '#3', '#4', '#5', expect.stringMatching(/^#6 = \d+$/)]);
    expect(ledger.expected('customer-2')).toEqual([]);
  });

  it('at-least-once duplicates are problems the ledger names', () => {
    const result = runScenario({
      scenario: 'running-sum',
      parallelism: 2,
      checkpointIntervalMs: 300,
      mode: 'at-least-once',
      seed: 2,
      keys: 12,
      recordsPerSecond: 40,
      faults: [{ kind: 'kill', uid: 'sum', subtask: 1, atMs: 500 }],
      recordEvents: false,
    });
    expect(result.problems).toEqual([]);
    expect(checkAgainstLedger(result.output, result.scenario.ledger(result.parameters)).problems.length).toBeGreaterThan(0);
  });

  it('keyed-sum commits nothing, and expects nothing', () => {
    const ledger = findScenario('keyed-sum').ledger({ keys: 4, recordsPerSecond: 1, mode: 'exactly-once' });
    expect(ledger.expected('k0')).toEqual([]);
    expect(checkAgainstLedger([], ledger)).toEqual({ completedKeys: 0, keysInProgress: 0, problems: [] });
  });
});
