// Test support: real completed checkpoints and savepoints from a deterministic run of a scenario, each with
// the blobs storage held when it completed, ready to export. Not used by the engine itself.
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import type { ConfigurationMap } from '../../engine/graph/stream-execution-environment';
import { runScenario, type RunScenarioOptions, type RunScenarioResult } from './run-scenario';
import type { Simulation } from './simulation';
import { prepareScenarioJob } from './scenario-job';
import type { SnapshotFileInput } from '../../engine/format/encode-snapshot-file';
import { snapshotJobOf } from '../../engine/format/snapshot-job';
import { requiredBlobs } from '../../engine/format/snapshot-storage-keys';

export interface RealCheckpointsOptions {
  readonly scenario?: string;
  readonly parallelism?: number;
  readonly seed?: number;
  readonly untilMs?: number;
  readonly configuration?: ConfigurationMap;
  readonly savepointAtMs?: readonly number[];
  readonly keys?: number;
}

export interface RealCheckpoints {
  /** Every completed checkpoint and savepoint, in completion order, with its blobs. */
  readonly snapshots: readonly SnapshotFileInput[];
  readonly result: RunScenarioResult;
}

export const REAL_RUN: RunScenarioOptions = {
  scenario: 'running-sum',
  parallelism: 2,
  checkpointIntervalMs: 200,
  mode: 'exactly-once',
  seed: 11,
  keys: 60,
  recordsPerSecond: 40,
  recordEvents: false,
};

export function realCheckpoints(options: RealCheckpointsOptions = {}): RealCheckpoints {
  let simulation: Simulation | null = null;
  const snapshots: SnapshotFileInput[] = [];
  const run: RunScenarioOptions = {
    ...REAL_RUN,
    ...(options.scenario ? { scenario: options.scenario } : {}),
    ...(options.parallelism ? { parallelism: options.parallelism } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.keys !== undefined ? { keys: options.keys } : {}),
    ...(options.untilMs !== undefined ? { untilMs: options.untilMs } : {}),
    configuration: { ...options.configuration },
  };
  const { jobGraph, configuration } = prepareScenarioJob({ ...run, keys: run.keys!, recordsPerSecond: run.recordsPerSecond! });
  const job = snapshotJobOf(jobGraph, configuration);
  const result = runScenario({
    ...run,
    onStart: (started) => {
      simulation = started;
      for (const at of options.savepointAtMs ?? []) started.scheduler.schedule(at, () => started.jobMaster.triggerSavepoint());
    },
    onEvent: (event) => {
      if (event.type !== 'checkpoint-completed') return;
      const { jobMaster, memoryStorage } = simulation!;
      const metadata = [...jobMaster.store.retained(), ...jobMaster.store.savepoints()].find((m) => m.checkpointId === event.checkpointId)!;
      const blobs = new Map(requiredBlobs(metadata).map((key) => [key, memoryStorage.readBlobNow(key)!] as const));
      snapshots.push({ metadata, blobs, job });
    },
  });
  return { snapshots, result };
}

export function isIncremental(metadata: CheckpointMetadata): boolean {
  return metadata.operators.some((operator) => operator.subtaskStates.some((state) => state.keyed !== null && 'sharedState' in state.keyed));
}
