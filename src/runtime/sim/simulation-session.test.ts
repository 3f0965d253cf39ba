// The deterministic session: stepping delivers exactly one event at a time, frames advance virtual time
// by real time × speed and not while paused, samples come on the period and after each step, and the
// same options replay the same events.
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/events';
import type { TaskSample } from '../../engine/samples';
import { receiveSideProblems } from '../../engine/event-invariants';
import { JobGraphFold } from '../../ui/graph/job-graph-fold';
import { SAMPLE_PERIOD_MS, SimulationSession, type FrameScheduler } from './simulation-session';

const JOB = { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 500, mode: 'exactly-once', keys: 10, recordsPerSecond: 50, seed: 3 } as const;

function recorded(session: SimulationSession) {
  const events: EngineEvent[] = [];
  const samples: TaskSample[] = [];
  session.subscribeEvents((batch) => events.push(...batch));
  session.subscribeSamples((batch) => samples.push(...batch));
  return { events, samples };
}

/** Frames by hand: `frame(ms)` runs the pending callback with the wall clock `ms` later. */
function manualFrames() {
  let pending: ((wallMs: number) => void) | null = null;
  let wall = 0;
  const frames: FrameScheduler = {
    request: (callback) => {
      pending = callback;
      return 1;
    },
    cancel: () => (pending = null),
  };
  return {
    frames,
    frame(ms: number) {
      wall += ms;
      const callback = pending;
      pending = null;
      callback?.(wall);
    },
  };
}

describe('SimulationSession', () => {
  it('steps exactly one event at a time, and samples after each step', () => {
    const session = new SimulationSession({ job: JOB, frames: null, paused: true });
    const { events, samples } = recorded(session);
    const before = events.length;
    for (let i = 1; i <= 200; i++) {
      const sampled = samples.length;
      session.stepEvent();
      expect(events.length).toBe(before + i);
      expect(samples.length).toBeGreaterThan(sampled);
    }
    expect(events.some((event) => event.type === 'records-moved')).toBe(true);
    session.close();
  });

  it('replays the same events from the same options, stepped or advanced', () => {
    const stepped = new SimulationSession({ job: JOB, frames: null });
    const advanced = new SimulationSession({ job: JOB, frames: null });
    const a = recorded(stepped);
    const b = recorded(advanced);
    advanced.advance(3000);
    while (a.events.length < b.events.length) stepped.stepEvent();
    expect(a.events).toEqual(b.events);
    expect(b.events.some((event) => event.type === 'checkpoint-completed')).toBe(true);
  });

  it('advances by real time × speed per frame, not while paused, sampling every period', () => {
    const { frames, frame } = manualFrames();
    const session = new SimulationSession({ job: JOB, frames, speed: 2 });
    const { samples } = recorded(session);
    frame(0);
    frame(100);
    expect(session.now()).toBe(200);
    expect(new Set(samples.map((sample) => sample.time))).toEqual(new Set([SAMPLE_PERIOD_MS]));
    session.pause();
    frame(100);
    expect(session.now()).toBe(200);
    session.resume();
    frame(16);
    frame(100);
    expect(session.now()).toBe(400);
    session.speed = 0.5;
    frame(100);
    expect(session.now()).toBe(450);
    session.close();
  });

  it('refuses faults with the reason until the subtask runs, then injects them as events', () => {
    const session = new SimulationSession({ job: JOB, frames: null });
    const { events } = recorded(session);
    expect(session.kill('nope#9')).toMatchObject({ ok: false });
    session.advance(500);
    expect(session.kill('sum#0')).toEqual({ ok: true, message: 'Killed sum#0.' });
    expect(events.at(-1)).toMatchObject({ type: 'fault-injected' });
    session.advance(5000);
    expect(session.slow('sum#1', 4)).toMatchObject({ ok: true });
    expect(session.slowdownOf('sum#1')).toBe(4);
    expect(events.some((event) => event.type === 'job-restarting')).toBe(true);
  });

  it('triggers a checkpoint and a savepoint by request, and says which', () => {
    const session = new SimulationSession({ job: JOB, frames: null });
    const { events } = recorded(session);
    expect(session.triggerCheckpoint()).toMatchObject({ ok: false });
    session.advance(200);
    const checkpoint = session.triggerCheckpoint();
    expect(checkpoint.message).toMatch(/^Checkpoint \d+ triggered\.$|^Checkpoint requested/);
    session.advance(600);
    expect(session.triggerSavepoint().message).toMatch(/^Savepoint \d+ triggered\.$/);
    expect(events.filter((event) => event.type === 'checkpoint-triggered' && event.isSavepoint)).toHaveLength(1);
  });

  it('delays one channel on request: its barriers arrive that much later, in order, and the delay outlives a restart', () => {
    const session = new SimulationSession({ job: JOB, frames: null });
    const { events } = recorded(session);
    session.advance(500);
    expect(session.delayChannel('numbers#0->numbers#1', 300).message).toBe('There is no channel numbers#0->numbers#1 in this job.');
    expect(session.delayChannel('sum#1', 300).message).toMatch(/is not a channel/);
    expect(session.delayChannel('numbers#0->sum#1', -1).ok).toBe(false);
    expect(session.delayChannel('numbers#0->sum#1', 2.5).ok).toBe(false);
    expect(session.delayChannel('numbers#0->sum#1', 300)).toEqual({ ok: true, message: 'numbers#0->sum#1 now takes 300 ms longer.' });
    expect(session.channelDelayOf('numbers#0->sum#1')).toBe(300);
    expect(session.channelDelayOf('numbers#1->sum#1')).toBe(0);
    const delayedAt = events.at(-1)!;
    expect(delayedAt).toMatchObject({ type: 'fault-injected', fault: `delay-channel:numbers#0->sum#1@${delayedAt.time}+300` });
    session.advance(3000);

    const deployed = events.find((event) => event.type === 'job-deployed')!;
    const channelAt = (from: string, to: string) => deployed.type === 'job-deployed' && deployed.channels.find((c) => c.from === from && c.to === to)!.channel;
    const barrierTrip = (from: string, to: string) =>
      events
        .filter((event) => event.type === 'barrier-received' && event.taskId === to && event.channel === channelAt(from, to) && event.time > delayedAt.time + 400)
        .map((received) => {
          const checkpointId = received.type === 'barrier-received' ? received.checkpointId : -1;
          const emitted = events.find((event) => event.type === 'barrier-emitted' && event.taskId === from && event.checkpointId === checkpointId)!;
          return received.time - emitted.time;
        });
    expect(barrierTrip('numbers#0', 'sum#1').length).toBeGreaterThan(2);
    expect(Math.min(...barrierTrip('numbers#0', 'sum#1'))).toBeGreaterThanOrEqual(300);
    expect(Math.max(...barrierTrip('numbers#0', 'sum#0'))).toBeLessThan(300);
    expect(receiveSideProblems(events)).toEqual([]);

    session.kill('sum#0');
    session.advance(5000);
    expect(events.filter((event) => event.type === 'job-deployed').length).toBeGreaterThan(1);
    const fold = new JobGraphFold({ travelMs: 10 });
    for (const event of events) fold.apply(event);
    const lanes = fold.view(session.now()).lanes;
    expect(lanes.find((lane) => lane.id === 'numbers#0->sum#1')?.delayMs).toBe(300);
    expect(lanes.filter((lane) => lane.delayMs > 0).map((lane) => lane.id)).toEqual(['numbers#0->sum#1']);

    expect(session.delayChannel('numbers#0->sum#1', 0).message).toBe('numbers#0->sum#1 has its normal latency again.');
    expect(session.channelDelayOf('numbers#0->sum#1')).toBe(0);
    session.close();
  });
});
