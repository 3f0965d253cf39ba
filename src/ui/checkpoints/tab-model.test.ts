import { describe, expect, it } from 'vitest';
import { flinkShapedSource, recordedRunSource } from './checkpoints.fixture';
import { checkpointDetailsModel, subtaskTableModel } from './tab-details-model';
import { configurationRows, formatWallClock, historyRows, overviewModel, summaryModel, timestampFormatter } from './tab-model';

const run = recordedRunSource();
const flink = flinkShapedSource();
const runClock = timestampFormatter(run.overview());

describe("the Checkpoints tab over this page's recorded run", () => {
  it('counts as the Overview does: triggered, in progress, completed, failed, restored', () => {
    const overview = overviewModel(run.overview(), runClock);
    expect(overview.counts).toEqual([
      { label: 'Triggered', value: '6' },
      { label: 'In Progress', value: '1' },
      { label: 'Completed', value: '4' },
      { label: 'Failed', value: '1' },
      { label: 'Restored', value: '0' },
    ]);
    expect(overview.latest.map((entry) => [entry.label, entry.checkpointId])).toEqual([
      ['Latest Completed Checkpoint', 5],
      ['Latest Failed Checkpoint', 3],
      ['Latest Savepoint', null],
      ['Latest Restore', null],
    ]);
    const failed = overview.latest[1]!.fields;
    expect(failed).toContainEqual({ label: 'Cause', value: 'Injected failure: upload of checkpoint 3 by sum#0 failed' });
    expect(overview.latest[2]!.fields).toEqual([]);
  });

  it('lists the history newest first with times on the run clock and sizes rounded for people', () => {
    const rows = historyRows(run.overview(), runClock);
    expect(rows.map((row) => [row.id, row.status])).toEqual([
      [6, 'IN_PROGRESS'],
      [5, 'COMPLETED'],
      [4, 'COMPLETED'],
      [3, 'FAILED'],
      [2, 'COMPLETED'],
      [1, 'COMPLETED'],
    ]);
    const [inProgress, completed] = rows;
    expect(inProgress!.cells[0]).toBe('4/8 (50%)');
    expect(completed!.cells.slice(0, 4)).toEqual(['8/8', '1,000 ms', '1,017 ms', '17 ms']);
    expect(completed!.cells[4]).toMatch(/^\d[\d.,]* (B|KiB)$/);
    expect(completed!.cells[6]).toBe('0 B (0 B)');
  });

  it('summarises completed checkpoints with min / avg / max and percentiles', () => {
    const summary = summaryModel(run.overview())!;
    expect(summary.rows.map((row) => row.label)).toEqual(['Minimum', 'Average', 'Maximum']);
    expect(summary.percentiles.map((row) => row.label)).toEqual(['50% percentile', '90% percentile', '95% percentile', '99% percentile', '99.9% percentile']);
    expect(summary.rows[0]!.cells[0]).toBe('17 ms');
    expect(summary.rows[2]!.cells[0]).toBe('22 ms');
  });

  it('details a checkpoint per operator, then per subtask, with n/a for a subtask that never acknowledged', () => {
    const details = checkpointDetailsModel(run, 3, runClock)!;
    expect(details.status).toBe('FAILED');
    expect(details.facts).toContainEqual({ label: 'Failure Message', value: 'Injected failure: upload of checkpoint 3 by sum#0 failed' });
    expect(details.operators.map((operator) => [operator.name, operator.cells[0]])).toEqual([
      ['Source: numbers', '4/4 (100%)'],
      ['Running sum -> Sink: sums', '2/4 (50%)'],
    ]);
    const table = subtaskTableModel(run.subtaskDetails(3, 'sum')!, runClock);
    expect(table.rows.map((row) => row.acknowledged)).toEqual([false, true, false, true]);
    expect(table.rows[1]!.cells).toHaveLength(10);
    expect(table.rows[1]!.cells.at(-1)).toBe('false');
    expect(table.summary.map((row) => row.label)).toEqual(['Minimum', 'Average', 'Maximum']);
  });

  it('reads the configuration as the Configuration tab names it', () => {
    const rows = configurationRows(run.config())!;
    expect(rows.slice(0, 4)).toEqual([
      { label: 'Checkpointing Mode', value: 'Exactly Once' },
      { label: 'Checkpoint Storage', value: 'IndexedDbCheckpointStorage' },
      { label: 'State Backend', value: 'HashMapStateBackend' },
      { label: 'Interval', value: '200 ms' },
    ]);
    expect(rows).toContainEqual({ label: 'Persist Checkpoints Externally', value: 'Enabled (delete on cancellation)' });
    expect(rows.map((row) => row.label)).not.toContain('Aligned Checkpoint Timeout');
    expect(configurationRows(null)).toBeNull();
    expect(configurationRows({ ...run.config()!, interval: 2 ** 63 })![3]).toEqual({ label: 'Interval', value: 'Periodic checkpoints disabled' });
  });
});

describe('the Checkpoints tab over a real Flink job', () => {
  const wall = timestampFormatter(flink.overview());

  it('writes epoch timestamps as the Web UI does (yyyy-MM-dd HH:mm:ss)', () => {
    expect(wall).toBe(formatWallClock);
    expect(historyRows(flink.overview(), wall)[0]!.cells[1]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(formatWallClock(Date.UTC(2026, 2, 2, 10, 0, 0, 7) + new Date(0).getTimezoneOffset() * 60_000, true)).toBe('2026-03-02 10:00:00.007');
  });

  it('names the checkpoint type, the latest restore and n/a for an in-progress checkpoint not yet acknowledged', () => {
    const rows = historyRows(flink.overview(), wall);
    expect(rows.map((row) => [row.id, row.status, row.type])).toEqual([
      [14, 'IN_PROGRESS', null],
      [13, 'FAILED', null],
      [12, 'COMPLETED', 'Unaligned checkpoint'],
    ]);
    const restore = overviewModel(flink.overview(), wall).latest[3]!;
    expect(restore.fields.slice(0, 1)).toEqual([{ label: 'ID', value: '9' }]);
    expect(restore.fields).toContainEqual({ label: 'Type', value: 'Checkpoint' });
    const configuration = configurationRows(flink.config())!;
    expect(configuration).toContainEqual({ label: 'Unaligned Checkpoints', value: 'Enabled' });
    expect(configuration).toContainEqual({ label: 'Aligned Checkpoint Timeout', value: '0 ms' });
  });

  it('shows persisted in-flight data of unaligned subtasks', () => {
    const table = subtaskTableModel(flink.subtaskDetails(12, '90bea66de1c231edf33913ecd54406c1')!, wall);
    expect(table.rows[3]!.cells[6]).toBe('2 KiB (878.9 KiB)');
    expect(table.rows[3]!.cells.at(-1)).toBe('true');
  });
});
