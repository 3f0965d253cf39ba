// Checks that an input is one a task can actually read, before any handler state changes: a caller
// error throws and leaves the handler as it was. Messages use the sequence notation (B(1,2), d0).
import type { BarrierHandlerInput, ChannelIndex, CheckpointId } from './types';
import { formatBarrierInput } from './barrier-sequence';

export function requireChannelCount(numberOfChannels: number): void {
  if (!Number.isSafeInteger(numberOfChannels) || numberOfChannels < 1) {
    throw new RangeError(`A barrier handler needs at least one input channel, got ${numberOfChannels}`);
  }
}

export function requireCheckpointId(checkpointId: CheckpointId): void {
  if (!Number.isSafeInteger(checkpointId) || checkpointId < 0) {
    throw new RangeError(`A checkpoint id is a non-negative integer, got ${checkpointId}`);
  }
}

export interface ChannelView {
  readonly numberOfChannels: number;
  isEnded(channel: ChannelIndex): boolean;
  isBlocked(channel: ChannelIndex): boolean;
}

/**
 * Throws unless the task could have read `input` from its channel right now (an end of partition even
 * from a blocked one), or, for `advance-time`, unless the clock does not go back.
 */
export function requireReadable(input: BarrierHandlerInput, channels: ChannelView, nowMs = 0): void {
  const text = formatBarrierInput(input);
  if (input.kind === 'advance-time') {
    if (!Number.isFinite(input.toMs) || input.toMs < nowMs) throw new RangeError(`${text}: the clock reads ${nowMs} ms and never goes back`);
    return;
  }
  const { channel } = input;
  if (!Number.isSafeInteger(channel) || channel < 0 || channel >= channels.numberOfChannels) {
    throw new RangeError(`${text}: no channel ${channel} (the task has ${channels.numberOfChannels})`);
  }
  if (input.kind === 'barrier' || input.kind === 'cancellation-marker' || input.kind === 'announcement') requireCheckpointId(input.checkpointId);
  if ((input.kind === 'barrier' || input.kind === 'announcement') && input.timestamp !== undefined && !Number.isFinite(input.timestamp)) {
    throw new RangeError(`${text}: a barrier's timestamp is a finite number of ms, got ${input.timestamp}`);
  }
  // Flink's CheckpointOptions constructor: "Savepoint can't be unaligned", "Unaligned checkpoint can't have timeout".
  if ((input.kind === 'barrier' || input.kind === 'announcement') && input.options?.alignment === 'UNALIGNED') {
    if (input.options.checkpointType !== 'CHECKPOINT') throw new RangeError(`${text}: a savepoint can't be unaligned`);
    if (input.options.alignedCheckpointTimeoutMs !== undefined) throw new RangeError(`${text}: an unaligned checkpoint can't have a timeout`);
  }
  if (channels.isEnded(channel)) {
    throw new Error(`${text}: channel ${channel} already delivered its end of partition`);
  }
  // An end of partition on a blocked channel is accepted, as Flink's handler accepts it
  // (SingleCheckpointBarrierHandler.processEndOfPartition, ChannelState.channelFinished): the channel
  // is finished and leaves the blocked set. Anything else from a blocked channel is a caller error.
  if (input.kind !== 'end-of-partition' && channels.isBlocked(channel)) {
    throw new Error(`${text}: channel ${channel} is blocked for alignment; the task must not read a blocked channel`);
  }
}
