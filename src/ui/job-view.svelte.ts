// What the page shows of a running job, whichever runtime runs it: status, checkpoint history in Flink's
// REST shape, committed output per key and the exactly-once verdict, recent events, why it restarted, and
// each subtask's state and slowdown. Reactive state, refreshed by the runtime's view model (once per
// animation frame) from the job master, the runtime and the output.
import type { CheckpointStatistics, CheckpointingStatistics } from '../engine/checkpoint/checkpoint-stats';
import type { EngineEvent } from '../engine/events';
import type { ExecutionState } from '../engine/task/messages';
import type { JobMaster } from '../runtime/job-master/job-master';
import type { ScenarioJob } from '../runtime/sim/scenario-job';
import { totalLength } from '../scenarios/scenario';
import { RestartExplainer, type RestartExplanation } from './restart-explanations';

const RECENT_EVENTS = 12;
/** Events kept for the list; older ones are dropped in halves. */
const EVENT_BUFFER_LIMIT = 200;

export interface OutputRow {
  readonly key: string;
  readonly values: string;
}

/** Whether committed output is exactly-once yet: still `filling`, `verified`, or has `problems`. */
export type Verdict = { readonly kind: 'filling' } | { readonly kind: 'verified' } | { readonly kind: 'problems'; readonly problems: readonly string[] };

export interface JobSample {
  readonly jobMaster: JobMaster;
  /** Clock time now (virtual or epoch ms). */
  readonly nowMs: number;
  readonly output: readonly unknown[];
  /** The slowdown in effect for a subtask (1 = normal speed), as the runtime holds it. */
  slowdownOf(taskId: string): number;
}

/** Fields holding objects are `$state.raw`: they are replaced whole on refresh, never mutated. */
export class JobView {
  status = $state('CREATED');
  elapsedMs = $state(0);
  numRestarts = $state(0);
  taskIds = $state.raw<string[]>([]);
  history = $state.raw<CheckpointStatistics[]>([]);
  counts = $state.raw<CheckpointingStatistics['counts']>({ completed: 0, failed: 0, in_progress: 0, restored: 0, total: 0 });
  restored = $state.raw<CheckpointingStatistics['latest']['restored']>(null);
  outputByKey = $state.raw<OutputRow[]>([]);
  committedRecords = $state(0);
  verdict = $state.raw<Verdict>({ kind: 'filling' });
  recentEvents = $state.raw<EngineEvent[]>([]);
  /** What the last user action did (or why it could not), e.g. "Terminated the Worker of sum#0". */
  notice = $state<string | null>(null);
  /** Every restart or failure of the job, explained, oldest first (bounded). */
  restarts = $state.raw<readonly RestartExplanation[]>([]);
  /** Each subtask's execution state and slowdown, for the fault controls. */
  taskStates = $state.raw<Readonly<Record<string, ExecutionState>>>({});
  slowdowns = $state.raw<Readonly<Record<string, number>>>({});
  /** Ids of the completed checkpoints and savepoints still in storage: the ones that can be downloaded. */
  retainedIds = $state.raw<readonly number[]>([]);

  #events: EngineEvent[] = [];
  #renderedRecords = -1;
  readonly #explainer: RestartExplainer;

  /** `originMs`: the clock time shown as 0 (the job's start), so times read as seconds into the run. */
  constructor(
    readonly job: ScenarioJob,
    readonly originMs: number,
  ) {
    this.#explainer = new RestartExplainer({ tolerableFailedCheckpoints: job.configuration.checkpointing.tolerableFailedCheckpoints });
  }

  /** Committed records once the input is drained; assumes one output per input record, as running-sum emits. */
  get expectedRecords(): number {
    return [...this.job.built.sources.values()].reduce((sum, topic) => sum + totalLength(topic), 0);
  }

  record(events: readonly EngineEvent[]): void {
    for (const event of events) {
      if (event.type === 'records-moved') continue;
      this.#events.push(event);
      this.#explainer.record(event);
    }
    if (this.#events.length > EVENT_BUFFER_LIMIT) this.#events.splice(0, this.#events.length - EVENT_BUFFER_LIMIT / 2);
  }

  refresh(sample: JobSample): void {
    const { jobMaster } = sample;
    const statistics = jobMaster.stats.statistics();
    this.status = jobMaster.status;
    this.elapsedMs = sample.nowMs - this.originMs;
    this.numRestarts = jobMaster.numRestarts;
    this.history = [...statistics.history];
    this.counts = statistics.counts;
    this.restored = statistics.latest.restored;
    const taskIds = [...jobMaster.taskStates().keys()].sort();
    if (taskIds.join() !== this.taskIds.join()) this.taskIds = taskIds;
    const taskStates = Object.fromEntries(jobMaster.taskStates());
    if (!sameEntries(taskStates, this.taskStates)) this.taskStates = taskStates;
    const slowdowns = Object.fromEntries(taskIds.map((taskId) => [taskId, sample.slowdownOf(taskId)]));
    if (!sameEntries(slowdowns, this.slowdowns)) this.slowdowns = slowdowns;
    const retainedIds = [...jobMaster.store.retained(), ...jobMaster.store.savepoints()].map((metadata) => metadata.checkpointId);
    if (retainedIds.join() !== this.retainedIds.join()) this.retainedIds = retainedIds;
    const restarts = this.#explainer.explanations;
    if (restarts.at(-1)?.sequence !== this.restarts.at(-1)?.sequence) this.restarts = [...restarts];
    if (sample.output.length !== this.#renderedRecords) this.renderOutput(sample.output);
    this.recentEvents = this.#events.slice(-RECENT_EVENTS).reverse();
  }

  private renderOutput(records: readonly unknown[]): void {
    // A local scratch map, rebuilt on each change; it is never read reactively.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const byKey = new Map<string, string[]>();
    for (const record of records as Array<{ key: string; value: unknown }>) {
      const list = byKey.get(record.key) ?? [];
      list.push(typeof record.value === 'number' ? String(record.value) : JSON.stringify(record.value));
      byKey.set(record.key, list);
    }
    this.outputByKey = [...byKey]
      .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
      .map(([key, values]) => ({ key, values: values.join(', ') }));
    this.committedRecords = records.length;
    this.#renderedRecords = records.length;
    this.verdict = this.judge(records);
  }

  /** Duplicates show at once; loss can only be judged once as many records as expected were committed. */
  private judge(records: readonly unknown[]): Verdict {
    const problems = this.job.scenario.checkExactlyOnce(records, this.job.parameters);
    if (records.length > this.expectedRecords) return { kind: 'problems', problems };
    if (records.length < this.expectedRecords) return { kind: 'filling' };
    return problems.length === 0 ? { kind: 'verified' } : { kind: 'problems', problems };
  }
}

function sameEntries<T>(a: Readonly<Record<string, T>>, b: Readonly<Record<string, T>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
