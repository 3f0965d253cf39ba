// The job graph's picture of unaligned checkpoints, folded from a real run of the deterministic runtime: sum#1
// slowed so its input queues fill (backpressure), unaligned checkpoints on, then sum#1 killed so the job restores
// an unaligned checkpoint. Checked against the stream itself: what the barriers overtook is marked on the lanes as
// channel state, the leap is drawn, the snapshots say unaligned, and after the restore the channel state put back
// waits at the head of its lanes, ahead of every record sent since.
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/events';
import { UNALIGNED_BACKPRESSURED_RUN } from '../unaligned-run.fixture';
import { deployedRun } from './deployed-run.fixture';
import { JobGraphFold } from './job-graph-fold';
import type { JobGraphView, RecordItemView } from './job-graph-view';

const RUN = deployedRun(UNALIGNED_BACKPRESSURED_RUN);

/** The view right after each event, for the events that `pick` chooses. */
function viewsAfter(events: readonly EngineEvent[], pick: (event: EngineEvent) => boolean): { event: EngineEvent; view: JobGraphView }[] {
  const fold = new JobGraphFold({ travelMs: 2 });
  const views: { event: EngineEvent; view: JobGraphView }[] = [];
  for (const event of events) {
    fold.apply(event);
    if (pick(event)) views.push({ event, view: fold.view(event.time) });
  }
  return views;
}

const records = (view: JobGraphView, laneId: string): RecordItemView[] =>
  view.lanes.find((lane) => lane.id === laneId)!.items.filter((item): item is RecordItemView => item.kind === 'records' && !item.delivered);

describe('JobGraphFold under unaligned checkpoints', () => {
  it('the run has what the picture draws: overtaken input and output, and input channel state restored', () => {
    expect(RUN.some((event) => event.type === 'barrier-overtook' && event.side === 'input')).toBe(true);
    expect(RUN.some((event) => event.type === 'barrier-overtook' && event.side === 'output')).toBe(true);
    expect(RUN.some((event) => event.type === 'channel-state-restored' && event.side === 'input' && event.records > 0)).toBe(true);
  });

  it('marks exactly the records an input-side overtake names as its checkpoint’s channel state, and draws the leap', () => {
    const overtakes = viewsAfter(RUN, (event) => event.type === 'barrier-overtook' && event.side === 'input' && event.taskId === 'sum#1');
    expect(overtakes.length).toBeGreaterThan(0);
    for (const { event, view } of overtakes) {
      if (event.type !== 'barrier-overtook' || event.attempt !== view.attempt) continue;
      const from = event.channel === 0 ? 'numbers#0' : 'numbers#1';
      const lane = view.lanes.find((candidate) => candidate.to === 'sum#1' && candidate.channel === event.channel)!;
      expect(lane.from).toBe(from);
      const captured = records(view, lane.id).filter((item) => item.captured === event.checkpointId && item.capturedSide === 'input');
      // A dot may stand for several batches only on busy lanes: count what the lane holds, not the dots.
      expect(captured.reduce((sum, item) => sum + item.count, 0)).toBe(event.records);
      expect(lane.leap).toMatchObject({ checkpointId: event.checkpointId });
    }
  });

  it('says which snapshots were unaligned, with their in-flight records', () => {
    const acks = viewsAfter(RUN, (event) => event.type === 'checkpoint-acknowledged' && event.taskId === 'sum#1' && event.unaligned);
    expect(acks.length).toBeGreaterThan(0);
    const { view } = acks.at(-1)!;
    const sum1 = view.columns.flat().flatMap((vertex) => vertex.subtasks).find((subtask) => subtask.taskId === 'sum#1')!;
    expect(sum1.snapshot?.unaligned).toMatchObject({ switched: false });
  });

  it('after the restore, input channel state waits at the head of its lane, ahead of every record sent since', () => {
    let checked = 0;
    RUN.forEach((restored, index) => {
      if (restored.type !== 'channel-state-restored' || restored.side !== 'input' || restored.records === 0) return;
      const next = RUN.findIndex((event, i) => i > index && event.type === 'records-moved' && event.to === restored.taskId && event.channel === restored.channel);
      if (next < 0) return;
      const { view } = viewsAfter(RUN.slice(0, next + 1), () => true).at(-1)!;
      const lane = view.lanes.find((candidate) => candidate.to === restored.taskId && candidate.channel === restored.channel)!;
      const items = records(view, lane.id);
      if (!items.some((item) => item.restored)) return; // consumed already
      const firstPlain = items.findIndex((item) => !item.restored);
      if (firstPlain >= 0) expect(items.findLastIndex((item) => item.restored)).toBeLessThan(firstPlain);
      checked++;
    });
    expect(checked).toBeGreaterThan(0);
  });
});
