// The output ledger: what the sink made visible in the external system, per key, against the failure-free
// expectation — lost and duplicated values counted for every key, only a bounded set of rows drawn.
// Exactly-once: values come from `sink-committed.committed`; at-least-once: from `sink-written.written`.
// Pre-committed transactions (Flink's TwoPhaseCommitSinkFunction#preCommit at the sink's snapshot) are
// known by id from the sink task's `snapshot-sync-done`; their records are only known once committed.
// A transaction is counted once: a restore commits the restored checkpoint's transaction again
// (recoverAndCommit), and the external system makes its records visible only the first time.
// Bounded for a job that runs forever: at most `maxKeys` keys are kept (the least recently committed
// retire, their counts kept), and the last `rememberedTransactions` committed transaction ids.
import type { EngineEvent } from '../../engine/events';
import type { CheckpointId, TaskId } from '../../engine/ids';
import type { EventFold } from '../model/event-fold';
import { judgeKey, type KeyVerdict, type LedgerExpectation } from './ledger-model';
import { TopologyFold } from '../model/topology';

export interface LedgerRow {
  readonly key: string;
  readonly values: readonly string[];
  readonly expected: readonly string[];
  readonly verdict: KeyVerdict;
  /** Time of this key's latest commit or write. */
  readonly lastTime: number;
}

export interface PendingTransaction {
  /** `<task>@<checkpoint>`: the sink subtask's transaction pre-committed at that checkpoint's snapshot (or the aborted transaction's own id). */
  readonly id: string;
  readonly taskId: TaskId;
  /** The checkpoint that pre-committed it; null for a transaction aborted while still open. */
  readonly checkpointId: CheckpointId | null;
  /** Its records, when known (an aborted transaction says how many it drops). */
  readonly records: number | null;
  readonly since: number;
  /** `pre-committed` until its checkpoint's commit; `aborted` (kept briefly, fading) when dropped. */
  readonly status: 'pre-committed' | 'aborted';
  readonly endedAt: number | null;
}

export interface OutputLedgerView {
  /** Records made visible (committed, or written by the at-least-once sink). */
  readonly committed: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly unexpected: number;
  readonly keys: number;
  readonly completedKeys: number;
  /** Committed records whose values the stream did not carry (older engines): counted, not judged. */
  readonly unjudged: number;
  /** True once any value was seen, so the verdict columns mean something. */
  readonly valuesKnown: boolean;
  readonly mode: 'transactional' | 'at-least-once' | 'unknown';
  /** Problem keys first (newest first), then the most recently committed; at most `maxRows`. */
  readonly rows: readonly LedgerRow[];
  readonly pending: readonly PendingTransaction[];
}

export interface OutputLedgerOptions {
  readonly maxRows?: number;
  /** How long an aborted transaction stays visible (fading), in ms of clock time. */
  readonly abortedVisibleMs?: number;
  /** What the external system already held when the run began (a resumed or restored run), judged with the rest. */
  readonly initialOutput?: readonly unknown[];
  /** Keys judged at most; beyond, the least recently committed key retires (its counts stay in the totals). */
  readonly maxKeys?: number;
  /** Committed transaction ids remembered, so a repeated commit (a restore's) is not counted twice. */
  readonly rememberedTransactions?: number;
}

interface KeyEntry {
  values: string[];
  verdict: KeyVerdict;
  lastTime: number;
}

const EMPTY_VERDICT: KeyVerdict = { complete: false, lost: [], duplicated: 0, unexpected: 0 };

export class OutputLedgerFold implements EventFold<OutputLedgerView> {
  private readonly keys = new Map<string, KeyEntry>();
  private readonly topology = new TopologyFold();
  private readonly transactions = new Map<string, PendingTransaction>();
  private readonly completedCheckpoints = new Set<CheckpointId>();
  private readonly maxRows: number;
  private readonly abortedVisibleMs: number;
  private totals = { committed: 0, lost: 0, duplicated: 0, unexpected: 0, completedKeys: 0, unjudged: 0 };
  private mode: OutputLedgerView['mode'] = 'unknown';
  private rowsCache: LedgerRow[] | null = null;
  /** Keys with a loss, a duplicate or an unexpected value, in order of their latest commit (re-adding moves a key last). */
  private readonly problemKeys = new Set<string>();
  /** The most recently committed keys, oldest first (a Set keeps insertion order; re-adding moves a key last). */
  private readonly recentKeys = new Set<string>();
  /** Committed transaction ids, oldest first. */
  private readonly committedTransactions = new Set<string>();
  private readonly maxKeys: number;
  private readonly rememberedTransactions: number;
  /** Keys retired past `maxKeys`: still counted in `keys` and the totals. */
  private retiredKeys = 0;

  constructor(
    private readonly expectation: LedgerExpectation,
    options: OutputLedgerOptions = {},
  ) {
    this.maxRows = options.maxRows ?? 40;
    this.abortedVisibleMs = options.abortedVisibleMs ?? 1500;
    this.maxKeys = Math.max(1, options.maxKeys ?? 10_000);
    this.rememberedTransactions = Math.max(1, options.rememberedTransactions ?? 1024);
    if (options.initialOutput && options.initialOutput.length > 0) this.record(options.initialOutput, 0);
  }

  apply(event: EngineEvent): void {
    this.topology.apply(event);
    switch (event.type) {
      case 'sink-committed': {
        this.mode = 'transactional';
        const checkpointId = event.checkpointId ?? checkpointOfTransaction(event.transactionId);
        if (checkpointId !== null) this.transactions.delete(`${event.taskId}@${checkpointId}`);
        if (!this.firstCommitOf(event.transactionId)) return;
        if (event.committed) this.record(event.committed, event.time);
        else {
          this.totals.committed += event.records;
          this.totals.unjudged += event.records;
        }
        return;
      }
      case 'sink-written':
        this.mode = 'at-least-once';
        this.record(event.written, event.time);
        return;
      case 'snapshot-sync-done':
        if (this.mode !== 'at-least-once' && this.topology.isSink(event.taskId)) this.preCommit(event.taskId, event.checkpointId, event.time);
        return;
      case 'sink-aborted': {
        const checkpointId = checkpointOfTransaction(event.transactionId);
        const id = checkpointId !== null ? `${event.taskId}@${checkpointId}` : event.transactionId;
        if (!this.transactions.has(id)) this.transactions.set(id, { id, taskId: event.taskId, checkpointId, records: event.records, since: event.time, status: 'pre-committed', endedAt: null });
        this.abort(id, event.time, event.records);
        return;
      }
      case 'checkpoint-completed':
        this.completedCheckpoints.add(event.checkpointId);
        return;
      case 'checkpoint-aborted':
      case 'checkpoint-expired':
        for (const t of this.transactions.values()) if (t.checkpointId === event.checkpointId) this.abort(t.id, event.time);
        return;
      case 'job-status-changed':
        // A failover drops every open transaction whose checkpoint never completed; those of completed
        // checkpoints are committed on restore (recoverAndCommit).
        if (event.status === 'RESTARTING' || event.status === 'FAILING' || event.status === 'CANCELLING') {
          for (const t of this.transactions.values()) if (t.checkpointId === null || !this.completedCheckpoints.has(t.checkpointId)) this.abort(t.id, event.time);
        }
        return;
      default:
        return;
    }
  }

  view(now: number): OutputLedgerView {
    this.rowsCache ??= this.sortedRows();
    const pending = [...this.transactions.values()].filter((t) => t.status === 'pre-committed' || (t.endedAt !== null && now - t.endedAt <= this.abortedVisibleMs));
    pending.sort((a, b) => (a.checkpointId ?? Infinity) - (b.checkpointId ?? Infinity) || a.taskId.localeCompare(b.taskId));
    return { ...this.totals, keys: this.keys.size + this.retiredKeys, valuesKnown: this.keys.size + this.retiredKeys > 0, mode: this.mode, rows: this.rowsCache, pending };
  }

  /** Problem keys first (newest first), then the most recent: O(maxRows) per change, whatever the number of keys. */
  private sortedRows(): LedgerRow[] {
    const rowOf = (key: string): LedgerRow => {
      const entry = this.keys.get(key)!;
      return { key, values: entry.values, expected: this.expectation.expected(key), verdict: entry.verdict, lastTime: entry.lastTime };
    };
    const byRecency = (a: LedgerRow, b: LedgerRow) => b.lastTime - a.lastTime || a.key.localeCompare(b.key, 'en', { numeric: true });
    const problems = [...this.problemKeys].slice(-this.maxRows).map(rowOf).sort(byRecency);
    const shown = new Set(problems.map((row) => row.key));
    const recent = [...this.recentKeys].reverse().filter((key) => !shown.has(key)).map(rowOf).sort(byRecency);
    return [...problems, ...recent].slice(0, this.maxRows);
  }

  private record(records: readonly unknown[], time: number): void {
    const touched = new Set<string>();
    for (const record of records) {
      const key = this.expectation.keyOf(record);
      let entry = this.keys.get(key);
      if (entry) this.keys.delete(key); // re-set below: the map stays in order of the latest commit
      else entry = { values: [], verdict: EMPTY_VERDICT, lastTime: time };
      this.keys.set(key, entry);
      entry.values.push(this.expectation.valueOf(record));
      entry.lastTime = time;
      touched.add(key);
      this.recentKeys.delete(key);
      this.recentKeys.add(key);
    }
    this.totals.committed += records.length;
    this.rowsCache = null;
    for (const key of this.recentKeys) {
      if (this.recentKeys.size <= this.maxRows) break;
      this.recentKeys.delete(key);
    }
    for (const key of touched) this.rejudge(this.keys.get(key)!, key);
    this.retireOldKeys();
  }

  /** Past `maxKeys`, the least recently committed keys leave the map; what they counted stays in the totals. */
  private retireOldKeys(): void {
    for (const key of this.keys.keys()) {
      if (this.keys.size <= this.maxKeys) return;
      this.keys.delete(key);
      this.problemKeys.delete(key);
      this.recentKeys.delete(key);
      this.retiredKeys++;
    }
  }

  /** True the first time `transactionId` is committed; remembers the newest `rememberedTransactions` ids. */
  private firstCommitOf(transactionId: string): boolean {
    if (this.committedTransactions.has(transactionId)) return false;
    this.committedTransactions.add(transactionId);
    if (this.committedTransactions.size > this.rememberedTransactions) this.committedTransactions.delete(this.committedTransactions.values().next().value!);
    return true;
  }

  private rejudge(entry: KeyEntry, key: string): void {
    const before = entry.verdict;
    const after = judgeKey(entry.values, this.expectation.expected(key));
    this.totals.lost += after.lost.length - before.lost.length;
    this.totals.duplicated += after.duplicated - before.duplicated;
    this.totals.unexpected += after.unexpected - before.unexpected;
    this.totals.completedKeys += Number(after.complete) - Number(before.complete);
    entry.verdict = after;
    this.problemKeys.delete(key);
    if (after.lost.length + after.duplicated + after.unexpected > 0) this.problemKeys.add(key);
  }

  private preCommit(taskId: TaskId, checkpointId: CheckpointId, time: number): void {
    const id = `${taskId}@${checkpointId}`;
    this.transactions.set(id, { id, taskId, checkpointId, records: null, since: time, status: 'pre-committed', endedAt: null });
    // Bounded: a sink whose commits never arrive keeps only its newest few transactions.
    if (this.transactions.size > 64) this.transactions.delete(this.transactions.keys().next().value!);
  }

  private abort(id: string, time: number, records: number | null = null): void {
    const transaction = this.transactions.get(id);
    if (!transaction || transaction.status === 'aborted') return;
    this.transactions.set(id, { ...transaction, status: 'aborted', endedAt: time, records: records ?? transaction.records });
  }
}

/** The checkpoint id in a transaction id `<sink uid>#<subtask>@<checkpoint id>`, or null (e.g. an open transaction's `sink#1@attempt-0-after-2`). */
export function checkpointOfTransaction(transactionId: string): CheckpointId | null {
  const match = /@(\d+)$/.exec(transactionId);
  return match ? Number(match[1]) : null;
}
