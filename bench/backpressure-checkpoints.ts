// Checkpoint end-to-end duration under backpressure, aligned vs unaligned (issue 9), on the deterministic
// runtime: the same job, seed and slow sink (running-sum's sink#0, chained to sum#0, slowed from the start, so
// its input channels fill and the sources are backpressured), once with aligned checkpoints and once with
// unaligned ones (execution.checkpointing.unaligned.enabled, aligned-checkpoint-timeout 0). Aligned barriers
// queue behind the buffered records, so their duration grows with the queue; unaligned barriers overtake it and
// persist it as channel state instead. Virtual time, so the figures are the same on every machine; only
// `wall_ms` is real. `npx tsx bench/backpressure-checkpoints.ts` prints them.
import { runScenario, type RunScenarioOptions } from '../src/runtime/sim/run-scenario';
import type { EngineEvent } from '../src/engine/events';

export interface BackpressureCheckpointOptions {
  /** Virtual ms the job runs (default 8000). */
  readonly runMs?: number;
  /** How many times slower the sink's task is (default 200). */
  readonly slowdown?: number;
  readonly checkpointIntervalMs?: number;
  readonly parallelism?: number;
  readonly recordsPerSecond?: number;
  readonly seed?: number;
}

/** One configuration's figures. */
interface RunFigures {
  readonly completed: number;
  readonly failed: number;
  readonly e2eMs: readonly number[];
  readonly persistedBytes: readonly number[];
  readonly maxQueued: number;
  readonly meanQueued: number;
  readonly committed: number;
  readonly wallMs: number;
}

const SLOWED_TASK = 'sum#0';

function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function run(options: Required<BackpressureCheckpointOptions>, unaligned: boolean): RunFigures {
  // Records queued at the slowed task's input (moved to it − consumed by it), sampled at every event of the run.
  let queued = 0;
  let maxQueued = 0;
  let queuedTimeWeighted = 0;
  let lastTime = 0;
  const onEvent = (event: EngineEvent) => {
    queuedTimeWeighted += queued * (event.time - lastTime);
    lastTime = event.time;
    if (event.type === 'records-moved' && event.to === SLOWED_TASK) queued += event.count;
    else if (event.type === 'records-consumed' && event.taskId === SLOWED_TASK) queued -= event.count;
    else if (event.type === 'channel-state-restored' && event.side === 'input' && event.taskId === SLOWED_TASK) queued += event.records;
    else if (event.type === 'job-deployed') queued = 0;
    maxQueued = Math.max(maxQueued, queued);
  };
  const scenario: RunScenarioOptions = {
    scenario: 'running-sum',
    parallelism: options.parallelism,
    checkpointIntervalMs: options.checkpointIntervalMs,
    mode: 'exactly-once',
    seed: options.seed,
    // Enough keys that the sources never run dry within the run.
    keys: 10_000,
    recordsPerSecond: options.recordsPerSecond,
    untilMs: options.runMs,
    faults: [{ kind: 'slow-task', uid: 'sink', subtask: 0, atMs: 0, factor: options.slowdown }],
    recordEvents: false,
    onEvent,
    configuration: unaligned ? { 'execution.checkpointing.unaligned.enabled': true, 'execution.checkpointing.aligned-checkpoint-timeout': '0 ms' } : {},
  };
  const started = performance.now();
  const result = runScenario(scenario);
  const wallMs = performance.now() - started;
  const history = result.checkpoints.history.filter((entry) => !entry.is_savepoint);
  const completed = history.filter((entry) => entry.status === 'COMPLETED');
  return {
    completed: completed.length,
    failed: history.filter((entry) => entry.status === 'FAILED').length,
    e2eMs: completed.map((entry) => entry.end_to_end_duration),
    persistedBytes: completed.map((entry) => entry.persisted_data),
    maxQueued,
    meanQueued: lastTime > 0 ? queuedTimeWeighted / lastTime : 0,
    committed: result.output.length,
    wallMs,
  };
}

/**
 * The figures of both runs as one plain object: checkpoint end-to-end duration (p50, p90, max) aligned and
 * unaligned, the unaligned checkpoints' persisted in-flight bytes, the queue at the slowed task, the run's
 * length and the number of checkpoints of each.
 */
export function backpressureCheckpointFigures(options: BackpressureCheckpointOptions = {}): Record<string, number | null> {
  const resolved: Required<BackpressureCheckpointOptions> = {
    runMs: options.runMs ?? 8_000,
    slowdown: options.slowdown ?? 200,
    checkpointIntervalMs: options.checkpointIntervalMs ?? 500,
    parallelism: options.parallelism ?? 2,
    recordsPerSecond: options.recordsPerSecond ?? 400,
    seed: options.seed ?? 1,
  };
  const aligned = run(resolved, false);
  const unaligned = run(resolved, true);
  const round = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);
  return {
    run_virtual_ms: resolved.runMs,
    slowdown: resolved.slowdown,
    checkpoint_interval_ms: resolved.checkpointIntervalMs,
    records_per_second_per_source_subtask: resolved.recordsPerSecond,
    aligned_checkpoints_completed: aligned.completed,
    aligned_checkpoints_failed: aligned.failed,
    aligned_checkpoint_e2e_ms_p50: percentile(aligned.e2eMs, 50),
    aligned_checkpoint_e2e_ms_p90: percentile(aligned.e2eMs, 90),
    aligned_checkpoint_e2e_ms_max: percentile(aligned.e2eMs, 100),
    aligned_queue_records_max: aligned.maxQueued,
    aligned_queue_records_mean: round(aligned.meanQueued),
    aligned_records_committed: aligned.committed,
    unaligned_checkpoints_completed: unaligned.completed,
    unaligned_checkpoints_failed: unaligned.failed,
    unaligned_checkpoint_e2e_ms_p50: percentile(unaligned.e2eMs, 50),
    unaligned_checkpoint_e2e_ms_p90: percentile(unaligned.e2eMs, 90),
    unaligned_checkpoint_e2e_ms_max: percentile(unaligned.e2eMs, 100),
    unaligned_persisted_bytes_p50: percentile(unaligned.persistedBytes, 50),
    unaligned_queue_records_max: unaligned.maxQueued,
    unaligned_queue_records_mean: round(unaligned.meanQueued),
    unaligned_records_committed: unaligned.committed,
    wall_ms: round(aligned.wallMs + unaligned.wallMs),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // `npx tsx bench/backpressure-checkpoints.ts [runMs=8000] [slowdown=…] [recordsPerSecond=…]`
  const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.split('=')).map(([key, value]) => [key, Number(value)]));
  console.log(JSON.stringify(backpressureCheckpointFigures(args), null, 2));
}
