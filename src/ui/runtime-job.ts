// A job as the page drives it, whichever runtime runs it: start, stop, inject faults (kill a subtask's
// process, crash its operator, fail its next snapshot upload, slow it), take a savepoint, read its retained
// checkpoints for export, and a reactive JobView to draw. Only the deterministic replay can pause and step.
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import type { ScenarioJob } from '../runtime/sim/scenario-job';
import type { JobView } from './job-view.svelte';
import type { BlobReader } from './snapshots/snapshot-export';
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
  /** Triggers a savepoint and resolves once it completed, or rejects with the reason it did not. */
  takeSavepoint(): Promise<CheckpointMetadata>;
  /** Flink's `flink stop`: a final savepoint, then the job ends FINISHED; resolves with the savepoint. */
  stopWithSavepoint(): Promise<CheckpointMetadata>;
  /** The job as built (graph, configuration): what an exported file names. */
  readonly job: ScenarioJob;
  /** Completed checkpoints and savepoints still in storage (retained, or never subsumed), oldest first. */
  snapshots(): readonly CheckpointMetadata[];
  /** Reads a blob of one of `snapshots()` from the storage that holds it. */
  readonly readBlob: BlobReader;
}

/** The deterministic replay's extra controls: virtual time can stop, step and run faster or slower. */
export interface ReplayControls {
  paused: boolean;
  speed: number;
  togglePause(): void;
  step(): void;
}
