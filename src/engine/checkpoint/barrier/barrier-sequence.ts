// The sequence notation of Flink's barrier tests, as text: `d0` data on channel 0, `B(id,ch)` barrier,
// `C(id,ch)` cancellation marker, `E(ch)` end of partition; for unaligned checkpoints also `A(id,ch)` a
// barrier announcement, `T(ms)` the clock moving to ms, and option fields on B and A (`B(1,0,U)`,
// `B(1,0,A10,t5)`, `B(2,1,SP)`). Parsing is strict: unknown text throws.
import type { CheckpointType } from '../../task/messages';
import type {
  AbortedCheckpoint,
  AlignmentType,
  BarrierHandlerInput,
  ChannelIndex,
  CheckpointBarrierHandler,
  CheckpointId,
  CheckpointOptions,
  PrioritizedBarrier,
  TriggeredCheckpoint,
} from './types';

const FIELDS = String.raw`(?:\s*,\s*[A-Za-z]+\d*)*`;
const TOKEN = new RegExp(
  String.raw`d(\d+)|([BA])\(\s*(\d+)\s*,\s*(\d+)(${FIELDS})\s*\)|C\(\s*(\d+)\s*,\s*(\d+)\s*\)|E\(\s*(\d+)\s*\)|T\(\s*(\d+)\s*\)`,
  'y',
);
const SEPARATOR = /[\s,]*/y;

/** Option fields: alignment (with its timeout), checkpoint type, and the barrier's timestamp. */
const ALIGNMENT_FIELDS: Readonly<Record<string, AlignmentType>> = { U: 'UNALIGNED', A: 'ALIGNED', F: 'FORCED_ALIGNED', L: 'AT_LEAST_ONCE' };
const TYPE_FIELDS: Readonly<Record<string, CheckpointType>> = { CP: 'CHECKPOINT', SP: 'SAVEPOINT', SSP: 'SYNC_SAVEPOINT' };

/** Parses e.g. `'d0 d2 B(1,1) C(1,2) E(0)'` or `'A(1,0,A10,t0) T(20) B(1,0,A10,t0)'` into inputs, in order. */
export function parseBarrierSequence(text: string): BarrierHandlerInput[] {
  const inputs: BarrierHandlerInput[] = [];
  let position = skipSeparators(text, 0);
  while (position < text.length) {
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(text);
    if (match === null) {
      throw new SyntaxError(`Barrier sequence: cannot read '${text.slice(position, position + 12)}' at ${position}`);
    }
    inputs.push(inputOf(match, position));
    position = skipSeparators(text, TOKEN.lastIndex);
  }
  return inputs;
}

function skipSeparators(text: string, from: number): number {
  SEPARATOR.lastIndex = from;
  SEPARATOR.exec(text);
  return SEPARATOR.lastIndex;
}

function inputOf(match: RegExpExecArray, position: number): BarrierHandlerInput {
  const [, data, letter, barrierId, barrierChannel, fields, markerId, markerChannel, ended, toMs] = match;
  if (data !== undefined) return { kind: 'data', channel: Number(data) };
  if (letter !== undefined) {
    const kind = letter === 'B' ? 'barrier' : 'announcement';
    return { kind, checkpointId: Number(barrierId), channel: Number(barrierChannel), ...fieldsOf(fields ?? '', position) };
  }
  if (markerId !== undefined) return { kind: 'cancellation-marker', checkpointId: Number(markerId), channel: Number(markerChannel) };
  if (toMs !== undefined) return { kind: 'advance-time', toMs: Number(toMs) };
  return { kind: 'end-of-partition', channel: Number(ended) };
}

function fieldsOf(text: string, position: number): { options?: CheckpointOptions; timestamp?: number } {
  const fields = text.split(',').map((field) => field.trim()).filter((field) => field !== '');
  if (fields.length === 0) return {};
  let checkpointType: CheckpointType = 'CHECKPOINT';
  let alignment: AlignmentType | undefined;
  let alignedCheckpointTimeoutMs: number | undefined;
  let timestamp: number | undefined;
  let hasOptions = false;
  for (const field of fields) {
    const [, name = '', digits] = /^([A-Za-z]+)(\d*)$/.exec(field) ?? [];
    const value = digits === undefined || digits === '' ? undefined : Number(digits);
    if (name === 't' && value !== undefined) timestamp = value;
    else if (TYPE_FIELDS[name] !== undefined && value === undefined) [checkpointType, hasOptions] = [TYPE_FIELDS[name], true];
    else if (ALIGNMENT_FIELDS[name] !== undefined && (value === undefined || name === 'A' || name === 'F')) {
      [alignment, alignedCheckpointTimeoutMs, hasOptions] = [ALIGNMENT_FIELDS[name], value, true];
    } else {
      throw new SyntaxError(`Barrier sequence: unknown barrier field '${field}' at ${position} (U, A, A<ms>, F, F<ms>, L, CP, SP, SSP, t<ms>)`);
    }
  }
  const options: CheckpointOptions = {
    checkpointType,
    ...(alignment === undefined ? {} : { alignment }),
    ...(alignedCheckpointTimeoutMs === undefined ? {} : { alignedCheckpointTimeoutMs }),
  };
  return { ...(hasOptions ? { options } : {}), ...(timestamp === undefined ? {} : { timestamp }) };
}

/** The option fields of a barrier or trigger, e.g. `U`, `A10,t5`, `SP`; empty for none. */
export function formatBarrierFields(options: CheckpointOptions | undefined, timestamp: number | undefined): string {
  const fields: string[] = [];
  if (options !== undefined) {
    const type = Object.keys(TYPE_FIELDS).find((name) => TYPE_FIELDS[name] === options.checkpointType) ?? 'CP';
    const alignment = options.alignment ?? (options.alignedCheckpointTimeoutMs === undefined ? undefined : 'ALIGNED');
    const alignmentField = Object.keys(ALIGNMENT_FIELDS).find((name) => ALIGNMENT_FIELDS[name] === alignment);
    if (type !== 'CP' || alignmentField === undefined) fields.push(type);
    if (alignmentField !== undefined) fields.push(`${alignmentField}${options.alignedCheckpointTimeoutMs ?? ''}`);
  }
  if (timestamp !== undefined) fields.push(`t${timestamp}`);
  return fields.join(',');
}

function withFields(head: string, options: CheckpointOptions | undefined, timestamp: number | undefined): string {
  const fields = formatBarrierFields(options, timestamp);
  return fields === '' ? head : `${head},${fields}`;
}

/** The inverse of parsing one token: `{ kind: 'barrier', checkpointId: 1, channel: 2 }` is `B(1,2)`. */
export function formatBarrierInput(input: BarrierHandlerInput): string {
  switch (input.kind) {
    case 'data':
      return `d${input.channel}`;
    case 'barrier':
      return `B(${withFields(`${input.checkpointId},${input.channel}`, input.options, input.timestamp)})`;
    case 'announcement':
      return `A(${withFields(`${input.checkpointId},${input.channel}`, input.options, input.timestamp)})`;
    case 'cancellation-marker':
      return `C(${input.checkpointId},${input.channel})`;
    case 'end-of-partition':
      return `E(${input.channel})`;
    case 'advance-time':
      return `T(${input.toMs})`;
  }
}

export function formatBarrierSequence(inputs: readonly BarrierHandlerInput[]): string {
  return inputs.map(formatBarrierInput).join(' ');
}

/** A data input the handler reported as channel state: its position in the replayed sequence (from 0). */
export interface CapturedBuffer {
  readonly position: number;
  readonly channel: ChannelIndex;
  readonly checkpointId: CheckpointId;
}

/**
 * One thing a replayed input caused. Within one input: aborts, then the start, the barriers to prioritize
 * (a timeout prioritizes before it triggers), the triggers, the finished input captures, and the captured
 * buffer. Aligned sequences only ever produce the aborts, starts and triggers.
 */
export type ReplayEvent =
  | { readonly kind: 'started' | 'triggered'; readonly checkpointId: CheckpointId }
  | ({ readonly kind: 'aborted' } & AbortedCheckpoint)
  | ({ readonly kind: 'prioritized' } & PrioritizedBarrier)
  | { readonly kind: 'input-capture-finished'; readonly checkpointId: CheckpointId }
  | ({ readonly kind: 'captured' } & CapturedBuffer);

/** Everything a replayed sequence caused, concatenated, and the channels blocked at its end. */
export interface ReplayResult {
  readonly started: CheckpointId[];
  readonly triggered: CheckpointId[];
  readonly aborted: AbortedCheckpoint[];
  readonly blocked: ChannelIndex[];
  /** Per triggered checkpoint, in order: the barrier (options, timestamp) its snapshot is taken with. */
  readonly triggers: TriggeredCheckpoint[];
  /** Data inputs that are in-flight channel state of an unaligned checkpoint (UnalignedCheckpointsTest's assertInflightData). */
  readonly captured: CapturedBuffer[];
  readonly prioritized: PrioritizedBarrier[];
  readonly inputCaptureFinished: CheckpointId[];
  /** All of the above in order. */
  readonly events: ReplayEvent[];
}

/** Feeds a sequence (text or inputs) to a handler, one input at a time. */
export function replayBarrierSequence(
  handler: CheckpointBarrierHandler,
  sequence: string | readonly BarrierHandlerInput[],
): ReplayResult {
  const inputs = typeof sequence === 'string' ? parseBarrierSequence(sequence) : sequence;
  const result: ReplayResult = {
    started: [],
    triggered: [],
    aborted: [],
    blocked: handler.blockedChannels(),
    triggers: [],
    captured: [],
    prioritized: [],
    inputCaptureFinished: [],
    events: [],
  };
  inputs.forEach((input, position) => {
    const outcome = handler.process(input);
    for (const aborted of outcome.aborted) result.events.push({ kind: 'aborted', ...aborted });
    if (outcome.started !== null) result.events.push({ kind: 'started', checkpointId: outcome.started });
    for (const barrier of outcome.prioritized) result.events.push({ kind: 'prioritized', ...barrier });
    for (const checkpointId of outcome.triggered) result.events.push({ kind: 'triggered', checkpointId });
    for (const checkpointId of outcome.inputCaptureFinished) result.events.push({ kind: 'input-capture-finished', checkpointId });
    if (outcome.started !== null) result.started.push(outcome.started);
    result.triggered.push(...outcome.triggered);
    result.aborted.push(...outcome.aborted);
    result.blocked.splice(0, result.blocked.length, ...outcome.blocked);
    result.triggers.push(...outcome.triggers);
    result.prioritized.push(...outcome.prioritized);
    result.inputCaptureFinished.push(...outcome.inputCaptureFinished);
    if (outcome.captured !== null && input.kind === 'data') {
      const captured = { position, channel: input.channel, checkpointId: outcome.captured };
      result.captured.push(captured);
      result.events.push({ kind: 'captured', ...captured });
    }
  });
  return result;
}

/**
 * The notation of Flink's CheckpointSequenceValidator: triggered checkpoints as their id, aborted
 * ones as the negated id, in order. E.g. `[1, -2, 3]`.
 */
export function signedNotifications(result: ReplayResult): number[] {
  return result.events.flatMap((event) => {
    if (event.kind === 'triggered') return [event.checkpointId];
    if (event.kind === 'aborted') return [-event.checkpointId];
    return [];
  });
}

/**
 * A replay's events as text, triggers with their options, e.g.
 * `started(1) triggered(1,U,t0) captured(#7 d0 for 1) prioritized(B(1,1)) input-captured(1)`.
 */
export function formatReplayEvents(result: ReplayResult): string {
  let trigger = 0;
  return result.events
    .map((event) => {
      switch (event.kind) {
        case 'started':
          return `started(${event.checkpointId})`;
        case 'triggered': {
          const barrier = result.triggers[trigger++];
          return `triggered(${withFields(String(event.checkpointId), barrier?.options, barrier?.timestamp)})`;
        }
        case 'aborted':
          return `aborted(${event.checkpointId},${event.reason})`;
        case 'prioritized':
          return `prioritized(B(${event.checkpointId},${event.channel}))`;
        case 'input-capture-finished':
          return `input-captured(${event.checkpointId})`;
        case 'captured':
          return `captured(#${event.position} d${event.channel} for ${event.checkpointId})`;
      }
    })
    .join(' ');
}
