// The operator state Barrierscope needs to continue exactly-once, read for inspection: the replayable
// source's partition offsets and the two-phase-commit sink's pre-committed transactions.
import { OFFSETS_STATE_NAME } from '../connectors/replayable-source';
import { PENDING_TRANSACTIONS_STATE_NAME } from '../connectors/two-phase-commit-sink';
import type { Json } from '../state/json';
import type { OperatorStateSnapshot } from '../state/operator-state-snapshot';

export interface SourceOffsetRow {
  readonly partition: number;
  /** The next offset the source reads after a restore. */
  readonly offset: number;
}

export interface PendingTransactionRow {
  readonly transactionId: string;
  readonly checkpointId: number;
  /** Records the transaction commits when it is re-committed after a restore. */
  readonly records: number;
}

export function sourceOffsetsOf(state: OperatorStateSnapshot | null): SourceOffsetRow[] {
  return entriesOf(state, OFFSETS_STATE_NAME).flatMap((entry) => {
    const { partition, offset } = asRecord(entry);
    return typeof partition === 'number' && typeof offset === 'number' ? [{ partition, offset }] : [];
  });
}

export function pendingTransactionsOf(state: OperatorStateSnapshot | null): PendingTransactionRow[] {
  return entriesOf(state, PENDING_TRANSACTIONS_STATE_NAME).flatMap((entry) => {
    const { transactionId, checkpointId, records } = asRecord(entry);
    if (typeof transactionId !== 'string' || typeof checkpointId !== 'number') return [];
    return [{ transactionId, checkpointId, records: Array.isArray(records) ? records.length : 0 }];
  });
}

function entriesOf(state: OperatorStateSnapshot | null, name: string): readonly Json[] {
  return state && Object.hasOwn(state.states, name) ? state.states[name]!.entries : [];
}

function asRecord(entry: Json): Readonly<Record<string, Json | undefined>> {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return {};
  return entry as Readonly<Record<string, Json>>;
}
