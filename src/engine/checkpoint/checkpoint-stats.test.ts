// Checkpoint statistics keep the shape of Flink's REST API (`/jobs/:id/checkpoints`, `.../details/:id`,
// `.../details/:id/subtasks/:vertex`): `@class` per status, counts, summaries, a bounded history.
import { describe, expect, it } from 'vitest';
import { CheckpointStatsTracker, DEFAULT_HISTORY_SIZE, SUMMARY_WINDOW, summarize } from './checkpoint-stats';
import type { SubtaskCheckpointMetrics } from './task-state';

const TASKS = ['source#0', 'sum#0', 'sum#1'];

function metrics(overrides: Partial<SubtaskCheckpointMetrics> = {}): SubtaskCheckpointMetrics {
  return {
    ackTimestamp: 0,
    syncDurationMs: 1,
    asyncDurationMs: 2,
    alignmentDurationMs: 3,
    startDelayMs: 4,
    checkpointedSizeBytes: 100,
    stateSizeBytes: 200,
    processedDataBytes: 10,
    persistedDataBytes: 0,
    alignmentBufferedBytes: 5,
    unalignedCheckpoint: false,
    ...overrides,
  };
}

/** A checkpoint triggered at `trigger` that every task acknowledges, with state size `stateSizeBytes` each. */
function complete(tracker: CheckpointStatsTracker, id: number, trigger: number, stateSizeBytes = 200) {
  tracker.reportPending(id, trigger, false, TASKS);
  TASKS.forEach((taskId, i) => tracker.reportSubtask(id, taskId, metrics({ ackTimestamp: trigger + 10 * (i + 1), stateSizeBytes })));
  tracker.reportCompleted(id, `memory://job/chk-${id}`);
}

describe('CheckpointStatsTracker', () => {
  it('reports a triggered checkpoint as in_progress with its subtasks counted per vertex and -1 for what is not known yet', () => {
    const tracker = new CheckpointStatsTracker();
    tracker.reportPending(1, 1_000, false, TASKS);
    const { counts, history } = tracker.statistics();
    expect(counts).toEqual({ restored: 0, total: 1, in_progress: 1, completed: 0, failed: 0 });
    expect(history).toHaveLength(1);
    expect(history[0]).toEqual({
      '@class': 'in_progress',
      id: 1,
      status: 'IN_PROGRESS',
      is_savepoint: false,
      checkpoint_type: 'CHECKPOINT',
      trigger_timestamp: 1_000,
      latest_ack_timestamp: -1,
      checkpointed_size: 0,
      state_size: 0,
      end_to_end_duration: -1,
      alignment_buffered: 0,
      processed_data: 0,
      persisted_data: 0,
      num_subtasks: 3,
      num_acknowledged_subtasks: 0,
      tasks: {
        source: expect.objectContaining({ id: 1, status: 'IN_PROGRESS', num_subtasks: 1, num_acknowledged_subtasks: 0 }),
        sum: expect.objectContaining({ id: 1, status: 'IN_PROGRESS', num_subtasks: 2, num_acknowledged_subtasks: 0 }),
      },
    });
  });

  it('sums sizes over acknowledged subtasks and measures end to end from trigger to the latest ack', () => {
    const tracker = new CheckpointStatsTracker();
    tracker.reportPending(1, 1_000, false, TASKS);
    tracker.reportSubtask(1, 'sum#1', metrics({ ackTimestamp: 1_070, stateSizeBytes: 300, checkpointedSizeBytes: 30, persistedDataBytes: 7 }));
    tracker.reportSubtask(1, 'source#0', metrics({ ackTimestamp: 1_020, stateSizeBytes: 50, checkpointedSizeBytes: 5, processedDataBytes: 0 }));
    const details = tracker.details(1)!;
    expect(details).toMatchObject({
      '@class': 'in_progress',
      latest_ack_timestamp: 1_070,
      end_to_end_duration: 70,
      state_size: 350,
      checkpointed_size: 35,
      processed_data: 10,
      persisted_data: 7,
      alignment_buffered: 10,
      num_acknowledged_subtasks: 2,
    });
    expect(details.tasks['sum']).toMatchObject({ latest_ack_timestamp: 1_070, end_to_end_duration: 70, state_size: 300, num_acknowledged_subtasks: 1 });
    expect(details.tasks['source']).toMatchObject({ latest_ack_timestamp: 1_020, end_to_end_duration: 20, state_size: 50, num_acknowledged_subtasks: 1 });
  });

  it('marks a completed checkpoint with @class completed, its external path and discarded, and makes it the latest completed', () => {
    const tracker = new CheckpointStatsTracker();
    complete(tracker, 1, 1_000);
    const statistics = tracker.statistics();
    expect(statistics.counts).toEqual({ restored: 0, total: 1, in_progress: 0, completed: 1, failed: 0 });
    expect(statistics.history[0]).toMatchObject({
      '@class': 'completed',
      status: 'COMPLETED',
      external_path: 'memory://job/chk-1',
      discarded: false,
      num_acknowledged_subtasks: 3,
      end_to_end_duration: 30,
      state_size: 600,
    });
    expect(statistics.history[0]).not.toHaveProperty('failure_message');
    expect(statistics.latest.completed).toEqual(statistics.history[0]);
    expect(statistics.latest.savepoint).toBeNull();
    tracker.reportDiscarded(1);
    expect(tracker.details(1)).toMatchObject({ discarded: true });
  });

  it('marks a failed checkpoint with @class failed, its failure timestamp and message, and no external path', () => {
    const tracker = new CheckpointStatsTracker();
    tracker.reportPending(1, 1_000, false, TASKS);
    tracker.reportFailed(1, 1_500, 'Checkpoint expired before completing.');
    const statistics = tracker.statistics();
    expect(statistics.counts).toEqual({ restored: 0, total: 1, in_progress: 0, completed: 0, failed: 1 });
    expect(statistics.history[0]).toMatchObject({
      '@class': 'failed',
      status: 'FAILED',
      failure_timestamp: 1_500,
      failure_message: 'Checkpoint expired before completing.',
    });
    expect(statistics.history[0]).not.toHaveProperty('external_path');
    expect(statistics.latest.failed).toEqual(statistics.history[0]);
  });

  it('ignores a completion or failure reported for a checkpoint that already finished', () => {
    const tracker = new CheckpointStatsTracker();
    complete(tracker, 1, 1_000);
    tracker.reportFailed(1, 2_000, 'too late');
    tracker.reportCompleted(1, 'elsewhere');
    expect(tracker.statistics().counts).toEqual({ restored: 0, total: 1, in_progress: 0, completed: 1, failed: 0 });
    expect(tracker.details(1)).toMatchObject({ status: 'COMPLETED', external_path: 'memory://job/chk-1' });
  });

  it('keeps savepoints apart: SAVEPOINT type, latest savepoint, and not the latest completed checkpoint', () => {
    const tracker = new CheckpointStatsTracker();
    complete(tracker, 1, 1_000);
    tracker.reportPending(2, 2_000, true, TASKS);
    tracker.reportCompleted(2, 'memory://job/chk-2');
    const { latest } = tracker.statistics();
    expect(latest.savepoint).toMatchObject({ id: 2, is_savepoint: true, checkpoint_type: 'SAVEPOINT', '@class': 'completed' });
    expect(latest.completed).toMatchObject({ id: 1, is_savepoint: false });
  });

  it('counts restores and reports the latest one', () => {
    const tracker = new CheckpointStatsTracker();
    tracker.reportRestored(3, 9_000, false, 'memory://job/chk-3');
    tracker.reportRestored(5, 12_000, true, 'memory://job/chk-5');
    const { counts, latest } = tracker.statistics();
    expect(counts.restored).toBe(2);
    expect(latest.restored).toEqual({ id: 5, restore_timestamp: 12_000, is_savepoint: true, external_path: 'memory://job/chk-5' });
  });

  it('summarises completed checkpoints with min, max, avg and nearest-rank percentiles', () => {
    const tracker = new CheckpointStatsTracker();
    for (let id = 1; id <= 100; id++) complete(tracker, id, id * 1_000, id);
    const { summary } = tracker.statistics();
    // Three subtasks with `id` bytes each.
    expect(summary.state_size).toEqual({ min: 3, max: 300, avg: 152, p50: 150, p90: 270, p95: 285, p99: 297, p999: 300 });
    expect(summary.end_to_end_duration).toMatchObject({ min: 30, max: 30, p50: 30 });
    expect(Object.keys(summary).sort()).toEqual(['alignment_buffered', 'checkpointed_size', 'end_to_end_duration', 'persisted_data', 'processed_data', 'state_size']);
  });

  it('summarises nothing as zeros, and failed checkpoints do not enter the summary', () => {
    const tracker = new CheckpointStatsTracker();
    tracker.reportPending(1, 0, false, TASKS);
    tracker.reportSubtask(1, 'sum#0', metrics({ stateSizeBytes: 999 }));
    tracker.reportFailed(1, 10, 'declined');
    expect(tracker.statistics().summary.state_size).toEqual({ min: 0, max: 0, avg: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0 });
  });

  it(`bounds the summary to the last ${SUMMARY_WINDOW} completed checkpoints`, () => {
    const tracker = new CheckpointStatsTracker(1);
    complete(tracker, 1, 0, 1_000_000);
    for (let id = 2; id <= SUMMARY_WINDOW + 1; id++) complete(tracker, id, id, 1);
    expect(tracker.statistics().summary.state_size.max).toBe(3);
  });

  it(`bounds the history to the configured size (Flink's default ${DEFAULT_HISTORY_SIZE}), newest first`, () => {
    const tracker = new CheckpointStatsTracker(3);
    for (let id = 1; id <= 5; id++) complete(tracker, id, id * 1_000);
    tracker.reportPending(6, 6_000, false, TASKS);
    expect(tracker.statistics().history.map((entry) => entry.id)).toEqual([6, 5, 4]);
    expect(tracker.statistics().counts.total).toBe(6);
    expect(tracker.details(3)).toBeNull();
    expect(new CheckpointStatsTracker().statistics().history).toEqual([]);
  });

  it('keeps in-progress checkpoints in the history even beyond its bound, dropping finished ones first', () => {
    const tracker = new CheckpointStatsTracker(2);
    complete(tracker, 1, 1_000);
    for (let id = 2; id <= 4; id++) tracker.reportPending(id, id * 1_000, false, TASKS);
    expect(tracker.statistics().history.map((entry) => [entry.id, entry['@class']])).toEqual([
      [4, 'in_progress'],
      [3, 'in_progress'],
      [2, 'in_progress'],
    ]);
  });

  it('gives per-subtask details with the REST fields, and pending_or_failed for subtasks that have not acknowledged', () => {
    const tracker = new CheckpointStatsTracker();
    tracker.reportPending(1, 1_000, false, TASKS);
    tracker.reportSubtask(
      1,
      'sum#1',
      metrics({ ackTimestamp: 1_040, syncDurationMs: 6, asyncDurationMs: 12, alignmentDurationMs: 8, startDelayMs: 3, persistedDataBytes: 64, unalignedCheckpoint: true }),
    );
    const details = tracker.subtaskDetails(1, 'sum')!;
    expect(details.subtasks).toEqual([
      { index: 0, status: 'pending_or_failed' },
      {
        index: 1,
        status: 'completed',
        ack_timestamp: 1_040,
        end_to_end_duration: 40,
        checkpointed_size: 100,
        state_size: 200,
        checkpoint: { sync: 6, async: 12 },
        alignment: { buffered: 5, processed: 10, persisted: 64, duration: 8 },
        start_delay: 3,
        unaligned_checkpoint: true,
        aborted: false,
      },
    ]);
    expect(details.summary).toMatchObject({
      state_size: { min: 200, max: 200 },
      end_to_end_duration: { p50: 40 },
      checkpoint_duration: { sync: { max: 6 }, async: { max: 12 } },
      alignment: { buffered: { max: 5 }, processed: { max: 10 }, persisted: { max: 64 }, duration: { max: 8 } },
      start_delay: { max: 3 },
    });
    expect(tracker.subtaskDetails(1, 'source')!.subtasks).toEqual([{ index: 0, status: 'pending_or_failed' }]);
  });

  it('has no details for an unknown checkpoint or vertex', () => {
    const tracker = new CheckpointStatsTracker();
    tracker.reportPending(1, 0, false, TASKS);
    expect(tracker.details(2)).toBeNull();
    expect(tracker.subtaskDetails(2, 'sum')).toBeNull();
    expect(tracker.subtaskDetails(1, 'sink')).toBeNull();
  });
});

describe('summarize', () => {
  it('rounds the average and picks percentiles from the sorted values', () => {
    expect(summarize([5, 1, 4])).toEqual({ min: 1, max: 5, avg: 3, p50: 4, p90: 5, p95: 5, p99: 5, p999: 5 });
    expect(summarize([7])).toEqual({ min: 7, max: 7, avg: 7, p50: 7, p90: 7, p95: 7, p99: 7, p999: 7 });
  });
});
