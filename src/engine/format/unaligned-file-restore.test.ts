// A retained unaligned checkpoint exported as a file restores with its in-flight data (Flink restores from a
// retained checkpoint with channel state; savepoints are always aligned): a backpressured run on the deterministic
// runtime, its latest completed checkpoint with channel state written to a `.bscp` file and read back, a new job
// started from the file puts every channel's records back before new input (channel-state-restored), and the two
// runs' committed output is exactly-once.
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../events';
import { findScenario } from '../../scenarios';
import { runScenario } from '../../runtime/sim/run-scenario';
import { prepareRestore } from '../../runtime/sim/snapshot-restore';
import { decodeSnapshotFile } from './decode-snapshot-file';
import { encodeSnapshotFile } from './encode-snapshot-file';
import { inspectSnapshot } from './inspect-snapshot';
import type { SnapshotFile } from './snapshot-file';
import { requiredBlobs } from './snapshot-storage-keys';
import { holdsChannelState, UNALIGNED_RUN } from './unaligned-checkpoints.fixture';

const runningSum = findScenario('running-sum');
const first = runScenario({ ...UNALIGNED_RUN, untilMs: 1_300 });
const latest = first.simulation.jobMaster.latestCompletedCheckpoint()!;

function exported(): SnapshotFile {
  const blobs = new Map(requiredBlobs(latest).map((key) => [key, first.simulation.memoryStorage.readBlobNow(key)!] as const));
  const decoded = decodeSnapshotFile(encodeSnapshotFile({ metadata: latest, blobs, job: first.snapshotJob }));
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value;
}

const file = exported();
/** The restored job: the same, without the slow task, until it drained. */
const run = { ...UNALIGNED_RUN, faults: [], untilMs: undefined, recordEvents: true } as const;

function restored(parallelism = run.parallelism) {
  const prepared = prepareRestore(file, { ...run, parallelism, keys: run.keys!, recordsPerSecond: run.recordsPerSecond! }, 'checkpoint.bscp');
  if (!prepared.ok) throw new Error(prepared.message);
  return { jobGraph: prepared.job.jobGraph, run: () => runScenario({ ...run, parallelism, maxParallelism: prepared.maxParallelism, restore: prepared.restore }) };
}

type Restored = Extract<EngineEvent, { type: 'channel-state-restored' }>;

/**
 * What the first run committed, as an external system that remembers commits sees it: its output, and the
 * transactions the checkpoint holds pre-committed whose commit had not landed when the run stopped (the restored
 * job commits them again; runScenario takes that for the no-op it is when the first run committed them).
 */
function committedByFirst(): unknown[] {
  const external = first.simulation.external.output('sums');
  const pending = file.metadata.operators
    .find((operator) => operator.operatorUid === 'sink')!
    .subtaskStates.flatMap((state) => (state.operator?.states['pending-commit-transactions']?.entries ?? []) as Array<{ transactionId: string; records: unknown[] }>);
  return [...first.output, ...pending.filter((transaction) => !external.isCommitted(transaction.transactionId)).flatMap((transaction) => transaction.records)];
}

describe('restoring from a file of an unaligned checkpoint', () => {
  it('exports a retained checkpoint with input and output channel state', () => {
    expect(first.problems.filter((problem) => !problem.startsWith('not drained'))).toEqual([]);
    expect(holdsChannelState(latest)).toBe(true);
    expect(file.formatVersion).toBe(2);
    expect(file.metadata).toEqual(latest);
    const states = latest.operators.flatMap((operator) => operator.subtaskStates);
    expect(states.some((state) => state.inputChannelState?.length) && states.some((state) => state.resultSubpartitionState?.length)).toBe(true);
  });

  it('puts every channel of the file back before new input (channel-state-restored) and continues exactly-once', () => {
    const { jobGraph, run: restore } = restored();
    const result = restore();
    // (runScenario's own verdict counts every record the sources had read as committed before the restore, the
    // in-flight ones too, so it is not asked here: the two runs' output is checked together below.)
    expect(result.drained).toBe(true);
    expect(result.numRestarts).toBe(0);
    const events = result.events.filter((event): event is Restored => event.type === 'channel-state-restored');
    expect(new Set(events.map((event) => event.checkpointId))).toEqual(new Set([file.metadata.checkpointId]));
    // Per task and side: one event per channel the file holds, with the records its handle holds.
    const vertexOf = (uid: string) => jobGraph.vertices.find((vertex) => vertex.operators.some((node) => node.uid === uid))!.id;
    const expected = new Map<string, number[]>();
    const add = (key: string, records: number) => expected.set(key, [...(expected.get(key) ?? []), records].sort((a, b) => a - b));
    for (const operator of file.metadata.operators) {
      operator.subtaskStates.forEach((state, subtask) => {
        const task = `${vertexOf(operator.operatorUid)}#${subtask}`;
        for (const handle of state.inputChannelState ?? []) add(`${task} input`, handle.records);
        for (const handle of state.resultSubpartitionState ?? []) add(`${task} output`, handle.records);
      });
    }
    const actual = new Map<string, number[]>();
    for (const event of events) actual.set(`${event.taskId} ${event.side}`, [...(actual.get(`${event.taskId} ${event.side}`) ?? []), event.records].sort((a, b) => a - b));
    expect(actual).toEqual(expected);
    // Put back as the tasks start, before the restored job completes its first checkpoint.
    const firstCompleted = result.events.find((event) => event.type === 'checkpoint-completed')!;
    expect(events.every((event) => event.time < firstCompleted.time)).toBe(true);
    expect(result.output.length).toBeGreaterThan(first.output.length);
    expect(runningSum.checkExactlyOnce([...committedByFirst(), ...result.output], first.parameters)).toEqual([]);
  });

  it('shows the channel state in the inspection of the file', () => {
    const inspection = inspectSnapshot(file);
    const channels = inspection.operators.flatMap((operator) => operator.subtasks.flatMap((subtask) => subtask.channelState?.channels ?? []));
    const handles = file.metadata.operators.flatMap((operator) => operator.subtaskStates.flatMap((state) => [...(state.inputChannelState ?? []), ...(state.resultSubpartitionState ?? [])]));
    expect(channels.map((channel) => [channel.records, channel.sizeBytes])).toEqual(handles.map((handle) => [handle.records, handle.stateSizeBytes]));
  });

  it('refuses to rescale the in-flight data before anything runs', () => {
    expect(restored(3).run).toThrow(`rescaling channel state to parallelism 3 is not modelled`);
  });
});
