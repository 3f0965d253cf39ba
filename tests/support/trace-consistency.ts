// What a recorded run must show in the page's view models, whichever runtime recorded it: the Checkpoints
// tab's completed checkpoints acknowledged by every subtask, space-time cuts that no message crosses
// backwards (no barrier or record sent after its sender's cut is received before its receiver's), the state
// inspector's subtasks and latest checkpoint as the tab has them — and, where the run's samples were kept
// beside the trace, every value it claims for a checkpoint equal to what the sink committed up to it.
// Returns the problems in words (empty: consistent), so a failing test says what is wrong where.
import type { EngineEvent } from '../../src/engine/events';
import type { CheckpointId, TaskId } from '../../src/engine/ids';
import type { TaskSample } from '../../src/engine/samples';
import { computeKeyGroupRangeForOperatorIndex } from '../../src/engine/state/key-groups';
import type { ScenarioJob } from '../../src/runtime/sim/scenario-job';
import { compareStates } from '../../src/ui/inspector/checkpoint-compare';
import type { StateInspectorView } from '../../src/ui/inspector/state-inspector-fold';
import type { CheckpointsTabView } from '../../src/ui/checkpoints/checkpoints-tab-fold';
import { foldAll } from '../../src/ui/model/event-fold';
import type { SpaceTimeView } from '../../src/ui/spacetime/space-time-view';
import { pageFolds } from '../../src/ui/timeline/page-folds';
import type { OutputLedgerView } from '../../src/ui/views/output-ledger';

export interface RecordedTrace {
  readonly events: readonly EngineEvent[];
  /** The job the trace loader inferred (readTrace). */
  readonly job: ScenarioJob;
  /** The run's samples, when kept beside the trace (a trace file holds events only). */
  readonly samples?: readonly TaskSample[];
}

export interface TraceViews {
  readonly checkpoints: CheckpointsTabView;
  readonly spaceTime: SpaceTimeView;
  readonly inspector: StateInspectorView;
  readonly ledger: OutputLedgerView;
}

/** The page's folds over the whole trace, as a replay shows it at its end. */
export function traceViews(trace: RecordedTrace): TraceViews {
  const folds = pageFolds(trace.job);
  const end = Math.max(...trace.events.map((event) => event.time));
  return {
    checkpoints: foldAll(folds.checkpoints, trace.events).view(end),
    spaceTime: foldAll(folds.spaceTime, trace.events).view(end),
    inspector: foldAll(folds.inspector, trace.events, trace.samples ?? []).view(end),
    ledger: foldAll(folds.ledger, trace.events).view(end),
  };
}

export function traceProblems(trace: RecordedTrace): string[] {
  const views = traceViews(trace);
  return [
    ...checkpointsTabProblems(views.checkpoints),
    ...spaceTimeProblems(views.spaceTime),
    ...recordCrossingProblems(trace.events, views.spaceTime),
    ...inspectorProblems(views.inspector, views.checkpoints),
    ...(trace.samples ? inspectorValueProblems(views.inspector, trace.events) : []),
    ...ledgerProblems(views.ledger, trace.events),
  ];
}

/** Every completed checkpoint in the tab's history has an acknowledgement from every subtask of every vertex. */
export function checkpointsTabProblems(view: CheckpointsTabView): string[] {
  const problems: string[] = [];
  const { source } = view;
  const completed = source.overview().history.filter((entry) => entry.status === 'COMPLETED');
  if (completed.length === 0) problems.push('the Checkpoints tab shows no completed checkpoint');
  for (const entry of completed) {
    for (const vertex of source.vertices()) {
      const task = entry.tasks[vertex.id];
      if (!task || task.num_acknowledged_subtasks !== vertex.parallelism || task.num_subtasks !== vertex.parallelism) {
        problems.push(`checkpoint ${entry.id}: ${vertex.id} acknowledged by ${task?.num_acknowledged_subtasks ?? 0} of ${vertex.parallelism} subtasks`);
      }
      const subtasks = source.subtaskDetails(entry.id, vertex.id)?.subtasks ?? [];
      const pending = subtasks.filter((subtask) => subtask.status !== 'completed').map((subtask) => subtask.index);
      if (subtasks.length !== vertex.parallelism || pending.length > 0) problems.push(`checkpoint ${entry.id}: ${vertex.id} subtasks ${pending.join(', ')} not acknowledged`);
    }
  }
  return problems;
}

/** Each completed cut has one snapshot per lane, and no barrier hop crosses it backwards. */
export function spaceTimeProblems(view: SpaceTimeView): string[] {
  const problems: string[] = [];
  const lanes = view.lanes.map((lane) => lane.taskId);
  for (const cut of view.cuts.filter((candidate) => candidate.status === 'COMPLETED')) {
    const at = new Map(cut.points.map((point) => [point.taskId, point.time]));
    const missing = lanes.filter((taskId) => !at.has(taskId));
    if (missing.length > 0) problems.push(`cut ${cut.checkpointId}: no snapshot on ${missing.join(', ')}`);
    for (const hop of view.hops) {
      const sentAfter = hop.sentAt > (at.get(hop.from) ?? Number.POSITIVE_INFINITY);
      const receivedBefore = hop.arrivedAt < (at.get(hop.to) ?? Number.NEGATIVE_INFINITY);
      if (sentAfter && receivedBefore) {
        problems.push(`cut ${cut.checkpointId}: barrier ${hop.checkpointId} ${hop.from}->${hop.to} sent after the cut, received before it`);
      }
    }
  }
  return problems;
}

interface Consumed {
  readonly attempt: number;
  readonly taskId: TaskId;
  readonly epoch: CheckpointId;
  readonly time: number;
}

/**
 * Records against each completed cut, channel by channel in FIFO order: a record of epoch > n (sent after its
 * sender passed barrier n) is moved after the sender's snapshot n and consumed after the receiver's; with aligned
 * checkpoints one of epoch ≤ n is also consumed before the receiver's snapshot n (nothing is in flight across it;
 * an acknowledgement marked unaligned exempts its checkpoint).
 * Checked within the attempt that acknowledged n; records a lost Worker event leaves unmatched are skipped.
 */
export function recordCrossingProblems(events: readonly EngineEvent[], view: SpaceTimeView): string[] {
  const problems: string[] = [];
  const cuts = completedCuts(events, view);
  const queues = new Map<string, Array<{ epoch: CheckpointId; count: number }>>();
  const consumed: Consumed[] = [];
  for (const event of events) {
    if (event.type === 'records-moved') {
      const epoch = event.epoch ?? 1;
      const key = `${event.attempt}/${event.to}/${event.channel}`;
      queues.set(key, [...(queues.get(key) ?? []), { epoch, count: event.count }]);
      for (const cut of cuts) {
        const sender = cut.at.get(event.from);
        if (cut.attempts.get(event.from) === event.attempt && sender !== undefined && epoch > cut.checkpointId && event.time < sender) {
          problems.push(`cut ${cut.checkpointId}: ${event.from} moved records of epoch ${epoch} at ${event.time}, before its snapshot at ${sender}`);
        }
      }
    } else if (event.type === 'records-consumed') {
      const queue = queues.get(`${event.attempt}/${event.taskId}/${event.channel}`) ?? [];
      for (let left = event.count; left > 0 && queue.length > 0; ) {
        const head = queue[0]!;
        const taken = Math.min(left, head.count);
        consumed.push({ attempt: event.attempt, taskId: event.taskId, epoch: head.epoch, time: event.time });
        head.count -= taken;
        left -= taken;
        if (head.count === 0) queue.shift();
      }
    }
  }
  for (const record of consumed) {
    for (const cut of cuts) {
      const snapshotAt = cut.at.get(record.taskId);
      if (snapshotAt === undefined || cut.attempts.get(record.taskId) !== record.attempt) continue;
      if (record.epoch > cut.checkpointId && record.time < snapshotAt) {
        problems.push(`cut ${cut.checkpointId}: ${record.taskId} consumed records of epoch ${record.epoch} at ${record.time}, before its snapshot at ${snapshotAt}`);
      }
      if (cut.aligned && record.epoch <= cut.checkpointId && record.time > snapshotAt) {
        problems.push(`cut ${cut.checkpointId}: ${record.taskId} consumed records of epoch ${record.epoch} at ${record.time}, after its snapshot at ${snapshotAt}`);
      }
    }
  }
  return problems.slice(0, 20);
}

function completedCuts(events: readonly EngineEvent[], view: SpaceTimeView) {
  const attempts = new Map<CheckpointId, Map<TaskId, number>>();
  const unaligned = new Set<CheckpointId>();
  for (const event of events) {
    if (event.type !== 'checkpoint-acknowledged') continue;
    attempts.set(event.checkpointId, (attempts.get(event.checkpointId) ?? new Map<TaskId, number>()).set(event.taskId, event.attempt));
    if (event.unaligned) unaligned.add(event.checkpointId);
  }
  return view.cuts
    .filter((cut) => cut.status === 'COMPLETED')
    .map((cut) => ({
      checkpointId: cut.checkpointId,
      at: new Map(cut.points.map((point) => [point.taskId, point.time])),
      attempts: attempts.get(cut.checkpointId) ?? new Map<TaskId, number>(),
      /** An unaligned checkpoint stores in-flight records as channel state: they may cross the cut forwards. */
      aligned: !unaligned.has(cut.checkpointId),
    }));
}

/** The inspector lists the keyed subtasks with Flink's key-group ranges, each at the tab's latest completed checkpoint. */
export function inspectorProblems(view: StateInspectorView, tab: CheckpointsTabView): string[] {
  const problems: string[] = [];
  const latest = tab.source.overview().latest.completed?.id ?? null;
  if (view.subtasks.length === 0) problems.push('the state inspector lists no keyed subtask');
  for (const subtask of view.subtasks) {
    const range = computeKeyGroupRangeForOperatorIndex(subtask.maxParallelism, subtask.parallelism, subtask.subtaskIndex);
    if (subtask.keyGroups.start !== range.startKeyGroup || subtask.keyGroups.end !== range.endKeyGroup) problems.push(`${subtask.taskId}: key groups ${subtask.keyGroups.start}-${subtask.keyGroups.end}, Flink assigns ${range.startKeyGroup}-${range.endKeyGroup}`);
    if (subtask.latestCompletedCheckpointId !== latest) problems.push(`${subtask.taskId}: latest completed checkpoint ${subtask.latestCompletedCheckpointId}, the tab's is ${latest}`);
  }
  return problems;
}

/** Per key, the last value the sink committed from transactions of checkpoints up to `checkpointId` (the ledger's source). */
export function committedThrough(events: readonly EngineEvent[], checkpointId: CheckpointId): Map<string, unknown> {
  const committed = new Map<string, unknown>();
  for (const event of events) {
    if (event.type !== 'sink-committed' || event.checkpointId > checkpointId) continue;
    for (const record of event.committed as ReadonlyArray<{ readonly key: string; readonly value: unknown }>) committed.set(record.key, record.value);
  }
  return committed;
}

/**
 * running-sum's keyed state is what its exactly-once sink commits: at checkpoint n each key's running sum is the
 * last sum committed up to n. So every value the inspector claims for a checkpoint must be that sum, and a key it
 * calls absent must have committed nothing.
 */
export function inspectorValueProblems(view: StateInspectorView, events: readonly EngineEvent[]): string[] {
  const problems: string[] = [];
  let known = 0;
  for (const { checkpointId } of view.checkpoints) {
    const committed = committedThrough(events, checkpointId);
    for (const change of compareStates(view, view.subtasks, { kind: 'checkpoint', checkpointId }, { kind: 'now' }).changes) {
      if (change.from.kind === 'value') {
        known += 1;
        if (committed.get(change.key) !== change.from.value) problems.push(`checkpoint ${checkpointId}: ${change.key} is ${String(change.from.value)} in the inspector, ${String(committed.get(change.key))} in the ledger`);
      }
      if (change.from.kind === 'absent' && committed.has(change.key)) problems.push(`checkpoint ${checkpointId}: ${change.key} absent in the inspector, committed in the ledger`);
    }
  }
  if (known === 0) problems.push('the inspector knows no value of any remembered checkpoint');
  return problems.slice(0, 20);
}

/** The ledger counts every committed record once, and exactly-once loses and duplicates nothing. */
export function ledgerProblems(view: OutputLedgerView, events: readonly EngineEvent[]): string[] {
  const committed = events.reduce((sum, event) => sum + (event.type === 'sink-committed' ? event.committed.length : 0), 0);
  const problems: string[] = [];
  if (view.committed !== committed) problems.push(`the ledger counts ${view.committed} committed records, the sink committed ${committed}`);
  if (view.lost !== 0 || view.duplicated !== 0) problems.push(`the ledger finds ${view.lost} lost and ${view.duplicated} duplicated records`);
  return problems;
}
