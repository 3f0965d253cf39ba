// How the page's job starts from a snapshot, decided before anything is written: Flink's restore rules
// (validateSavepointRestore: operators matched by operator id, unclaimed state, max parallelism, parallelism
// within it). The page never sets pipeline.max-parallelism, so, as in Flink, a snapshot's own max
// parallelism is taken over; the plan is the job options to run with, or the refusal in Flink's words. An
// unaligned checkpoint's in-flight data (channel state) is restored at the parallelism it was taken at only,
// refused here as the job master would refuse it, before the file is imported.
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import { validateSavepointRestore } from '../../engine/checkpoint/savepoint-restore';
import { channelStateRescaleProblem } from '../../engine/checkpoint/state-assignment';
import { prepareScenarioJob, type ScenarioJob, type ScenarioJobOptions } from '../../runtime/sim/scenario-job';

export type RestorePlan =
  | { readonly ok: true; readonly scenario: ScenarioJobOptions; readonly job: ScenarioJob }
  | { readonly ok: false; readonly message: string };

/** `pointer` names the snapshot in messages (a file name); `scenario` is the job as it would run without one. */
export function planRestore(metadata: CheckpointMetadata, scenario: ScenarioJobOptions, pointer?: string): RestorePlan {
  let job: ScenarioJob;
  try {
    job = prepareScenarioJob(scenario);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const validation = validateSavepointRestore(metadata, job.jobGraph, {
    ignoreUnclaimedState: job.configuration.stateRecovery.ignoreUnclaimedState,
    maxParallelismConfigured: scenario.maxParallelism !== undefined,
    ...(pointer === undefined ? {} : { pointer }),
  });
  if (!validation.ok) return { ok: false, message: validation.message };
  const planned = validation.maxParallelism === job.jobGraph.maxParallelism ? { scenario, job } : adopt({ ...scenario, maxParallelism: validation.maxParallelism });
  const rescaleProblem = channelStateRescaleProblem(metadata, planned.job.jobGraph);
  if (rescaleProblem !== null) return { ok: false, message: rescaleProblem };
  return { ok: true, ...planned };
}

function adopt(scenario: ScenarioJobOptions): { scenario: ScenarioJobOptions; job: ScenarioJob } {
  return { scenario, job: prepareScenarioJob(scenario) };
}
