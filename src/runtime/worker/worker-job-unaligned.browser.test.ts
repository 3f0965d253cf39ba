// Unaligned checkpoints on the Worker runtime in real Chromium, so every message they need crosses a
// MessagePort through the channel codec: priority barriers that overtake the buffers queued at a slow
// subtask, the overtaken records persisted as channel state and put back on restore, announcements and
// the switch to unaligned of an aligned checkpoint whose timeout passed. Waits are for conditions only.
import { afterEach, expect, it } from 'vitest';
import { until, untilCheckpointsComplete } from '../../../tests/support/until';
import type { EngineEvent, EventOf } from '../../engine/events';
import { MemoryCheckpointStorage } from '../../storage/memory-checkpoint-storage';
import type { ScenarioJobOptions } from '../sim/scenario-job';
import { realClock } from './real-clock';
import { WorkerJob } from './worker-job';

const jobs: WorkerJob[] = [];
afterEach(() => {
  for (const job of jobs.splice(0)) job.stop();
});

const ofType = <T extends EngineEvent['type']>(events: readonly EngineEvent[], type: T) => events.filter((event): event is EventOf<T> => event.type === type);

/** running-sum, unbounded, at parallelism 2 with sum#1 slowed down ×8, so its input channels stay full of buffers. */
function startBackpressured(configuration: Record<string, string | number | boolean>) {
  const scenario: ScenarioJobOptions = {
    scenario: 'running-sum',
    parallelism: 2,
    checkpointIntervalMs: 100,
    mode: 'exactly-once',
    keys: 200,
    recordsPerSecond: 20_000,
    unbounded: true,
    configuration: {
      'execution.checkpointing.unaligned.enabled': true,
      'execution.checkpointing.tolerable-failed-checkpoints': 1000,
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.delay': '20 ms',
      'restart-strategy.fixed-delay.attempts': 5,
      ...configuration,
    },
  };
  const job = new WorkerJob({ jobId: `unaligned-${Math.random()}`, scenario, storage: new MemoryCheckpointStorage(realClock, { fixedMs: 1, bytesPerMs: 1e6 }), databaseName: null });
  jobs.push(job);
  const events: EngineEvent[] = [];
  job.events.subscribe((delivered) => events.push(...delivered));
  job.start();
  job.slow('sum#1', 8);
  return { job, events };
}

/** The completed checkpoints some subtask of which persisted in-flight data. */
function withChannelState(events: readonly EngineEvent[]): Set<number> {
  const completed = new Set(ofType(events, 'checkpoint-completed').map((event) => event.checkpointId));
  return new Set(
    ofType(events, 'checkpoint-acknowledged')
      .filter((ack) => ack.unaligned && ack.persistedDataBytes > 0 && completed.has(ack.checkpointId))
      .map((ack) => ack.checkpointId),
  );
}

it('runs unaligned checkpoints across Workers: barriers overtake the slow subtask’s queue, its channel state is restored after a kill, output exactly-once', async () => {
  const { job, events } = startBackpressured({});
  const checkpoints = { latestCheckpointId: () => job.jobMaster.store.latest()?.checkpointId ?? 0 };
  // Kill sum#1 while the latest completed checkpoint holds channel state (checked and killed in one task).
  await until(() => {
    const latest = job.jobMaster.store.latest()?.checkpointId;
    return latest !== undefined && withChannelState(events).has(latest) && job.kill('sum#1');
  }, 'a completed unaligned checkpoint with channel state, then sum#1 killed');
  expect(ofType(events, 'barrier-overtook').some((event) => event.taskId === 'sum#1' && event.side === 'input' && event.records > 0)).toBe(true);
  expect(job.jobMaster.stats.statistics().history.some((checkpoint) => checkpoint.checkpoint_type === 'UNALIGNED_CHECKPOINT')).toBe(true);

  await until(() => job.jobMaster.numRestarts === 1 && job.jobMaster.status === 'RUNNING' && ofType(events, 'job-deployed').length === 2, 'the restart');
  const deployed = ofType(events, 'job-deployed')[1]!;
  expect(deployed.restoredCheckpointId).not.toBeNull();
  expect(withChannelState(events).has(deployed.restoredCheckpointId!)).toBe(true);
  await until(
    () => ofType(events, 'channel-state-restored').some((event) => event.checkpointId === deployed.restoredCheckpointId && event.attempt === deployed.attempt && event.records > 0),
    'the restored checkpoint’s channel state put back',
  );

  job.slow('sum#1', 1);
  const committedAtRestore = job.output().length;
  await until(() => job.output().length >= committedAtRestore + 2000, '2000 more records committed after the restore');
  await untilCheckpointsComplete(checkpoints, 2);
  expect(job.job.scenario.checkExactlyOnce(job.output(), job.job.parameters)).toEqual([]);
  expect(job.jobMaster.stats.statistics().counts.restored).toBe(1);
});

it('carries aligned barriers with their timeout across Workers: a checkpoint switches to unaligned once it passes', async () => {
  const { events } = startBackpressured({ 'execution.checkpointing.aligned-checkpoint-timeout': '20 ms' });
  await until(() => ofType(events, 'checkpoint-switched-to-unaligned').length > 0 && withChannelState(events).size > 0, 'a checkpoint switched to unaligned, completed with channel state');
  const switched = new Set(ofType(events, 'checkpoint-switched-to-unaligned').map((event) => event.checkpointId));
  expect([...withChannelState(events)].some((checkpointId) => switched.has(checkpointId))).toBe(true);
  expect(ofType(events, 'task-failed')).toEqual([]);
});
