import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/events';
import type { ExecutionState } from '../engine/task/messages';
import { faultRefusal, PageFaults, SLOWDOWN, type FaultCommands } from './page-faults';

/** A session the test steers: job status, task states, and a log of what reached it (refusing as sessions do). */
function runtime(kind: 'worker' | 'deterministic' = 'worker') {
  const state = { status: 'RUNNING', tasks: new Map<string, ExecutionState>([['sum#0', 'RUNNING'], ['sum#1', 'RUNNING'], ['numbers#0', 'RUNNING']]), injects: true };
  const slowdowns = new Map<string, number>();
  const delays = new Map<string, number>();
  const applied: string[] = [];
  const refusal = (taskId: string) => faultRefusal(taskId, state.status, state.tasks.get(taskId));
  const command = (taskId: string, what: string, done: string) => {
    const refused = refusal(taskId);
    if (refused !== null) return { ok: false, message: refused } as const;
    if (!state.injects) return { ok: false, message: `${taskId} has no running task right now (job ${state.status}); nothing was injected.` } as const;
    applied.push(what);
    return { ok: true, message: done } as const;
  };
  const fake: FaultCommands = {
    kill: (taskId) => command(taskId, `kill ${taskId}`, kind === 'worker' ? `Terminated the Worker of ${taskId}.` : `Killed ${taskId}.`),
    crash: (taskId) => command(taskId, `crash ${taskId}`, `Crashed ${taskId}: its operator threw${kind === 'worker' ? ' inside its Worker' : ''}.`),
    failNextSnapshot: (taskId) => command(taskId, `fail-upload ${taskId}`, `The next snapshot upload of ${taskId} will fail.`),
    slow: (taskId, factor) => {
      const result = command(taskId, `slow ${taskId} x${factor}`, 'slowed');
      if (result.ok) slowdowns.set(taskId, factor);
      return result;
    },
    slowdownOf: (taskId) => slowdowns.get(taskId) ?? 1,
    delayChannel: (channel, latencyMs) => {
      if (!channel.includes('->')) return { ok: false, message: `'${channel}' is not a channel.` } as const;
      applied.push(`delay ${channel} +${latencyMs}`);
      delays.set(channel, latencyMs);
      return { ok: true, message: 'delayed' } as const;
    },
    channelDelayOf: (channel) => delays.get(channel) ?? 0,
    requestSamples: () => {},
  };
  const notices: string[] = [];
  const faults = new PageFaults(fake, (notice) => notices.push(notice), refusal);
  return { state, applied, notices, faults, fake };
}

const statusChange = (previous: string, status: string): EngineEvent => ({ type: 'job-status-changed', time: 1, previous, status });

describe('faultRefusal', () => {
  it('allows faults only for a RUNNING subtask of a RUNNING job, and says why not otherwise', () => {
    expect(faultRefusal('sum#1', 'RUNNING', 'RUNNING')).toBeNull();
    expect(faultRefusal('sum#1', 'RESTARTING', 'RUNNING')).toBe('The job is RESTARTING, so sum#1 is not running; faults can be injected once it is RUNNING again.');
    expect(faultRefusal('sum#1', 'RUNNING', 'INITIALIZING')).toBe('sum#1 is INITIALIZING; faults can be injected once it is RUNNING.');
    expect(faultRefusal('sum#7', 'RUNNING', undefined)).toBe('There is no subtask sum#7 in this job.');
  });
});

describe('PageFaults', () => {
  it('injects into a RUNNING subtask and says what it did, in the words of the runtime', () => {
    const worker = runtime('worker');
    worker.faults.kill('sum#0');
    worker.faults.crash('sum#1');
    expect(worker.applied).toEqual(['kill sum#0', 'crash sum#1']);
    expect(worker.notices).toEqual(['Terminated the Worker of sum#0.', 'Crashed sum#1: its operator threw inside its Worker.']);
    const replay = runtime('deterministic');
    replay.faults.kill('sum#0');
    expect(replay.notices).toEqual(['Killed sum#0.']);
  });

  it('refuses every fault while the job restarts, touching nothing, and says when it can be injected again', () => {
    const { state, applied, notices, faults, fake } = runtime();
    state.status = 'RESTARTING';
    faults.kill('sum#1');
    faults.crash('sum#1');
    faults.failNextUpload('sum#1');
    faults.toggleSlow('sum#1');
    expect(applied).toEqual([]);
    expect(fake.slowdownOf('sum#1')).toBe(1);
    expect(new Set(notices)).toEqual(new Set(['The job is RESTARTING, so sum#1 is not running; faults can be injected once it is RUNNING again.']));
    expect(notices).toHaveLength(4);
  });

  it('toggles a slowdown by what the runtime says is in effect, so the control never disagrees with it', () => {
    const { state, applied, notices, faults, fake } = runtime();
    faults.toggleSlow('sum#1');
    expect(fake.slowdownOf('sum#1')).toBe(SLOWDOWN);
    state.status = 'RESTARTING';
    faults.toggleSlow('sum#1');
    expect(fake.slowdownOf('sum#1')).toBe(SLOWDOWN);
    state.status = 'RUNNING';
    faults.toggleSlow('sum#1');
    expect(fake.slowdownOf('sum#1')).toBe(1);
    expect(applied).toEqual(['slow sum#1 x10', 'slow sum#1 x1']);
    expect(notices).toEqual([
      'sum#1 now runs 10× slower: watch backpressure and alignment grow.',
      'The job is RESTARTING, so sum#1 is not running; faults can be injected once it is RUNNING again.',
      'sum#1 runs at normal speed again.',
    ]);
  });

  it('toggles a channel delay by what the runtime says is in effect, and passes a refusal on', () => {
    const { applied, notices, faults, fake } = runtime();
    faults.toggleChannelDelay('numbers#0->sum#1', 500);
    expect(fake.channelDelayOf('numbers#0->sum#1')).toBe(500);
    faults.toggleChannelDelay('numbers#0->sum#1', 500);
    expect(fake.channelDelayOf('numbers#0->sum#1')).toBe(0);
    faults.toggleChannelDelay('sum#1', 500);
    expect(applied).toEqual(['delay numbers#0->sum#1 +500', 'delay numbers#0->sum#1 +0']);
    expect(notices).toEqual([
      "numbers#0->sum#1 now takes 500 ms longer: watch its barrier come late and the receiver's other channels stay blocked.",
      'numbers#0->sum#1 has its normal latency again.',
      "'sum#1' is not a channel.",
    ]);
  });

  it('says so when the runtime had nothing to inject into after all', () => {
    const { notices, faults, state } = runtime();
    state.injects = false;
    faults.kill('sum#0');
    expect(notices).toEqual(['sum#0 has no running task right now (job RUNNING); nothing was injected.']);
  });

  it('announces an asked-for upload failure until it happens, then says it happened', () => {
    const { applied, notices, faults } = runtime();
    faults.failNextUpload('numbers#0');
    faults.failNextUpload('numbers#0');
    expect(applied).toEqual(['fail-upload numbers#0']);
    faults.record([{ type: 'fault-injected', time: 5, fault: 'fail-snapshot:numbers#0@4' }, statusChange('RUNNING', 'RESTARTING')]);
    expect(notices).toEqual([
      'The next snapshot upload of numbers#0 will fail.',
      'The next snapshot upload of numbers#0 is already set to fail.',
      'The snapshot upload of numbers#0 for checkpoint 4 failed, as injected: numbers#0 declined the checkpoint.',
    ]);
  });

  it('says an asked-for upload failure was dropped when the attempt ended before the next snapshot', () => {
    const { notices, faults } = runtime();
    faults.failNextUpload('sum#1');
    faults.record([{ type: 'fault-injected', time: 5, fault: 'fail-snapshot:sum#0@4' }, statusChange('RUNNING', 'RESTARTING')]);
    expect(notices.at(-1)).toBe('The upload failure injected into sum#1 was dropped: the job went RESTARTING before sum#1 took another snapshot.');
    faults.record([statusChange('RESTARTING', 'RUNNING'), statusChange('RUNNING', 'RESTARTING')]);
    expect(notices).toHaveLength(2);
  });
});
