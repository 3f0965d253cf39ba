// The coordinator's effect ports, and the XState v5 fact their design rests on: a `sendTo` reaches its
// actor only at the end of the macrostep, after timers that later microsteps schedule, while a command
// handed over with tellPort is carried out at once. Time is the deterministic runtime's virtual clock.
import { describe, expect, it } from 'vitest';
import { createActor, enqueueActions, fromCallback, raise, sendTo, setup, type AnyActorRef } from 'xstate';
import type { CheckpointId } from '../engine/ids';
import type { EngineEvent } from '../engine/events';
import type { StorageCallback } from '../engine/ports/checkpoint-storage';
import type { Clock, TimerHandle } from '../engine/ports/clock';
import { Scheduler } from '../runtime/sim/scheduler';
import { SimulatedClock } from '../runtime/sim/sim-clock';
import { eventsPort, gatewayPort, storagePort, tellPort, type CoordinatorCommand, type CoordinatorGateway } from './coordinator-effects';

/** The virtual clock, writing down when something is scheduled on it. */
function recordingClock(log: string[]): Clock {
  const clock = new SimulatedClock(new Scheduler());
  return {
    now: () => clock.now(),
    setTimeout: (callback: () => void, delayMs: number): TimerHandle => {
      log.push(`timer ${delayMs} ms`);
      return clock.setTimeout(callback, delayMs);
    },
    clearTimeout: (handle: TimerHandle) => clock.clearTimeout(handle),
  };
}

/**
 * As the coordinator's PENDING_FINISHED: a transition raises an event and enters a state with a delayed
 * transition; the raised event's action sends a command, either with `sendTo` or with tellPort.
 */
function raceMachine(delivery: 'sendTo' | 'tellPort', log: string[]) {
  const command: CoordinatorCommand = { type: 'FAIL_JOB', cause: 'race' };
  return setup({
    types: { events: {} as { type: 'GO' } | { type: 'RAISED' } },
    actors: { gateway: fromCallback<CoordinatorCommand>(({ receive }) => receive((received) => log.push(`command ${received.type}`))) },
  }).createMachine({
    invoke: { id: 'gateway', src: 'gateway' },
    initial: 'idle',
    states: {
      idle: { on: { GO: { target: 'waiting', actions: raise({ type: 'RAISED' }) } } },
      waiting: {
        after: { 100: 'idle' },
        on: {
          RAISED: {
            actions:
              delivery === 'sendTo'
                ? sendTo('gateway', command)
                : enqueueActions(({ enqueue }) => enqueue(({ self }: { self: AnyActorRef }) => tellPort(self, command))),
          },
        },
      },
    },
  });
}

describe('handing a command to a coordinator port', () => {
  it('with sendTo, XState v5 delivers it only after the timer a later microstep of the same macrostep scheduled', () => {
    const log: string[] = [];
    const actor = createActor(raceMachine('sendTo', log), { clock: recordingClock(log) }).start();
    actor.send({ type: 'GO' });
    expect(log).toEqual(['timer 100 ms', 'command FAIL_JOB']);
  });

  it('with tellPort, it is carried out at once, before that timer, where a direct call in the action ran', () => {
    const log: string[] = [];
    const actor = createActor(raceMachine('tellPort', log), { clock: recordingClock(log) }).start();
    actor.send({ type: 'GO' });
    expect(log).toEqual(['command FAIL_JOB', 'timer 100 ms']);
  });

  it('throws when the port is not among the actor’s children: a command is never dropped', () => {
    const actor = createActor(setup({}).createMachine({})).start();
    expect(() => tellPort(actor, { type: 'FAIL_JOB', cause: 'x' })).toThrow("The coordinator's gateway port is not running (FAIL_JOB)");
  });
});

describe('the coordinator ports', () => {
  it('the gateway port calls the job master, one call per command, in order', () => {
    const calls: string[] = [];
    const gateway: CoordinatorGateway = {
      allTasksRunning: () => true,
      calculateCheckpointPlan: () => ({ tasksToTrigger: [], tasksToWaitFor: [], tasksToCommitTo: [], finishedTasks: [], fullyFinishedVertices: [] }),
      triggerCheckpoint: (checkpointId, timestamp, checkpointType, tasks) => calls.push(`trigger ${checkpointId} at ${timestamp} ${checkpointType} to ${tasks.join(',')}`),
      notifyCheckpointComplete: (checkpointId) => calls.push(`complete ${checkpointId}`),
      notifyCheckpointAborted: (checkpointId) => calls.push(`aborted ${checkpointId}`),
      failJob: (cause) => calls.push(`failJob ${cause}`),
    };
    const port = createActor(gatewayPort, { input: gateway }).start();
    port.send({ type: 'TRIGGER_CHECKPOINT', checkpointId: 3, timestamp: 100, checkpointType: 'SAVEPOINT', tasks: ['source#0', 'source#1'] });
    port.send({ type: 'NOTIFY_CHECKPOINT_ABORTED', checkpointId: 2 });
    port.send({ type: 'NOTIFY_CHECKPOINT_COMPLETE', checkpointId: 3 });
    port.send({ type: 'FAIL_JOB', cause: 'too many failures' });
    expect(calls).toEqual(['trigger 3 at 100 SAVEPOINT to source#0,source#1', 'aborted 2', 'complete 3', 'failJob too many failures']);
  });

  it('the events port hands each event to the sink as it is', () => {
    const emitted: EngineEvent[] = [];
    const port = createActor(eventsPort, { input: { emit: (event) => emitted.push(event) } }).start();
    const event: EngineEvent = { type: 'checkpoint-discarded', time: 5, checkpointId: 1 };
    port.send({ type: 'EMIT', event });
    expect(emitted).toEqual([event]);
  });

  it('the storage port discards what it is told and keeps what it is told to keep', () => {
    const discards: { jobId: string; checkpointId: CheckpointId; keep: string[] }[] = [];
    const storage = {
      discard: (jobId: string, checkpointId: CheckpointId, keep: ReadonlySet<string>, _done: StorageCallback<void>) =>
        discards.push({ jobId, checkpointId, keep: [...keep] }),
    };
    const port = createActor(storagePort, { input: storage }).start();
    port.send({ type: 'DISCARD', jobId: 'job', checkpointId: 4, keep: new Set(['shared-1']) });
    expect(discards).toEqual([{ jobId: 'job', checkpointId: 4, keep: ['shared-1'] }]);
  });
});
