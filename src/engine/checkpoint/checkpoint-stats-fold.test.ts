// The statistics fold reads only events: who must acknowledge comes from `job-deployed`, each subtask's
// numbers from its `checkpoint-acknowledged`, the outcome from the coordinator's events, and Flink's rules
// (an acknowledgement counts once, only while its checkpoint is pending) hold without any other input.
import { describe, expect, it } from 'vitest';
import type { EngineEvent, EventOf } from '../events';
import { CHECKPOINT_EXPIRED_MESSAGE, CheckpointStatsFold, foldCheckpointStatistics } from './checkpoint-stats-fold';

const TASKS = ['source#0', 'sum#0', 'sum#1'];

function deployed(time: number, attempt: number, restored: Partial<EventOf<'job-deployed'>> = {}): EngineEvent {
  return {
    type: 'job-deployed',
    time,
    attempt,
    restoredCheckpointId: null,
    vertices: [],
    channels: [],
    subtasks: TASKS.map((taskId, index) => ({ taskId, vertexId: taskId.split('#')[0]!, subtaskIndex: index === 0 ? 0 : index - 1, keyGroups: null })),
    ...restored,
  };
}

function triggered(time: number, checkpointId: number, checkpointType: 'CHECKPOINT' | 'SAVEPOINT' | 'SYNC_SAVEPOINT' = 'CHECKPOINT'): EngineEvent {
  return { type: 'checkpoint-triggered', time, checkpointId, isSavepoint: checkpointType !== 'CHECKPOINT', checkpointType };
}

function acknowledged(time: number, checkpointId: number, taskId: string, overrides: Partial<EventOf<'checkpoint-acknowledged'>> = {}): EngineEvent {
  return {
    type: 'checkpoint-acknowledged',
    time,
    taskId,
    attempt: 0,
    checkpointId,
    syncDurationMs: 1,
    asyncDurationMs: 2,
    alignmentDurationMs: 3,
    startDelayMs: 4,
    checkpointedSizeBytes: 100,
    stateSizeBytes: 200,
    processedDataBytes: 10,
    persistedDataBytes: 0,
    unaligned: false,
    ...overrides,
  };
}

function completed(time: number, checkpointId: number, endToEndDurationMs: number, isSavepoint = false): EngineEvent {
  return {
    type: 'checkpoint-completed',
    time,
    checkpointId,
    isSavepoint,
    endToEndDurationMs,
    stateSizeBytes: 600,
    checkpointedSizeBytes: 300,
    sourceOffsets: { numbers: { '0': 12 } },
    externalPath: `memory://job/chk-${checkpointId}`,
  };
}

/** Checkpoint `id` triggered at `trigger`, acknowledged by every task 10 ms apart, completed 5 ms after the last. */
function checkpointRun(id: number, trigger: number): EngineEvent[] {
  return [
    triggered(trigger, id),
    ...TASKS.map((taskId, i) => acknowledged(trigger + 10 * (i + 1), id, taskId)),
    completed(trigger + 35, id, 30),
  ];
}

describe('CheckpointStatsFold', () => {
  it('counts a triggered checkpoint in progress with the deployed subtasks per vertex', () => {
    const fold = foldCheckpointStatistics([deployed(0, 0), triggered(1_000, 1)]);
    const { counts, history } = fold.statistics();
    expect(counts).toEqual({ restored: 0, total: 1, in_progress: 1, completed: 0, failed: 0 });
    expect(history[0]).toMatchObject({
      '@class': 'in_progress',
      id: 1,
      trigger_timestamp: 1_000,
      num_subtasks: 3,
      num_acknowledged_subtasks: 0,
      end_to_end_duration: -1,
      tasks: { source: expect.objectContaining({ num_subtasks: 1 }), sum: expect.objectContaining({ num_subtasks: 2 }) },
    });
  });

  it("takes each subtask's numbers from its acknowledgement, whose time is the ack timestamp", () => {
    const fold = foldCheckpointStatistics([
      deployed(0, 0),
      triggered(1_000, 1),
      acknowledged(1_040, 1, 'sum#1', { syncDurationMs: 6, asyncDurationMs: 12, alignmentDurationMs: 8, startDelayMs: 3, persistedDataBytes: 64, unaligned: true }),
    ]);
    expect(fold.subtaskDetails(1, 'sum')!.subtasks).toEqual([
      { index: 0, status: 'pending_or_failed' },
      {
        index: 1,
        status: 'completed',
        ack_timestamp: 1_040,
        end_to_end_duration: 40,
        checkpointed_size: 100,
        state_size: 200,
        checkpoint: { sync: 6, async: 12 },
        // alignment_buffered is 0, as Flink has reported it since 1.12.
        alignment: { buffered: 0, processed: 10, persisted: 64, duration: 8 },
        start_delay: 3,
        unaligned_checkpoint: true,
        aborted: false,
      },
    ]);
    expect(fold.details(1)).toMatchObject({ latest_ack_timestamp: 1_040, end_to_end_duration: 40, state_size: 200, alignment_buffered: 0 });
  });

  it("gives a completed checkpoint the completion event's end to end duration and external path", () => {
    const events = checkpointRun(1, 1_000);
    const fold = foldCheckpointStatistics([deployed(0, 0), ...events]);
    const event = events.find((e): e is EventOf<'checkpoint-completed'> => e.type === 'checkpoint-completed')!;
    const statistics = fold.statistics();
    expect(statistics.counts).toMatchObject({ total: 1, in_progress: 0, completed: 1 });
    expect(statistics.latest.completed).toMatchObject({
      '@class': 'completed',
      id: 1,
      end_to_end_duration: event.endToEndDurationMs,
      latest_ack_timestamp: 1_030,
      external_path: 'memory://job/chk-1',
      discarded: false,
      num_acknowledged_subtasks: 3,
    });
    expect(statistics.summary.end_to_end_duration).toMatchObject({ min: 30, max: 30 });
    fold.apply({ type: 'checkpoint-discarded', time: 2_000, checkpointId: 1 });
    expect(fold.details(1)).toMatchObject({ discarded: true });
  });

  it('ignores an acknowledgement that is late, duplicate or from a subtask not asked to acknowledge', () => {
    const fold = foldCheckpointStatistics([
      deployed(0, 0),
      triggered(1_000, 1),
      acknowledged(1_010, 1, 'sum#0'),
      acknowledged(1_020, 1, 'sum#0', { stateSizeBytes: 999 }),
      acknowledged(1_020, 1, 'other#0'),
      acknowledged(1_020, 7, 'sum#1'),
      { type: 'checkpoint-aborted', time: 1_050, checkpointId: 1, reason: 'CHECKPOINT_DECLINED', message: 'Task sum#1 declined' },
      acknowledged(1_060, 1, 'sum#1'),
    ]);
    expect(fold.details(1)).toMatchObject({ '@class': 'failed', num_acknowledged_subtasks: 1, state_size: 200, latest_ack_timestamp: 1_010 });
    expect(fold.details(7)).toBeNull();
  });

  it("fails an aborted checkpoint with the event's message and an expired one with Flink's", () => {
    const fold = foldCheckpointStatistics([
      deployed(0, 0),
      triggered(1_000, 1),
      { type: 'checkpoint-aborted', time: 1_050, checkpointId: 1, reason: 'FINALIZE_CHECKPOINT_FAILURE', message: 'metadata write failed' },
      triggered(2_000, 2),
      { type: 'checkpoint-expired', time: 2_300, checkpointId: 2 },
    ]);
    expect(fold.details(1)).toMatchObject({ '@class': 'failed', failure_timestamp: 1_050, failure_message: 'metadata write failed' });
    expect(fold.details(2)).toMatchObject({ '@class': 'failed', failure_timestamp: 2_300, failure_message: CHECKPOINT_EXPIRED_MESSAGE });
    expect(fold.statistics().counts).toMatchObject({ total: 2, failed: 2, in_progress: 0 });
    expect(fold.statistics().latest.failed).toMatchObject({ id: 2 });
  });

  it('keeps savepoints apart, SYNC_SAVEPOINT for stop-with-savepoint', () => {
    const fold = foldCheckpointStatistics([deployed(0, 0), ...checkpointRun(1, 1_000), triggered(2_000, 2, 'SYNC_SAVEPOINT'), completed(2_050, 2, 40, true)]);
    const { latest } = fold.statistics();
    expect(latest.savepoint).toMatchObject({ id: 2, is_savepoint: true, checkpoint_type: 'SYNC_SAVEPOINT' });
    expect(latest.completed).toMatchObject({ id: 1, checkpoint_type: 'CHECKPOINT' });
  });

  it('counts a restore per deployment that restores, naming the snapshot as the deployment or its completion did', () => {
    const fold = new CheckpointStatsFold();
    for (const event of [deployed(0, 0, { restoredCheckpointId: 5, restoredFrom: { isSavepoint: true, externalPath: 'file:///sp-5.bscp' } }), ...checkpointRun(6, 1_000)]) {
      fold.apply(event);
    }
    expect(fold.statistics().latest.restored).toEqual({ id: 5, restore_timestamp: 0, is_savepoint: true, external_path: 'file:///sp-5.bscp' });
    fold.apply(deployed(3_000, 1, { restoredCheckpointId: 6 }));
    expect(fold.statistics().counts.restored).toBe(2);
    expect(fold.statistics().latest.restored).toEqual({ id: 6, restore_timestamp: 3_000, is_savepoint: false, external_path: 'memory://job/chk-6' });
  });

  it('asks the subtasks of the newest deployment to acknowledge', () => {
    const fold = new CheckpointStatsFold();
    fold.apply(deployed(0, 0));
    fold.apply({ ...(deployed(500, 1) as EventOf<'job-deployed'>), subtasks: [{ taskId: 'sum#0', vertexId: 'sum', subtaskIndex: 0, keyGroups: null }] });
    fold.apply(triggered(1_000, 1));
    expect(fold.details(1)).toMatchObject({ num_subtasks: 1, tasks: { sum: expect.objectContaining({ num_subtasks: 1 }) } });
    expect(fold.details(1)!.tasks).not.toHaveProperty('source');
  });

  it('is an EventFold for the page: its view is the statistics', () => {
    const fold = foldCheckpointStatistics([deployed(0, 0), ...checkpointRun(1, 1_000)]);
    expect(fold.view(5_000)).toEqual(fold.statistics());
  });

  it('bounds its history as the REST view does', () => {
    const events = [deployed(0, 0), ...[1, 2, 3, 4].flatMap((id) => checkpointRun(id, id * 1_000))];
    expect(foldCheckpointStatistics(events, { historySize: 2 }).statistics().history.map((entry) => entry.id)).toEqual([4, 3]);
  });
});
