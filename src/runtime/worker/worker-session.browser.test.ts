// The Worker runtime as a JobSession in real Chromium: events in an order whose causes come first
// (barriers emitted before received, records moved before consumed), every task's sample on the period,
// and commands that say what they did — in at-least-once mode too.
import { afterEach, expect, it } from 'vitest';
import { until } from '../../../tests/support/until';
import type { EngineEvent } from '../../engine/events';
import type { TaskSample } from '../../engine/samples';
import { MemoryCheckpointStorage } from '../../storage/memory-checkpoint-storage';
import type { ScenarioJobOptions } from '../sim/scenario-job';
import { realClock } from './real-clock';
import { WorkerSession } from './worker-session';

const sessions: WorkerSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.close();
});

function open(scenario: ScenarioJobOptions) {
  const session = new WorkerSession({ jobId: `session-${Math.random()}`, scenario, storage: new MemoryCheckpointStorage(realClock, { fixedMs: 1, bytesPerMs: 1e6 }), databaseName: null });
  sessions.push(session);
  const events: EngineEvent[] = [];
  const samples: TaskSample[] = [];
  session.subscribeEvents((batch) => events.push(...batch));
  session.subscribeSamples((batch) => samples.push(...batch));
  session.start();
  return { session, events, samples };
}

/** Causes before effects in the merged stream: what the ordering fix promises (docs/events.md). */
function causalProblems(events: readonly EngineEvent[]): string[] {
  const problems: string[] = [];
  const senderOf = new Map<string, string>();
  const emitted = new Set<string>();
  const balance = new Map<string, number>();
  for (const event of events) {
    if (event.type === 'job-deployed') for (const channel of event.channels) senderOf.set(`${channel.to}/${channel.channel}`, channel.from);
    if (event.type === 'barrier-emitted') emitted.add(`${event.taskId}/${event.checkpointId}`);
    if (event.type === 'barrier-received') {
      const sender = senderOf.get(`${event.taskId}/${event.channel}`);
      if (sender && !emitted.has(`${sender}/${event.checkpointId}`)) problems.push(`barrier ${event.checkpointId} received by ${event.taskId} before ${sender} emitted it`);
    }
    if (event.type === 'records-moved') balance.set(`${event.attempt}/${event.to}/${event.channel}`, (balance.get(`${event.attempt}/${event.to}/${event.channel}`) ?? 0) + event.count);
    if (event.type === 'records-consumed') {
      const key = `${event.attempt}/${event.taskId}/${event.channel}`;
      const left = (balance.get(key) ?? 0) - event.count;
      balance.set(key, left);
      if (left < 0) problems.push(`${event.taskId} consumed more from channel ${event.channel} than was moved to it`);
    }
  }
  return problems;
}

it('delivers causes before effects and samples every task on the period', async () => {
  const { session, events, samples } = open({ scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 100, mode: 'exactly-once', keys: 40, recordsPerSecond: 500 });
  await until(() => events.filter((event) => event.type === 'checkpoint-completed').length >= 3, 'three completed checkpoints');
  await until(() => new Set(samples.map((sample) => sample.taskId)).size === 4, 'samples of all four subtasks');
  expect(session.time).toBeNull();
  expect(causalProblems(events)).toEqual([]);
  const sum = samples.find((sample) => sample.taskId.startsWith('sum'))!;
  expect(sum.keyedState).not.toBeNull();
  expect(sum.inputQueues).toHaveLength(2);
});

it('runs at least once when asked, and its commands say what they did', async () => {
  const { session, events } = open({ scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 100, mode: 'at-least-once', keys: 40, recordsPerSecond: 500, configuration: { 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.delay': '50 ms' } });
  expect(session.kill('nope#3').ok).toBe(false);
  await until(() => events.some((event) => event.type === 'checkpoint-completed'), 'a completed checkpoint');
  expect(events.some((event) => event.type === 'sink-written')).toBe(true);
  expect(session.kill('sum#1')).toEqual({ ok: true, message: 'Terminated the Worker of sum#1.' });
  await until(() => events.some((event) => event.type === 'job-restarting'), 'the restart');
  const allRunning = () => session.job.jobMaster.status === 'RUNNING' && [...session.job.jobMaster.taskStates().values()].every((state) => state === 'RUNNING');
  await until(allRunning, 'every subtask running again');
  expect(session.triggerSavepoint().message).toMatch(/^Savepoint \d+ triggered\.$/);
});
