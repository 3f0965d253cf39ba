// The benchmark's recovery figure: kill a keyed subtask's Worker after a checkpoint completed and time how
// long until records move again from the restored checkpoint, and where that time went. Every phase is
// measured from times the runtime recorded (engine events, the Workers' deployment timings), never from
// when this page's 10 ms poll noticed something.
import type { EngineEvent } from '../src/engine/events';
import { log, now, percentile, startJob, until, type BenchSettings, type JobRun } from './job-run';

/**
 * One kill's recovery, in ms, split along its critical path: kill → the job RESTARTING (detect) → the new
 * attempt's `job-deployed` (cancel: every task cancelled, the restart delay) → the first keyed task to get records
 * again has its Worker up, storage open and Task.start() running (workers) → its last state blob read (read) →
 * its `task-restored` (decode: the blobs into the heap backend, opening the operators) → the first records moved
 * into it from then on (first_record: the sources restored and running, credit back from the restored task, the
 * next buffer). The phases sum to `total`.
 */
export interface RecoveryBreakdown {
  readonly total: number;
  readonly detect: number;
  readonly cancel: number;
  readonly workers: number;
  /** Part of `workers`: deploy() → the Worker's module evaluated (spawn and module load; 0 if it was up before). */
  readonly workers_module: number;
  /** Part of `workers`: deploy() on the page → the 'deploy' message taken up in the Worker (after module load, if any). */
  readonly workers_message: number;
  /** Part of `workers`: the 'deploy' message in the Worker → the job graph rebuilt from the scenario. */
  readonly workers_job_graph: number;
  /** Part of `workers`: the job graph built → its checkpoint storage open (IndexedDB). */
  readonly workers_storage: number;
  /** Part of `workers`: storage open → the TaskHost built, Task.start() begins. */
  readonly workers_host: number;
  readonly read: number;
  readonly decode: number;
  readonly first_record: number;
}

export interface RecoveryFigures {
  /** kill → first records moved from the restored checkpoint, one per kill . */
  readonly durations: number[];
  /** The same kills, split into phases. */
  readonly breakdowns: RecoveryBreakdown[];
  /** Each phase's p50 across the kills (so the phases' p50s need not add up to the total's p50); null without kills. */
  readonly recovery_breakdown_ms: RecoveryBreakdown | null;
}

interface Move {
  readonly to: string;
  readonly time: number;
  readonly attempt: number;
}

/** Kill a worker after a checkpoint; time until records flow again from the restored checkpoint, and where the time went: per kill and each phase's p50 (logged too). */
export async function recoveryFigures(settings: BenchSettings, parallelism: number, keys: number, kills: number): Promise<RecoveryFigures> {
  const run = await startJob(settings, parallelism, keys, 1000, 150_000, {
    'restart-strategy.type': 'fixed-delay',
    'restart-strategy.fixed-delay.attempts': 100,
    'restart-strategy.fixed-delay.delay': '0 ms',
  });
  const moves: Move[] = [];
  run.job.events.subscribe((events) => {
    for (const event of events) {
      if (event.type === 'records-moved' && event.to.startsWith('count#')) moves.push({ to: event.to, time: event.time, attempt: event.attempt });
    }
  });
  const durations: number[] = [];
  const breakdowns: RecoveryBreakdown[] = [];
  for (let i = 0; i < kills; i++) {
    const completed = run.job.jobMaster.stats.statistics().counts.completed;
    await until(() => run.job.jobMaster.stats.statistics().counts.completed > completed && run.job.jobMaster.status === 'RUNNING', 60_000, 'a checkpoint');
    // Steady state: the standby Workers the restart will deploy into (if any were started) are ready, not still starting.
    const standbys = run.job.cluster.standbyCount();
    if (standbys > 0) await until(() => run.job.cluster.preparedStandbyCount() >= standbys, 60_000, 'the standby Workers ready');
    const killedAt = now();
    run.job.kill(`count#${i % parallelism}`);
    await until(() => recoveredAfter(moves, run, killedAt) !== undefined, 60_000, 'records into a restored keyed task');
    const move = recoveredAfter(moves, run, killedAt)!;
    durations.push(move.time - killedAt);
    breakdowns.push(breakdownOf(run, killedAt, move));
  }
  run.job.stop();
  for (const [i, b] of breakdowns.entries()) log(`p=${parallelism} recovery kill ${i + 1}: ${describe(b)}`);
  const p50 = breakdowns.length === 0 ? null : medians(breakdowns);
  if (p50) log(`p=${parallelism} recovery_breakdown_ms (p50 of ${breakdowns.length} kills): ${describe(p50)}`);
  return { durations, breakdowns, recovery_breakdown_ms: p50 };
}

/**
 * The first records moved into a keyed task after `time` that the task could process from its restored state:
 * sent by the newest attempt deployed since `time`, into a keyed task of it at or after that task's `task-restored`
 * (a restored source may send its first buffers, on initial credit, before its receiver restored: they wait in the
 * port). Only once the task's Worker sent its deployment timings too.
 */
function recoveredAfter(moves: readonly Move[], run: JobRun, time: number): Move | undefined {
  const deployed = run.events.findLast((e) => e.type === 'job-deployed' && e.time >= time);
  if (!deployed || deployed.type !== 'job-deployed') return undefined;
  const restoredAt = new Map<string, number>();
  for (const e of run.events) {
    if (e.type === 'task-restored' && e.attempt === deployed.attempt && e.taskId.startsWith('count#')) restoredAt.set(e.taskId, e.time);
  }
  let first: Move | undefined;
  for (const move of moves) {
    const restored = restoredAt.get(move.to);
    if (restored === undefined || move.attempt !== deployed.attempt || move.time < restored) continue;
    if (run.job.cluster.deploymentTimings(move.to)?.attempt !== deployed.attempt) continue;
    if (first === undefined || move.time < first.time) first = move;
  }
  return first;
}

function breakdownOf(run: JobRun, killedAt: number, move: Move): RecoveryBreakdown {
  const after = (predicate: (e: EngineEvent) => boolean) => run.events.find((e) => e.time >= killedAt && predicate(e))?.time ?? NaN;
  const restarting = after((e) => e.type === 'job-status-changed' && e.status === 'RESTARTING');
  const deployed = after((e) => e.type === 'job-deployed' && e.attempt === move.attempt);
  const restored = after((e) => e.type === 'task-restored' && e.taskId === move.to && e.attempt === move.attempt);
  const t = run.job.cluster.deploymentTimings(move.to)!;
  const lastRead = t.lastReadAt ?? t.taskStartedAt;
  return {
    total: move.time - killedAt,
    detect: restarting - killedAt,
    cancel: deployed - restarting,
    workers: t.taskStartedAt - deployed,
    workers_module: Math.max(0, t.moduleLoadedAt - t.deployedAt),
    workers_message: t.deployReceivedAt - Math.max(t.deployedAt, t.moduleLoadedAt),
    workers_job_graph: t.jobGraphBuiltAt - t.deployReceivedAt,
    workers_storage: t.storageOpenedAt - t.jobGraphBuiltAt,
    workers_host: t.taskStartedAt - t.storageOpenedAt,
    read: lastRead - t.taskStartedAt,
    decode: restored - lastRead,
    first_record: move.time - restored,
  };
}

function medians(breakdowns: readonly RecoveryBreakdown[]): RecoveryBreakdown {
  const p50 = (field: keyof RecoveryBreakdown) => round(percentile(breakdowns.map((b) => b[field]), 0.5));
  return {
    total: p50('total'),
    detect: p50('detect'),
    cancel: p50('cancel'),
    workers: p50('workers'),
    workers_module: p50('workers_module'),
    workers_message: p50('workers_message'),
    workers_job_graph: p50('workers_job_graph'),
    workers_storage: p50('workers_storage'),
    workers_host: p50('workers_host'),
    read: p50('read'),
    decode: p50('decode'),
    first_record: p50('first_record'),
  };
}

function describe(b: RecoveryBreakdown): string {
  return Object.entries(b)
    .map(([phase, ms]) => `${phase} ${round(ms)}`)
    .join(', ');
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
