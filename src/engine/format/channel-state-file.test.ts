// Snapshot files of unaligned checkpoints (format version 2): a real checkpoint's channel state — the in-flight
// buffers of its input channels and output subpartitions — round-trips identically (handles, blobs byte for byte),
// one `channel-state` entry per subtask state that holds any, and files without channel state stay version 1.
import { describe, expect, it } from 'vitest';
import type { ChannelBuffers } from '../checkpoint/channel/channel-state-writer';
import { channelStateStorageKeys } from '../checkpoint/task-state';
import { decodeSnapshotFile } from './decode-snapshot-file';
import { encodeSnapshotFile, type SnapshotFileInput } from './encode-snapshot-file';
import type { SnapshotFile } from './snapshot-file';
import { holdsChannelState, unalignedCheckpoints } from './unaligned-checkpoints.fixture';
import { realCheckpoints } from '../../runtime/sim/real-checkpoints.fixture';
import { stateObjectsOfCheckpoint } from '../checkpoint/shared-state-registry';
import { requiredBlobs } from './snapshot-storage-keys';

function decodeOk(bytes: Uint8Array): SnapshotFile {
  const decoded = decodeSnapshotFile(bytes);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value;
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

/**
 * A channel-state blob as the file keeps it: each buffer's records and size. (A buffer the task captured as it
 * read it carries the channel element's `kind` too; restore reads only records and size.)
 */
function canonicalChannelBlob(bytes: Uint8Array): string {
  const blob = JSON.parse(text(bytes)) as { version: number; input: ChannelBuffers<unknown>[]; output: ChannelBuffers<unknown>[] };
  const channels = (list: ChannelBuffers<unknown>[]) => list.map(({ info, buffers }) => ({ info, buffers: buffers.map(({ records, sizeBytes }) => ({ records, sizeBytes })) }));
  return JSON.stringify({ version: blob.version, input: channels(blob.input), output: channels(blob.output) });
}

function expectIdentical(input: SnapshotFileInput, file: SnapshotFile): void {
  expect(file.metadata).toEqual(input.metadata);
  expect([...file.blobs.keys()].sort()).toEqual([...input.blobs.keys()].sort());
  const channelBlobs = new Set(input.metadata.operators.flatMap((operator) => operator.subtaskStates.flatMap(channelStateStorageKeys)));
  for (const [key, bytes] of input.blobs) {
    if (channelBlobs.has(key)) expect(text(file.blobs.get(key)), key).toBe(canonicalChannelBlob(bytes));
    else expect(text(file.blobs.get(key)), key).toBe(text(bytes));
  }
}

const { snapshots, result } = unalignedCheckpoints();
const withChannelState = snapshots.filter((input) => holdsChannelState(input.metadata));

describe('a snapshot file of an unaligned checkpoint', () => {
  it('gives back every checkpoint of a backpressured run identically, channel state and its blobs included', () => {
    expect(withChannelState.length).toBeGreaterThan(3);
    for (const input of snapshots) expectIdentical(input, decodeOk(encodeSnapshotFile(input)));
  });

  it('is format version 2 with one channel-state entry per subtask state holding channel state', () => {
    for (const input of withChannelState) {
      const file = decodeOk(encodeSnapshotFile(input));
      expect(file.formatVersion).toBe(2);
      const holders = input.metadata.operators.flatMap((operator) =>
        operator.subtaskStates.flatMap((state, subtask) => ((state.inputChannelState?.length ?? 0) + (state.resultSubpartitionState?.length ?? 0) > 0 ? [`${operator.operatorUid}#${subtask}`] : [])),
      );
      const documented = file.document.operators.flatMap((operator) => operator.subtaskStates.flatMap((state) => (state.channelState ? [`${operator.operatorUid}#${state.subtaskIndex}`] : [])));
      expect(documented).toEqual(holders);
      expect(file.entries.filter((entry) => entry.name.endsWith('/channel-state'))).toHaveLength(holders.length);
    }
  });

  it("keeps each handle's channel, record count, size and buffer offsets in _metadata", () => {
    const input = withChannelState.at(-1)!;
    const file = decodeOk(encodeSnapshotFile(input));
    for (const operator of file.document.operators) {
      operator.subtaskStates.forEach((state, subtask) => {
        const original = input.metadata.operators.find((o) => o.operatorUid === operator.operatorUid)!.subtaskStates[subtask]!;
        expect(state.channelState?.inputChannelState.map(({ gateIndex, inputChannelIndex, records, stateSizeBytes }) => ({ gateIndex, inputChannelIndex, records, stateSizeBytes })) ?? []).toEqual(
          (original.inputChannelState ?? []).map((handle) => ({ ...handle.info, records: handle.records, stateSizeBytes: handle.stateSizeBytes })),
        );
        expect(state.channelState?.resultSubpartitionState.map(({ partitionIndex, subpartitionIndex, records }) => ({ partitionIndex, subpartitionIndex, records })) ?? []).toEqual(
          (original.resultSubpartitionState ?? []).map((handle) => ({ ...handle.info, records: handle.records })),
        );
        const offsets = [...(state.channelState?.inputChannelState ?? []), ...(state.channelState?.resultSubpartitionState ?? [])].flatMap((handle) => handle.offsets);
        if (offsets.length > 0) expect(offsets[0]).toBe(0);
        expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
      });
    }
  });

  it('stays format version 1, byte for byte as before, without channel state (aligned, or unaligned with nothing in flight)', () => {
    const aligned = realCheckpoints({ untilMs: 600 }).snapshots.at(-1)!;
    const file = decodeOk(encodeSnapshotFile(aligned));
    expect(file.formatVersion).toBe(1);
    expect(file.document.operators.every((operator) => operator.subtaskStates.every((state) => !('channelState' in state)))).toBe(true);
    for (const input of snapshots.filter((snapshot) => !holdsChannelState(snapshot.metadata))) expect(decodeOk(encodeSnapshotFile(input)).formatVersion).toBe(1);
  });

  it('refuses to write channel state its blob does not hold as the handle says', () => {
    const input = withChannelState.at(-1)!;
    const [operator] = input.metadata.operators.filter((o) => o.subtaskStates.some((state) => state.resultSubpartitionState?.length));
    const subtask = operator!.subtaskStates.findIndex((state) => state.resultSubpartitionState?.length);
    const state = operator!.subtaskStates[subtask]!;
    const [handle] = state.resultSubpartitionState!;
    const tampered = { ...state, resultSubpartitionState: [{ ...handle!, records: handle!.records + 1 }] };
    const metadata = {
      ...input.metadata,
      operators: input.metadata.operators.map((o) => (o === operator ? { ...o, subtaskStates: o.subtaskStates.map((s, i) => (i === subtask ? tampered : s)) } : o)),
    };
    expect(() => encodeSnapshotFile({ ...input, metadata })).toThrow(`its handle says ${handle!.records + 1} records`);
    const missing = { ...state, resultSubpartitionState: [{ ...handle!, info: { partitionIndex: 0, subpartitionIndex: 7 } }] };
    const elsewhere = { ...input.metadata, operators: input.metadata.operators.map((o) => (o === operator ? { ...o, subtaskStates: o.subtaskStates.map((s, i) => (i === subtask ? missing : s)) } : o)) };
    expect(() => encodeSnapshotFile({ ...input, metadata: elsewhere })).toThrow('holds no subpartition 0/7');
  });

  it("keeps a retained checkpoint's channel-state blobs in storage and deletes a subsumed one's, so an export finds every blob", () => {
    const { simulation } = result;
    simulation.jobMaster.cancel();
    simulation.runUntil(simulation.now + 2_000);
    const retained = simulation.jobMaster.store.retained();
    expect(retained.some(holdsChannelState)).toBe(true);
    const referenced = new Set(retained.flatMap((metadata) => stateObjectsOfCheckpoint(metadata).map((reference) => reference.storageKey)));
    const stored = new Set(simulation.memoryStorage.inventory().blobs);
    expect([...stored].filter((key) => !referenced.has(key)), 'orphaned blobs').toEqual([]);
    for (const metadata of retained) expect(requiredBlobs(metadata).filter((key) => !stored.has(key)), `checkpoint ${metadata.checkpointId}`).toEqual([]);
    const subsumed = withChannelState.filter((input) => !retained.some((metadata) => metadata.checkpointId === input.metadata.checkpointId));
    expect(subsumed.length).toBeGreaterThan(0);
    for (const input of subsumed) expect(requiredBlobs(input.metadata).filter((key) => stored.has(key)), `subsumed checkpoint ${input.metadata.checkpointId}`).toEqual([]);
  });
});
