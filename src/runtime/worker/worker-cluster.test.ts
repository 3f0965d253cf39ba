// The cluster's failure detection under simulated time, with stand-in Workers: a deployed Worker that
// goes silent is lost after heartbeat.timeout (never before it reported it is deployed), and an error
// event is noticed at once. The real Worker's error event is checked in worker-cluster.browser.test.ts.
import { describe, expect, it } from 'vitest';
import type { TaskId } from '../../engine/ids';
import type { TaskDeploymentDescriptor } from '../../engine/task/task-deployment';
import { MemoryCheckpointStorage } from '../../storage/memory-checkpoint-storage';
import { Scheduler } from '../sim/scheduler';
import { SimulatedClock } from '../sim/sim-clock';
import { MESSAGE_VERSION, type FromWorker, type ToWorker } from './protocol';
import { heartbeatTimeoutCause, WorkerCluster } from './worker-cluster';

/** Stands in for a Web Worker: records what it is sent, and says what a test makes it say. */
class StandInWorker {
  readonly received: ToWorker[] = [];
  terminated = false;
  onmessage: ((event: { data: FromWorker }) => void) | null = null;
  onerror: ((event: { message: string; preventDefault(): void }) => void) | null = null;

  constructor(readonly taskId: TaskId) {}

  postMessage(message: ToWorker): void {
    this.received.push(message);
  }

  terminate(): void {
    this.terminated = true;
  }

  say(type: 'deployed' | 'heartbeat'): void {
    this.onmessage?.({ data: { version: MESSAGE_VERSION, type, taskId: this.taskId } });
  }

  /** A standby's answer to 'prepare'. */
  prepared(): void {
    this.onmessage?.({ data: { version: MESSAGE_VERSION, type: 'prepared' } });
  }

  /** Its task restored or runs: the deployment timings a real Worker then sends. */
  restored(attempt = 0): void {
    const t = 1;
    const timings = { attempt, workerCreatedAt: t, moduleLoadedAt: t, deployReceivedAt: t, jobGraphBuiltAt: t, storageOpenedAt: t, taskStartedAt: t, firstReadAt: null, lastReadAt: null, reads: 0 };
    this.onmessage?.({ data: { version: MESSAGE_VERSION, type: 'timings', taskId: this.taskId, timings } });
  }

  throwUncaught(message: string): void {
    this.onerror?.({ message, preventDefault: () => {} });
  }
}

const HEARTBEAT = { intervalMs: 10_000, timeoutMs: 50_000 };

function cluster(options: { standbyWorkers?: boolean } = {}) {
  const scheduler = new Scheduler();
  const clock = new SimulatedClock(scheduler);
  const workers: StandInWorker[] = [];
  const lost: Array<{ taskId: TaskId; cause: string; atMs: number }> = [];
  const subject = new WorkerCluster({
    job: { scenario: { scenario: 'running-sum', parallelism: 1, checkpointIntervalMs: 1000, mode: 'exactly-once', keys: 1, recordsPerSecond: 1 } },
    databaseName: null,
    storage: new MemoryCheckpointStorage(clock),
    heartbeat: HEARTBEAT,
    clock,
    onJobMasterMessage: () => {},
    onEvents: () => {},
    onExternalWrite: () => {},
    onTaskLost: (taskId, cause) => lost.push({ taskId, cause, atMs: scheduler.now }),
    ...options,
    createWorker: (taskId) => {
      const worker = new StandInWorker(taskId);
      workers.push(worker);
      return worker as unknown as Worker;
    },
  });
  const deploy = (...taskIds: TaskId[]) =>
    subject.deploy(taskIds.map((taskId) => ({ taskId, inputChannels: [] }) as unknown as TaskDeploymentDescriptor));
  const runUntil = (timeMs: number, every?: { ms: number; action: () => void }) => {
    if (every) for (let t = scheduler.now + every.ms; t <= timeMs; t += every.ms) scheduler.schedule(t, every.action);
    scheduler.runUntil(timeMs);
  };
  return { subject, workers, lost, deploy, runUntil, scheduler };
}

describe('WorkerCluster failure detection', () => {
  it("takes a deployed Worker that stays silent for heartbeat.timeout as lost, with the cause in Flink's words", () => {
    const { workers, lost, deploy, runUntil } = cluster();
    deploy('sum#1');
    workers[0]!.say('deployed');
    runUntil(HEARTBEAT.timeoutMs);
    expect(lost).toEqual([]);
    runUntil(HEARTBEAT.timeoutMs + 20_000);
    expect(lost).toEqual([{ taskId: 'sum#1', cause: heartbeatTimeoutCause('sum#1', 50_000), atMs: expect.any(Number) }]);
    expect(lost[0]!.cause).toBe('The heartbeat of TaskManager with id sum#1 timed out: nothing heard for 50 s (heartbeat.timeout)');
    // Noticed within one check (a fifth of the timeout, at most a second) of the timeout passing.
    expect(lost[0]!.atMs).toBeGreaterThan(HEARTBEAT.timeoutMs);
    expect(lost[0]!.atMs).toBeLessThanOrEqual(HEARTBEAT.timeoutMs + 1000);
    expect(workers[0]!.terminated).toBe(true);
  });

  it('keeps a Worker that keeps sending heartbeats at heartbeat.interval', () => {
    const { workers, lost, deploy, runUntil } = cluster();
    deploy('sum#0');
    workers[0]!.say('deployed');
    runUntil(10 * HEARTBEAT.timeoutMs, { ms: HEARTBEAT.intervalMs, action: () => workers[0]!.say('heartbeat') });
    expect(lost).toEqual([]);
  });

  it('never checks the heartbeat of a Worker that has not reported it is deployed, however slow its start', () => {
    const { workers, lost, deploy, runUntil } = cluster();
    deploy('numbers#0', 'numbers#1');
    workers[1]!.say('deployed');
    runUntil(20 * HEARTBEAT.timeoutMs, { ms: HEARTBEAT.intervalMs, action: () => workers[1]!.say('heartbeat') });
    expect(lost).toEqual([]);
    // Once it reports, its heartbeat counts from then on.
    workers[0]!.say('deployed');
    runUntil(22 * HEARTBEAT.timeoutMs, { ms: HEARTBEAT.intervalMs, action: () => workers[1]!.say('heartbeat') });
    expect(lost.map((loss) => loss.taskId)).toEqual(['numbers#0']);
  });

  it("notices a Worker's error event at once, without waiting for heartbeat.timeout", () => {
    const { workers, lost, deploy, scheduler } = cluster();
    deploy('sum#0');
    workers[0]!.throwUncaught('Uncaught RangeError: out of memory');
    expect(lost).toEqual([{ taskId: 'sum#0', cause: 'Worker error: Uncaught RangeError: out of memory', atMs: 0 }]);
    expect(scheduler.now).toBe(0);
  });

  it('ignores a late error of a Worker a newer deployment replaced', () => {
    const { workers, lost, deploy } = cluster();
    deploy('sum#0');
    const first = workers[0]!;
    deploy('sum#0');
    first.throwUncaught('late');
    expect(lost).toEqual([]);
  });

  it('keeps a slowdown across a restart: the next Worker of the subtask is deployed with it, until it is undone', () => {
    const { subject, workers, deploy } = cluster();
    deploy('sum#1');
    expect(subject.slow('sum#1', 10)).toBe(true);
    expect(workers[0]!.received.at(-1)).toMatchObject({ type: 'slow', factor: 10 });
    subject.cancelAll(() => {});
    expect(subject.slowdownOf('sum#1')).toBe(10);
    deploy('sum#1');
    expect(workers[1]!.received[0]).toMatchObject({ type: 'deploy', slowdownFactor: 10, heartbeatIntervalMs: 10_000 });
    subject.slow('sum#1', 1);
    expect(subject.slowdownOf('sum#1')).toBe(1);
  });
});

describe('WorkerCluster standby Workers', () => {
  const deployedTaskOf = (worker: StandInWorker) => {
    const deploy = worker.received.find((message) => message.type === 'deploy');
    return deploy?.type === 'deploy' ? deploy.descriptor.taskId : null;
  };
  /** The first deployment and a restart of it, every task restored: from then on standbys are kept. */
  const restarted = (options: { standbyWorkers?: boolean }, ...taskIds: TaskId[]) => {
    const setup = cluster(options);
    setup.deploy(...taskIds);
    for (const worker of setup.workers) worker.restored();
    expect(setup.workers).toHaveLength(taskIds.length); // none for a job that never failed over
    setup.subject.cancelAll(() => {});
    setup.deploy(...taskIds);
    for (const worker of setup.workers.slice(taskIds.length)) worker.restored(1);
    return setup;
  };

  it('after a restart, starts as many standbys as the deployment has tasks, one at a time, and deploys the next attempt into them', () => {
    const { subject, workers, deploy } = restarted({ standbyWorkers: true }, 'numbers#0', 'sum#0');
    // One at a time: the next standby starts once the last one is ready.
    expect(workers.map((worker) => worker.taskId)).toEqual(['numbers#0', 'sum#0', 'numbers#0', 'sum#0', 'standby-0']);
    expect(subject.preparedStandbyCount()).toBe(0);
    workers[4]!.prepared();
    expect(workers.map((worker) => worker.taskId).slice(4)).toEqual(['standby-0', 'standby-1']);
    workers[5]!.prepared();
    expect(workers).toHaveLength(6);
    expect(subject.standbyCount()).toBe(2);
    expect(subject.preparedStandbyCount()).toBe(2);
    for (const standby of workers.slice(4)) {
      expect(standby.received).toEqual([{ version: MESSAGE_VERSION, type: 'prepare', job: expect.objectContaining({ scenario: expect.objectContaining({ scenario: 'running-sum' }) }), storage: { kind: 'proxy' } }]);
    }

    expect(subject.kill('sum#0')).toBe(true);
    subject.cancelAll(() => {});
    expect(workers.slice(2, 4).every((worker) => worker.terminated)).toBe(true);
    deploy('numbers#0', 'sum#0');
    // No Worker started for the restart: the standbys took its tasks, in order, and are deployed-to like any Worker.
    expect(workers).toHaveLength(6);
    expect(workers.slice(4).map(deployedTaskOf)).toEqual(['numbers#0', 'sum#0']);
    expect(subject.standbyCount()).toBe(0);
    subject.sendToTask('sum#0', { type: 'notify-checkpoint-complete', attempt: 2, checkpointId: 1 });
    expect(workers[5]!.received.at(-1)).toMatchObject({ type: 'task-message' });
    workers[4]!.restored(2);
    workers[5]!.restored(2);
    expect(workers.slice(6).map((worker) => worker.taskId)).toEqual(['standby-2']);
  });

  it('starts new Workers for what the standbys do not cover, and none without standbyWorkers', () => {
    const { workers, deploy } = restarted({ standbyWorkers: true }, 'sum#0');
    workers[2]!.prepared();
    deploy('numbers#0', 'sum#0');
    expect(workers.map((worker) => worker.taskId)).toEqual(['sum#0', 'sum#0', 'standby-0', 'sum#0']);
    expect(deployedTaskOf(workers[2]!)).toBe('numbers#0');

    const off = restarted({}, 'sum#0');
    expect(off.workers).toHaveLength(2);
  });

  it('replaces a standby that fails before it has a task, without losing a task; shutdown terminates the standbys', () => {
    const { subject, workers, lost } = restarted({ standbyWorkers: true }, 'numbers#0', 'sum#0');
    workers[4]!.throwUncaught('out of memory');
    expect(workers[4]!.terminated).toBe(true);
    expect(lost).toEqual([]);
    expect(workers.map((worker) => worker.taskId).slice(4)).toEqual(['standby-0', 'standby-1']);
    expect(subject.standbyCount()).toBe(1);
    subject.shutdown();
    expect(workers[5]!.terminated).toBe(true);
    expect(subject.standbyCount()).toBe(0);
  });
});
