// What the sink had committed when a snapshot was taken, as its source offsets imply (Scenario.expectedOutput
// up to them): the transactions it holds pre-committed, which the run that took it committed on completion,
// and everything before those. A restored run's output continues after this, so the page's ledger starts with it.
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import { PENDING_TRANSACTIONS_STATE_NAME, type PendingTransaction } from '../../engine/connectors/two-phase-commit-sink';
import type { ExternalOutput } from '../../engine/ports/external-systems';
import { sourceOffsetsOf } from '../../runtime/sim/run-scenario';
import type { ScenarioJob } from '../../runtime/sim/scenario-job';

export interface CommittedBefore {
  /** Committed before the snapshot's pending transactions, under one transaction id of the page's own. */
  readonly earlier: { readonly transactionId: string; readonly records: readonly unknown[] };
  /** The snapshot's pre-committed transactions, committed under their own ids: the restored sink's re-commit is a no-op. */
  readonly pending: readonly PendingTransaction[];
}

export function committedBefore(metadata: CheckpointMetadata, job: ScenarioJob): CommittedBefore {
  const offsets = sourceOffsetsOf(metadata, job.built.sources.keys());
  const pending = pendingTransactions(metadata);
  const records = without(job.scenario.expectedOutput(null, offsets, job.parameters), pending.flatMap((transaction) => transaction.records));
  // No sink writes an id of this shape (theirs are `<uid>#<subtask>@<checkpoint>`).
  const transactionId = `committed-before-${metadata.isSavepoint ? 'savepoint' : 'checkpoint'}-${metadata.checkpointId}`;
  return { earlier: { transactionId, records }, pending };
}

export function recordCount(before: CommittedBefore): number {
  return before.earlier.records.length + before.pending.reduce((sum, transaction) => sum + transaction.records.length, 0);
}

/** The external output as it stood when the snapshot was taken. */
export function commitInto(output: ExternalOutput, before: CommittedBefore): void {
  output.commitTransaction(before.earlier.transactionId, before.earlier.records);
  for (const transaction of before.pending) output.commitTransaction(transaction.transactionId, transaction.records);
}

function pendingTransactions(metadata: CheckpointMetadata): PendingTransaction[] {
  const transactions = metadata.operators.flatMap((operator) =>
    operator.subtaskStates.flatMap((state) => {
      const states = state?.operator?.states ?? {};
      if (!Object.hasOwn(states, PENDING_TRANSACTIONS_STATE_NAME)) return [];
      return (states[PENDING_TRANSACTIONS_STATE_NAME]!.entries as unknown as PendingTransaction[]).filter(
        (transaction) => typeof transaction?.transactionId === 'string' && Array.isArray(transaction.records),
      );
    }),
  );
  return transactions.sort((a, b) => a.checkpointId - b.checkpointId);
}

/** `records` less one occurrence of each of `removed` (compared as JSON). */
function without(records: readonly unknown[], removed: readonly unknown[]): unknown[] {
  const left = new Map<string, number>();
  for (const record of removed) left.set(JSON.stringify(record), (left.get(JSON.stringify(record)) ?? 0) + 1);
  return records.filter((record) => {
    const key = JSON.stringify(record);
    const count = left.get(key) ?? 0;
    if (count === 0) return true;
    left.set(key, count - 1);
    return false;
  });
}
