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

  throwUncaught(message: string): void {
    this.onerror?.({ message, preventDefault: () => {} });
  }
}

const HEARTBEAT = { intervalMs: 10_000, timeoutMs: 50_000 };

function cluster() {
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
