// How the page's job starts from a snapshot: Flink's rules decide, and a max parallelism the page never
// configured gives way to the snapshot's, as Flink's does.
import { describe, expect, it } from 'vitest';
import { realCheckpoints } from '../../runtime/sim/real-checkpoints.fixture';
import type { ScenarioJobOptions } from '../../runtime/sim/scenario-job';
import { holdsChannelState, unalignedCheckpoints } from '../../engine/format/unaligned-checkpoints.fixture';
import { planRestore } from './restore-plan';

const PAGE_JOB: ScenarioJobOptions = { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 1000, mode: 'exactly-once', keys: 100, recordsPerSecond: 25 };
const checkpointAt = (maxParallelism?: number) =>
  realCheckpoints({ keys: 100, untilMs: 500, ...(maxParallelism ? { configuration: { 'pipeline.max-parallelism': maxParallelism } } : {}) }).snapshots.at(-1)!.metadata;

describe('planning a restore of the page job', () => {
  it('restores at any parallelism the state allows, with the job as it is', () => {
    const metadata = checkpointAt();
    for (const parallelism of [1, 2, 3, 8]) {
      const plan = planRestore(metadata, { ...PAGE_JOB, parallelism });
      expect(plan.ok && plan.job.jobGraph.maxParallelism).toBe(128);
      expect(plan.ok && plan.scenario.maxParallelism).toBeUndefined();
    }
  });

  it("takes over the snapshot's max parallelism when the job's is derived, and refuses it when configured", () => {
    const metadata = checkpointAt(256);
    const adopted = planRestore(metadata, PAGE_JOB);
    expect(adopted.ok && adopted.scenario.maxParallelism).toBe(256);
    expect(adopted.ok && adopted.job.jobGraph.maxParallelism).toBe(256);
    const refused = planRestore(metadata, { ...PAGE_JOB, maxParallelism: 128 }, 'mine.bscp');
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/^Failed to rollback to checkpoint\/savepoint mine\.bscp\. Max parallelism mismatch/) });
  });

  it('refuses a parallelism above the max parallelism of the state, in Flink’s words', () => {
    const plan = planRestore(checkpointAt(4), { ...PAGE_JOB, parallelism: 6 });
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.message).toMatch(/The maximum parallelism \(4\) of the restored state is lower than the configured parallelism \(6\)/);
  });

  it("restores an unaligned checkpoint's in-flight data at its own parallelism only, refused before anything is imported", () => {
    const { metadata } = unalignedCheckpoints({ untilMs: 600 }).snapshots.filter((snapshot) => holdsChannelState(snapshot.metadata)).at(-1)!;
    const job = { ...PAGE_JOB, configuration: { 'execution.checkpointing.unaligned.enabled': true } };
    expect(planRestore(metadata, job).ok).toBe(true);
    const plan = planRestore(metadata, { ...job, parallelism: 3 });
    expect(!plan.ok && plan.message).toMatch(/is unaligned: operator \w+ holds in-flight data \(channel state\) of 2 subtasks, and rescaling channel state to parallelism 3 is not modelled/);
  });
});
