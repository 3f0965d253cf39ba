import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/events';
import { parseFault } from '../../runtime/sim/fault-plan';
import { deployedRun } from '../graph/deployed-run.fixture';
import { foldAll } from '../model/event-fold';
import { SpaceTimeFold } from './space-time-fold';

// running-sum at parallelism 2 (numbers#0/1 → sum#0/1), checkpoints every 500 ms; sum#0 is killed at
// 1565 ms, the job restarts and restores checkpoint 3, then checkpoints again.
const KILLED = deployedRun({ scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 500, mode: 'exactly-once', seed: 3, untilMs: 3800, faults: [parseFault('kill:sum#0@1565')] });
const last = (events: readonly EngineEvent[]) => events.at(-1)!.time;
const view = (events: readonly EngineEvent[] = KILLED, fold = new SpaceTimeFold()) => foldAll(() => fold, events).view(last(events));

describe('the space-time fold of a run with a kill', () => {
  const picture = view();
  const triggeredAt = new Map(KILLED.filter((e) => e.type === 'checkpoint-triggered').map((e) => [e.checkpointId, e.time]));

  it('draws one lane per deployed subtask, sources first', () => {
    expect(picture.lanes.map((lane) => lane.taskId)).toEqual(['numbers#0', 'numbers#1', 'sum#0', 'sum#1']);
  });

  it('gives each completed checkpoint a cut with exactly one snapshot per subtask', () => {
    const completed = picture.cuts.filter((cut) => cut.status === 'COMPLETED');
    expect(completed.length).toBeGreaterThanOrEqual(4);
    for (const cut of completed) expect(cut.points.map((point) => point.taskId)).toEqual(picture.lanes.map((lane) => lane.taskId));
  });

  it('takes every snapshot of a cut at or after its checkpoint was triggered', () => {
    for (const cut of picture.cuts) {
      expect(cut.triggeredAt).toBe(triggeredAt.get(cut.checkpointId));
      for (const point of cut.points) expect(point.time).toBeGreaterThanOrEqual(cut.triggeredAt);
    }
  });

  it('snapshots a receiving subtask only after the barrier arrived on its last channel', () => {
    for (const cut of picture.cuts) {
      for (const point of cut.points) {
        const mark = picture.marks.find((m) => m.checkpointId === cut.checkpointId && m.taskId === point.taskId)!;
        if (mark.lastArrivalAt !== null) expect(point.time).toBeGreaterThanOrEqual(mark.lastArrivalAt);
      }
    }
  });

  it('draws each barrier hop from its sender’s emission to the receiver’s arrival', () => {
    const hops = picture.hops.filter((hop) => hop.checkpointId === 1);
    expect(hops.map((hop) => `${hop.from}->${hop.to}`).sort()).toEqual(['numbers#0->sum#0', 'numbers#0->sum#1', 'numbers#1->sum#0', 'numbers#1->sum#1']);
    for (const hop of picture.hops) expect(hop.arrivedAt).toBeGreaterThanOrEqual(hop.sentAt);
  });

  it('holds the source offsets and state sizes of a completed checkpoint', () => {
    const completed = KILLED.find((e) => e.type === 'checkpoint-completed' && e.checkpointId === 3)!;
    const cut = picture.cuts.find((c) => c.checkpointId === 3)!;
    expect(completed.type === 'checkpoint-completed' && cut.sourceOffsets).toEqual(completed.type === 'checkpoint-completed' && completed.sourceOffsets);
    expect(cut.points.every((point) => point.stateSizeBytes !== null && point.stateSizeBytes > 0)).toBe(true);
  });

  it('shades the restart after the kill and jumps back to the restored checkpoint’s cut', () => {
    expect(picture.restarts).toEqual([expect.objectContaining({ startAt: 1570, attempt: 1 })]);
    const [shade] = picture.restarts;
    expect(shade!.endAt).toBeGreaterThan(shade!.startAt);
    expect(picture.restores).toHaveLength(1);
    const [jump] = picture.restores;
    const cut = picture.cuts.find((c) => c.checkpointId === jump!.restoredCheckpointId)!;
    expect(cut).toMatchObject({ status: 'COMPLETED', restored: true });
    expect(jump!.at).toBe(shade!.endAt);
    expect(jump!.cutAt).toBe(Math.max(...cut.points.map((point) => point.time)));
    expect(jump!.cutAt).toBeLessThan(shade!.startAt);
  });

  it('keeps a restart open while the job is not running', () => {
    const restarting = KILLED.findIndex((e) => e.type === 'job-restarting');
    const partial = KILLED.slice(0, restarting + 1);
    expect(view(partial).restarts).toEqual([expect.objectContaining({ endAt: null })]);
  });

  it('hands out the same view while nothing changed', () => {
    const fold = foldAll(() => new SpaceTimeFold(), KILLED);
    expect(fold.view(last(KILLED))).toBe(fold.view(last(KILLED)));
    expect(fold.view(last(KILLED) + 10).extent.end).toBe(last(KILLED) + 10);
  });
});

describe('the space-time fold stays bounded', () => {
  it('keeps only the newest checkpoints, and the one a restore jumps to', () => {
    const picture = view(KILLED, new SpaceTimeFold({ maxCheckpoints: 2 }));
    const ids = picture.cuts.map((cut) => cut.checkpointId);
    const restored = picture.restores[0]!.restoredCheckpointId;
    expect(ids).toContain(restored);
    expect(ids.length).toBeLessThanOrEqual(3);
    expect(picture.hiddenCheckpoints).toBeGreaterThan(0);
    expect(picture.marks.every((mark) => ids.includes(mark.checkpointId))).toBe(true);
    expect(picture.extent.start).toBe(Math.min(...picture.cuts.map((cut) => cut.triggeredAt), ...picture.restarts.map((shade) => shade.startAt)));
  });

  it('marks an aborted checkpoint failed with its reason', () => {
    const events: EngineEvent[] = [
      { type: 'checkpoint-triggered', time: 10, checkpointId: 7, isSavepoint: false, checkpointType: 'CHECKPOINT' },
      { type: 'checkpoint-aborted', time: 20, checkpointId: 7, reason: 'CHECKPOINT_DECLINED', message: 'declined' },
      { type: 'checkpoint-triggered', time: 30, checkpointId: 8, isSavepoint: false, checkpointType: 'CHECKPOINT' },
      { type: 'checkpoint-expired', time: 90, checkpointId: 8 },
    ];
    expect(view(events).cuts.map((cut) => [cut.checkpointId, cut.status, cut.failureReason])).toEqual([
      [7, 'FAILED', 'CHECKPOINT_DECLINED'],
      [8, 'FAILED', 'CHECKPOINT_EXPIRED'],
    ]);
  });
});
