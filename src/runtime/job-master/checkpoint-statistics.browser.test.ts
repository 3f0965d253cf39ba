// On Web Workers too the job master's checkpoint statistics are the fold of the merged event stream: every
// completed checkpoint was acknowledged by all its subtasks before its completion in that stream, the fold
// of the recorded events equals what the job master shows, and the event's end to end duration is the REST one.
import { afterEach, expect, it } from 'vitest';
import { until, untilCheckpointsComplete } from '../../../tests/support/until';
import type { EngineEvent, EventOf } from '../../engine/events';
import { foldCheckpointStatistics } from '../../engine/checkpoint/checkpoint-stats-fold';
import { MemoryCheckpointStorage } from '../../storage/memory-checkpoint-storage';
import { realClock } from '../worker/real-clock';
import { WorkerJob } from '../worker/worker-job';

const jobs: WorkerJob[] = [];
afterEach(() => {
  for (const job of jobs.splice(0)) job.stop();
});

it('are the fold of the Worker runtime’s merged stream, with every acknowledgement before its completion', async () => {
  const job = new WorkerJob({
    jobId: `stats-${Math.random()}`,
    scenario: { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 100, mode: 'exactly-once', keys: 40, recordsPerSecond: 400 },
    storage: new MemoryCheckpointStorage(realClock, { fixedMs: 1, bytesPerMs: 1e6 }),
    databaseName: null,
  });
  jobs.push(job);
  const events: EngineEvent[] = [];
  job.events.subscribe((batch) => events.push(...batch));
  job.start();
  await untilCheckpointsComplete({ latestCheckpointId: () => job.jobMaster.store.latest()?.checkpointId ?? 0 }, 3);
  const completedInStream = () => events.filter((event): event is EventOf<'checkpoint-completed'> => event.type === 'checkpoint-completed');
  await until(() => completedInStream().length >= 3, 'three completions in the merged stream');
  job.stop();

  const folded = foldCheckpointStatistics(events.map((event) => JSON.parse(JSON.stringify(event)) as EngineEvent), { historySize: Number.MAX_SAFE_INTEGER });
  expect(foldCheckpointStatistics(events).statistics()).toEqual(job.jobMaster.stats.statistics());
  for (const completion of completedInStream()) {
    expect(folded.details(completion.checkpointId), `checkpoint ${completion.checkpointId}`).toMatchObject({
      '@class': 'completed',
      num_subtasks: 4,
      num_acknowledged_subtasks: 4,
      end_to_end_duration: completion.endToEndDurationMs,
      state_size: completion.stateSizeBytes,
      checkpointed_size: completion.checkpointedSizeBytes,
    });
  }
});
