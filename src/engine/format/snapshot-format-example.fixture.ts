// The worked example of docs/snapshot-format.md: checkpoint 3 of a running sum at parallelism 1 with max
// parallelism 4 — source offsets, three keys in three key groups, one pending transaction. Small by design.
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
