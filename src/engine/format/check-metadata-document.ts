// The facts of `_metadata` a schema cannot state: every operator id is its uid's hash, one subtask state per
// subtask with exactly its key-group range, offsets that fit, unique uids and entries, savepoints self-contained,
// channel state only in checkpoints of format version 2, each channel once per channel-state blob.
import { computeKeyGroupRangeForOperatorIndex } from '../state/key-groups';
import { checkEntryName, METADATA_ENTRY } from './entry-name';
import { operatorIdOfUid } from './operator-id';
import { fail, quote } from './snapshot-file-error';
import {
  CHANNEL_STATE_FORMAT_VERSION,
  type ChannelStateDocument,
  type EntryReference,
  type KeyedStateHandleDocument,
  type OperatorStateDocument,
  type SnapshotMetadataDocument,
} from './snapshot-metadata-schema';

class Checker {
  readonly #entries = new Set<string>();
  /** Per channel-state storage key, the channels its handles name (`input 0/1`, `output 0/2`). */
  readonly #channels = new Map<string, Set<string>>();

  constructor(readonly metadataDocument: SnapshotMetadataDocument) {}

  fail(path: string, detail: string): never {
    return fail('invalid-metadata', `${METADATA_ENTRY}: ${path}`, detail);
  }

  entry(reference: EntryReference, path: string): void {
    checkEntryName(reference.name, `${METADATA_ENTRY}: ${path}.name`);
    if (reference.name === METADATA_ENTRY || this.#entries.has(reference.name)) this.fail(`${path}.name`, `entry ${quote(reference.name)} is referenced twice`);
    this.#entries.add(reference.name);
  }

  /** A channel-state blob holds each channel once (restore finds a channel's buffers by its info). */
  channel(storageKey: string, channel: string, path: string): void {
    let channels = this.#channels.get(storageKey);
    if (!channels) this.#channels.set(storageKey, (channels = new Set()));
    if (channels.has(channel)) this.fail(path, `names ${channel} of channel-state blob ${quote(storageKey)} a second time`);
    channels.add(channel);
  }
}

export function checkMetadataDocument(metadataDocument: SnapshotMetadataDocument): void {
  const checker = new Checker(metadataDocument);
  if (metadataDocument.completionTimestamp < metadataDocument.triggerTimestamp) checker.fail('completionTimestamp', 'is before triggerTimestamp');
  const isSavepoint = metadataDocument.checkpointType === 'SAVEPOINT';
  if ((metadataDocument.properties.savepointFormat !== null) !== isSavepoint) {
    checker.fail('properties.savepointFormat', isSavepoint ? 'a savepoint needs its format (CANONICAL)' : 'is set, but this is a checkpoint');
  }
  const uids = new Set<string>();
  metadataDocument.operators.forEach((operator, index) => {
    const path = `operators[${index}]`;
    if (uids.has(operator.operatorUid)) checker.fail(`${path}.operatorUid`, `${quote(operator.operatorUid)} appears twice`);
    uids.add(operator.operatorUid);
    checkOperator(checker, operator, path, isSavepoint);
  });
}

function checkOperator(checker: Checker, operator: OperatorStateDocument, path: string, isSavepoint: boolean): void {
  const expectedId = operatorIdOfUid(operator.operatorUid);
  if (operator.operatorId !== expectedId) checker.fail(`${path}.operatorId`, `is not the hash of uid ${quote(operator.operatorUid)} (expected ${expectedId})`);
  if (operator.maxParallelism < operator.parallelism) checker.fail(`${path}.maxParallelism`, `${operator.maxParallelism} is below the parallelism ${operator.parallelism}`);
  if (operator.subtaskStates.length !== operator.parallelism) {
    checker.fail(`${path}.subtaskStates`, `has ${operator.subtaskStates.length} entries for parallelism ${operator.parallelism}`);
  }
  operator.subtaskStates.forEach((state, subtaskIndex) => {
    const at = `${path}.subtaskStates[${subtaskIndex}]`;
    if (state.subtaskIndex !== subtaskIndex) checker.fail(`${at}.subtaskIndex`, `is ${state.subtaskIndex}, expected ${subtaskIndex}`);
    const operatorState = state.managedOperatorState;
    if (operatorState) {
      checker.entry(operatorState.entry, `${at}.managedOperatorState.entry`);
      checkOperatorStateOffsets(checker, operatorState.states, operatorState.entry.sizeBytes, `${at}.managedOperatorState`);
    }
    if (state.managedKeyedState) {
      const range = computeKeyGroupRangeForOperatorIndex(operator.maxParallelism, operator.parallelism, subtaskIndex);
      checkKeyedHandle(checker, state.managedKeyedState, { start: range.startKeyGroup, end: range.endKeyGroup }, `${at}.managedKeyedState`, isSavepoint);
    }
    if (state.channelState) checkChannelState(checker, state.channelState, `${at}.channelState`, isSavepoint);
  });
}

/** Flink's InputChannelStateHandle / ResultSubpartitionStateHandle of one subtask: buffers in one entry, in handle order. */
function checkChannelState(checker: Checker, channelState: ChannelStateDocument, path: string, isSavepoint: boolean): void {
  const { formatVersion } = checker.metadataDocument;
  if (formatVersion < CHANNEL_STATE_FORMAT_VERSION) checker.fail(path, `channel state needs format version ${CHANNEL_STATE_FORMAT_VERSION}, but formatVersion is ${formatVersion}`);
  if (isSavepoint) checker.fail(path, 'a savepoint is always aligned: it holds no channel state (in-flight data)');
  const { inputChannelState, resultSubpartitionState, entry } = channelState;
  if (inputChannelState.length === 0 && resultSubpartitionState.length === 0) checker.fail(path, 'names no channel (leave channelState out)');
  checker.entry(entry, `${path}.entry`);
  let previous = -1;
  const handles = [
    ...inputChannelState.map((handle, index) => ({ handle, at: `${path}.inputChannelState[${index}]`, channel: `input channel ${handle.gateIndex}/${handle.inputChannelIndex}` })),
    ...resultSubpartitionState.map((handle, index) => ({ handle, at: `${path}.resultSubpartitionState[${index}]`, channel: `subpartition ${handle.partitionIndex}/${handle.subpartitionIndex}` })),
  ];
  for (const { handle, at, channel } of handles) {
    checker.channel(handle.storageKey, channel, at);
    if (handle.offsets.length === 0) checker.fail(`${at}.offsets`, 'is empty: a channel in channel state holds at least one buffer');
    handle.offsets.forEach((offset, index) => {
      if (offset <= previous || offset >= entry.sizeBytes) checker.fail(`${at}.offsets[${index}]`, `${offset} is not ascending within the entry's ${entry.sizeBytes} bytes`);
      previous = offset;
    });
  }
}

function checkOperatorStateOffsets(checker: Checker, states: readonly { name: string; offsets: readonly number[] }[], sizeBytes: number, path: string): void {
  const names = new Set<string>();
  let previous = -1;
  states.forEach((state, index) => {
    if (names.has(state.name) || state.name === '__proto__') checker.fail(`${path}.states[${index}].name`, `${quote(state.name)} is not allowed or appears twice`);
    names.add(state.name);
    state.offsets.forEach((offset, element) => {
      if (offset <= previous || offset >= sizeBytes) checker.fail(`${path}.states[${index}].offsets[${element}]`, `${offset} is not ascending within the entry's ${sizeBytes} bytes`);
      previous = offset;
    });
  });
}

function checkKeyedHandle(checker: Checker, handle: KeyedStateHandleDocument, range: { start: number; end: number }, path: string, isSavepoint: boolean): void {
  if (handle.keyGroupRange.start !== range.start || handle.keyGroupRange.end !== range.end) {
    checker.fail(`${path}.keyGroupRange`, `is ${handle.keyGroupRange.start}-${handle.keyGroupRange.end}, but this subtask owns key groups ${range.start}-${range.end}`);
  }
  if (handle.type === 'KEY_GROUPS_HANDLE') {
    checker.entry(handle.entry, `${path}.entry`);
    const size = range.end - range.start + 1;
    if (handle.keyGroupOffsets.length !== size) checker.fail(`${path}.keyGroupOffsets`, `has ${handle.keyGroupOffsets.length} offsets for ${size} key groups`);
    let previous = -1;
    handle.keyGroupOffsets.forEach((offset, index) => {
      if (offset === null) return;
      if (offset <= previous || offset >= handle.entry.sizeBytes) checker.fail(`${path}.keyGroupOffsets[${index}]`, `${offset} is not ascending within the entry's ${handle.entry.sizeBytes} bytes`);
      previous = offset;
    });
    return;
  }
  if (isSavepoint) checker.fail(`${path}.type`, 'a savepoint is canonical and self-contained: its keyed state is never incremental');
  if (handle.checkpointId > checker.metadataDocument.checkpointId) checker.fail(`${path}.checkpointId`, `${handle.checkpointId} is after the checkpoint itself`);
  checker.entry(handle.metaState, `${path}.metaState`);
  const keyGroups = new Set<number>();
  handle.sharedState.forEach((piece, index) => {
    const at = `${path}.sharedState[${index}]`;
    if (piece.keyGroup < range.start || piece.keyGroup > range.end || keyGroups.has(piece.keyGroup)) checker.fail(`${at}.keyGroup`, `${piece.keyGroup} is outside ${range.start}-${range.end} or appears twice`);
    keyGroups.add(piece.keyGroup);
    if (piece.checkpointId > handle.checkpointId) checker.fail(`${at}.checkpointId`, `${piece.checkpointId} is after the handle's checkpoint ${handle.checkpointId}`);
    checker.entry(piece.entry, `${at}.entry`);
  });
}

/** Every entry `_metadata` references, in document order. */
export function referencedEntries(metadataDocument: SnapshotMetadataDocument): EntryReference[] {
  const references: EntryReference[] = [];
  for (const operator of metadataDocument.operators) {
    for (const state of operator.subtaskStates) {
      if (state.managedOperatorState) references.push(state.managedOperatorState.entry);
      const keyed = state.managedKeyedState;
      if (keyed?.type === 'KEY_GROUPS_HANDLE') references.push(keyed.entry);
      if (keyed?.type === 'INCREMENTAL_KEY_GROUPS_HANDLE') references.push(keyed.metaState, ...keyed.sharedState.map((piece) => piece.entry));
      if (state.channelState) references.push(state.channelState.entry);
    }
  }
  return references;
}
