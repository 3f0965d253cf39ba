// Test support: real unaligned checkpoints with channel state, from a deterministic run of the running sum
// under backpressure (sum#0 slowed 2,000 times from the start, so the barriers overtake queued records), each
// with the blobs storage held when it completed, ready to export. Not used by the engine itself.
import { hasChannelState } from '../checkpoint/task-state';
import type { CheckpointMetadata } from '../checkpoint/checkpoint-metadata';
import { parseFault } from '../../runtime/sim/fault-plan';
import { runScenario, type RunScenarioOptions, type RunScenarioResult } from '../../runtime/sim/run-scenario';
import { prepareScenarioJob } from '../../runtime/sim/scenario-job';
import type { Simulation } from '../../runtime/sim/simulation';
import type { SnapshotFileInput } from './encode-snapshot-file';
import { snapshotJobOf } from './snapshot-job';
import { requiredBlobs } from './snapshot-storage-keys';

export const UNALIGNED_CONFIGURATION = {
  'execution.checkpointing.unaligned.enabled': true,
  'execution.checkpointing.externalized-checkpoint-retention': 'RETAIN_ON_CANCELLATION',
} as const;

export const UNALIGNED_RUN: RunScenarioOptions = {
  scenario: 'running-sum',
  parallelism: 2,
  checkpointIntervalMs: 200,
  mode: 'exactly-once',
  seed: 3,
  keys: 100,
  recordsPerSecond: 100,
  recordEvents: false,
  configuration: UNALIGNED_CONFIGURATION,
  faults: [parseFault('slow-task:sum#0@0x2000')],
  untilMs: 1_500,
};

export interface UnalignedCheckpoints {
  /** Every completed checkpoint, in completion order, with its blobs as storage held them then. */
  readonly snapshots: readonly SnapshotFileInput[];
  readonly result: RunScenarioResult;
}

export function unalignedCheckpoints(options: Partial<RunScenarioOptions> = {}): UnalignedCheckpoints {
  let simulation: Simulation | null = null;
  const snapshots: SnapshotFileInput[] = [];
  const run = { ...UNALIGNED_RUN, ...options };
  const { jobGraph, configuration } = prepareScenarioJob({ ...run, keys: run.keys!, recordsPerSecond: run.recordsPerSecond! });
  const job = snapshotJobOf(jobGraph, configuration);
  const result = runScenario({
    ...run,
    onStart: (started) => {
      simulation = started;
    },
    onEvent: (event) => {
      if (event.type !== 'checkpoint-completed') return;
      const { jobMaster, memoryStorage } = simulation!;
      const metadata = jobMaster.store.retained().find((m) => m.checkpointId === event.checkpointId)!;
      const blobs = new Map(requiredBlobs(metadata).map((key) => [key, memoryStorage.readBlobNow(key)!] as const));
      snapshots.push({ metadata, blobs, job });
    },
  });
  return { snapshots, result };
}

export function holdsChannelState(metadata: CheckpointMetadata): boolean {
  return metadata.operators.some((operator) => operator.subtaskStates.some((state) => state !== undefined && hasChannelState(state)));
}
