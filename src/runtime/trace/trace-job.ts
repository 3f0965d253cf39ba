// What a trace says about its job, and what must be assumed: events name operators and the topology
// (job-deployed), not the scenario or its options. The scenario is the one whose operator uids the trace's
// are; the rest is read from the events where they show it, and every assumption is said in words.
import type { EngineEvent, EventOf } from '../../engine/events';
import { SCENARIOS } from '../../scenarios';
import { UPPER_BOUND_MAX_PARALLELISM } from '../../engine/config';
import { MINIMAL_CHECKPOINT_TIME_MS } from '../../engine/config/options';
import { prepareScenarioJob, type ScenarioJob, type ScenarioJobOptions } from '../sim/scenario-job';

export interface TraceJob {
  readonly job: ScenarioJob;
  readonly options: ScenarioJobOptions;
  /** Which runtime recorded it: virtual time starts at 0, Workers' clock is epoch ms. */
  readonly recordedBy: 'deterministic' | 'worker';
  /** What the trace did not say, in words for the page's notice. */
  readonly assumptions: readonly string[];
}

export type TraceJobInference = ({ readonly ok: true } & TraceJob) | { readonly ok: false; readonly message: string };

/** The simulator's limit (the CLI's --parallelism bound): a trace of a larger job is not one of ours. */
export const MAX_TRACE_PARALLELISM = 256;
/** Keys the CLI runs with by default (and the page runs per generation). */
const DEFAULT_KEYS = 100;
const DEFAULT_RECORDS_PER_SECOND = 100;
/** Times above this are epoch ms (2001 on), not virtual time from 0 (at most 30 min). */
const EPOCH_MS_FROM = 1e12;
/** Key names of the scenarios whose records carry a numbered key: running-sum's `key-7`, order-totals' `customer-7`. */
const KEY_PATTERN = /^(?:key|customer)-(0|[1-9]\d{0,8})$/;

export function inferTraceJob(events: readonly EngineEvent[]): TraceJobInference {
  const deployed = events.find((event): event is EventOf<'job-deployed'> => event.type === 'job-deployed');
  if (!deployed) return { ok: false, message: 'the trace has no job-deployed event, so it does not say which job ran (a trace begins with one)' };
  const uids = deployed.vertices.flatMap((vertex) => vertex.operators.map((operator) => operator.uid));
  const uidText = [...uids].sort().join(', ');
  const scenario = [...SCENARIOS.values()].find((candidate) => {
    const built = prepareScenarioJob({ scenario: candidate.name, parallelism: 1, checkpointIntervalMs: 0, mode: 'exactly-once', keys: 1, recordsPerSecond: 1 });
    return built.jobGraph.vertices.flatMap((vertex) => vertex.operators.map((operator) => operator.uid)).sort().join(', ') === uidText;
  });
  if (!scenario) return { ok: false, message: `the trace's operators (${uidText || 'none'}) are not those of any scenario this page runs (${[...SCENARIOS.keys()].join(', ')})` };
  const parallelism = Math.max(...deployed.vertices.map((vertex) => vertex.parallelism));
  const maxParallelism = deployed.vertices[0]?.maxParallelism ?? 128;
  if (parallelism < 1 || parallelism > MAX_TRACE_PARALLELISM) return { ok: false, message: `the trace's job runs at parallelism ${parallelism}; this page shows 1 to ${MAX_TRACE_PARALLELISM}` };
  if (maxParallelism < parallelism || maxParallelism > UPPER_BOUND_MAX_PARALLELISM) return { ok: false, message: `the trace's max parallelism ${maxParallelism} is not from ${parallelism} to ${UPPER_BOUND_MAX_PARALLELISM}` };
  const mode = events.some((event) => event.type === 'sink-written') ? 'at-least-once' : 'exactly-once';
  const intervalMs = checkpointInterval(events);
  const keys = highestKey(events);
  const base = { scenario: scenario.name, parallelism, maxParallelism, checkpointIntervalMs: intervalMs, mode, keys: keys ?? DEFAULT_KEYS, recordsPerSecond: DEFAULT_RECORDS_PER_SECOND } as const;
  const unbounded = !drainedBounded(base, events);
  const options: ScenarioJobOptions = unbounded ? { ...base, unbounded: true } : base;
  let job: ScenarioJob;
  try {
    job = prepareScenarioJob(options);
  } catch (error) {
    return { ok: false, message: `the trace's job cannot be rebuilt as ${scenario.name}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const mismatch = topologyMismatch(job, deployed);
  if (mismatch) return { ok: false, message: `the trace's job is not ${scenario.name} as this page builds it: ${mismatch}` };
  const assumptions = [
    `it is ${scenario.name} (its operators are ${uidText})`,
    `${mode} (${mode === 'at-least-once' ? 'its sink wrote records directly' : 'its sink committed transactions, or wrote nothing'})`,
    intervalMs > 0 ? `a checkpoint interval of ${intervalMs} ms (the gap between its periodic checkpoints)` : 'checkpointing off (no checkpoint was triggered)',
    keys === null ? `${DEFAULT_KEYS} keys (no committed record names one)` : `${keys} keys (the highest key committed)`,
    unbounded ? "input that does not end (the ledger checks each key's output as a beginning of its expected one)" : 'input that ends, and was all committed',
    "Flink's defaults for the other options (restart strategy, timeouts, tolerable failures)",
  ];
  return { ok: true, job, options, recordedBy: deployed.time >= EPOCH_MS_FROM ? 'worker' : 'deterministic', assumptions };
}

/** The most common gap between periodic checkpoints (manual ones and delays aside), at least Flink's minimum; 0 when none was triggered. */
function checkpointInterval(events: readonly EngineEvent[]): number {
  const times = events.filter((event) => event.type === 'checkpoint-triggered' && event.checkpointType === 'CHECKPOINT').map((event) => event.time);
  if (times.length === 0) return 0;
  if (times.length === 1) return Math.max(MINIMAL_CHECKPOINT_TIME_MS, Math.round(times[0]! - events[0]!.time));
  const counts = new Map<number, number>();
  for (let i = 1; i < times.length; i++) {
    const gap = Math.round(times[i]! - times[i - 1]!);
    counts.set(gap, (counts.get(gap) ?? 0) + 1);
  }
  const [gap] = [...counts].reduce((best, entry) => (entry[1] > best[1] || (entry[1] === best[1] && entry[0] < best[0]) ? entry : best));
  return Math.max(MINIMAL_CHECKPOINT_TIME_MS, gap);
}

/** One more than the highest numbered key in the committed or written output, or null when none is named. */
function highestKey(events: readonly EngineEvent[]): number | null {
  let highest = -1;
  for (const event of events) {
    const records = event.type === 'sink-committed' ? event.committed : event.type === 'sink-written' ? event.written : null;
    for (const record of records ?? []) {
      const key = record !== null && typeof record === 'object' ? (record as { key?: unknown }).key : undefined;
      const match = typeof key === 'string' ? KEY_PATTERN.exec(key) : null;
      if (match) highest = Math.max(highest, Number(match[1]));
    }
  }
  return highest < 0 ? null : highest + 1;
}

/** Whether the latest completed checkpoint's offsets are the ends of the bounded input of `keys` keys (a drained CLI run). */
function drainedBounded(options: ScenarioJobOptions, events: readonly EngineEvent[]): boolean {
  const last = events.findLast((event): event is EventOf<'checkpoint-completed'> => event.type === 'checkpoint-completed');
  if (!last) return false;
  try {
    const { built } = prepareScenarioJob(options);
    return [...built.sources].every(([uid, topic]) => {
      const offsets = last.sourceOffsets[uid];
      if (!offsets) return false;
      for (let partition = 0; partition < topic.numberOfPartitions; partition++) if ((offsets[String(partition)] ?? 0) !== topic.partitionLength(partition)) return false;
      return true;
    });
  } catch {
    return false;
  }
}

/** How the rebuilt job's vertices differ from those the trace deployed, or null. */
function topologyMismatch(job: ScenarioJob, deployed: EventOf<'job-deployed'>): string | null {
  for (const vertex of deployed.vertices) {
    const built = job.jobGraph.vertices.find((candidate) => candidate.id === vertex.vertexId);
    if (!built) return `it has no vertex '${vertex.vertexId}'`;
    if (built.parallelism !== vertex.parallelism) return `vertex '${vertex.vertexId}' runs at parallelism ${vertex.parallelism} in the trace, every vertex at one parallelism here`;
  }
  if (job.jobGraph.vertices.length !== deployed.vertices.length) return `it has ${job.jobGraph.vertices.length} vertices, the trace ${deployed.vertices.length}`;
  if (job.jobGraph.maxParallelism !== deployed.vertices[0]?.maxParallelism) return `max parallelism ${deployed.vertices[0]?.maxParallelism} cannot be built`;
  return null;
}
