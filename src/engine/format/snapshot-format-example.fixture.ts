// The worked example of docs/snapshot-format.md: checkpoint 3 of a running sum at parallelism 1 with max
// parallelism 4 — source offsets, three keys in three key groups, one pending transaction. Small by design.
// EXAMPLE_UNALIGNED_SNAPSHOT: the same checkpoint taken unaligned, with channel state (format version 2).
import type { CheckpointMetadata } from '../checkpoint/checkpoint-metadata';
import type { KeyedStateSnapshot } from '../state/keyed-state-snapshot';
import type { SnapshotFileInput } from './encode-snapshot-file';

const keyedState: KeyedStateSnapshot = {
  backend: 'hashmap',
  maxParallelism: 4,
  keyGroupRange: { start: 0, end: 3 },
  stateMetaInfo: { sum: { kind: 'VALUE' } },
  keyGroups: [
    { keyGroup: 0, states: { sum: [['key-3', 6]] } },
    { keyGroup: 2, states: { sum: [['key-1', 1]] } },
    { keyGroup: 3, states: { sum: [['key-0', 3]] } },
  ],
};

const keyedStateBytes = new TextEncoder().encode(JSON.stringify(keyedState));
export const EXAMPLE_STORAGE_KEY = 'running-sum/chk-3/sum#0/sum/7';

const metadata: CheckpointMetadata = {
  version: 1,
  jobId: 'running-sum',
  checkpointId: 3,
  isSavepoint: false,
  triggerTimestamp: 600,
  completionTimestamp: 611,
  operators: [
    {
      operatorUid: 'numbers',
      parallelism: 1,
      maxParallelism: 4,
      subtaskStates: [
        {
          operatorUid: 'numbers',
          keyed: null,
          operator: {
            states: {
              'partition-offsets': {
                mode: 'SPLIT_DISTRIBUTE',
                entries: [
                  { partition: 0, offset: 2 },
                  { partition: 1, offset: 1 },
                  { partition: 2, offset: 0 },
                  { partition: 3, offset: 3 },
                ],
              },
            },
          },
        },
      ],
    },
    {
      operatorUid: 'sum',
      parallelism: 1,
      maxParallelism: 4,
      subtaskStates: [
        { operatorUid: 'sum', keyed: { storageKey: EXAMPLE_STORAGE_KEY, keyGroupRange: { start: 0, end: 3 }, stateSizeBytes: keyedStateBytes.length }, operator: { states: {} } },
      ],
    },
    {
      operatorUid: 'sink',
      parallelism: 1,
      maxParallelism: 4,
      subtaskStates: [
        {
          operatorUid: 'sink',
          keyed: null,
          operator: {
            states: {
              'pending-commit-transactions': {
                mode: 'SPLIT_DISTRIBUTE',
                entries: [{ transactionId: 'sink#0@3', checkpointId: 3, records: [{ key: 'key-3', value: 6 }] }],
              },
            },
          },
        },
      ],
    },
  ],
};

export const EXAMPLE_SNAPSHOT: SnapshotFileInput = {
  metadata,
  blobs: new Map([[EXAMPLE_STORAGE_KEY, keyedStateBytes]]),
  job: {
    jobName: 'running-sum',
    configuration: {
      'parallelism.default': '1',
      'pipeline.max-parallelism': '4',
      'execution.checkpointing.interval': '200 ms',
      'execution.checkpointing.mode': 'EXACTLY_ONCE',
      'state.backend.type': 'hashmap',
    },
    operatorNames: new Map([
      ['numbers', 'Source: numbers'],
      ['sum', 'Running sum'],
      ['sink', 'Sink: sums'],
    ]),
  },
};

/** A channel-state blob as the job's storage holds it (channel-state-blob.ts). */
function channelStateBlob(input: unknown[], output: unknown[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ version: 1, input, output }));
}

const SUM_CHANNEL_STATE = 'running-sum/chk-3/sum#0/sum/8';
const NUMBERS_CHANNEL_STATE = 'running-sum/chk-3/numbers#0/numbers/6';
const sumInput = {
  info: { gateIndex: 0, inputChannelIndex: 0 },
  buffers: [
    { records: [{ key: 'key-2', value: 1 }, { key: 'key-0', value: 3 }], sizeBytes: 66 },
    { records: [{ key: 'key-1', value: 2 }], sizeBytes: 33 },
  ],
};
const numbersOutput = { info: { partitionIndex: 0, subpartitionIndex: 0 }, buffers: [{ records: [{ key: 'key-3', value: 4 }], sizeBytes: 33 }] };

/**
 * The same checkpoint taken unaligned (format version 2): the barrier overtook three records queued in the sum's
 * input channel (two buffers) and one in the source's output subpartition, persisted as channel state.
 */
export const EXAMPLE_UNALIGNED_SNAPSHOT: SnapshotFileInput = {
  metadata: {
    ...metadata,
    operators: metadata.operators.map((operator) => {
      const [state] = operator.subtaskStates;
      if (operator.operatorUid === 'sum') {
        return { ...operator, subtaskStates: [{ ...state!, inputChannelState: [{ info: sumInput.info, storageKey: SUM_CHANNEL_STATE, records: 3, stateSizeBytes: 99 }] }] };
      }
      if (operator.operatorUid === 'numbers') {
        return { ...operator, subtaskStates: [{ ...state!, resultSubpartitionState: [{ info: numbersOutput.info, storageKey: NUMBERS_CHANNEL_STATE, records: 1, stateSizeBytes: 33 }] }] };
      }
      return operator;
    }),
  },
  blobs: new Map([
    [EXAMPLE_STORAGE_KEY, keyedStateBytes],
    [SUM_CHANNEL_STATE, channelStateBlob([sumInput], [])],
    [NUMBERS_CHANNEL_STATE, channelStateBlob([], [numbersOutput])],
  ]),
  job: {
    ...EXAMPLE_SNAPSHOT.job,
    configuration: { ...EXAMPLE_SNAPSHOT.job.configuration, 'execution.checkpointing.unaligned.enabled': 'true' },
  },
};
