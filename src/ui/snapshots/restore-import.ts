// The page's restore up to the point where the job starts: the snapshot is checked against the job (Flink's
// rules), then — a file only — imported into checkpoint storage, all or nothing. A refusal throws before
// anything is written; a failed import has written nothing either. What was committed before it comes too.
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import type { CheckpointStorage } from '../../engine/ports/checkpoint-storage';
import type { ScenarioJob, ScenarioJobOptions } from '../../runtime/sim/scenario-job';
import { importSnapshot, type ImportableSnapshot } from '../../storage/snapshot-import';
import { planRestore } from './restore-plan';
import { committedBefore, type CommittedBefore } from './restored-output';

/** What a restore starts from: a decoded snapshot file (imported first), or a checkpoint already in storage. */
export type RestoreSource =
  | { readonly kind: 'file'; readonly name: string; readonly snapshot: ImportableSnapshot }
  | { readonly kind: 'stored'; readonly metadata: CheckpointMetadata };

export interface ImportedRestore {
  /** The job options to run with (the snapshot's max parallelism taken over when it differs) and the job they build. */
  readonly scenario: ScenarioJobOptions;
  readonly job: ScenarioJob;
  /** The snapshot as the job restores it: under the storage's keys and, for a file, its own job id. */
  readonly initialCheckpoint: CheckpointMetadata;
  readonly committedBefore: CommittedBefore;
}

export async function importForRestore(storage: CheckpointStorage, source: RestoreSource, scenario: ScenarioJobOptions): Promise<ImportedRestore> {
  const original = source.kind === 'file' ? source.snapshot.metadata : source.metadata;
  const plan = planRestore(original, scenario, source.kind === 'file' ? source.name : undefined);
  if (!plan.ok) throw new Error(plan.message);
  const before = committedBefore(original, plan.job);
  const initialCheckpoint = source.kind === 'file' ? await importSnapshot(storage, source.snapshot) : source.metadata;
  return { scenario: plan.scenario, job: plan.job, initialCheckpoint, committedBefore: before };
}
