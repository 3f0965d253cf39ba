// The EngineEvent union (src/engine/events.ts) as a valibot schema, one entry per event type, for traces read
// from files. Numbers are finite (JSON has no other); ids, attempts and counts are whole and not negative.
// Fields the engine may add later are tolerated (an object schema checks the fields it names).
import * as v from 'valibot';
import type { EngineEvent, EngineEventType } from '../../engine/events';

const time = v.pipe(v.number(), v.minValue(0));
const whole = v.pipe(v.number(), v.integer(), v.minValue(0));
const text = v.string();
const taskId = v.pipe(v.string(), v.nonEmpty());
const keyGroups = v.nullable(v.object({ start: whole, end: whole }));
const executionState = v.picklist(['CREATED', 'DEPLOYING', 'INITIALIZING', 'RUNNING', 'FINISHED', 'CANCELING', 'CANCELED', 'FAILED']);
const checkpointType = v.picklist(['CHECKPOINT', 'SAVEPOINT', 'SYNC_SAVEPOINT']);
const offsets = v.record(v.string(), whole);
const channelSide = v.picklist(['output', 'input']);

const operator = v.object({ uid: taskId, name: text, role: v.picklist(['source', 'keyed', 'operator', 'sink']), chained: v.boolean() });
const vertex = v.object({ vertexId: taskId, name: text, parallelism: whole, maxParallelism: whole, operators: v.array(operator) });
const subtask = v.object({ taskId, vertexId: taskId, subtaskIndex: whole, keyGroups });
const channel = v.object({ from: taskId, to: taskId, channel: whole, partitioner: v.picklist(['forward', 'rebalance', 'hash']) });

/** Fields every event of a task's attempt has. */
const onTask = { taskId, attempt: whole };
const onTaskCheckpoint = { ...onTask, checkpointId: whole };

const FIELDS = {
  'job-status-changed': { status: text, previous: text, cause: v.optional(text) },
  'job-deployed': {
    attempt: whole,
    restoredCheckpointId: v.nullable(whole),
    restoredFrom: v.optional(v.object({ isSavepoint: v.boolean(), externalPath: text })),
    vertices: v.array(vertex),
    subtasks: v.array(subtask),
    channels: v.array(channel),
  },
  'task-state-changed': { ...onTask, state: executionState },
  'records-moved': { from: taskId, to: taskId, channel: whole, count: whole, sizeBytes: whole, attempt: whole, epoch: v.optional(whole) },
  'records-consumed': { ...onTask, channel: whole, count: whole },
  'source-read': { ...onTask, source: taskId, partition: whole, fromOffset: whole, toOffset: whole },
  'barrier-emitted': onTaskCheckpoint,
  'barrier-received': { ...onTaskCheckpoint, channel: whole },
  'barrier-overtook': { ...onTaskCheckpoint, side: channelSide, channel: whole, to: v.optional(taskId), records: whole, sizeBytes: whole },
  'checkpoint-switched-to-unaligned': onTaskCheckpoint,
  'channel-state-restored': { ...onTaskCheckpoint, side: channelSide, channel: whole, to: v.optional(taskId), records: whole },
  'channel-blocked': { ...onTaskCheckpoint, channel: whole },
  'channel-unblocked': { ...onTaskCheckpoint, channel: whole },
  'alignment-done': { ...onTaskCheckpoint, alignmentDurationMs: time },
  'snapshot-sync-done': { ...onTaskCheckpoint, syncDurationMs: time },
  'snapshot-async-done': { ...onTaskCheckpoint, asyncDurationMs: time, stateSizeBytes: whole },
  'snapshot-failed': { ...onTaskCheckpoint, phase: v.picklist(['sync', 'async']), message: text },
  'checkpoint-declined': { ...onTaskCheckpoint, reason: text },
  'checkpoint-acknowledged': {
    ...onTaskCheckpoint,
    syncDurationMs: time,
    asyncDurationMs: time,
    alignmentDurationMs: time,
    startDelayMs: time,
    checkpointedSizeBytes: whole,
    stateSizeBytes: whole,
    processedDataBytes: whole,
    persistedDataBytes: whole,
    unaligned: v.boolean(),
  },
  'checkpoint-triggered': { checkpointId: whole, isSavepoint: v.boolean(), checkpointType },
  'checkpoint-completed': {
    checkpointId: whole,
    isSavepoint: v.boolean(),
    endToEndDurationMs: time,
    stateSizeBytes: whole,
    checkpointedSizeBytes: whole,
    sourceOffsets: v.record(v.string(), offsets),
    externalPath: text,
  },
  'checkpoint-aborted': { checkpointId: whole, reason: text, message: text },
  'checkpoint-expired': { checkpointId: whole },
  'checkpoint-discarded': { checkpointId: whole },
  'task-failed': { ...onTask, cause: text },
  'job-restarting': { attempt: whole, backoffMs: time },
  'task-restored': { ...onTask, checkpointId: v.nullable(whole) },
  'source-rewound': { ...onTask, offsets, source: taskId },
  'sink-committed': { ...onTaskCheckpoint, transactionId: text, records: whole, committed: v.array(v.unknown()) },
  'sink-aborted': { ...onTask, transactionId: text, records: whole },
  'sink-written': { ...onTask, written: v.array(v.unknown()) },
  'fault-injected': { fault: text },
} as const satisfies Record<EngineEventType, v.ObjectEntries>;

export const EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(FIELDS));

type EventSchema = v.GenericSchema<unknown, unknown>;

/** One schema per type: the line's `type` picks it, so a refusal names the field of that event, not the union. */
export const EVENT_SCHEMAS: ReadonlyMap<string, EventSchema> = new Map(
  Object.entries(FIELDS).map(([type, fields]) => [type, v.object({ type: v.literal(type), time, ...fields }) as EventSchema]),
);

/** Type-level guard that the schemas name every event type the engine has. */
export function isEngineEventType(type: unknown): type is EngineEventType {
  return typeof type === 'string' && EVENT_TYPES.has(type);
}

export type { EngineEvent };
