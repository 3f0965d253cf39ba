import { describe, expect, it } from 'vitest';
import { FLINK_TRIGGER_MS, flinkShapedSource, recordedRunSource } from './checkpoints.fixture';
import { outlierThreshold, percentile, segmentsOf, taskLabel, timelineModel } from './timeline-model';

const phases = (model: ReturnType<typeof timelineModel>, taskId: string) =>
  model!.rows.find((row) => row.taskId === taskId)!.segments.map((segment) => [segment.phase, segment.startMs, segment.endMs, segment.overlay]);

describe('the outlier threshold', () => {
  it('is max(p95, 1.5 × median) with Flink timeline percentiles (index ⌊(n − 1)·p⌋)', () => {
    expect(percentile([82, 211, 85, 83], 0.5)).toBe(83);
    expect(percentile([82, 211, 85, 83], 0.95)).toBe(85);
    expect(outlierThreshold([82, 211, 85, 83])).toBe(124.5);
    expect(outlierThreshold([])).toBe(0);
  });
});

describe("a recorded run's per-subtask timeline", () => {
  const run = recordedRunSource();

  it('lays the phases end to end from the trigger and puts the slowest subtask first, marked as an outlier', () => {
    const model = timelineModel(run, 2)!;
    expect(model.status).toBe('COMPLETED');
    expect(model.triggerTimestamp).toBe(400);
    expect(model.rows.map((row) => row.taskId)).toEqual(['sum#2', 'sum#0', 'sum#1', 'sum#3', 'numbers#0', 'numbers#1', 'numbers#2', 'numbers#3']);
    expect(model.rows.filter((row) => row.outlier).map((row) => row.taskId)).toEqual(['sum#2']);
    expect(phases(model, 'sum#2')).toEqual([
      ['start-delay', 0, 3, false],
      ['alignment', 3, 19, false],
      ['async', 19, 22, false],
    ]);
    expect(model.endMs).toBe(22);
    expect(model.domainMs).toBe(22);
  });

  it('shows subtasks that never acknowledged a failed checkpoint, first', () => {
    const model = timelineModel(run, 3)!;
    expect(model.status).toBe('FAILED');
    expect(model.rows.slice(0, 2).map((row) => [row.taskId, row.status, row.outlier])).toEqual([
      ['sum#0', 'pending', false],
      ['sum#2', 'pending', false],
    ]);
    expect(model.rows[0]!.totalMs).toBe(model.endMs);
  });

  it('waits for the missing acknowledgements of an in-progress checkpoint until now', () => {
    const model = timelineModel(run, 6, 1203)!;
    expect(model.status).toBe('IN_PROGRESS');
    expect(model.endMs).toBe(3);
    expect(model.rows.filter((row) => row.status === 'pending').map((row) => row.taskId)).toEqual(['sum#0', 'sum#1', 'sum#2', 'sum#3']);
    expect(timelineModel(run, 99)).toBeNull();
  });
});

describe("a real Flink job's per-subtask timeline", () => {
  const flink = flinkShapedSource();
  const window = 'Window(TumblingEventTimeWindows) -> Sink';

  it("names rows by vertex name and index when the vertex id is Flink's JobVertexID", () => {
    expect(taskLabel({ id: 'sum', name: 'Running sum', parallelism: 2 }, 1)).toBe('sum#1');
    expect(taskLabel({ id: '90bea66de1c231edf33913ecd54406c1', name: window, parallelism: 4 }, 3)).toBe(`${window}#3`);
  });

  it("draws an unaligned subtask's alignment over its sync and async, and the ack's travel as 'other'", () => {
    const model = timelineModel(flink, 12)!;
    expect(model.triggerTimestamp).toBe(FLINK_TRIGGER_MS);
    expect(model.rows[0]!.taskId).toBe(`${window}#3`);
    expect(model.rows[0]!.outlier).toBe(true);
    expect(model.rows.filter((row) => row.outlier)).toHaveLength(1);
    expect(phases(model, `${window}#3`)).toEqual([
      ['start-delay', 0, 25, false],
      ['sync', 25, 31, false],
      ['async', 31, 181, false],
      ['other', 181, 211, false],
      ['alignment', 25, 145, true],
    ]);
  });

  it('marks an aborted subtask as an outlier and keeps the never-acknowledged ones to the failure', () => {
    const model = timelineModel(flink, 13)!;
    expect(model.endMs).toBe(600_000);
    const statuses = model.rows.map((row) => [row.taskId, row.status, row.outlier]);
    expect(statuses.slice(0, 3)).toEqual([
      [`${window}#1`, 'pending', false],
      [`${window}#3`, 'pending', false],
      [`${window}#2`, 'aborted', true],
    ]);
  });

  it('reports phases that overrun the end to end duration instead of hiding them', () => {
    const overrun = segmentsOf({ index: 0, status: 'completed', end_to_end_duration: 10, start_delay: 4, alignment: { buffered: 0, processed: 0, persisted: 0, duration: 4 }, checkpoint: { sync: 1, async: 3 } });
    expect(overrun.overrunMs).toBe(2);
    expect(overrun.segments.map((segment) => segment.phase)).toEqual(['start-delay', 'alignment', 'sync', 'async']);
  });
});
