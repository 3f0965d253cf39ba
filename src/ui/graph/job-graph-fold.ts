// The job graph's view model: a pure fold of the event stream (and task samples) into lanes of record
// batches and barriers, gates, alignments and snapshot phases per subtask. Positions are a function of
// `now` and event times only, so pause, step and scrub need nothing special. Each attempt's
// `job-deployed` rebuilds the topology and empties the lanes; events of older attempts are ignored.
import type { DeployedChannel, EngineEvent, EventOf } from '../../engine/events';
import { backPressureLevel, type TaskSample } from '../../engine/samples';
import { channelIdOf, type TaskId } from '../../engine/ids';
import type { EventFold } from '../model/event-fold';
import { type JobGraphView, type LaneView, type LeapView, type SubtaskTimeView, type SubtaskView, type VertexView } from './job-graph-view';
import { LaneQueue } from './lane-queue';
import { SubtaskStatus, type MotionTimes } from './subtask-status';
import { TopologyFold, type Topology } from '../model/topology';
import { channelDelayOf, faultTakingDown, taskOfFaultTarget } from './fault-target';

export interface JobGraphFoldOptions extends Partial<MotionTimes> {
  /** Clock ms a record or barrier takes along a lane in the picture (≤ the runtime's network latency). */
  readonly travelMs?: number;
  /** Items (dots and barriers) drawn per lane at most; beyond, a dot stands for several batches. */
  readonly maxDrawnItemsPerLane?: number;
  /** Clock ms an unaligned barrier's leap over queued records stays drawn (at least a few travel times). */
  readonly leapMs?: number;
}

export const DEFAULT_JOB_GRAPH_OPTIONS = {
  travelMs: 1,
  flashMs: 2,
  envelopeMs: 3,
  defaultAsyncMs: 3,
  maxDrawnItemsPerLane: 14,
  leapMs: 0,
} as const satisfies Required<JobGraphFoldOptions>;

interface Lane {
  readonly channel: DeployedChannel;
  readonly queue: LaneQueue;
  blockedBy: number | null;
  sampledQueue: number | null;
}

export class JobGraphFold implements EventFold<JobGraphView> {
  readonly #options: Required<JobGraphFoldOptions>;
  readonly #topology = new TopologyFold();
  #attempt = 0;
  #restoredCheckpointId: number | null = null;
  #lastCheckpoint = 0;
  /** Once the stream says when receivers consume, queues are sent − consumed; before, arrival consumes. */
  #consumptionReported = false;
  readonly #tasks = new Map<TaskId, SubtaskStatus>();
  /** Each subtask's latest busy / backpressured / idle reading, with the attempt it came from. */
  readonly #time = new Map<TaskId, { readonly attempt: number; readonly view: SubtaskTimeView }>();
  readonly #lanes = new Map<string, Lane>();
  /** Latency added from outside, by channel id or by receiver task (all its inputs); it outlives restarts. */
  readonly #addedLatency = new Map<string, number>();

  constructor(options: JobGraphFoldOptions = {}) {
    const merged = { ...DEFAULT_JOB_GRAPH_OPTIONS, ...options };
    this.#options = { ...merged, leapMs: options.leapMs ?? Math.max(150, 3 * merged.travelMs) };
  }

  apply(event: EngineEvent): void {
    if ('attempt' in event && event.attempt !== undefined && event.type !== 'job-restarting' && event.type !== 'job-deployed') {
      if (event.attempt < this.#attempt) return;
      if (event.attempt > this.#attempt) this.#newAttempt(event.attempt);
    }
    if (event.type !== 'job-deployed' || event.attempt >= this.#attempt) this.#topology.apply(event);
    switch (event.type) {
      case 'job-deployed':
        return this.#deploy(event);
      case 'task-state-changed':
        return this.#stateChanged(event);
      case 'records-moved':
        return this.#recordsMoved(event);
      case 'records-consumed':
        this.#consumptionReported = true;
        return this.#laneInto(event.taskId, event.channel)?.queue.consume(event.count, event.time);
      case 'barrier-emitted':
        return this.#barrierEmitted(event);
      case 'barrier-received':
        // records-consumed comes before any other event of its task (TaskEventBatch): then records still ahead were overtaken.
        this.#laneInto(event.taskId, event.channel)?.queue.receiveBarrier(event.checkpointId, event.time, this.#consumptionReported);
        return this.#task(event.taskId).barrierReceived(event.checkpointId, event.channel, event.time);
      case 'channel-blocked':
        return this.#gate(event.taskId, event.channel, event.checkpointId, event.time);
      case 'channel-unblocked':
        return this.#gate(event.taskId, event.channel, null, event.time);
      case 'alignment-done':
        return this.#task(event.taskId).alignmentDone(event.checkpointId);
      case 'snapshot-sync-done':
        return this.#task(event.taskId).syncDone(event.checkpointId, event.time);
      case 'snapshot-async-done':
        return this.#task(event.taskId).asyncDone(event.checkpointId, event.time, event.asyncDurationMs);
      case 'checkpoint-acknowledged':
        return this.#task(event.taskId).acknowledged(event.checkpointId, event.time, event.unaligned);
      case 'checkpoint-switched-to-unaligned':
        return this.#task(event.taskId).switchedToUnaligned(event.checkpointId, event.time);
      case 'barrier-overtook':
        return this.#overtook(event);
      case 'channel-state-restored':
        return this.#channelStateRestored(event);
      case 'snapshot-failed':
        return this.#task(event.taskId).snapshotFailed(event.checkpointId, event.message);
      case 'checkpoint-declined':
        return this.#task(event.taskId).snapshotFailed(event.checkpointId, event.reason);
      case 'checkpoint-triggered':
        this.#lastCheckpoint = Math.max(this.#lastCheckpoint, event.checkpointId);
        return;
      case 'task-failed':
        return this.#takeDown(event.taskId, 'failed', event.cause);
      case 'fault-injected':
        return this.#faultInjected(event.fault);
      case 'job-status-changed':
        return this.#jobStatusChanged(event);
      default:
        return;
    }
  }

  applySample(sample: TaskSample): void {
    if (sample.attempt < this.#attempt) return;
    const task = this.#tasks.get(sample.taskId);
    if (task) task.slowdown = sample.slowdown;
    const { busyTimeMsPerSecond, backPressuredTimeMsPerSecond, idleTimeMsPerSecond } = sample;
    this.#time.set(sample.taskId, {
      attempt: sample.attempt,
      view: { busyTimeMsPerSecond, backPressuredTimeMsPerSecond, idleTimeMsPerSecond, backPressure: backPressureLevel(backPressuredTimeMsPerSecond) },
    });
    sample.inputQueues.forEach((queued, channel) => {
      const lane = this.#laneInto(sample.taskId, channel);
      if (lane) lane.sampledQueue = queued;
    });
  }

  /** A reading of an older attempt says nothing about the tasks running now. */
  #timeOf(taskId: TaskId): SubtaskTimeView | null {
    const time = this.#time.get(taskId);
    return time && time.attempt === this.#attempt ? time.view : null;
  }

  view(now: number): JobGraphView {
    const topology = this.#topology.topology();
    const { maxDrawnItemsPerLane } = this.#options;
    const epochs = new Set<number>();
    let sampled = false;
    const lanes: LaneView[] = [];
    for (const lane of this.#lanes.values()) {
      const hideArrived = !this.#consumptionReported && lane.blockedBy === null;
      const items = lane.queue.view(now, maxDrawnItemsPerLane, hideArrived);
      for (const item of items) {
        if (item.kind === 'records') {
          epochs.add(item.epoch);
          if (item.batches > 1) sampled = true;
        }
      }
      const arrived = lane.queue.arrived(now);
      const { from, to, channel, partitioner } = lane.channel;
      lanes.push({
        id: channelIdOf(from, to),
        from,
        to,
        channel,
        partitioner,
        blocked: lane.blockedBy !== null,
        blockedBy: lane.blockedBy,
        queued: lane.queue.queued - (hideArrived ? arrived : 0),
        arrived: hideArrived ? 0 : arrived,
        sampledQueue: lane.sampledQueue,
        delayMs: lane.queue.delayMs,
        items,
        leap: this.#leapView(lane.queue, now),
      });
    }
    return {
      now,
      attempt: this.#attempt,
      restoredCheckpointId: this.#restoredCheckpointId,
      columns: topology ? this.#columns(topology, now) : [],
      lanes,
      sampled,
      maxDrawnItemsPerLane,
      epochs: [...epochs].sort((a, b) => a - b),
      deployed: this.#topology.deployed,
    };
  }

  #leapView(queue: LaneQueue, now: number): LeapView | null {
    const { leapMs } = this.#options;
    const leap = queue.leap(now, leapMs);
    return leap && { checkpointId: leap.checkpointId, records: leap.records, age: (now - leap.at) / leapMs };
  }

  #columns(topology: Topology, now: number): VertexView[][] {
    const columns: VertexView[][] = [];
    for (const vertex of topology.vertices) {
      const depth = topology.depthOf.get(vertex.vertexId) ?? 0;
      const subtasks = (topology.subtasksOf.get(vertex.vertexId) ?? []).map((subtask): SubtaskView => {
        const status = this.#tasks.get(subtask.taskId) ?? new SubtaskStatus();
        const inputChannels = topology.inputChannelsOf.get(subtask.taskId) ?? 0;
        return {
          ...subtask,
          state: status.state,
          down: status.down,
          downCause: status.downCause,
          epoch: status.lastBarrier + 1,
          alignment: status.alignmentView(now, inputChannels),
          snapshot: status.snapshotView(now, this.#options),
          slowdown: status.slowdown,
          time: this.#timeOf(subtask.taskId),
          inputChannels,
        };
      });
      const isSource = vertex.operators[0]?.role === 'source' || subtasks.every((subtask) => subtask.inputChannels === 0);
      (columns[depth] ??= []).push({ ...vertex, isSource, depth, subtasks });
    }
    return columns.filter((column) => column !== undefined);
  }

  #deploy(event: EventOf<'job-deployed'>): void {
    if (event.attempt < this.#attempt) return;
    this.#restoredCheckpointId = event.restoredCheckpointId;
    if (event.restoredCheckpointId !== null) this.#lastCheckpoint = Math.max(this.#lastCheckpoint, event.restoredCheckpointId);
    this.#attempt = event.attempt;
    this.#lanes.clear();
    for (const channel of event.channels) this.#lanes.set(inputKey(channel.to, channel.channel), this.#newLane(channel));
    for (const subtask of event.subtasks) this.#task(subtask.taskId).redeploy(this.#lastCheckpoint);
    const deployed = new Set(event.subtasks.map((subtask) => subtask.taskId));
    for (const taskId of [...this.#tasks.keys()]) if (!deployed.has(taskId)) this.#tasks.delete(taskId);
  }

  /** A task event of a newer attempt without its `job-deployed` (older streams): same topology, empty lanes. */
  #newAttempt(attempt: number): void {
    this.#attempt = attempt;
    for (const lane of this.#lanes.values()) {
      lane.queue.clear();
      lane.blockedBy = null;
    }
    for (const task of this.#tasks.values()) task.redeploy(this.#lastCheckpoint);
  }

  #stateChanged(event: EventOf<'task-state-changed'>): void {
    const task = this.#task(event.taskId);
    task.state = event.state;
    if (event.state === 'FAILED') task.takeDown('failed', task.downCause ?? 'the task failed');
    if (event.state === 'CANCELED' || event.state === 'FAILED') this.#dropInputs(event.taskId);
  }

  #recordsMoved(event: EventOf<'records-moved'>): void {
    const receiver = this.#task(event.to);
    if (receiver.down !== null) return; // its worker is gone: nothing arrives there any more
    const lane = this.#laneInto(event.to, event.channel) ?? this.#inferLane(event);
    const sender = this.#task(event.from);
    if (!this.#consumptionReported && lane.blockedBy === null) lane.queue.consumeArrived(event.time - this.#options.travelMs);
    const onWire = wireEpochOf(event);
    lane.queue.pushRecords(event.count, onWire ?? sender.lastBarrier + 1, event.time, onWire !== undefined);
  }

  /** Unaligned: what the barrier went ahead of becomes channel state, in the receiver's input or the sender's output. */
  #overtook(event: EventOf<'barrier-overtook'>): void {
    this.#task(event.taskId).overtook(event.checkpointId, event.records);
    if (event.side === 'input') this.#laneInto(event.taskId, event.channel)?.queue.capture(event.checkpointId, event.records);
    else if (event.to !== undefined) this.#laneInto(event.to, event.channel)?.queue.captureNextPushed(event.checkpointId, event.records);
  }

  /**
   * A restore put channel state back: at the head of an input channel, or first into the output to a consumer. The
   * records are drawn in the epoch of the barrier that follows them now, the first after the restored checkpoint.
   */
  #channelStateRestored(event: EventOf<'channel-state-restored'>): void {
    const epoch = event.checkpointId + 1;
    if (event.side === 'input') this.#laneInto(event.taskId, event.channel)?.queue.pushRestored(event.records, epoch, event.time);
    else if (event.to !== undefined) this.#laneInto(event.to, event.channel)?.queue.restoreNextPushed(event.records, epoch);
  }

  #barrierEmitted(event: EventOf<'barrier-emitted'>): void {
    this.#task(event.taskId).barrierEmitted(event.checkpointId);
    for (const lane of this.#lanes.values()) if (lane.channel.from === event.taskId) lane.queue.pushBarrier(event.checkpointId, event.time);
  }

  #gate(taskId: TaskId, channel: number, checkpointId: number | null, time: number): void {
    const lane = this.#laneInto(taskId, channel);
    const task = this.#task(taskId);
    if (checkpointId === null) task.channelUnblocked(channel);
    else task.channelBlocked(channel);
    if (!lane) return;
    lane.blockedBy = checkpointId;
    if (checkpointId === null && !this.#consumptionReported) lane.queue.consumeArrived(time - this.#options.travelMs);
  }

  #faultInjected(fault: string): void {
    const delay = channelDelayOf(fault);
    if (delay) return this.#delayed(delay.channel ? delay.target : taskOfFaultTarget(this.#topology.topology(), delay.target), delay.latencyMs);
    const taken = faultTakingDown(fault);
    if (!taken) return;
    const taskId = taskOfFaultTarget(this.#topology.topology(), taken.target);
    const task = taskId ? this.#tasks.get(taskId) : undefined;
    // A kill during a restart finds no running task and has no effect.
    if (!taskId || !task || !['DEPLOYING', 'INITIALIZING', 'RUNNING'].includes(task.state)) return;
    this.#takeDown(taskId, taken.kind, fault);
  }

  /** `target`: a channel id, or a receiver task (every channel into it). */
  #delayed(target: string | null, latencyMs: number): void {
    if (target === null) return;
    if (latencyMs === 0) this.#addedLatency.delete(target);
    else this.#addedLatency.set(target, latencyMs);
    for (const lane of this.#lanes.values()) lane.queue.delayMs = this.#latencyAdded(lane.channel);
  }

  #latencyAdded(channel: DeployedChannel): number {
    return (this.#addedLatency.get(channelIdOf(channel.from, channel.to)) ?? 0) + (this.#addedLatency.get(channel.to) ?? 0);
  }

  #jobStatusChanged(event: EventOf<'job-status-changed'>): void {
    // The job master learns of a killed task's loss and marks its execution FAILED.
    for (const [taskId, task] of this.#tasks) {
      if (task.down === 'killed' && event.cause?.startsWith(`${taskId}:`)) {
        task.state = 'FAILED';
        task.downCause = event.cause;
      }
    }
  }

  #takeDown(taskId: TaskId, kind: 'killed' | 'failed', cause: string): void {
    this.#task(taskId).takeDown(kind, cause);
    this.#dropInputs(taskId);
  }

  /** A task that is gone takes its input channels' data with it. */
  #dropInputs(taskId: TaskId): void {
    for (const lane of this.#lanes.values()) {
      if (lane.channel.to !== taskId) continue;
      lane.queue.clear();
      lane.blockedBy = null;
    }
  }

  #task(taskId: TaskId): SubtaskStatus {
    let task = this.#tasks.get(taskId);
    if (!task) {
      task = new SubtaskStatus();
      task.lastBarrier = this.#lastCheckpoint;
      this.#tasks.set(taskId, task);
    }
    return task;
  }

  #laneInto(taskId: TaskId, channel: number): Lane | undefined {
    return this.#lanes.get(inputKey(taskId, channel));
  }

  #inferLane(event: EventOf<'records-moved'>): Lane {
    const lane = this.#newLane({ from: event.from, to: event.to, channel: event.channel, partitioner: 'rebalance' });
    this.#lanes.set(inputKey(event.to, event.channel), lane);
    return lane;
  }

  #newLane(channel: DeployedChannel): Lane {
    const queue = new LaneQueue(this.#options.travelMs);
    queue.delayMs = this.#latencyAdded(channel);
    return { channel, queue, blockedBy: null, sampledQueue: null };
  }
}

/**
 * The epoch a buffer has on the wire, if the stream says (a proposed `records-moved.epoch`: one more than
 * the last barrier the sender put on this channel before it). Without it, the sender's last broadcast
 * barrier decides, which misplaces a barrier that waited behind the sender's backlog (backpressure).
 */
function wireEpochOf(event: EventOf<'records-moved'>): number | undefined {
  const epoch = 'epoch' in event ? event.epoch : undefined;
  return typeof epoch === 'number' ? epoch : undefined;
}

function inputKey(taskId: TaskId, channel: number): string {
  return `${taskId}/${channel}`;
}


