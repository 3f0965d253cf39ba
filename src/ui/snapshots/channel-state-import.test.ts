// The page's import of a snapshot file with channel state (an unaligned checkpoint, format version 2): every
// channel-state blob goes into checkpoint storage under a key of its own beside the keyed state, the handles are
// renamed to it, and the task's restore reads each channel's buffers back from there.
import { describe, expect, it } from 'vitest';
import { readChannelState } from '../../engine/checkpoint/channel/channel-state-blob';
import { requiredBlobs } from '../../engine/format';
import { decodeSnapshotFile } from '../../engine/format/decode-snapshot-file';
import { encodeSnapshotFile } from '../../engine/format/encode-snapshot-file';
import { EXAMPLE_UNALIGNED_SNAPSHOT } from '../../engine/format/snapshot-format-example.fixture';
import type { Clock } from '../../engine/ports/clock';
import { MemoryCheckpointStorage } from '../../storage/memory-checkpoint-storage';
import { importSnapshot } from '../../storage/snapshot-import';

const immediateClock: Clock = { now: () => 0, setTimeout: (callback) => callback(), clearTimeout: () => {} };

describe('importing a snapshot file with channel state', () => {
  it('stores every channel-state blob and renames the handles to it, so restore reads the buffers back', async () => {
    const decoded = decodeSnapshotFile(encodeSnapshotFile(EXAMPLE_UNALIGNED_SNAPSHOT));
    if (!decoded.ok) throw new Error(decoded.error.message);
    const storage = new MemoryCheckpointStorage(immediateClock);
    const metadata = await importSnapshot(storage, decoded.value, 'imported-test');
    const keys = requiredBlobs(metadata);
    expect(keys).toHaveLength(3);
    for (const key of keys) expect(storage.readBlobNow(key), key).toBeDefined();
    const [numbers, sum] = metadata.operators;
    const input = sum!.subtaskStates[0]!.inputChannelState!;
    const output = numbers!.subtaskStates[0]!.resultSubpartitionState!;
    expect(input[0]!.storageKey).not.toBe(EXAMPLE_UNALIGNED_SNAPSHOT.metadata.operators[1]!.subtaskStates[0]!.inputChannelState![0]!.storageKey);
    const restored = await new Promise((resolve) => readChannelState(storage, input, output, resolve));
    expect(restored).toEqual({
      ok: true,
      value: {
        input: [
          {
            info: { gateIndex: 0, inputChannelIndex: 0 },
            buffers: [
              { records: [{ key: 'key-2', value: 1 }, { key: 'key-0', value: 3 }], sizeBytes: 66 },
              { records: [{ key: 'key-1', value: 2 }], sizeBytes: 33 },
            ],
          },
        ],
        output: [{ info: { partitionIndex: 0, subpartitionIndex: 0 }, buffers: [{ records: [{ key: 'key-3', value: 4 }], sizeBytes: 33 }] }],
      },
    });
  });
});
