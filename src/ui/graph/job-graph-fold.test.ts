import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/events';
import { parseFault } from '../../runtime/sim/fault-plan';
import { deployedRun } from './deployed-run.fixture';
import { JobGraphFold, type JobGraphFoldOptions } from './job-graph-fold';
import type { JobGraphView, LaneView, SubtaskView } from './job-graph-view';

/** running-sum at parallelism 2 (numbers#0/1 → rebalance → sum#0/1 with the sink chained) until `untilMs`, with one fault. */
const runningSum = (untilMs: number, fault: string) =>
  deployedRun({ scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 500, mode: 'exactly-once', seed: 3, untilMs, faults: [parseFault(fault)] });
// Every message into sum#1 takes 30 ms more, so its alignments last long enough to see records held behind a gate.
const SLOW_INTO_SUM1 = runningSum(1600, 'delay-channel:sum#1@0+30');
// Every message into numbers#1 (its checkpoint triggers too) takes 40 ms more: its barriers come late,
// so the sum subtasks block their channel from numbers#0 and hold its records while they wait.
const LATE_SOURCE = runningSum(1600, 'delay-channel:numbers#1@0+40');
const KILLED = runningSum(2800, 'kill:sum#0@1565');
/**
 * The picture's travel time matches the network's (1–2 ms here); the fold adds a delay-channel fault's
 * latency to the lanes it slows, so on those "arrived" means arrived too.
 */
const OPTIONS: JobGraphFoldOptions = { travelMs: 2 };

function foldThrough(events: readonly EngineEvent[], last: number, options: JobGraphFoldOptions = OPTIONS): JobGraphFold {
  const fold = new JobGraphFold(options);
  for (const event of events.slice(0, last + 1)) fold.apply(event);
  return fold;
}

function indexOf(events: readonly EngineEvent[], predicate: (event: EngineEvent) => boolean, from = 0): number {
  const index = events.findIndex((event, i) => i >= from && predicate(event));
  if (index < 0) throw new Error('no such event in the run');
  return index;
}

function lane(view: JobGraphView, id: string): LaneView {
  const found = view.lanes.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no lane ${id} (have ${view.lanes.map((l) => l.id).join(', ')})`);
  return found;
}

function subtask(view: JobGraphView, taskId: string): SubtaskView {
  const found = view.columns.flat().flatMap((vertex) => vertex.subtasks).find((candidate) => candidate.taskId === taskId);
  if (!found) throw new Error(`no subtask ${taskId}`);
  return found;
}

describe('JobGraphFold', () => {
  it('draws a fault plan\'s delay on every lane into the delayed subtask, and only there', () => {
    const view = foldThrough(SLOW_INTO_SUM1, SLOW_INTO_SUM1.length - 1).view(SLOW_INTO_SUM1.at(-1)!.time);
    expect(view.lanes.map((l) => [l.id, l.delayMs]).sort()).toEqual([
      ['numbers#0->sum#0', 0],
      ['numbers#0->sum#1', 30],
      ['numbers#1->sum#0', 0],
      ['numbers#1->sum#1', 30],
    ]);
  });

  it('draws the deployed topology: operators as columns, chained operators inside their task, one lane per channel', () => {
    const view = foldThrough(SLOW_INTO_SUM1, indexOf(SLOW_INTO_SUM1, (e) => e.type === 'job-status-changed')).view(0);
    expect(view.deployed).toBe(true);
    expect(view.columns.map((column) => column.map((vertex) => vertex.vertexId))).toEqual([['numbers'], ['sum']]);
    const sum = view.columns[1]![0]!;
    expect(sum.operators.map((operator) => [operator.uid, operator.chained])).toEqual([
      ['sum', false],
      ['sink', true],
    ]);
    expect(sum.subtasks.map((s) => s.keyGroups)).toEqual([
      { start: 0, end: 63 },
      { start: 64, end: 127 },
    ]);
    expect(view.lanes.map((l) => `${l.id}@${l.channel}`).sort()).toEqual([
      'numbers#0->sum#0@0',
      'numbers#0->sum#1@0',
      'numbers#1->sum#0@1',
      'numbers#1->sum#1@1',
    ]);
    expect(subtask(view, 'sum#1').inputChannels).toBe(2);
  });

  it('puts a barrier on every outgoing lane in FIFO order: records ahead of barrier n have epoch n, records behind it n + 1', () => {
    const emitted = indexOf(SLOW_INTO_SUM1, (e) => e.type === 'barrier-emitted' && e.taskId === 'numbers#0' && e.checkpointId === 2);
    // The first buffer behind the barrier on the wire (a buffer of the sender's backlog sent after the
    // broadcast still went ahead of it; the stream's epoch says which).
    const behind = indexOf(
      SLOW_INTO_SUM1,
      (e) => e.type === 'records-moved' && e.from === 'numbers#0' && e.to === 'sum#1' && ((e as { epoch?: number }).epoch ?? 3) === 3,
      emitted,
    );
    const received = indexOf(SLOW_INTO_SUM1, (e) => e.type === 'barrier-received' && e.taskId === 'sum#1' && e.channel === 0 && e.checkpointId === 2);
    expect(behind).toBeLessThan(received);
    const at = SLOW_INTO_SUM1[behind]!.time;
    const items = lane(foldThrough(SLOW_INTO_SUM1, behind).view(at), 'numbers#0->sum#1').items;
    const barrier = items.findIndex((item) => item.kind === 'barrier');
    expect(items[barrier]).toMatchObject({ kind: 'barrier', checkpointId: 2 });
    const epochs = items.map((item) => (item.kind === 'records' ? item.epoch : 'barrier'));
    expect(epochs.slice(0, barrier).every((epoch) => epoch === 2)).toBe(true);
    expect(epochs.slice(barrier + 1)).toContain(3);
    expect(epochs.slice(barrier + 1).every((epoch) => epoch === 3)).toBe(true);
    // Head first, and the head travelled furthest.
    expect(items.map((item) => item.slot)).toEqual(items.map((_, i) => i));
    const progress = items.map((item) => item.progress);
    expect([...progress].sort((a, b) => b - a)).toEqual(progress);
  });

  it.runIf(LATE_SOURCE.some((e) => e.type === 'records-moved' && 'epoch' in e))(
    'keeps a buffer of the sender’s backlog, sent after it broadcast barrier n, ahead of barrier n with epoch n',
    () => {
      // numbers#1 waits 40 ms for credits, so its backlog leaves after its barrier was broadcast.
      const emitted = indexOf(LATE_SOURCE, (e) => e.type === 'barrier-emitted' && e.taskId === 'numbers#1' && e.checkpointId === 2);
      const backlog = indexOf(LATE_SOURCE, (e) => e.type === 'records-moved' && e.from === 'numbers#1' && (e as { epoch?: number }).epoch === 2, emitted);
      const { to } = LATE_SOURCE[backlog] as Extract<EngineEvent, { type: 'records-moved' }>;
      const items = lane(foldThrough(LATE_SOURCE, backlog, { travelMs: 2 }).view(LATE_SOURCE[backlog]!.time), `numbers#1->${to}`).items.filter((item) => !item.delivered);
      const barrier = items.findIndex((item) => item.kind === 'barrier' && item.checkpointId === 2);
      expect(barrier).toBeGreaterThan(0);
      expect(items.slice(0, barrier).every((item) => item.kind === 'records' && item.epoch === 2)).toBe(true);
      expect(items.slice(0, barrier).at(-1)).toMatchObject({ kind: 'records', epoch: 2 });
    },
  );

  it('holds records behind a blocked lane’s closed gate and counts them, while the other lane keeps flowing', () => {
    const events = LATE_SOURCE;
    const blockedAt = indexOf(events, (e) => e.type === 'channel-blocked' && e.taskId === 'sum#0' && e.checkpointId === 2);
    const blockedEvent = events[blockedAt] as Extract<EngineEvent, { type: 'channel-blocked' }>;
    // The moment before the last barrier arrives (then alignment ends and the gate opens).
    const lastBarrier = indexOf(events, (e) => e.type === 'barrier-received' && e.taskId === 'sum#0' && e.channel !== blockedEvent.channel, blockedAt);
    const now = events[lastBarrier]!.time;
    const view = foldThrough(events, lastBarrier - 1, { travelMs: 2 }).view(now);
    const blocked = lane(view, `numbers#${blockedEvent.channel}->sum#0`);
    expect(blocked).toMatchObject({ blocked: true, blockedBy: 2 });
    expect(blocked.arrived).toBeGreaterThan(1);
    expect(blocked.queued).toBeGreaterThanOrEqual(blocked.arrived);
    expect(blocked.items.every((item) => item.kind === 'records' && item.epoch === 3)).toBe(true);
    expect(blocked.items.filter((item) => item.arrived).map((item) => item.slot)).toEqual(blocked.items.filter((item) => item.arrived).map((_, i) => i));
    const sum0 = subtask(view, 'sum#0');
    expect(sum0.alignment).toMatchObject({ checkpointId: 2, receivedChannels: [blockedEvent.channel], blockedChannels: [blockedEvent.channel], fraction: 0.5 });
    expect(sum0.alignment!.waitedMs).toBe(now - blockedEvent.time);
    // The other lane is open and flows: sum#0 consumed from it while the gate was closed, and nothing from the blocked one.
    const other = lane(view, `numbers#${1 - blockedEvent.channel}->sum#0`);
    expect(other.blocked).toBe(false);
    const during = events.slice(blockedAt, lastBarrier);
    const consumedFrom = (channel: number) => during.some((e) => e.type === 'records-consumed' && e.taskId === 'sum#0' && e.channel === channel);
    expect(consumedFrom(other.channel)).toBe(true);
    expect(consumedFrom(blockedEvent.channel)).toBe(false);
  });

  it('opens the gate when the last barrier arrives and ends the alignment', () => {
    const blockedAt = indexOf(SLOW_INTO_SUM1, (e) => e.type === 'channel-blocked' && e.taskId === 'sum#1' && e.checkpointId === 2);
    const unblockAt = indexOf(SLOW_INTO_SUM1, (e) => e.type === 'channel-unblocked' && e.taskId === 'sum#1', blockedAt);
    const view = foldThrough(SLOW_INTO_SUM1, unblockAt).view(SLOW_INTO_SUM1[unblockAt]!.time);
    expect(view.lanes.filter((l) => l.to === 'sum#1').map((l) => l.blocked)).toEqual([false, false]);
    expect(subtask(view, 'sum#1').alignment).toBeNull();
    expect(subtask(view, 'sum#1').epoch).toBe(3);
  });

  it('gives records sent before and after a sender’s barrier n the epochs n and n + 1', () => {
    const emitted = indexOf(SLOW_INTO_SUM1, (e) => e.type === 'barrier-emitted' && e.taskId === 'numbers#1' && e.checkpointId === 1);
    const fold = new JobGraphFold({ travelMs: 1000 });
    for (const event of SLOW_INTO_SUM1.slice(0, emitted + 1)) fold.apply(event);
    const sentBefore = lane(fold.view(SLOW_INTO_SUM1[emitted]!.time), 'numbers#1->sum#0').items;
    expect(sentBefore.filter((item) => item.kind === 'records').map((item) => item.kind === 'records' && item.epoch)).not.toContain(2);
    const after = indexOf(SLOW_INTO_SUM1, (e) => e.type === 'records-moved' && e.from === 'numbers#1', emitted);
    for (const event of SLOW_INTO_SUM1.slice(emitted + 1, after + 1)) fold.apply(event);
    const items = fold.view(SLOW_INTO_SUM1[after]!.time).lanes.filter((l) => l.from === 'numbers#1').flatMap((l) => l.items);
    expect(items.at(-1)).toMatchObject({ kind: 'records', epoch: 2 });
  });

  it('shows a snapshot’s phases on the subtask: sync flash, async arc, then the acknowledgement travelling', () => {
    const sync = indexOf(SLOW_INTO_SUM1, (e) => e.type === 'snapshot-sync-done' && e.taskId === 'sum#0');
    const time = SLOW_INTO_SUM1[sync]!.time;
    const fold = foldThrough(SLOW_INTO_SUM1, sync, { flashMs: 2, envelopeMs: 4, defaultAsyncMs: 4 });
    expect(subtask(fold.view(time), 'sum#0').snapshot).toMatchObject({ checkpointId: 1, phase: 'async', syncFlash: 1, asyncProgress: 0, envelope: null });
    expect(subtask(fold.view(time + 1), 'sum#0').snapshot).toMatchObject({ syncFlash: 0.5, asyncProgress: 0.25 });
    const ack = indexOf(SLOW_INTO_SUM1, (e) => e.type === 'checkpoint-acknowledged' && e.taskId === 'sum#0', sync);
    for (const event of SLOW_INTO_SUM1.slice(sync + 1, ack + 1)) fold.apply(event);
    const ackTime = SLOW_INTO_SUM1[ack]!.time;
    expect(subtask(fold.view(ackTime + 1), 'sum#0').snapshot).toMatchObject({ phase: 'acknowledged', asyncProgress: 1, envelope: 0.25 });
    expect(subtask(fold.view(ackTime + 4), 'sum#0').snapshot!.envelope).toBeNull();
  });

  it('greys a killed subtask and rebuilds everything for the next attempt', () => {
    const kill = indexOf(KILLED, (e) => e.type === 'fault-injected');
    const killedView = foldThrough(KILLED, kill).view(KILLED[kill]!.time);
    expect(subtask(killedView, 'sum#0')).toMatchObject({ down: 'killed', alignment: null });
    expect(killedView.lanes.filter((l) => l.to === 'sum#0').every((l) => l.queued === 0 && l.items.length === 0)).toBe(true);
    expect(subtask(killedView, 'sum#1').down).toBeNull();

    const restarting = indexOf(KILLED, (e) => e.type === 'job-status-changed' && e.status === 'RESTARTING');
    expect(subtask(foldThrough(KILLED, restarting).view(KILLED[restarting]!.time), 'sum#0').state).toBe('FAILED');

    const redeployed = indexOf(KILLED, (e) => e.type === 'job-deployed' && e.attempt === 1);
    const fresh = foldThrough(KILLED, redeployed).view(KILLED[redeployed]!.time);
    expect(fresh.attempt).toBe(1);
    expect(fresh.restoredCheckpointId).toBe(3);
    expect(subtask(fresh, 'sum#0')).toMatchObject({ down: null, state: 'CREATED', snapshot: null });
    expect(fresh.lanes).toHaveLength(4);
    expect(fresh.lanes.every((l) => l.items.length === 0 && !l.blocked)).toBe(true);

    const end = foldThrough(KILLED, KILLED.length - 1).view(KILLED.at(-1)!.time);
    expect(subtask(end, 'sum#0').state).toBe('RUNNING');
    // Checkpoint ids go on after the restore, and so do the epochs.
    expect(Math.min(...end.epochs)).toBeGreaterThan(3);
  });

  it('draws a dot per several batches once a lane holds more than it may draw, and says so', () => {
    const blockedAt = indexOf(LATE_SOURCE, (e) => e.type === 'channel-blocked' && e.taskId === 'sum#0' && e.checkpointId === 2);
    const lastBarrier = indexOf(LATE_SOURCE, (e) => e.type === 'barrier-received' && e.taskId === 'sum#0', blockedAt + 1);
    const fold = foldThrough(LATE_SOURCE, lastBarrier - 1, { travelMs: 2, maxDrawnItemsPerLane: 1 });
    const view = fold.view(LATE_SOURCE[lastBarrier]!.time);
    expect(view.sampled).toBe(true);
    for (const l of view.lanes) {
      const onLane = l.items.filter((item) => !item.delivered);
      expect(onLane.length).toBeLessThanOrEqual(1 + onLane.filter((item) => item.kind === 'barrier').length);
      const drawnRecords = onLane.reduce((sum, item) => sum + (item.kind === 'records' ? item.count : 0), 0);
      expect(drawnRecords).toBe(l.queued);
    }
  });

  it('takes queue lengths and slowdowns from samples', () => {
    const fold = foldThrough(SLOW_INTO_SUM1, 40);
    fold.applySample({
      time: 100,
      taskId: 'sum#1',
      attempt: 0,
      state: 'RUNNING',
      barrierHandler: { state: 'WaitingForFirstBarrier', checkpointId: null, blockedChannels: [] },
      inputQueues: [4, 0],
      outputs: [],
      epoch: 1,
      keyedState: null,
      sourcePartitions: null,
      slowdown: 3,
      busyTimeMsPerSecond: 0,
      backPressuredTimeMsPerSecond: 0,
      idleTimeMsPerSecond: 0,
    });
    const view = fold.view(100);
    expect(lane(view, 'numbers#0->sum#1').sampledQueue).toBe(4);
    expect(lane(view, 'numbers#1->sum#1').sampledQueue).toBe(0);
    expect(subtask(view, 'sum#1').slowdown).toBe(3);
  });

  it('infers the topology from task events when the stream has no job-deployed', () => {
    const legacy = SLOW_INTO_SUM1.filter((e) => e.type !== 'job-deployed');
    const view = foldThrough(legacy, indexOf(legacy, (e) => e.type === 'checkpoint-triggered')).view(500);
    expect(view.deployed).toBe(false);
    expect(view.columns.map((column) => column.map((vertex) => vertex.vertexId))).toEqual([['numbers'], ['sum']]);
    expect(view.lanes).toHaveLength(4);
  });
});
