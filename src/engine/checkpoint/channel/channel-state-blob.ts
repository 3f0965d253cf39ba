// The channel-state blob: one per subtask and unaligned checkpoint (as Flink's ChannelStateCheckpointWriter
// writes one stream per subtask), holding every channel's buffers; each handle names its channel in it.
// Written through the CheckpointStorage port in the async phase; read back on restore.
import type { CheckpointStorage, StorageResult } from '../../ports/checkpoint-storage';
import { failed, ok } from '../../ports/checkpoint-storage';
import { decodeJson, encodeJson } from '../../task/record-size';
import type { ChannelStateHandle, InputChannelInfo, InputChannelStateHandle, ResultSubpartitionInfo, ResultSubpartitionStateHandle } from '../task-state';
import type { ChannelBuffers, ChannelStateBuffer, CollectedChannelState } from './channel-state-writer';

export const CHANNEL_STATE_BLOB_VERSION = 1;

interface ChannelStateBlob {
  readonly version: typeof CHANNEL_STATE_BLOB_VERSION;
  readonly input: ReadonlyArray<ChannelBuffers<InputChannelInfo>>;
  readonly output: ReadonlyArray<ChannelBuffers<ResultSubpartitionInfo>>;
}

export interface ChannelStateTarget {
  readonly storage: CheckpointStorage;
  readonly jobId: string;
  readonly taskId: string;
  /** The head operator's uid: the blob is filed under it (its output half belongs to the tail operator). */
  readonly operatorUid: string;
}

export interface WrittenChannelState {
  readonly input: readonly InputChannelStateHandle[];
  readonly output: readonly ResultSubpartitionStateHandle[];
  /** Flink's persisted_data: the bytes of every buffer written. */
  readonly persistedDataBytes: number;
}

const bytesOf = (buffers: readonly ChannelStateBuffer[]) => buffers.reduce((sum, buffer) => sum + buffer.sizeBytes, 0);
const recordsOf = (buffers: readonly ChannelStateBuffer[]) => buffers.reduce((sum, buffer) => sum + buffer.records.length, 0);

function handlesOf<Info>(channels: ReadonlyArray<ChannelBuffers<Info>>, storageKey: string): ChannelStateHandle<Info>[] {
  return channels.map(({ info, buffers }) => ({ info, storageKey, records: recordsOf(buffers), stateSizeBytes: bytesOf(buffers) }));
}

/** Writes the collected state as one blob (none when there is nothing in flight) and returns its handles. */
export function writeChannelState(target: ChannelStateTarget, collected: CollectedChannelState, done: (result: StorageResult<WrittenChannelState>) => void): void {
  const input = collected.input.filter((channel) => channel.buffers.length > 0);
  const output = collected.output.filter((channel) => channel.buffers.length > 0);
  if (input.length === 0 && output.length === 0) return done(ok({ input: [], output: [], persistedDataBytes: 0 }));
  const blob: ChannelStateBlob = { version: CHANNEL_STATE_BLOB_VERSION, input, output };
  const { storage, jobId, taskId, operatorUid } = target;
  storage.writeState({ jobId, checkpointId: collected.checkpointId, taskId, operatorUid, bytes: encodeJson(blob) }, (written) => {
    if (!written.ok) return done(written);
    const persistedDataBytes = [...input, ...output].reduce((sum, channel) => sum + bytesOf(channel.buffers), 0);
    done(ok({ input: handlesOf(input, written.value), output: handlesOf(output, written.value), persistedDataBytes }));
  });
}

/** A channel's buffers, as restore needs them: input channels by index, output subpartitions by partition and subpartition. */
export interface RestoredChannelState {
  readonly input: ReadonlyArray<ChannelBuffers<InputChannelInfo>>;
  readonly output: ReadonlyArray<ChannelBuffers<ResultSubpartitionInfo>>;
}

const sameInput = (a: InputChannelInfo, b: InputChannelInfo) => a.gateIndex === b.gateIndex && a.inputChannelIndex === b.inputChannelIndex;
const sameOutput = (a: ResultSubpartitionInfo, b: ResultSubpartitionInfo) => a.partitionIndex === b.partitionIndex && a.subpartitionIndex === b.subpartitionIndex;

/**
 * Reads the blobs the handles name (each once) and returns each handle's buffers, in the handles' order.
 * Fails, naming the handle, when a blob is missing, is not a channel-state blob, or lacks the handle's channel.
 */
export function readChannelState(
  storage: CheckpointStorage,
  input: readonly InputChannelStateHandle[],
  output: readonly ResultSubpartitionStateHandle[],
  done: (result: StorageResult<RestoredChannelState>) => void,
): void {
  const keys = [...new Set([...input, ...output].map((handle) => handle.storageKey))];
  const blobs = new Map<string, ChannelStateBlob>();
  let outstanding = keys.length;
  let finished = false;
  const finish = (result: StorageResult<RestoredChannelState>) => {
    if (finished) return;
    finished = true;
    done(result);
  };
  const assemble = (): StorageResult<RestoredChannelState> => {
    const restoredInput: Array<ChannelBuffers<InputChannelInfo>> = [];
    for (const handle of input) {
      const found = blobs.get(handle.storageKey)!.input.find((channel) => sameInput(channel.info, handle.info));
      if (!found) return failed(`The channel-state blob '${handle.storageKey}' holds no input channel ${handle.info.inputChannelIndex}`);
      restoredInput.push({ info: handle.info, buffers: found.buffers });
    }
    const restoredOutput: Array<ChannelBuffers<ResultSubpartitionInfo>> = [];
    for (const handle of output) {
      const found = blobs.get(handle.storageKey)!.output.find((channel) => sameOutput(channel.info, handle.info));
      if (!found) return failed(`The channel-state blob '${handle.storageKey}' holds no subpartition ${handle.info.partitionIndex}/${handle.info.subpartitionIndex}`);
      restoredOutput.push({ info: handle.info, buffers: found.buffers });
    }
    return ok({ input: restoredInput, output: restoredOutput });
  };
  if (outstanding === 0) return finish(ok({ input: [], output: [] }));
  for (const key of keys) {
    storage.readState(key, (read) => {
      if (!read.ok) return finish(read);
      let blob: unknown;
      try {
        blob = decodeJson(read.value);
      } catch (error) {
        return finish(failed(`Cannot decode the channel-state blob '${key}': ${error instanceof Error ? error.message : String(error)}`));
      }
      if (!isChannelStateBlob(blob)) return finish(failed(`'${key}' is not a channel-state blob of version ${CHANNEL_STATE_BLOB_VERSION}`));
      blobs.set(key, blob);
      outstanding -= 1;
      if (outstanding === 0) finish(assemble());
    });
  }
}

function isChannelStateBlob(value: unknown): value is ChannelStateBlob {
  if (value === null || typeof value !== 'object') return false;
  const blob = value as Partial<ChannelStateBlob>;
  const buffersOk = (channels: unknown) =>
    Array.isArray(channels) &&
    channels.every((channel: Partial<ChannelBuffers<unknown>>) => Array.isArray(channel?.buffers) && channel.buffers.every((buffer) => Array.isArray(buffer?.records) && typeof buffer.sizeBytes === 'number'));
  return blob.version === CHANNEL_STATE_BLOB_VERSION && buffersOk(blob.input) && buffersOk(blob.output);
}
