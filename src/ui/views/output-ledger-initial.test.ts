// A resumed or restored run's ledger starts from what the external system already held: the values committed
// before the restore complete their keys with this run's commits, so nothing reads as lost.
import { expect, it } from 'vitest';
import { runningSumExpectation } from './ledger-model';
import { OutputLedgerFold } from './output-ledger';

const sums = (key: string, values: readonly number[]) => values.map((value) => ({ key, value }));

it('judges the initial output together with the run’s commits', () => {
  const fold = new OutputLedgerFold(runningSumExpectation, { initialOutput: sums('key-0', [1, 3]) });
  fold.apply({ type: 'sink-committed', time: 10, taskId: 'sum#0', attempt: 0, transactionId: 'sink#0@4', records: 3, checkpointId: 4, committed: sums('key-0', [6, 10, 15]) });
  const view = fold.view(10);
  expect(view).toMatchObject({ committed: 5, completedKeys: 1, lost: 0, duplicated: 0 });
});

it('without the initial output the same commits read as a loss', () => {
  const fold = new OutputLedgerFold(runningSumExpectation);
  fold.apply({ type: 'sink-committed', time: 10, taskId: 'sum#0', attempt: 0, transactionId: 'sink#0@4', records: 3, checkpointId: 4, committed: sums('key-0', [6, 10, 15]) });
  expect(fold.view(10).lost).toBeGreaterThan(0);
});
