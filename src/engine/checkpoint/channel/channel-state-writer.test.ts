// The channel-state writer (Flink's ChannelStateWriter as SubtaskCheckpointCoordinatorImpl drives it): started
// per checkpoint, input and output collected per channel in order, the write result settling once — when input
// and output are finished and every output future completed — or aborted; a newer start subsumes an older one.
import { describe, expect, it } from 'vitest';
import { ChannelStateWriter, type ChannelStateOutcome } from './channel-state-writer';
import { readChannelState, writeChannelState, type WrittenChannelState } from './channel-state-blob';
import type { CheckpointOptions } from '../../task/messages';
import { failed, ok, type CheckpointStorage, type StorageResult } from '../../ports/checkpoint-storage';

const UNALIGNED: CheckpointOptions = { checkpointType: 'CHECKPOINT', alignment: 'UNALIGNED' };
const buffer = (...records: string[]) => ({ records, sizeBytes: 10 * records.length });
const input = (channel: number) => ({ gateIndex: 0, inputChannelIndex: channel });
const output = (subpartition: number) => ({ partitionIndex: 0, subpartitionIndex: subpartition });

function outcomeOf(writer: ChannelStateWriter, checkpointId: number): () => ChannelStateOutcome | null {
  let outcome: ChannelStateOutcome | null = null;
  writer.getAndRemoveWriteResult(checkpointId).whenDone((settled) => (outcome = settled));
  return () => outcome;
}

describe('ChannelStateWriter', () => {
  it('collects input and output per channel in the order given, and settles once both are finished', () => {
    const writer = new ChannelStateWriter();
    writer.start(3, UNALIGNED);
    expect(writer.isCollectingInput(3)).toBe(true);
    writer.addInputData(3, input(1), [buffer('a1'), buffer('a2')]);
    writer.addOutputData(3, output(0), [buffer('x1')]);
    writer.addInputData(3, input(0), [buffer('b1')]);
    writer.addInputData(3, input(1), [buffer('a3')]);
    const outcome = outcomeOf(writer, 3);
    writer.finishOutput(3);
    expect(outcome()).toBeNull();
    writer.finishInput(3);
    expect(writer.isCollectingInput(3)).toBe(false);
    expect(outcome()).toEqual({
      kind: 'collected',
      state: {
        checkpointId: 3,
        input: [
          { info: input(1), buffers: [buffer('a1'), buffer('a2'), buffer('a3')] },
          { info: input(0), buffers: [buffer('b1')] },
        ],
        output: [{ info: output(0), buffers: [buffer('x1')] }],
      },
    });
    // Taken and settled: the writer holds nothing of it any more.
    expect(writer.isStarted(3)).toBe(false);
  });

  it('waits for every output future (a timeoutable barrier sent in line or converted) before it settles', () => {
    const writer = new ChannelStateWriter();
    writer.start(1, { checkpointType: 'CHECKPOINT', alignment: 'ALIGNED', alignedCheckpointTimeoutMs: 10 });
    const inLine = writer.addOutputDataFuture(1, output(0));
    const converted = writer.addOutputDataFuture(1, output(1));
    writer.finishInput(1);
    writer.finishOutput(1);
    const outcome = outcomeOf(writer, 1);
    inLine.complete([]);
    expect(outcome()).toBeNull();
    converted.complete([buffer('y1')]);
    expect(outcome()).toMatchObject({ kind: 'collected', state: { output: [{ info: output(1), buffers: [buffer('y1')] }] } });
    expect(() => converted.complete([])).toThrow(/completed twice/);
  });

  it('drops an aborted checkpoint, and a newer start subsumes an older unfinished one', () => {
    const writer = new ChannelStateWriter();
    writer.start(1, UNALIGNED);
    writer.addInputData(1, input(0), [buffer('a')]);
    const first = outcomeOf(writer, 1);
    writer.start(2, UNALIGNED);
    expect(first()).toEqual({ kind: 'aborted', reason: 'Checkpoint 1 was subsumed by 2' });
    expect(() => writer.addInputData(1, input(0), [buffer('b')])).toThrow(/was not started/);
    expect(() => writer.start(1, UNALIGNED)).toThrow(/after the newer 2/);
    writer.abort(2, 'declined');
    expect(writer.isStarted(2)).toBe(false);
    writer.abort(7, 'unknown ids are fine');
  });

  it('refuses input after its input is finished, and a second start or write result', () => {
    const writer = new ChannelStateWriter();
    writer.start(4, UNALIGNED);
    expect(() => writer.start(4, UNALIGNED)).toThrow(/already started/);
    writer.finishInput(4);
    expect(() => writer.addInputData(4, input(0), [buffer('late')])).toThrow(/already finished/);
    writer.getAndRemoveWriteResult(4);
    expect(() => writer.getAndRemoveWriteResult(4)).toThrow(/already taken/);
  });
});

/** A storage port holding blobs in a map, answering at once. */
function mapStorage(): CheckpointStorage & { blobs: Map<string, Uint8Array> } {
  const blobs = new Map<string, Uint8Array>();
  return {
    blobs,
    writeState: (request, done) => {
      const key = `${request.jobId}/${request.checkpointId}/${request.taskId}/${request.operatorUid}`;
      blobs.set(key, request.bytes);
      done(ok(key));
    },
    readState: (key, done) => {
      const bytes = blobs.get(key);
      done(bytes ? ok(bytes) : failed(`no blob ${key}`));
    },
  } as CheckpointStorage & { blobs: Map<string, Uint8Array> };
}

describe('the channel-state blob', () => {
  it('writes one blob per subtask and reads each handle back as its channel, in order', () => {
    const storage = mapStorage();
    let handles: StorageResult<WrittenChannelState> | null = null;
    writeChannelState(
      { storage, jobId: 'job', taskId: 'sum#0', operatorUid: 'sum' },
      { checkpointId: 5, input: [{ info: input(1), buffers: [buffer('a1', 'a2'), buffer('a3')] }, { info: input(0), buffers: [] }], output: [{ info: output(2), buffers: [buffer('z')] }] },
      (written) => (handles = written),
    );
    expect(storage.blobs.size).toBe(1);
    expect(handles).toMatchObject({ ok: true, value: { input: [{ info: input(1), records: 3, stateSizeBytes: 30 }], output: [{ info: output(2), records: 1 }], persistedDataBytes: 40 } });
    const result = handles as unknown as StorageResult<WrittenChannelState> | null;
    if (!result?.ok) throw new Error('the channel state was not written');
    const written = result.value;
    let restored: unknown = null;
    readChannelState(storage, written.input, written.output, (result) => (restored = result));
    expect(restored).toEqual(ok({ input: [{ info: input(1), buffers: [buffer('a1', 'a2'), buffer('a3')] }], output: [{ info: output(2), buffers: [buffer('z')] }] }));
  });

  it('writes no blob when nothing was in flight', () => {
    const storage = mapStorage();
    let handles: unknown = null;
    writeChannelState({ storage, jobId: 'job', taskId: 'sum#0', operatorUid: 'sum' }, { checkpointId: 5, input: [{ info: input(0), buffers: [] }], output: [] }, (written) => (handles = written));
    expect(storage.blobs.size).toBe(0);
    expect(handles).toEqual(ok({ input: [], output: [], persistedDataBytes: 0 }));
  });
});
