// What the page's job panels show, as one pure fold of the event stream and samples (issue 7): the job's
// status and restarts, each subtask's execution state (latest attempt) and slowdown (from samples), the
// retained checkpoints (completed and not discarded), why it restarted, and the
// committed output per key with the exactly-once verdict — output from `sink-committed` records and
// at-least-once `sink-written` writes, after what the sink's external system already held when the run
// began (a resumed or restored run). No engine objects: a replay folds the same way.
import type { EngineEvent } from '../engine/events';
import type { TaskSample } from '../engine/samples';
import type { ExecutionState } from '../engine/task/messages';
import type { ScenarioJob } from '../runtime/sim/scenario-job';
import { totalLength } from '../scenarios/scenario';
import type { EventFold } from './model/event-fold';
import { RestartExplainer, type RestartExplanation } from './restart-explanations';

/** Keys listed in the committed output panel: the newest ones (the count says how many there are). */
export const MAX_OUTPUT_ROWS = 200;

export interface OutputRow {
  readonly key: string;
  readonly values: string;
}

/** Whether committed output is exactly-once yet: still `filling`, `verified`, or has `problems`. */
export type Verdict = { readonly kind: 'filling' } | { readonly kind: 'verified' } | { readonly kind: 'problems'; readonly problems: readonly string[] };

export interface JobPanelsView {
  readonly status: string;
  readonly numRestarts: number;
  readonly taskIds: readonly string[];
  readonly taskStates: Readonly<Record<string, ExecutionState>>;
  readonly slowdowns: Readonly<Record<string, number>>;
  /** Completed checkpoints and savepoints not discarded: the ones that can be downloaded. */
  readonly retainedIds: readonly number[];
  readonly restarts: readonly RestartExplanation[];
  readonly outputByKey: readonly OutputRow[];
  readonly committedRecords: number;
  /** Records committed once a bounded input is drained (Infinity for a job that never runs dry). */
  readonly expectedRecords: number;
  readonly verdict: Verdict;
}

/** Keys in natural order (`k2` before `k10`); one collator, as `localeCompare` builds one per call. */
const BY_KEY = new Intl.Collator(undefined, { numeric: true });

const DATA_EVENTS = new Set<EngineEvent['type']>(['records-moved', 'records-consumed', 'source-read']);

export class JobPanelsFold implements EventFold<JobPanelsView> {
  #status = 'CREATED';
  #numRestarts = 0;
  #attempt = -1;
  #taskStates: Record<string, ExecutionState> = {};
  readonly #slowdowns = new Map<string, number>();
  readonly #retained = new Set<number>();
  readonly #explainer: RestartExplainer;
  readonly #output: unknown[];
  readonly #committedTransactions = new Set<string>();
  /** Values per key, in commit order (a Map keeps first-commit order). */
  readonly #byKey = new Map<string, string[]>();
  /** The newest MAX_OUTPUT_ROWS keys by first commit, oldest first: the rows shown, without walking every key. */
  readonly #recentKeys: string[] = [];
  readonly #expectedRecords: number;
  #rows: { readonly length: number; readonly rows: readonly OutputRow[] } | null = null;
  #verdict: { readonly length: number; readonly verdict: Verdict } | null = null;

  constructor(
    private readonly job: ScenarioJob,
    /** What the sink's external system held when the run began. */
    initialOutput: readonly unknown[] = [],
  ) {
    this.#explainer = new RestartExplainer({ tolerableFailedCheckpoints: job.configuration.checkpointing.tolerableFailedCheckpoints });
    this.#output = [];
    this.commit(initialOutput);
    this.#expectedRecords = job.parameters.unbounded ? Number.POSITIVE_INFINITY : [...job.built.sources.values()].reduce((sum, topic) => sum + totalLength(topic), 0);
  }

  apply(event: EngineEvent): void {
    if (DATA_EVENTS.has(event.type)) return;
    this.#explainer.record(event);
    switch (event.type) {
      case 'job-status-changed':
        this.#status = event.status;
        return;
      case 'job-restarting':
        this.#numRestarts += 1;
        return;
      case 'job-deployed':
        this.newAttempt(event.attempt);
        for (const subtask of event.subtasks) this.#taskStates[subtask.taskId] ??= 'CREATED';
        return;
      case 'task-state-changed':
        if (event.attempt < this.#attempt) return;
        if (event.attempt > this.#attempt) this.newAttempt(event.attempt);
        this.#taskStates = { ...this.#taskStates, [event.taskId]: event.state };
        return;
      case 'checkpoint-completed':
        this.#retained.add(event.checkpointId);
        return;
      case 'checkpoint-discarded':
        this.#retained.delete(event.checkpointId);
        return;
      case 'sink-committed':
        // A transaction is committed once, as the external system takes it (a repeat would be refused there).
        if (this.#committedTransactions.has(event.transactionId)) return;
        this.#committedTransactions.add(event.transactionId);
        this.commit(event.committed);
        return;
      case 'sink-written':
        this.commit(event.written);
        return;
    }
  }

  applySample(sample: TaskSample): void {
    this.#slowdowns.set(sample.taskId, sample.slowdown);
  }

  view(): JobPanelsView {
    const taskIds = Object.keys(this.#taskStates).sort();
    const { rows, verdict } = this.rendered();
    return {
      status: this.#status,
      numRestarts: this.#numRestarts,
      taskIds,
      taskStates: this.#taskStates,
      slowdowns: Object.fromEntries(taskIds.map((taskId) => [taskId, this.#slowdowns.get(taskId) ?? 1])),
      retainedIds: [...this.#retained].sort((a, b) => a - b),
      restarts: this.#explainer.explanations,
      outputByKey: rows,
      committedRecords: this.#output.length,
      expectedRecords: this.#expectedRecords,
      verdict,
    };
  }

  private newAttempt(attempt: number): void {
    if (attempt <= this.#attempt) return;
    this.#attempt = attempt;
    this.#taskStates = {};
  }

  private commit(records: readonly unknown[]): void {
    for (const record of records as ReadonlyArray<{ key: string; value: unknown }>) {
      this.#output.push(record);
      const value = typeof record.value === 'number' ? String(record.value) : JSON.stringify(record.value);
      const values = this.#byKey.get(record.key);
      if (values) values.push(value);
      else {
        this.#byKey.set(record.key, [value]);
        this.#recentKeys.push(record.key);
        if (this.#recentKeys.length > MAX_OUTPUT_ROWS) this.#recentKeys.shift();
      }
    }
  }

  /**
   * The newest MAX_OUTPUT_ROWS keys, by key; the verdict re-judged once output grew by 1 % (every record while
   * it is small), so a long run stays cheap per frame.
   */
  private rendered(): { rows: readonly OutputRow[]; verdict: Verdict } {
    const length = this.#output.length;
    if (this.#rows?.length !== length) {
      const keys = [...this.#recentKeys].sort(BY_KEY.compare);
      this.#rows = { length, rows: keys.map((key) => ({ key, values: this.#byKey.get(key)!.join(', ') })) };
    }
    if (!this.#verdict || length - this.#verdict.length > Math.floor(this.#verdict.length / 100) || (length === this.#expectedRecords && this.#verdict.length !== length)) {
      this.#verdict = { length, verdict: this.judge() };
    }
    return { rows: this.#rows.rows, verdict: this.#verdict.verdict };
  }

  /** Duplicates show at once; loss can only be judged once as many records as expected were committed. */
  private judge(): Verdict {
    const records = this.#output;
    const problems = this.job.scenario.checkExactlyOnce(records, this.job.parameters);
    if (records.length > this.#expectedRecords) return { kind: 'problems', problems };
    if (records.length < this.#expectedRecords) return problems.length > 0 && this.job.parameters.unbounded ? { kind: 'problems', problems } : { kind: 'filling' };
    return problems.length === 0 ? { kind: 'verified' } : { kind: 'problems', problems };
  }
}
