// A job as the page drives it, whichever runtime runs it: start, stop, inject faults (kill a subtask's
// process, crash its operator, fail its next snapshot upload, slow it), trigger a savepoint, and a reactive
// JobView to draw. Only the deterministic replay can also pause and step.
import type { JobView } from './job-view.svelte';
import type { PageFaults } from './page-faults';
import type { RuntimeKind } from './page-parameters';

export interface RuntimeJob {
  readonly kind: RuntimeKind;
  readonly view: JobView;
  /** Which runtime runs the job, in words for the page. */
  readonly runtimeLabel: string;
  /** Where its checkpoints go, in words for the page. */
  readonly storageLabel: string;
  /** Kill, crash, fail the next upload of, or slow a subtask: each says on the page what it did or why not. */
  readonly faults: PageFaults;
  start(): void;
  /** Stops for good: timers, workers and listeners are released. */
  stop(): void;
  triggerSavepoint(): void;
}

/** The deterministic replay's extra controls: virtual time can stop, step and run faster or slower. */
export interface ReplayControls {
  paused: boolean;
  speed: number;
  togglePause(): void;
  step(): void;
}
