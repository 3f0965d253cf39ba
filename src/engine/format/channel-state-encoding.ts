// One subtask's channel state in a snapshot file (format version 2): the in-flight buffers an unaligned
// checkpoint persisted from its input channels and output subpartitions (Flink's InputChannelStateHandle and
// ResultSubpartitionStateHandle, whose stream Flink's ChannelStateSerializer writes buffer after buffer) as one
// entry, `<operatorId>/<subtask>/channel-state`; `_metadata` keeps per handle its channel and where each buffer
// begins. A buffer is its `varuint` size as the job measured it (persisted_data), a `varuint` record count and
// each record as `json`. Decoding gives back the handles and the channel-state blobs under their storage keys.
import { CHANNEL_STATE_BLOB_VERSION } from '../checkpoint/channel/channel-state-blob';
import type { ChannelBuffers, ChannelStateBuffer } from '../checkpoint/channel/channel-state-writer';
import type { ChannelStateHandle, InputChannelInfo, InputChannelStateHandle, OperatorSubtaskState, ResultSubpartitionInfo, ResultSubpartitionStateHandle } from '../checkpoint/task-state';
import type { Json } from '../state/json';
import { ByteReader } from './byte-reader';
import { ByteWriter } from './byte-writer';
import { SnapshotEncodingError } from './snapshot-file-error';
import type { SnapshotEntries } from './snapshot-entries';
import type { ChannelStateDocument, InputChannelStateHandleDocument, ResultSubpartitionStateHandleDocument } from './snapshot-metadata-schema';
import { parseUntrustedJson, VALUE_FORBIDDEN_KEYS } from './untrusted-json';

export function channelStateEntryName(operatorId: string, subtaskIndex: number): string {
  return `${operatorId}/${subtaskIndex}/channel-state`;
}

/** The channel-state blob as CheckpointStorage holds it (channel-state-blob.ts), field order included. */
interface ChannelStateBlob {
  readonly version: typeof CHANNEL_STATE_BLOB_VERSION;
  readonly input: ReadonlyArray<ChannelBuffers<InputChannelInfo>>;
  readonly output: ReadonlyArray<ChannelBuffers<ResultSubpartitionInfo>>;
}

export interface ChannelStateTarget {
  readonly operatorId: string;
  readonly subtaskIndex: number;
  readonly blobs: ReadonlyMap<string, Uint8Array>;
  readonly entries: SnapshotEntries;
}

const utf8 = new TextDecoder();
const sameInput = (a: InputChannelInfo, b: InputChannelInfo) => a.gateIndex === b.gateIndex && a.inputChannelIndex === b.inputChannelIndex;
const sameOutput = (a: ResultSubpartitionInfo, b: ResultSubpartitionInfo) => a.partitionIndex === b.partitionIndex && a.subpartitionIndex === b.subpartitionIndex;

/** The subtask's channel state as `_metadata` and one entry hold it, or undefined when it has none. */
export function encodeChannelState(state: OperatorSubtaskState, target: ChannelStateTarget): ChannelStateDocument | undefined {
  const input = state.inputChannelState ?? [];
  const output = state.resultSubpartitionState ?? [];
  if (input.length === 0 && output.length === 0) return undefined;
  const writer = new ByteWriter();
  const inputChannelState = input.map((handle): InputChannelStateHandleDocument => {
    const buffers = buffersOf(handle, target, (blob) => blob.input.find((channel) => sameInput(channel.info, handle.info)), `input channel ${handle.info.gateIndex}/${handle.info.inputChannelIndex}`);
    return { gateIndex: handle.info.gateIndex, inputChannelIndex: handle.info.inputChannelIndex, ...handleFields(handle, writeBuffers(writer, buffers)) };
  });
  const resultSubpartitionState = output.map((handle): ResultSubpartitionStateHandleDocument => {
    const buffers = buffersOf(handle, target, (blob) => blob.output.find((channel) => sameOutput(channel.info, handle.info)), `subpartition ${handle.info.partitionIndex}/${handle.info.subpartitionIndex}`);
    return { partitionIndex: handle.info.partitionIndex, subpartitionIndex: handle.info.subpartitionIndex, ...handleFields(handle, writeBuffers(writer, buffers)) };
  });
  const entry = target.entries.add(channelStateEntryName(target.operatorId, target.subtaskIndex), writer.finish());
  return { entry, inputChannelState, resultSubpartitionState };
}

function handleFields(handle: ChannelStateHandle<unknown>, offsets: number[]) {
  return { storageKey: handle.storageKey, records: handle.records, stateSizeBytes: handle.stateSizeBytes, offsets };
}

function writeBuffers(writer: ByteWriter, buffers: readonly ChannelStateBuffer[]): number[] {
  return buffers.map((buffer) => {
    const offset = writer.length;
    writer.varuint(buffer.sizeBytes);
    writer.varuint(buffer.records.length);
    for (const record of buffer.records) writer.json(record);
    return offset;
  });
}

/** The handle's buffers from its blob; they must be what the handle says (records, bytes, at least one buffer). */
function buffersOf<Info>(
  handle: ChannelStateHandle<Info>,
  target: ChannelStateTarget,
  find: (blob: ChannelStateBlob) => ChannelBuffers<unknown> | undefined,
  channel: string,
): readonly ChannelStateBuffer[] {
  const blob = blobOf(target, handle.storageKey);
  const buffers = find(blob)?.buffers;
  if (!buffers) throw new SnapshotEncodingError(`Channel-state blob ${handle.storageKey} holds no ${channel}`);
  const records = buffers.reduce((sum, buffer) => sum + buffer.records.length, 0);
  const bytes = buffers.reduce((sum, buffer) => sum + buffer.sizeBytes, 0);
  if (buffers.length === 0 || records !== handle.records || bytes !== handle.stateSizeBytes) {
    throw new SnapshotEncodingError(
      `Channel-state blob ${handle.storageKey}: ${channel} holds ${buffers.length} buffers of ${records} records, ${bytes} bytes; its handle says ${handle.records} records, ${handle.stateSizeBytes} bytes`,
    );
  }
  return buffers;
}

function blobOf(target: ChannelStateTarget, storageKey: string): ChannelStateBlob {
  const bytes = target.blobs.get(storageKey);
  if (bytes === undefined) throw new SnapshotEncodingError(`The checkpoint names blob ${storageKey}, which was not given`);
  let blob: unknown;
  try {
    blob = JSON.parse(utf8.decode(bytes));
  } catch (error) {
    throw new SnapshotEncodingError(`Blob ${storageKey} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isChannelStateBlob(blob)) throw new SnapshotEncodingError(`Blob ${storageKey} is not a channel-state blob of version ${CHANNEL_STATE_BLOB_VERSION}`);
  return blob;
}

function isChannelStateBlob(value: unknown): value is ChannelStateBlob {
  if (value === null || typeof value !== 'object') return false;
  const blob = value as Partial<ChannelStateBlob>;
  const channelsOk = (channels: unknown) =>
    Array.isArray(channels) &&
    channels.every(
      (channel: Partial<ChannelBuffers<unknown>>) =>
        channel !== null &&
        typeof channel === 'object' &&
        Array.isArray(channel.buffers) &&
        channel.buffers.every((buffer) => buffer !== null && typeof buffer === 'object' && Array.isArray(buffer.records) && Number.isSafeInteger(buffer.sizeBytes) && buffer.sizeBytes >= 0),
    );
  return blob.version === CHANNEL_STATE_BLOB_VERSION && channelsOk(blob.input) && channelsOk(blob.output);
}

/** One subtask's channel state decoded: its handles (as the engine holds them) and each handle's buffers. */
export interface DecodedChannelState {
  readonly inputChannelState: readonly InputChannelStateHandle[];
  readonly resultSubpartitionState: readonly ResultSubpartitionStateHandle[];
  readonly input: ReadonlyArray<{ readonly storageKey: string } & ChannelBuffers<InputChannelInfo>>;
  readonly output: ReadonlyArray<{ readonly storageKey: string } & ChannelBuffers<ResultSubpartitionInfo>>;
}

/** Reads the entry against the handles: every buffer at its offset, counts and sizes as the handles say, nothing after. */
export function decodeChannelState(bytes: Uint8Array, described: ChannelStateDocument, maxJsonDepth: number): DecodedChannelState {
  const reader = new ByteReader(bytes, described.entry.name);
  const read = (handle: { offsets: readonly number[]; records: number; stateSizeBytes: number }, channel: string): ChannelStateBuffer[] => {
    const start = reader.offset;
    const buffers = handle.offsets.map((offset, index) => {
      if (reader.offset !== offset) reader.fail(`buffer ${index} of ${channel} should begin at byte ${offset} (from _metadata)`);
      return readBuffer(reader, `buffer ${index} of ${channel}`, maxJsonDepth);
    });
    const records = buffers.reduce((sum, buffer) => sum + buffer.records.length, 0);
    const sizeBytes = buffers.reduce((sum, buffer) => sum + buffer.sizeBytes, 0);
    if (records !== handle.records) reader.fail(`${channel} holds ${records} records, _metadata says ${handle.records}`, start);
    if (sizeBytes !== handle.stateSizeBytes) reader.fail(`${channel}'s buffers are ${sizeBytes} bytes, _metadata says ${handle.stateSizeBytes}`, start);
    return buffers;
  };
  const input = described.inputChannelState.map((handle) => {
    const info: InputChannelInfo = { gateIndex: handle.gateIndex, inputChannelIndex: handle.inputChannelIndex };
    return { storageKey: handle.storageKey, info, buffers: read(handle, `input channel ${info.gateIndex}/${info.inputChannelIndex}`) };
  });
  const output = described.resultSubpartitionState.map((handle) => {
    const info: ResultSubpartitionInfo = { partitionIndex: handle.partitionIndex, subpartitionIndex: handle.subpartitionIndex };
    return { storageKey: handle.storageKey, info, buffers: read(handle, `subpartition ${info.partitionIndex}/${info.subpartitionIndex}`) };
  });
  reader.expectEnd('the last buffer');
  const handleOf = <Info>(channel: { storageKey: string; info: Info; buffers: readonly ChannelStateBuffer[] }): ChannelStateHandle<Info> => ({
    info: channel.info,
    storageKey: channel.storageKey,
    records: channel.buffers.reduce((sum, buffer) => sum + buffer.records.length, 0),
    stateSizeBytes: channel.buffers.reduce((sum, buffer) => sum + buffer.sizeBytes, 0),
  });
  return { inputChannelState: input.map(handleOf), resultSubpartitionState: output.map(handleOf), input, output };
}

function readBuffer(reader: ByteReader, what: string, maxJsonDepth: number): ChannelStateBuffer {
  const sizeBytes = reader.varuint(`the size of ${what}`);
  // Each record's JSON text is at least its length byte and one byte of text.
  const count = reader.count(`the record count of ${what}`, 2);
  const records: Json[] = [];
  for (let index = 0; index < count; index++) {
    const at = reader.offset;
    const text = reader.string(`record ${index} of ${what}`, Number.MAX_SAFE_INTEGER);
    records.push(parseUntrustedJson(text, { kind: 'invalid-entry', where: `${reader.entry} @ byte ${at}`, maxDepth: maxJsonDepth, forbiddenKeys: VALUE_FORBIDDEN_KEYS }) as Json);
  }
  return { records, sizeBytes };
}

/**
 * The channel-state blobs of a checkpoint, one per storage key as the job's storage held them: every subtask's
 * input channels, then its subpartitions (a chain's head and tail name the same blob), in `_metadata` order.
 */
export class ChannelStateBlobs {
  readonly #blobs = new Map<string, { input: Array<ChannelBuffers<InputChannelInfo>>; output: Array<ChannelBuffers<ResultSubpartitionInfo>> }>();

  add(decoded: DecodedChannelState): void {
    for (const { storageKey, info, buffers } of decoded.input) this.#blob(storageKey).input.push({ info, buffers });
    for (const { storageKey, info, buffers } of decoded.output) this.#blob(storageKey).output.push({ info, buffers });
  }

  /** Each blob as UTF-8 JSON of CHANNEL_STATE_BLOB_VERSION, by storage key. */
  entries(): Array<[string, ChannelStateBlob]> {
    return [...this.#blobs].map(([storageKey, { input, output }]) => [storageKey, { version: CHANNEL_STATE_BLOB_VERSION, input, output }]);
  }

  #blob(storageKey: string) {
    let blob = this.#blobs.get(storageKey);
    if (!blob) this.#blobs.set(storageKey, (blob = { input: [], output: [] }));
    return blob;
  }
}

