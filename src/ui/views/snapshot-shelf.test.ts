import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/events';
import { foldAll } from '../model/event-fold';
import { SnapshotShelfFold } from './snapshot-shelf';
import { eventsUntil, killedRun } from './views.fixture';
import { runScenario } from '../../runtime/sim/run-scenario';
import { parseFault } from '../../runtime/sim/fault-plan';

describe('the snapshot shelf of a killed exactly-once run', () => {
  const { events } = killedRun();
  const shelf = (until = Infinity) => foldAll(() => new SnapshotShelfFold({ maxFrames: 20 }), eventsUntil(events, until)).view(until);

  it('has a frame per triggered checkpoint, each completed one with a cell per subtask, all acknowledged', () => {
    const view = shelf();
    const triggered = events.filter((e) => e.type === 'checkpoint-triggered').length;
    expect(view.frames.length).toBe(triggered);
    for (const frame of view.frames.filter((f) => f.status === 'COMPLETED')) {
      expect(frame.cells.map((c) => c.taskId).sort()).toEqual(['numbers#0', 'numbers#1', 'sum#0', 'sum#1']);
      expect(frame.cells.every((c) => c.state === 'acknowledged')).toBe(true);
      expect(frame.acknowledged).toBe(4);
      expect(frame.lifecycle).toBe('completed');
    }
  });

  it('keeps only the newest completed checkpoint retained; the older ones read as subsumed', () => {
    const view = shelf();
    const completed = view.frames.filter((f) => f.status === 'COMPLETED');
    expect(completed.at(-1)!.retention).toBe('retained');
    expect(completed.slice(0, -1).every((f) => f.retention === 'subsumed')).toBe(true);
  });

  it('fills cells as subtasks acknowledge: mid-checkpoint the sources have acknowledged and the sums not yet', () => {
    const first = events.find((e) => e.type === 'checkpoint-acknowledged' && e.taskId === 'numbers#1')!;
    const view = shelf(first.time);
    const frame = view.pending[0]!;
    expect(frame.status).toBe('IN_PROGRESS');
    const byTask = Object.fromEntries(frame.cells.map((c) => [c.taskId, c.state]));
    expect(byTask['numbers#0']).toBe('acknowledged');
    expect(byTask['numbers#1']).toBe('acknowledged');
    expect(['waiting', 'aligning']).toContain(byTask['sum#0']);
  });

  it('marks the checkpoint the restart restored from', () => {
    const restored = events.flatMap((e) => (e.type === 'task-restored' ? [e.checkpointId] : []));
    const view = shelf();
    expect(restored.length).toBeGreaterThan(0);
    expect(view.restoredCheckpointId).toBe(restored.at(-1));
    expect(view.frames.filter((f) => f.restored).map((f) => f.checkpointId)).toEqual([view.restoredCheckpointId]);
  });

  it('reports sizes from the acknowledgements: checkpointed never above the full size', () => {
    for (const frame of shelf().frames.filter((f) => f.status === 'COMPLETED')) {
      for (const cell of frame.cells) {
        expect(cell.stateSizeBytes).toBeGreaterThan(0);
        expect(cell.checkpointedSizeBytes!).toBeLessThanOrEqual(cell.stateSizeBytes!);
      }
    }
  });

  it('is bounded: with maxFrames 3 it shows the newest three frames and the restored one, and counts the rest', () => {
    const view = foldAll(() => new SnapshotShelfFold({ maxFrames: 3 }), events).view(Infinity);
    expect(view.frames.map((f) => f.checkpointId)).toEqual([view.restoredCheckpointId, 8, 9, 10]);
    expect(view.counts.hidden).toBe(view.counts.completed + view.counts.failed + view.counts.inProgress - view.frames.length);
  });
});

describe('a failed checkpoint on the shelf', () => {
  it('reads FAILED with its reason, and the subtask that failed its upload is marked', () => {
    const fold = new SnapshotShelfFold();
    const a = { attempt: 0 };
    fold.apply({ type: 'checkpoint-triggered', time: 0, checkpointId: 5, isSavepoint: true, checkpointType: 'SAVEPOINT' });
    fold.apply({ type: 'snapshot-failed', time: 3, taskId: 'sum#0', checkpointId: 5, phase: 'async', message: 'upload failed', ...a });
    fold.apply({ type: 'checkpoint-aborted', time: 4, checkpointId: 5, reason: 'CHECKPOINT_ASYNC_EXCEPTION', message: 'upload failed' });
    const frame = fold.view(4).frames[0]!;
    expect(frame).toMatchObject({ status: 'FAILED', isSavepoint: true, lifecycle: 'aborted', failureReason: 'CHECKPOINT_ASYNC_EXCEPTION' });
    expect(frame.cells.find((c) => c.taskId === 'sum#0')).toMatchObject({ state: 'failed', failure: 'upload failed' });
  });
});

describe('a run started from a savepoint it did not take', () => {
  it('shows that savepoint as the restored frame, before the run own checkpoints', () => {
    const fold = new SnapshotShelfFold();
    fold.apply({ type: 'job-deployed', time: 0, attempt: 0, restoredCheckpointId: 7, restoredFrom: { isSavepoint: true, externalPath: 'file:///sp-7' }, vertices: [], subtasks: [], channels: [] });
    fold.apply({ type: 'checkpoint-triggered', time: 500, checkpointId: 8, isSavepoint: false, checkpointType: 'CHECKPOINT' });
    const view = fold.view(500);
    expect(view.frames.map((f) => [f.checkpointId, f.status, f.isSavepoint, f.restored])).toEqual([
      [7, 'COMPLETED', true, true],
      [8, 'IN_PROGRESS', false, false],
    ]);
  });
});

describe('the snapshot shelf of a job that runs forever', () => {
  it('keeps at most keptFrames frames, even when none is ever discarded (savepoints stay retained)', () => {
    const fold = new SnapshotShelfFold({ keptFrames: 5 });
    for (let id = 1; id <= 20; id++) {
      fold.apply({ type: 'checkpoint-triggered', time: id * 10, checkpointId: id, isSavepoint: true, checkpointType: 'SAVEPOINT' });
      fold.apply({ type: 'checkpoint-completed', time: id * 10 + 5, checkpointId: id, isSavepoint: true, endToEndDurationMs: 5, stateSizeBytes: 1, checkpointedSizeBytes: 1, externalPath: `memory://x/savepoint-${id}`, sourceOffsets: {} });
    }
    const view = fold.view(1000);
    expect(view.frames.map((f) => f.checkpointId)).toEqual([16, 17, 18, 19, 20]);
  });
});

describe('the snapshot shelf between frames', () => {
  it('is the same view while no checkpoint event comes, and a new one when a card’s time is up', () => {
    const fold = new SnapshotShelfFold({ recentMs: 100 });
    fold.apply({ type: 'checkpoint-triggered', time: 10, checkpointId: 1, isSavepoint: false, checkpointType: 'CHECKPOINT' });
    fold.apply({ type: 'checkpoint-completed', time: 20, checkpointId: 1, isSavepoint: false, endToEndDurationMs: 10, stateSizeBytes: 1, checkpointedSizeBytes: 1, externalPath: 'memory://x/chk-1', sourceOffsets: {} });
    const first = fold.view(30);
    fold.apply({ type: 'records-moved', time: 40, from: 'numbers#0', to: 'sum#0', channel: 0, count: 1, attempt: 0 } as EngineEvent);
    expect(fold.view(50)).toBe(first);
    const later = fold.view(200);
    expect(later.cards).toEqual([]);
    expect(later.frames[0]).toBe(first.frames[0]);
  });
});

describe('the snapshot shelf of unaligned checkpoints under backpressure', () => {
  const { events } = runScenario({
    scenario: 'running-sum',
    parallelism: 2,
    checkpointIntervalMs: 500,
    mode: 'exactly-once',
    seed: 2,
    recordsPerSecond: 200,
    unbounded: true,
    untilMs: 4000,
    configuration: { 'execution.checkpointing.unaligned.enabled': true },
    faults: [parseFault('slow-task:sum#1@0x400')],
  });

  it('gives each cell the in-flight records its barrier overtook and the bytes its acknowledgement persisted', () => {
    const view = foldAll(() => new SnapshotShelfFold({ maxFrames: 50 }), events).view(Infinity);
    let withChannelState = 0;
    for (const frame of view.frames) {
      for (const cell of frame.cells) {
        const overtook = events.filter((e) => e.type === 'barrier-overtook' && e.checkpointId === frame.checkpointId && e.taskId === cell.taskId);
        expect(cell.channelStateRecords).toBe(overtook.reduce((sum, e) => sum + (e.type === 'barrier-overtook' ? e.records : 0), 0));
        const ack = events.find((e) => e.type === 'checkpoint-acknowledged' && e.checkpointId === frame.checkpointId && e.taskId === cell.taskId);
        if (ack?.type === 'checkpoint-acknowledged') {
          expect(cell.unaligned).toBe(ack.unaligned);
          if (ack.persistedDataBytes > 0) expect(cell.channelStateBytes).toBe(ack.persistedDataBytes);
        }
        if (cell.channelStateRecords > 0) withChannelState++;
      }
    }
    expect(withChannelState).toBeGreaterThan(0);
  });
});
