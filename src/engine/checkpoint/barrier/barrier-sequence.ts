// The sequence notation of Flink's barrier tests, as text: `d0` data on channel 0, `B(id,ch)` barrier,
// `C(id,ch)` cancellation marker, `E(ch)` end of partition. Parsing is strict: unknown text throws.
import type {
  AbortedCheckpoint,
  BarrierHandlerInput,
  ChannelIndex,
  CheckpointBarrierHandler,
  CheckpointId,
} from './types';

const TOKEN = /d(\d+)|B\(\s*(\d+)\s*,\s*(\d+)\s*\)|C\(\s*(\d+)\s*,\s*(\d+)\s*\)|E\(\s*(\d+)\s*\)/y;
const SEPARATOR = /[\s,]*/y;

/** Parses e.g. `'d0 d2 B(1,1) C(1,2) E(0)'` into inputs, in order. */
export function parseBarrierSequence(text: string): BarrierHandlerInput[] {
  const inputs: BarrierHandlerInput[] = [];
  let position = skipSeparators(text, 0);
  while (position < text.length) {
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(text);
    if (match === null) {
      throw new SyntaxError(`Barrier sequence: cannot read '${text.slice(position, position + 12)}' at ${position}`);
    }
    inputs.push(inputOf(match));
    position = skipSeparators(text, TOKEN.lastIndex);
  }
  return inputs;
}

function skipSeparators(text: string, from: number): number {
  SEPARATOR.lastIndex = from;
  SEPARATOR.exec(text);
  return SEPARATOR.lastIndex;
}

function inputOf(match: RegExpExecArray): BarrierHandlerInput {
  const [, data, barrierId, barrierChannel, markerId, markerChannel, ended] = match;
  if (data !== undefined) return { kind: 'data', channel: Number(data) };
  if (barrierId !== undefined) return { kind: 'barrier', checkpointId: Number(barrierId), channel: Number(barrierChannel) };
  if (markerId !== undefined) return { kind: 'cancellation-marker', checkpointId: Number(markerId), channel: Number(markerChannel) };
  return { kind: 'end-of-partition', channel: Number(ended) };
}

/** The inverse of parsing one token: `{ kind: 'barrier', checkpointId: 1, channel: 2 }` is `B(1,2)`. */
export function formatBarrierInput(input: BarrierHandlerInput): string {
  switch (input.kind) {
    case 'data':
      return `d${input.channel}`;
    case 'barrier':
      return `B(${input.checkpointId},${input.channel})`;
    case 'cancellation-marker':
      return `C(${input.checkpointId},${input.channel})`;
    case 'end-of-partition':
      return `E(${input.channel})`;
  }
}

export function formatBarrierSequence(inputs: readonly BarrierHandlerInput[]): string {
  return inputs.map(formatBarrierInput).join(' ');
}

/** One thing a replayed input caused; within one input, aborts come first, then the start, then the trigger. */
export type ReplayEvent =
  | { readonly kind: 'started' | 'triggered'; readonly checkpointId: CheckpointId }
  | ({ readonly kind: 'aborted' } & AbortedCheckpoint);

/** Everything a replayed sequence caused, concatenated, and the channels blocked at its end. */
export interface ReplayResult {
  readonly started: CheckpointId[];
  readonly triggered: CheckpointId[];
  readonly aborted: AbortedCheckpoint[];
  readonly blocked: ChannelIndex[];
  /** All of the above in order. */
  readonly events: ReplayEvent[];
}

/** Feeds a sequence (text or inputs) to a handler, one input at a time. */
export function replayBarrierSequence(
  handler: CheckpointBarrierHandler,
  sequence: string | readonly BarrierHandlerInput[],
): ReplayResult {
  const inputs = typeof sequence === 'string' ? parseBarrierSequence(sequence) : sequence;
  const result: ReplayResult = { started: [], triggered: [], aborted: [], blocked: handler.blockedChannels(), events: [] };
  for (const input of inputs) {
    const outcome = handler.process(input);
    for (const aborted of outcome.aborted) result.events.push({ kind: 'aborted', ...aborted });
    if (outcome.started !== null) result.events.push({ kind: 'started', checkpointId: outcome.started });
    for (const checkpointId of outcome.triggered) result.events.push({ kind: 'triggered', checkpointId });
    if (outcome.started !== null) result.started.push(outcome.started);
    result.triggered.push(...outcome.triggered);
    result.aborted.push(...outcome.aborted);
    result.blocked.splice(0, result.blocked.length, ...outcome.blocked);
  }
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
