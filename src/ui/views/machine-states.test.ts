import { describe, expect, it } from 'vitest';
import { foldAll } from '../model/event-fold';
import { CoordinatorStatesFold, JobLifecycleStatesFold } from './machine-states';
import { eventsUntil, KILL_AT_MS, killedRun } from './views.fixture';

describe('the job lifecycle statechart, lit from events of a killed run', () => {
  const { events } = killedRun();
  const restarting = events.find((e) => e.type === 'job-restarting')!;
  const active = (time: number) => foldAll(() => new JobLifecycleStatesFold(), eventsUntil(events, time)).view(time).active;

  it('is RUNNING before the kill', () => {
    expect(active(KILL_AT_MS - 1)).toEqual(['jobLifecycle.RUNNING']);
  });

  it('in RESTARTING waits out the backoff while the tasks are cancelled, then has both regions done', () => {
    if (restarting.type !== 'job-restarting') throw new Error('no restart');
    expect(active(restarting.time)).toEqual(['jobLifecycle.RESTARTING.backoff.waiting', 'jobLifecycle.RESTARTING.tasks.terminated']);
    const end = restarting.time + restarting.backoffMs;
    const beforeRedeploy = foldAll(() => new JobLifecycleStatesFold(), eventsUntil(events, end - 1));
    expect(beforeRedeploy.view(end - 1).active).toContain('jobLifecycle.RESTARTING.backoff.waiting');
    expect(beforeRedeploy.view(end).active).toContain('jobLifecycle.RESTARTING.backoff.elapsed');
  });

  it('is RUNNING again after the redeployment', () => {
    expect(active(Infinity)).toEqual(['jobLifecycle.RUNNING']);
  });

  it('starts in CREATED before any event', () => {
    expect(new JobLifecycleStatesFold().view(0).active).toEqual(['jobLifecycle.CREATED']);
  });
});

describe('the checkpoint coordinator statechart, lit from events of a killed run', () => {
  const { events } = killedRun();
  const active = (time: number, options = {}) => foldAll(() => new CoordinatorStatesFold(options), eventsUntil(events, time)).view(time).active;

  it('is scheduled while the job runs, stopped while it restarts', () => {
    expect(active(300)).toEqual(['checkpointCoordinator.running.scheduled']);
    expect(active(KILL_AT_MS + 10)).toEqual(['checkpointCoordinator.stopped']);
    expect(active(Infinity)).toEqual(['checkpointCoordinator.running.scheduled']);
  });

  it('shows triggering at the instant of a trigger', () => {
    expect(active(500)).toEqual(['checkpointCoordinator.running.triggering']);
  });

  it('waits for a slot when the next trigger is due while max-concurrent-checkpoints are pending', () => {
    const fold = new CoordinatorStatesFold({ intervalMs: 100, maxConcurrentCheckpoints: 1 });
    fold.apply({ type: 'job-status-changed', time: 0, status: 'RUNNING', previous: 'CREATED' });
    fold.apply({ type: 'checkpoint-triggered', time: 100, checkpointId: 1, isSavepoint: false, checkpointType: 'CHECKPOINT' });
    expect(fold.view(150).active).toEqual(['checkpointCoordinator.running.scheduled']);
    expect(fold.view(200).active).toEqual(['checkpointCoordinator.running.waitingForSlot']);
  });

  it('has nothing pending once the job ran again, even when a pending checkpoint’s abort never came', () => {
    const fold = new CoordinatorStatesFold({ intervalMs: 100, maxConcurrentCheckpoints: 1 });
    fold.apply({ type: 'job-status-changed', time: 0, status: 'RUNNING', previous: 'CREATED' });
    fold.apply({ type: 'checkpoint-triggered', time: 100, checkpointId: 1, isSavepoint: false, checkpointType: 'CHECKPOINT' });
    fold.apply({ type: 'job-status-changed', time: 150, status: 'RESTARTING', previous: 'RUNNING' });
    fold.apply({ type: 'job-status-changed', time: 160, status: 'RUNNING', previous: 'RESTARTING' });
    expect(fold.view(300).active).toEqual(['checkpointCoordinator.running.scheduled']);
  });
});
