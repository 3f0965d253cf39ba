// A job as the page drives it, whichever runtime runs it: start, stop, inject faults, trigger a
// savepoint, and a reactive JobView to draw. Only the deterministic replay can also pause and step.
import type { JobView } from './job-view.svelte';
import type { RuntimeKind } from './page-parameters';

export interface RuntimeJob {
  readonly kind: RuntimeKind;
  readonly view: JobView;
  /** Which runtime runs the job, in words for the page. */
  readonly runtimeLabel: string;
  /** Where its checkpoints go, in words for the page. */
  readonly storageLabel: string;
  start(): void;
  /** Stops for good: timers, workers and listeners are released. */
  stop(): void;
  /** Terminates the subtask's process (its Worker), as a lost TaskManager. */
  kill(taskId: string): void;
  /** Throws inside the subtask's operator code, as a bug in user code. */
  crash(taskId: string): void;
  /** Makes the subtask's next snapshot upload fail (an async-phase failure the coordinator counts). */
  failNextSnapshot(taskId: string): void;
  /** Slows the subtask down `factor` times (1 = normal speed): backpressure builds up before it. */
  slow(taskId: string, factor: number): void;
  triggerSavepoint(): void;
}

/** The deterministic replay's extra controls: virtual time can stop, step and run faster or slower. */
export interface ReplayControls {
  paused: boolean;
  speed: number;
  togglePause(): void;
  step(): void;
}
