// One run of the benchmark's job on the Worker runtime inside the bench page: the keyed-sum scenario with
// IndexedDB on disk, its records-moved counts into the keyed tasks and every other event, for the figures
// in bench-page.ts and recovery.ts to read.
import { WorkerJob } from '../src/runtime/worker/worker-job';
import { IndexedDbCheckpointStorage } from '../src/storage/indexeddb-checkpoint-storage';
import type { EngineEvent } from '../src/engine/events';
import type { ConfigurationMap } from '../src/engine/graph/stream-execution-environment';

export const DATABASE = 'barrierscope-bench';

export const log = (line: string) => {
  document.getElementById('log')!.textContent += `\n${line}`;
  console.log(line);
};
export const now = () => performance.timeOrigin + performance.now();
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** What every job of one bench run shares, from the page's URL. */
export interface BenchSettings {
  /** Records per key. */
  readonly rounds: number;
  /** `state.backend.type`. */
  readonly backend: string;
  /** `config.<option>=<value>` parameters: Flink options every job of the run gets. */
  readonly configuration: ConfigurationMap;
}

export interface JobRun {
  readonly job: WorkerJob;
  readonly startedAt: number;
  moved: number;
  lastMoveTime: number;
  /** Times of records-moved batches into the keyed tasks (one per channel per event batch). */
  readonly moveTimes: number[];
  readonly events: EngineEvent[];
}

export async function startJob(settings: BenchSettings, parallelism: number, keys: number, intervalMs: number, recordsPerSecond: number, configuration: ConfigurationMap = {}): Promise<JobRun> {
  const storage = await IndexedDbCheckpointStorage.open(DATABASE);
  const job = new WorkerJob({
    jobId: `bench-${parallelism}-${intervalMs}-${Date.now()}`,
    scenario: {
      scenario: 'keyed-sum',
      parallelism,
      checkpointIntervalMs: intervalMs,
      mode: 'exactly-once',
      keys,
      recordsPerSecond,
      rounds: settings.rounds,
      configuration: { 'state.backend.type': settings.backend, ...settings.configuration, ...configuration },
    },
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

export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}
