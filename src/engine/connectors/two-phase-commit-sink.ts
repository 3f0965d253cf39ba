// A transactional sink after Flink's TwoPhaseCommitSinkFunction: records go into the open transaction;
// on snapshot it is pre-committed (kept in operator state) and a new one begins; on checkpoint completion
// pre-committed transactions are committed; on restore those in the checkpoint are committed again
// (idempotently). The open, never pre-committed transaction is aborted when the task closes (cancel,
// failure); a killed task cannot abort it, it is simply never committed. Committed output is exactly-once.
// Once its input ended (finish, FLIP-147) no transaction begins after the next snapshot's: the final
// checkpoint pre-commits the last records and commits them when it completes.
import { ListStateDescriptor, type ListState } from '../state';
import type { CheckpointId } from '../ids';
import type { Sink } from '../graph/data-stream';
import type { OperatorContext } from '../operators/runtime-context';
import { AbstractStreamOperator } from '../operators/stream-operator';
import type { ExternalOutput } from '../ports/external-systems';

export interface PendingTransaction {
  readonly transactionId: string;
  readonly checkpointId: CheckpointId;
  readonly records: readonly unknown[];
}

export const PENDING_TRANSACTIONS_STATE_NAME = 'pending-commit-transactions';

export class TwoPhaseCommitSink<T = unknown> implements Sink<T> {
  declare readonly __type?: T;
  constructor(readonly name: string) {}

  createWriter(): TwoPhaseCommitSinkWriter {
    return new TwoPhaseCommitSinkWriter(this.name);
  }
}

export class TwoPhaseCommitSinkWriter extends AbstractStreamOperator {
  #output!: ExternalOutput;
  #state!: ListState<PendingTransaction>;
  /** The open transaction's records; null once the input ended and the last one was pre-committed (Flink's currentTransactionHolder). */
  #current: unknown[] | null = [];
  /** The input ended (Flink's TwoPhaseCommitSinkFunction#finish): snapshots begin no new transaction. */
  #finished = false;
  /** Pre-committed, waiting for their checkpoint to complete, oldest first. */
  #pendingCommit: PendingTransaction[] = [];
  /** The checkpoint the open transaction follows: the last snapshot's, or the restored one (0 for none). */
  #openedAfter: CheckpointId = 0;

  constructor(private readonly outputName: string) {
    super();
  }

  override open(context: OperatorContext): void {
    super.open(context);
    this.#output = context.external.output(this.outputName);
    this.#state = context.operatorStateBackend.getListState(new ListStateDescriptor<PendingTransaction>(PENDING_TRANSACTIONS_STATE_NAME));
    // recoverAndCommit: everything pre-committed in the restored checkpoint belongs to a completed checkpoint.
    const recovered = context.isRestored ? [...this.#state.get()] : [];
    for (const transaction of recovered) this.commit(transaction);
    this.#state.clear();
    this.#openedAfter = context.restoredCheckpointId ?? 0;
  }

  processElement(value: unknown): void {
    if (this.#current === null) throw new Error(`${this.context.taskInfo.taskId} received a record after its input ended`);
    this.#current.push(value);
  }

  override endInput(): void {
    this.#finished = true;
  }

  override snapshotState(checkpointId: CheckpointId): void {
    const { taskInfo } = this.context;
    if (this.#current !== null) {
      this.#pendingCommit.push({
        transactionId: `${taskInfo.operatorUid}#${taskInfo.indexOfThisSubtask}@${checkpointId}`,
        checkpointId,
        records: this.#current,
      });
    }
    // "no need to start new transactions after sink function is closed (no more input data)"
    this.#current = this.#finished ? null : [];
    this.#openedAfter = checkpointId;
    this.#state.update(this.#pendingCommit);
  }

  override notifyCheckpointComplete(checkpointId: CheckpointId): void {
    const ready = this.#pendingCommit.filter((transaction) => transaction.checkpointId <= checkpointId);
    this.#pendingCommit = this.#pendingCommit.filter((transaction) => transaction.checkpointId > checkpointId);
    for (const transaction of ready) this.commit(transaction);
  }

  /**
   * TwoPhaseCommitSinkFunction#close: the open transaction is aborted, its records never become visible (the
   * restored job reads them again). Pre-committed ones are left as they are: a restore commits those its checkpoint holds.
   */
  override close(): void {
    if (this.#current === null) return;
    const { taskInfo } = this.context;
    this.context.emit({
      type: 'sink-aborted',
      time: this.context.clock.now(),
      taskId: taskInfo.taskId,
      attempt: taskInfo.attemptNumber,
      transactionId: `${taskInfo.operatorUid}#${taskInfo.indexOfThisSubtask}@attempt-${taskInfo.attemptNumber}-after-${this.#openedAfter}`,
      records: this.#current.length,
    });
    this.#current = [];
  }

  private commit(transaction: PendingTransaction): void {
    if (!this.#output.commitTransaction(transaction.transactionId, transaction.records)) return;
    const { taskInfo } = this.context;
    this.context.emit({
      type: 'sink-committed',
      time: this.context.clock.now(),
      taskId: taskInfo.taskId,
      attempt: taskInfo.attemptNumber,
      transactionId: transaction.transactionId,
      checkpointId: transaction.checkpointId,
      records: transaction.records.length,
      committed: transaction.records,
    });
  }
}
