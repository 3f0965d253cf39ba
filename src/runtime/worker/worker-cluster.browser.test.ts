// The cluster with real Web Workers in Chromium: a Worker reports it is deployed and then beats at
// heartbeat.interval; a Worker that throws is noticed at once through its error event, long before any
// heartbeat.timeout (set far beyond the wait limit here, so nothing else could explain the loss).
import { afterEach, expect, it } from 'vitest';
import { until } from '../../../tests/support/until';
import type { TaskId } from '../../engine/ids';
import { DEFAULT_NETWORK_LIMITS } from '../../engine/task/network-limits';
import { MemoryCheckpointStorage } from '../../storage/memory-checkpoint-storage';
import { createDeploymentDescriptors } from '../job-master/deployment-plan';
import { prepareScenarioJob, type ScenarioJobOptions } from '../sim/scenario-job';
import type { FromWorker } from './protocol';
import { realClock } from './real-clock';
import { WorkerCluster } from './worker-cluster';

const SCENARIO: ScenarioJobOptions = { scenario: 'running-sum', parallelism: 1, checkpointIntervalMs: 0, mode: 'exactly-once', keys: 10, recordsPerSecond: 10 };
/** Far longer than any wait in this file: a loss seen here cannot be a heartbeat timeout. */
const NEVER_MS = 24 * 3_600_000;

const clusters: WorkerCluster[] = [];
afterEach(() => {
  for (const cluster of clusters.splice(0)) cluster.shutdown();
});

function startCluster(heartbeat: { intervalMs: number; timeoutMs: number }, createWorker?: (taskId: TaskId) => Worker) {
  const lost: Array<{ taskId: TaskId; cause: string }> = [];
  const cluster = new WorkerCluster({
    job: { scenario: SCENARIO },
    databaseName: null,
    storage: new MemoryCheckpointStorage(realClock),
    heartbeat,
    onJobMasterMessage: () => {},
    onEvents: () => {},
    onExternalWrite: () => {},
    onTaskLost: (taskId, cause) => lost.push({ taskId, cause }),
    ...(createWorker ? { createWorker } : {}),
  });
  clusters.push(cluster);
  const descriptors = createDeploymentDescriptors(prepareScenarioJob(SCENARIO).jobGraph, {
    jobId: 'heartbeats',
    attempt: 0,
    checkpointingMode: 'exactly-once',
    network: DEFAULT_NETWORK_LIMITS,
    restore: null,
  });
  cluster.deploy(descriptors);
  return { lost, taskIds: descriptors.map((descriptor) => descriptor.taskId) };
}

it('a Worker reports it is deployed, then sends heartbeats at heartbeat.interval', async () => {
  const heard: Array<{ taskId: TaskId; type: FromWorker['type'] }> = [];
  const { lost, taskIds } = startCluster({ intervalMs: 20, timeoutMs: NEVER_MS }, (taskId) => {
    const worker = new Worker(new URL('./task.worker.ts', import.meta.url), { type: 'module', name: taskId });
    worker.addEventListener('message', (event: MessageEvent<FromWorker>) => heard.push({ taskId, type: event.data.type }));
    return worker;
  });
  const beats = (taskId: TaskId) => heard.filter((message) => message.taskId === taskId && message.type === 'heartbeat').length;
  await until(() => taskIds.every((taskId) => beats(taskId) >= 3), 'three heartbeats from every Worker');
  for (const taskId of taskIds) {
    const own = heard.filter((message) => message.taskId === taskId).map((message) => message.type);
    expect(own.indexOf('deployed'), `${taskId} heard: ${own.join(', ')}`).toBeGreaterThanOrEqual(0);
    expect(own.indexOf('deployed')).toBeLessThan(own.indexOf('heartbeat'));
  }
  expect(lost).toEqual([]);
});

it("notices a Worker that throws at once, through its error event", async () => {
  const throwing = URL.createObjectURL(new Blob(["throw new Error('the Worker broke')"], { type: 'text/javascript' }));
  const { lost, taskIds } = startCluster({ intervalMs: 10_000, timeoutMs: NEVER_MS }, () => new Worker(throwing));
  await until(() => lost.length === taskIds.length, 'every Worker lost');
  expect(lost.map((loss) => loss.cause)).toEqual(taskIds.map(() => expect.stringMatching(/^Worker error: .*the Worker broke/)));
  URL.revokeObjectURL(throwing);
});
