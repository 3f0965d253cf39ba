// The one interface the page talks to, whichever runtime runs the job (issue 7): events and samples to
// subscribe to, commands, and the clock. The page never holds engine objects; everything it draws is a
// fold of what arrives here (src/ui/model/). Implemented by the deterministic runtime (src/runtime/sim)
// and the Worker runtime (src/runtime/worker).
import type { EngineEvent } from '../engine/events';
import type { ChannelId, TaskId } from '../engine/ids';
import type { TaskSample } from '../engine/samples';

export type Unsubscribe = () => void;

/** What a command did, in words for the page: done, or refused with the reason. */
export type CommandResult = { readonly ok: true; readonly message: string } | { readonly ok: false; readonly message: string };

/** Virtual time: only the deterministic runtime can stop, step and change speed. */
export interface SessionTimeControls {
  readonly paused: boolean;
  pause(): void;
  resume(): void;
  /** Runs until exactly one more event has been emitted (paused or not). */
  stepEvent(): void;
  /** Virtual ms per real ms; 1 = real time. */
  speed: number;
}

export interface JobSession {
  readonly runtime: 'deterministic' | 'worker';
  /** Delivers every event so far first, then new ones in emission order. */
  subscribeEvents(listener: (events: readonly EngineEvent[]) => void): Unsubscribe;
  /** Delivers samples as they are taken (on a period and after `requestSamples`). */
  subscribeSamples(listener: (samples: readonly TaskSample[]) => void): Unsubscribe;
  requestSamples(): void;
  /** The runtime's clock now (virtual ms for the deterministic runtime, epoch ms for Workers). */
  now(): number;
  readonly time: SessionTimeControls | null;

  kill(taskId: TaskId): CommandResult;
  crash(taskId: TaskId): CommandResult;
  failNextSnapshot(taskId: TaskId): CommandResult;
  slow(taskId: TaskId, factor: number): CommandResult;
  /** The slowdown in effect for the subtask (1 = normal speed), as the runtime holds it (it outlives restarts). */
  slowdownOf(taskId: TaskId): number;
  /**
   * Adds `latencyMs` of network latency to one channel (`numbers#0->sum#1`, sender to receiver); 0 removes
   * it. A slow link between two TaskManagers: records and barriers on it arrive later, in order (nothing
   * overtakes on a channel). It outlives restarts, as a slow link would.
   */
  delayChannel(channel: ChannelId, latencyMs: number): CommandResult;
  /** The latency added to the channel (0 = none), as the runtime holds it. */
  channelDelayOf(channel: ChannelId): number;
  triggerCheckpoint(): CommandResult;
  triggerSavepoint(): CommandResult;
  cancel(): CommandResult;
  /** Stops for good: timers, workers and listeners are released. */
  close(): void;
}
