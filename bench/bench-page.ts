// The benchmark, run inside headless Chromium by bench/run.ts: the keyed-sum job on the Worker runtime
// with IndexedDB on disk, at several parallelisms; throughput with and without checkpoints, checkpoint
// end-to-end times, recovery after a killed worker, snapshot upload rates, and the plain-loop baseline.
import { WorkerJob } from '../src/runtime/worker/worker-job';
import { IndexedDbCheckpointStorage } from '../src/storage/indexeddb-checkpoint-storage';
import { keyedSumTopic } from '../src/scenarios/keyed-sum';
import type { EngineEvent } from '../src/engine/events';
import type { ConfigurationMap } from '../src/engine/graph/stream-execution-environment';

const DATABASE = 'barrierscope-bench';
const log = (line: string) => {
  document.getElementById('log')!.textContent += `\n${line}`;
  console.log(line);
};
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

interface JobRun {
  readonly job: WorkerJob;
  readonly startedAt: number;
  moved: number;
  lastMoveTime: number;
  /** Times of records-moved batches into the keyed tasks (one per channel per event batch). */
  readonly moveTimes: number[];
  readonly events: EngineEvent[];
}

/** Rounds per key in throughput runs: long enough for several 1 s checkpoints. */
let ROUNDS = 100;
/** `?backend=hashmap|indexeddb`: the state.backend.type every job of the run uses. */
let BACKEND = 'hashmap';

async function startJob(parallelism: number, keys: number, intervalMs: number, recordsPerSecond: number, configuration: ConfigurationMap = {}): Promise<JobRun> {
  const storage = await IndexedDbCheckpointStorage.open(DATABASE);
  const job = new WorkerJob({
    jobId: `bench-${parallelism}-${intervalMs}-${Date.now()}`,
    scenario: { scenario: 'keyed-sum', parallelism, checkpointIntervalMs: intervalMs, mode: 'exactly-once', keys, recordsPerSecond, rounds: ROUNDS, configuration: { 'state.backend.type': BACKEND, ...configuration } },
    storage,
    databaseName: DATABASE,
  });
  const run: JobRun = { job, startedAt: now(), moved: 0, lastMoveTime: 0, moveTimes: [], events: [] };
  job.events.subscribe((events) => {
    for (const event of events) {
      if (event.type === 'records-moved') {
        if (event.to.startsWith('count#')) {
          run.moved += event.count;
          run.lastMoveTime = Math.max(run.lastMoveTime, event.time);
          run.moveTimes.push(event.time);
        }
      } else run.events.push(event);
    }
  });
  job.start();
  return run;
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

/** Upload rate while writing snapshots: bytes uploaded / time spent in async phases, over all subtask acks. */
function writeRate(run: JobRun): { mbPerS: number; checkpointedBytes: number; stateBytes: number } {
  const stats = run.job.jobMaster.stats;
  let bytes = 0;
  let stateBytes = 0;
  let asyncMs = 0;
  for (const checkpoint of stats.statistics().history) {
    if (checkpoint.status !== 'COMPLETED') continue;
    for (const vertex of Object.keys(checkpoint.tasks)) {
      for (const subtask of stats.subtaskDetails(checkpoint.id, vertex)?.subtasks ?? []) {
        bytes += subtask.checkpointed_size ?? 0;
        stateBytes += subtask.state_size ?? 0;
        asyncMs += subtask.checkpoint?.async ?? 0;
      }
    }
  }
  return { mbPerS: asyncMs > 0 ? bytes / 1e6 / (asyncMs / 1000) : NaN, checkpointedBytes: bytes, stateBytes };
}

async function throughput(parallelism: number, keys: number, intervalMs: number, configuration: ConfigurationMap = {}) {
  const total = keys * ROUNDS;
  const run = await startJob(parallelism, keys, intervalMs, 1e9, configuration);
  await until(() => run.moved >= total, 10 * 60_000, `${total} records`);
  const seconds = (run.lastMoveTime - run.startedAt) / 1000;
  if (intervalMs > 0) await until(() => run.job.jobMaster.stats.statistics().counts.completed >= 1, 30_000, 'a completed checkpoint');
  const statistics = run.job.jobMaster.stats.statistics();
  const rate = writeRate(run);
  run.job.stop();
  return { recordsPerS: total / seconds, seconds, statistics, rate };
}

/** Kill a worker after a checkpoint; time until records flow again from the restored checkpoint. */
async function recovery(parallelism: number, keys: number, kills: number): Promise<number[]> {
  const run = await startJob(parallelism, keys, 1000, 150_000, {
    'restart-strategy.type': 'fixed-delay',
    'restart-strategy.fixed-delay.attempts': 100,
    'restart-strategy.fixed-delay.delay': '0 ms',
  });
  const durations: number[] = [];
  for (let i = 0; i < kills; i++) {
    const completed = run.job.jobMaster.stats.statistics().counts.completed;
    await until(() => run.job.jobMaster.stats.statistics().counts.completed > completed && run.job.jobMaster.status === 'RUNNING', 60_000, 'a checkpoint');
    const killedAt = now();
    run.job.kill(`count#${i % parallelism}`);
    await until(() => run.lastMoveTime > killedAt && run.events.some((e) => e.type === 'task-restored' && e.time > killedAt), 60_000, 'records after the restore');
    durations.push(firstMoveAfter(run, killedAt) - killedAt);
  }
  run.job.stop();
  return durations;
}

/** The earliest records-moved time after `time` (batches carry the time of their first buffer). */
function firstMoveAfter(run: JobRun, time: number): number {
  return Math.min(...run.moveTimes.filter((t) => t > time));
}

/** Best of `repeats` runs: on a shared machine the fastest run is the least disturbed one. */
async function bestOf<T extends { recordsPerS: number }>(repeats: number, measure: () => Promise<T>): Promise<T> {
  let best: T | null = null;
  for (let i = 0; i < repeats; i++) {
    const result = await measure();
    if (!best || result.recordsPerS > best.recordsPerS) best = result;
  }
  return best!;
}

function baseline(keys: number, repeats = 5): number {
  let best = 0;
  for (let i = 0; i < repeats; i++) best = Math.max(best, baselineOnce(keys));
  return best;
}

function baselineOnce(keys: number): number {
  const topic = keyedSumTopic(keys);
  const records: Array<{ key: string; value: number }> = [];
  for (let partition = 0; partition < topic.numberOfPartitions; partition++) {
    for (let offset = 0; offset < topic.partitionLength(partition); offset++) records.push(topic.read(partition, offset) as { key: string; value: number });
  }
  const sums = new Map<string, number>();
  const start = performance.now();
  for (const record of records) sums.set(record.key, (sums.get(record.key) ?? 0) + record.value);
  const seconds = (performance.now() - start) / 1000;
  if (sums.size !== keys) throw new Error('baseline lost keys');
  return records.length / seconds;
}

async function main() {
  const params = new URLSearchParams(location.search);
  const parallelisms = (params.get('parallelism') ?? '1,2,4').split(',').map(Number);
  const keys = Number(params.get('keys') ?? 100_000);
  const kills = Number(params.get('kills') ?? 3);
  ROUNDS = Number(params.get('rounds') ?? ROUNDS);
  BACKEND = params.get('backend') ?? BACKEND;
  const runs = [];
  const repeats = Number(params.get('repeats') ?? 2);
  const baselineRecordsPerS = baseline(keys);
  log(`baseline: ${Math.round(baselineRecordsPerS)} records/s; state.backend.type=${BACKEND}`);
  await throughput(parallelisms[0] ?? 1, Math.min(keys, 20_000), 0); // warm-up: JIT, worker module cache
  for (const parallelism of parallelisms) {
    const withoutCheckpoints = await bestOf(repeats, () => throughput(parallelism, keys, 0));
    log(`p=${parallelism} no checkpoints: ${Math.round(withoutCheckpoints.recordsPerS)} records/s`);
    const withCheckpoints = await bestOf(repeats, () => throughput(parallelism, keys, 1000));
    log(`p=${parallelism} checkpoint every 1 s: ${Math.round(withCheckpoints.recordsPerS)} records/s`);
    const incremental = await bestOf(repeats, () => throughput(parallelism, keys, 1000, { 'execution.checkpointing.incremental': true }));
    log(`p=${parallelism} incremental: ${Math.round(incremental.recordsPerS)} records/s`);
    const recoveries = await recovery(parallelism, keys, kills);
    log(`p=${parallelism} recovery: ${recoveries.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    const e2e = withCheckpoints.statistics.summary.end_to_end_duration;
    runs.push({
      state_backend: BACKEND,
      parallelism,
      keys,
      records: keys * ROUNDS,
      throughput_records_per_s: Math.round(withCheckpoints.recordsPerS),
      throughput_no_checkpoint_records_per_s: Math.round(withoutCheckpoints.recordsPerS),
      checkpoint_overhead_ratio: Number((1 - withCheckpoints.recordsPerS / withoutCheckpoints.recordsPerS).toFixed(3)),
      checkpoints_completed: withCheckpoints.statistics.counts.completed,
      checkpoint_e2e_ms_p50: e2e.p50,
      checkpoint_e2e_ms_p99: e2e.p99,
      recovery_ms_p50: Math.round(percentile(recoveries, 0.5)),
      recovery_ms_all: recoveries.map(Math.round),
      snapshot_write_mb_per_s: {
        full: Number(withCheckpoints.rate.mbPerS.toFixed(1)),
        incremental: Number(incremental.rate.mbPerS.toFixed(1)),
      },
      incremental_checkpointed_to_state_size_ratio: Number((incremental.rate.checkpointedBytes / Math.max(1, incremental.rate.stateBytes)).toFixed(3)),
    });
  }
  return { date: new Date().toISOString(), user_agent: navigator.userAgent, method: `best of ${repeats} runs per figure after a warm-up run; baseline best of 5`, baseline_records_per_s: Math.round(baselineRecordsPerS), runs };
}

declare global {
  interface Window {
    __benchResult?: unknown;
    __benchError?: string;
  }
}

main().then(
  (result) => (window.__benchResult = result),
  (error: unknown) => (window.__benchError = error instanceof Error ? `${error.message}\n${error.stack}` : String(error)),
);
