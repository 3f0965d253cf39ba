// Bad snapshot files, one of each kind: each is refused with one line naming what is wrong and where
// (the entry, the field path, the byte offset), decode never throws, and the input is never changed.
import { describe, expect, it } from 'vitest';
import { decodeSnapshotFile } from './decode-snapshot-file';
import { encodeSnapshotFile } from './encode-snapshot-file';
import { SNAPSHOT_FILE_LIMITS } from './snapshot-file-limits';
import type { SnapshotFileError } from './snapshot-file-error';
import { EXAMPLE_SNAPSHOT, EXAMPLE_UNALIGNED_SNAPSHOT } from './snapshot-format-example.fixture';
import { metadataOf, operate, patchUint32 } from './snapshot-file-surgery.fixture';
import { readZipDirectory } from './zip-reader';
import { writeZip } from './zip-writer';

const good = encodeSnapshotFile(EXAMPLE_SNAPSHOT);
const SUM = '239c254b5ff89532b198266322bc819f';
const KEYED_ENTRY = `${SUM}/0/keyed-state`;

function refused(bytes: Uint8Array, limits = SNAPSHOT_FILE_LIMITS): SnapshotFileError {
  const before = bytes.slice();
  const result = decodeSnapshotFile(bytes, limits);
  expect(bytes).toEqual(before);
  if (result.ok) throw new Error('the file was accepted');
  expect(result.error.message).not.toMatch(/[\r\n]/);
  expect(result.error.message.startsWith(result.error.where)).toBe(true);
  return result.error;
}

/** Sets the value at `path` in a parsed `_metadata` (the test's surgery on a copy). */
function setPath(document: Record<string, unknown>, path: ReadonlyArray<string | number>, value: unknown): void {
  let target = document as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  target[path.at(-1)!] = value;
}

/** Offsets of an entry's local header and central directory header. */
function headersOf(file: Uint8Array, name: string): { local: number; central: number } {
  const entry = readZipDirectory(file, SNAPSHOT_FILE_LIMITS).find((candidate) => candidate.name === name)!;
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  for (let at = entry.dataOffset + entry.compressedSize; at < file.length - 4; at++) {
    if (view.getUint32(at, true) === 0x02014b50 && view.getUint32(at + 42, true) === entry.localHeaderOffset) return { local: entry.localHeaderOffset, central: at };
  }
  throw new Error(`no central header for ${name}`);
}

/** Sets an entry's declared uncompressed size (or, with field 18, compressed size) in both headers. */
function declare(file: Uint8Array, name: string, size: number, field: 18 | 22 = 22): Uint8Array {
  const { local, central } = headersOf(file, name);
  return patchUint32(patchUint32(file, local + field, size), central + field + 2, size);
}

describe('decoding a bad snapshot file', () => {
  it('accepts the good file it starts from', () => {
    expect(decodeSnapshotFile(good).ok).toBe(true);
  });

  describe('that is not a zip', () => {
    it.each([
      ['empty', new Uint8Array(0), 'file: 0 bytes, too short for a zip (at least 22)'],
      ['text', new TextEncoder().encode('{"format":"barrierscope-snapshot","formatVersion":1}'), 'file: does not start with a zip signature (PK\\3\\4), but with 0x6f66227b (little-endian)'],
      ['a PNG', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Uint8Array(30)]), 'file: does not start with a zip signature (PK\\3\\4), but with 0x474e5089 (little-endian)'],
    ])('refuses %s', (_, bytes, message) => {
      const error = refused(bytes);
      expect(error.kind).toBe('not-a-zip');
      expect(error.message).toBe(message);
    });

    it('refuses what is not bytes at all', () => {
      expect(refused('PK' as unknown as Uint8Array).message).toBe('file: is not bytes (a Uint8Array)');
    });
  });

  it('refuses input over the named maximum size before reading it', () => {
    const error = refused(good, { ...SNAPSHOT_FILE_LIMITS, maxFileBytes: 1000 });
    expect(error.kind).toBe('too-large');
    expect(error.message).toBe(`file: ${good.length} bytes, more than the 1000 allowed`);
  });

  it.each([1, 10, 22, good.length >> 1, good.length - 1])('refuses the file truncated by %i bytes', (cut) => {
    const error = refused(good.subarray(0, good.length - cut));
    expect(['corrupt-zip', 'not-a-zip']).toContain(error.kind);
  });

  it('says a truncated file has no end record', () => {
    expect(refused(good.subarray(0, good.length - 10)).message).toBe('zip: no end of central directory record at the end of the file (truncated?)');
  });

  it('refuses a flipped bit in the deflated _metadata', () => {
    const { dataOffset } = readZipDirectory(good, SNAPSHOT_FILE_LIMITS)[0]!;
    const flipped = good.slice();
    flipped[dataOffset + 200]! ^= 0x10;
    const error = refused(flipped);
    expect(['corrupt-zip', 'checksum-mismatch']).toContain(error.kind);
    expect(error.where).toBe('entry "_metadata"');
  });

  it('refuses a flipped bit in a state entry by its CRC-32', () => {
    const entry = readZipDirectory(good, SNAPSHOT_FILE_LIMITS).find((candidate) => candidate.name.endsWith('sink') || candidate.name.startsWith('2e588ce1'))!;
    const flipped = good.slice();
    flipped[entry.dataOffset + 5]! ^= 0x01;
    const error = refused(flipped);
    expect(['corrupt-zip', 'checksum-mismatch']).toContain(error.kind);
    expect(error.where).toBe(`entry "${entry.name}"`);
  });

  it('refuses a file whose _metadata is not a Barrierscope snapshot (wrong magic)', () => {
    const error = refused(operate(good, { metadata: (document) => ({ ...document, format: 'flink-savepoint' }) }));
    expect(error.kind).toBe('bad-magic');
    expect(error.message).toBe('_metadata: format: expected "barrierscope-snapshot", found "flink-savepoint": not a Barrierscope snapshot');
  });

  it('refuses a format version it does not read', () => {
    const error = refused(operate(good, { metadata: (document) => ({ ...document, formatVersion: 3 }) }));
    expect(error.kind).toBe('unsupported-version');
    expect(error.message).toBe('_metadata: formatVersion: version 3; this reader reads versions 1 and 2');
  });

  it('refuses a zip without _metadata', () => {
    const error = refused(writeZip([{ name: 'chk-3/data', data: new Uint8Array([1, 2, 3]) }]));
    expect(error.kind).toBe('missing-entry');
    expect(error.message).toBe('_metadata: the file has no _metadata entry (is it a Barrierscope snapshot?)');
  });

  it('refuses a file missing an entry _metadata references', () => {
    const error = refused(operate(good, { entries: (entries) => entries.filter((entry) => entry.name !== KEYED_ENTRY) }));
    expect(error.kind).toBe('missing-entry');
    expect(error.message).toBe(`entry "${KEYED_ENTRY}": is referenced by _metadata but not in the file`);
  });

  it('refuses an entry _metadata does not reference', () => {
    const error = refused(operate(good, { entries: (entries) => [...entries, { name: 'extra/notes.txt', data: new Uint8Array([104, 105]) }] }));
    expect(error.kind).toBe('unexpected-entry');
    expect(error.message).toBe('entry "extra/notes.txt": is in the file but _metadata does not reference it');
  });

  it('refuses an entry name that would escape the folder it is unzipped into', () => {
    const error = refused(operate(good, { entries: (entries) => [...entries, { name: '../evil', data: new Uint8Array(1) }] }));
    expect(error.kind).toBe('corrupt-zip');
    expect(error.message).toBe('entry "../evil": is not a relative path of letters, digits, "_", "." and "-" segments');
  });

  it('refuses an entry whose CRC-32 is not the one _metadata records', () => {
    const error = refused(
      operate(good, {
        fixReferences: false,
        metadata: (document) => setPath(document, ['operators', 1, 'subtaskStates', 0, 'managedKeyedState', 'entry', 'crc32'], '01234567'),
      }),
    );
    expect(error.kind).toBe('checksum-mismatch');
    expect(error.message).toBe(`entry "${KEYED_ENTRY}": has CRC-32 0b700d82 in the zip, _metadata says 01234567`);
  });

  it('refuses an entry whose bytes do not match the zip directory CRC-32', () => {
    const { local, central } = headersOf(good, KEYED_ENTRY);
    const patched = patchUint32(patchUint32(good, local + 14, 0x0b700d83), central + 16, 0x0b700d83);
    const error = refused(patched);
    expect(error.kind).toBe('checksum-mismatch');
  });

  describe('that is a zip bomb', () => {
    it('refuses entries declaring more than the uncompressed limit, before inflating', () => {
      const error = refused(good, { ...SNAPSHOT_FILE_LIMITS, maxUncompressedBytes: 1000 });
      expect(error.kind).toBe('zip-bomb');
      expect(error.message).toBe('zip: entries declare more than 1000 bytes uncompressed (the limit)');
    });

    it('refuses an entry declaring more than DEFLATE can expand its bytes to', () => {
      const error = refused(declare(good, KEYED_ENTRY, 0xf0000000));
      expect(error.kind).toBe('zip-bomb');
      expect(error.message).toBe(`entry "${KEYED_ENTRY}": declares 4026531840 bytes from 40 compressed, more than DEFLATE can expand (1032:1)`);
    });

    it('stops inflating an entry at its declared size when it expands far beyond it', () => {
      const zeros = new Uint8Array(10 * 1024 * 1024);
      const inflated = operate(good, { entries: (entries) => entries.map((entry) => (entry.name === KEYED_ENTRY ? { ...entry, data: zeros } : entry)) });
      const lying = operate(inflated, {
        fixReferences: false,
        metadata: (document) => setPath(document, ['operators', 1, 'subtaskStates', 0, 'managedKeyedState', 'entry', 'sizeBytes'], 63),
      });
      const error = refused(declare(lying, KEYED_ENTRY, 63));
      expect(error.kind).toBe('zip-bomb');
      expect(error.message).toBe(`entry "${KEYED_ENTRY}": inflates to more than the 63 bytes it declares`);
    });

    it('refuses entries whose data overlap (one stream reused by many entries)', () => {
      const { dataOffset, compressedSize } = readZipDirectory(good, SNAPSHOT_FILE_LIMITS).find((entry) => entry.name === KEYED_ENTRY)!;
      const error = refused(declare(good, KEYED_ENTRY, compressedSize + 40, 18));
      expect(dataOffset).toBeGreaterThan(0);
      expect(error.kind).toBe('zip-bomb');
      expect(error.message).toMatch(new RegExp(`^entry "${KEYED_ENTRY}": overlaps entry "[0-9a-f]{32}/0/operator-state"$`));
    });
  });

  describe('whose _metadata is hostile JSON', () => {
    it('refuses deep nesting without recursing into it', () => {
      const error = refused(operate(good, { metadataText: `${'['.repeat(100_000)}${']'.repeat(100_000)}` }));
      expect(error.kind).toBe('invalid-metadata');
      expect(error.message).toBe('_metadata: JSON nested 100000 levels deep, more than the 64 allowed');
    });

    it.each(['__proto__', 'constructor', 'prototype'])('refuses a %s key, naming its path', (key) => {
      const text = JSON.stringify(metadataOf(good)).replace('"operatorName":"Running sum"', `"operatorName":"Running sum","${key}":{"polluted":true}`);
      const error = refused(operate(good, { metadataText: text }));
      expect(error.kind).toBe('invalid-metadata');
      expect(error.message).toBe(`_metadata: operators[1]: the key "${key}" is not allowed`);
    });

    it('refuses a number too large for a double, naming its path', () => {
      const text = JSON.stringify(metadataOf(good)).replace('"checkpointId":3', '"checkpointId":1e400');
      expect(refused(operate(good, { metadataText: text })).message).toBe('_metadata: checkpointId: a number too large for a 64-bit float');
    });

    it('refuses a number beyond 2^53 by the schema', () => {
      const error = refused(operate(good, { metadata: (document) => ({ ...document, checkpointId: 2 ** 60 }) }));
      expect(error.message).toBe('_metadata: checkpointId: Invalid safe integer: Received 1152921504606847000');
    });

    it('refuses a wrong type, naming the field path', () => {
      const error = refused(operate(good, { metadata: (document) => setPath(document, ['operators', 1, 'parallelism'], '1') }));
      expect(error.kind).toBe('invalid-metadata');
      expect(error.message).toBe('_metadata: operators[1].parallelism: Invalid type: Expected number but received "1"');
    });

    it('refuses an unknown field', () => {
      const error = refused(operate(good, { metadata: (document) => ({ ...document, savepointPath: '/tmp' }) }));
      expect(error.message).toBe('_metadata: savepointPath: Invalid key: Expected never but received "savepointPath"');
    });

    it('refuses text that is not JSON', () => {
      const error = refused(operate(good, { metadataText: '{"format": "barrierscope-snapshot",' }));
      expect(error.kind).toBe('invalid-metadata');
      expect(error.message).toMatch(/^_metadata: not JSON \(/);
    });
  });

  describe('whose _metadata is well-formed but wrong', () => {
    it('refuses an operator id that is not the hash of its uid', () => {
      const error = refused(operate(good, { metadata: (document) => setPath(document, ['operators', 1, 'operatorId'], '0'.repeat(32)) }));
      expect(error.message).toBe(`_metadata: operators[1].operatorId: is not the hash of uid "sum" (expected ${SUM})`);
    });

    it('refuses a key-group range the subtask does not own', () => {
      const error = refused(operate(good, { metadata: (document) => setPath(document, ['operators', 1, 'subtaskStates', 0, 'managedKeyedState', 'keyGroupRange', 'end'], 2) }));
      expect(error.message).toBe('_metadata: operators[1].subtaskStates[0].managedKeyedState.keyGroupRange: is 0-2, but this subtask owns key groups 0-3');
    });

    it('refuses fewer subtask states than the parallelism', () => {
      const error = refused(operate(good, { metadata: (document) => setPath(document, ['operators', 0, 'parallelism'], 2) }));
      expect(error.message).toBe('_metadata: operators[0].subtaskStates: has 1 entries for parallelism 2');
    });
  });

  describe('whose state entries disagree with _metadata', () => {
    it('refuses a key filed under a key group it does not hash to', () => {
      const moved = operate(good, {
        entries: (entries) =>
          entries.map((entry) => {
            if (entry.name !== KEYED_ENTRY) return entry;
            const data = entry.data.slice();
            data.set(new TextEncoder().encode('key-5'), data.indexOf(0x6b, 31)); // key-1 → key-5 in key group 2
            return { ...entry, data };
          }),
      });
      expect(refused(moved).message).toMatch(new RegExp(`^${KEYED_ENTRY} @ byte \\d+: key "key-5" is filed under key group 2 but hashes to 0$`));
    });

    it('refuses a key group offset that points inside another key group', () => {
      const error = refused(operate(good, { metadata: (document) => setPath(document, ['operators', 1, 'subtaskStates', 0, 'managedKeyedState', 'keyGroupOffsets'], [15, null, 30, 47]) }));
      expect(error.kind).toBe('invalid-entry');
      expect(error.message).toBe(`${KEYED_ENTRY} @ byte 31: key group 2 should begin at byte 30 (from _metadata)`);
    });
  });

  describe('whose channel state (format version 2) is wrong', () => {
    const unaligned = encodeSnapshotFile(EXAMPLE_UNALIGNED_SNAPSHOT);
    const SUM_CHANNEL_STATE = ['operators', 1, 'subtaskStates', 0, 'channelState'] as const;
    const CHANNEL_ENTRY = `${SUM}/0/channel-state`;
    const at = (...path: Array<string | number>) => [...SUM_CHANNEL_STATE, ...path];
    /** The sum's channel-state entry with `edit` applied to a copy of its bytes. */
    const withEntry = (edit: (data: Uint8Array) => Uint8Array) =>
      operate(unaligned, { entries: (entries) => entries.map((entry) => (entry.name === CHANNEL_ENTRY ? { ...entry, data: edit(entry.data.slice()) } : entry)) });

    it('accepts the good unaligned file it starts from, as version 2', () => {
      const decoded = decodeSnapshotFile(unaligned);
      expect(decoded.ok && decoded.value.formatVersion).toBe(2);
    });

    it('refuses channel state in a version-1 file', () => {
      const error = refused(operate(unaligned, { metadata: (document) => ({ ...document, formatVersion: 1 }) }));
      expect(error.kind).toBe('invalid-metadata');
      expect(error.message).toBe('_metadata: operators[0].subtaskStates[0].channelState: channel state needs format version 2, but formatVersion is 1');
    });

    it('refuses channel state in a savepoint, which is always aligned', () => {
      const error = refused(
        operate(unaligned, {
          metadata: (document) => {
            setPath(document, ['checkpointType'], 'SAVEPOINT');
            setPath(document, ['properties', 'savepointFormat'], 'CANONICAL');
          },
        }),
      );
      expect(error.message).toBe('_metadata: operators[0].subtaskStates[0].channelState: a savepoint is always aligned: it holds no channel state (in-flight data)');
    });

    it('refuses an empty channel state, a channel without buffers and a channel index beyond a Java int', () => {
      const none = refused(operate(unaligned, { metadata: (document) => setPath(document, at('inputChannelState'), []) }));
      expect(none.message).toBe('_metadata: operators[1].subtaskStates[0].channelState: names no channel (leave channelState out)');
      const empty = refused(operate(unaligned, { metadata: (document) => setPath(document, at('inputChannelState', 0, 'offsets'), []) }));
      expect(empty.message).toBe('_metadata: operators[1].subtaskStates[0].channelState.inputChannelState[0].offsets: is empty: a channel in channel state holds at least one buffer');
      const huge = refused(operate(unaligned, { metadata: (document) => setPath(document, at('inputChannelState', 0, 'inputChannelIndex'), 2 ** 31) }));
      expect(huge.message).toBe('_metadata: operators[1].subtaskStates[0].channelState.inputChannelState[0].inputChannelIndex: Invalid value: Expected <=2147483647 but received 2147483648');
    });

    it('refuses a channel named twice in one channel-state blob', () => {
      const error = refused(
        operate(unaligned, {
          metadata: (document) => {
            type Handles = Array<Record<string, unknown>>;
            const operators = document['operators'] as unknown as Array<{ subtaskStates: Array<{ channelState: { inputChannelState: Handles } }> }>;
            const handles = operators[1]!.subtaskStates[0]!.channelState.inputChannelState;
            handles.push({ ...handles[0]!, offsets: [70] });
          },
        }),
      );
      expect(error.message).toBe('_metadata: operators[1].subtaskStates[0].channelState.inputChannelState[1]: names input channel 0/0 of channel-state blob "running-sum/chk-3/sum#0/sum/8" a second time');
    });

    it('refuses buffer offsets that are not ascending within the entry', () => {
      const error = refused(operate(unaligned, { metadata: (document) => setPath(document, at('inputChannelState', 0, 'offsets'), [0, 82]) }));
      expect(error.message).toBe("_metadata: operators[1].subtaskStates[0].channelState.inputChannelState[0].offsets[1]: 82 is not ascending within the entry's 82 bytes");
    });

    it('refuses a buffer offset that is not where a buffer begins', () => {
      const error = refused(operate(unaligned, { metadata: (document) => setPath(document, at('inputChannelState', 0, 'offsets'), [0, 53]) }));
      expect(error.kind).toBe('invalid-entry');
      expect(error.message).toBe(`${CHANNEL_ENTRY} @ byte 54: buffer 1 of input channel 0/0 should begin at byte 53 (from _metadata)`);
    });

    it('refuses record counts and sizes that disagree with _metadata', () => {
      const records = refused(operate(unaligned, { metadata: (document) => setPath(document, at('inputChannelState', 0, 'records'), 4) }));
      expect(records.message).toBe(`${CHANNEL_ENTRY} @ byte 0: input channel 0/0 holds 3 records, _metadata says 4`);
      const size = refused(operate(unaligned, { metadata: (document) => setPath(document, at('inputChannelState', 0, 'stateSizeBytes'), 100) }));
      expect(size.message).toBe(`${CHANNEL_ENTRY} @ byte 0: input channel 0/0's buffers are 99 bytes, _metadata says 100`);
    });

    it('refuses a record count the entry cannot hold, and bytes after the last buffer', () => {
      const count = refused(withEntry((data) => ((data[1] = 0x7f), data)));
      expect(count.message).toBe(`${CHANNEL_ENTRY} @ byte 1: the record count of buffer 0 of input channel 0/0 is 127, more than the 80 bytes left can hold`);
      const trailing = refused(withEntry((data) => new Uint8Array([...data, 0])));
      expect(trailing.message).toBe(`${CHANNEL_ENTRY} @ byte 82: 1 bytes follow the last buffer`);
    });

    it('refuses a record that is not JSON or nests too deep', () => {
      const notJson = refused(withEntry((data) => ((data[3] = 0x7e), data)));
      expect(notJson.kind).toBe('invalid-entry');
      expect(notJson.message).toMatch(new RegExp(`^${CHANNEL_ENTRY} @ byte 2: not JSON \\(`));
      const deep = encodeSnapshotFile({
        ...EXAMPLE_UNALIGNED_SNAPSHOT,
        blobs: new Map(
          [...EXAMPLE_UNALIGNED_SNAPSHOT.blobs].map(([key, bytes]) =>
            key.includes('sum#0/sum/8') ? [key, new TextEncoder().encode(new TextDecoder().decode(bytes).replace('{"key":"key-1","value":2}', JSON.stringify({ key: 'key-1', value: JSON.parse(`${'['.repeat(70)}${']'.repeat(70)}`) })))] : [key, bytes],
          ),
        ),
      });
      expect(refused(deep).message).toMatch(new RegExp(`^${CHANNEL_ENTRY} @ byte 56: JSON nested 71 levels deep, more than the 64 allowed$`));
    });
  });
});
