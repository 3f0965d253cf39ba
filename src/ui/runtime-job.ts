// A job as the page drives it, whichever runtime runs it: its JobSession (events, samples, commands, the
// clock), the timeline over that session (every view's fold at the cursor), the panels' view, fault
// injection, and — through a small separate interface to the runtime's storage — savepoints and
// retained checkpoints for snapshot export.
import type { CheckpointMetadata } from '../engine/checkpoint/checkpoint-metadata';
import type { JobSession } from '../runtime/job-session';
import type { ScenarioJob } from '../runtime/sim/scenario-job';
import type { RuntimeKind } from './config/run-options';
import type { JobView } from './job-view.svelte';
import type { PageFaults } from './page-faults';
import type { BlobReader } from './snapshots/snapshot-export';
import type { PageFolds } from './timeline/page-folds';
import type { PageTimeline } from './timeline/page-timeline.svelte';

/** Savepoints and retained checkpoints, from the runtime's checkpoint storage (snapshot export and restore). */
export interface SnapshotAccess {
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

export interface RuntimeJob extends SnapshotAccess {
  readonly kind: RuntimeKind;
  readonly session: JobSession;
  readonly timeline: PageTimeline<PageFolds>;
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
  triggerCheckpoint(): void;
}

/** The deterministic replay's extra controls (delegating to the timeline, which the keys and JobControls use). */
export interface ReplayControls {
  readonly paused: boolean;
  speed: number;
  togglePause(): void;
  step(): void;
}
