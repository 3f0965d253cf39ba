// `npx tsx bench/in-process.ts [keys=100000] [rounds=100] [parallelism=2] [runtime=hosts|deterministic]`:
// the benchmark's job in one Node thread, to profile per-record costs with `node --cpu-prof` (V8, as in
// Chromium). `hosts`: every subtask's TaskHost of the Worker runtime in this thread, wired with real
// MessageChannels (so the channel codec and structured clone are in the profile, the Workers'
// parallelism is not); `deterministic`: the deterministic runtime with the Worker runtime's buffers and step budget (as the page's engine figure). Prints records/s of wall time.
// `repeats=n` (deterministic only): n runs, the best one printed, and the plain Map loop of bench-page.ts (best of 5)
// measured in the same process, with the ratio, so A/B runs on a loaded machine compare like with like.
import { WORKER_NETWORK_LIMITS, WorkerJob } from '../src/runtime/worker/worker-job';
import { STEP_BUDGET, TaskHost } from '../src/runtime/worker/task-host';
import { MESSAGE_VERSION, type FromWorker, type ToWorker } from '../src/runtime/worker/protocol';
import { MemoryCheckpointStorage } from '../src/storage/memory-checkpoint-storage';
import { prepareScenarioJob } from '../src/runtime/sim/scenario-job';
import { realClock } from '../src/runtime/worker/real-clock';
import { Simulation } from '../src/runtime/sim/simulation';
import type { TaskId } from '../src/engine/ids';
import { keyedSumTopic } from '../src/scenarios/keyed-sum';

const args = new Map(process.argv.slice(2).map((arg) => arg.split('=') as [string, string]));
const keys = Number(args.get('keys') ?? 100_000);
const rounds = Number(args.get('rounds') ?? 100);
const parallelism = Number(args.get('parallelism') ?? 2);
const runtime = args.get('runtime') ?? 'hosts';
const total = keys * rounds;

/** Stands in for a Web Worker: hosts the TaskHost in this thread, as task.worker.ts does in its own. */
class InProcessWorker {
  onmessage: ((event: { data: FromWorker }) => void) | null = null;
  onerror: unknown = null;
  host: TaskHost | null = null;

  constructor(private readonly storage: MemoryCheckpointStorage) {}

  postMessage(message: ToWorker, transfer?: MessagePort[]): void {
    if (message.type === 'deploy') {
      const { jobGraph } = prepareScenarioJob(message.job.scenario);
      const peers = new Map(message.peers.map((peer, i) => [peer, transfer![i]!] as [TaskId, MessagePort]));
      const post = (reply: FromWorker) => setImmediate(() => this.onmessage?.({ data: reply }));
      this.host = new TaskHost({
        descriptor: message.descriptor,
        jobGraph,
        peers,
        storage: this.storage,
        eventFlushIntervalMs: message.eventFlushIntervalMs,
        postEvents: (events) => post({ version: MESSAGE_VERSION, type: 'events', events }),
        postToJobMaster: (m) => post({ version: MESSAGE_VERSION, type: 'job-master', message: m }),
        writeExternal: () => {},
      });
      this.host.start();
      post({ version: MESSAGE_VERSION, type: 'deployed', taskId: message.descriptor.taskId });
    } else if (message.type === 'task-message') {
      this.host?.receive(message.message);
    }
  }

  terminate(): void {
    this.host?.task.terminate();
  }
}

async function hosts(): Promise<number> {
  const storage = new MemoryCheckpointStorage(realClock);
  const job = new WorkerJob({
    jobId: 'in-process',
    scenario: { scenario: 'keyed-sum', parallelism, checkpointIntervalMs: 0, mode: 'exactly-once', keys, recordsPerSecond: 1e9, rounds },
    storage,
    databaseName: null,
  });
  (job.cluster as unknown as { options: { createWorker: () => unknown } }).options.createWorker = () => new InProcessWorker(storage);
  let moved = 0;
  let last = 0;
  job.events.subscribe((events) => {
    for (const event of events) {
      if (event.type !== 'records-moved' || !event.to.startsWith('count#')) continue;
      moved += event.count;
      last = Math.max(last, event.time);
    }
  });
  const start = realClock.now();
  job.start();
  while (moved < total) await new Promise((resolve) => setTimeout(resolve, 20));
  job.stop();
  return total / ((last - start) / 1000);
}

/** Records per second of this process's CPU time (user + system) in the last deterministic run: steadier than wall time on a loaded machine. */
let cpuRate = 0;

function deterministic(): number {
  const { jobGraph, configuration } = prepareScenarioJob({ scenario: 'keyed-sum', parallelism, checkpointIntervalMs: 0, mode: 'exactly-once', keys, recordsPerSecond: 1e9, rounds });
  let moved = 0;
  const simulation = new Simulation({
    seed: 1,
    jobGraph,
    configuration,
    network: WORKER_NETWORK_LIMITS,
    stepBudget: STEP_BUDGET,
    onEvent: (event) => {
      if (event.type === 'records-moved' && event.to.startsWith('count#')) moved += event.count;
    },
  });
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  simulation.start();
  simulation.runUntil(Number.MAX_SAFE_INTEGER, () => moved >= total);
  const cpu = process.cpuUsage(cpuStart);
  cpuRate = total / ((cpu.user + cpu.system) / 1e6);
  return total / ((performance.now() - start) / 1000);
}

/** bench-page.ts's baseline: the same records, one Map update each. */
function baseline(): number {
  const topic = keyedSumTopic(keys);
  const records: Array<{ key: string; value: number }> = [];
  for (let partition = 0; partition < topic.numberOfPartitions; partition++) {
    for (let offset = 0; offset < topic.partitionLength(partition); offset++) records.push(topic.read(partition, offset) as { key: string; value: number });
  }
  let best = 0;
  for (let i = 0; i < 5; i++) {
    const sums = new Map<string, number>();
    const start = performance.now();
    for (const record of records) sums.set(record.key, (sums.get(record.key) ?? 0) + record.value);
    best = Math.max(best, records.length / ((performance.now() - start) / 1000));
  }
  return best;
}

const repeats = Number(args.get('repeats') ?? 0);
if (repeats > 0 && runtime === 'deterministic') {
  let best = 0;
  let bestCpu = 0;
  const rates: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const rate = deterministic();
    rates.push(rate);
    best = Math.max(best, rate);
    bestCpu = Math.max(bestCpu, cpuRate);
  }
  const plain = baseline();
  const round = (rate: number) => Math.round(rate).toLocaleString('en');
  console.log(`${runtime} p=${parallelism} ${total} records: best ${round(best)} records/s (${rates.map(round).join(', ')}); plain loop ${round(plain)}; ratio ${(best / plain).toFixed(3)}; per CPU second: best ${round(bestCpu)}`);
} else {
  const rate = runtime === 'deterministic' ? deterministic() : await hosts();
  console.log(`${runtime} p=${parallelism} ${total} records: ${Math.round(rate).toLocaleString('en')} records/s`);
}
process.exit(0);
