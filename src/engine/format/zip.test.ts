// The zip writer's files are ordinary zips any reader opens (fflate's unzip here), reproducible to the byte,
// and the strict reader refuses the structural lies a hand-made zip can tell.
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_FILE_LIMITS } from './snapshot-file-limits';
import { readZipEntryData } from './zip-entry-data';
import { readZipDirectory } from './zip-reader';
import { writeZip } from './zip-writer';

const text = (value: string) => new TextEncoder().encode(value);
const entries = [
  { name: '_metadata', data: text('{"a":1}'.repeat(50)) },
  { name: 'shared/x/1-2', data: text('tiny') },
];

describe('the snapshot zip', () => {
  it('opens in another zip reader with the same entries, deflated when smaller and stored otherwise', () => {
    const file = writeZip(entries);
    expect(unzipSync(file)).toEqual({ _metadata: entries[0]!.data, 'shared/x/1-2': entries[1]!.data });
    const directory = readZipDirectory(file, SNAPSHOT_FILE_LIMITS);
    expect(directory.map((entry) => entry.method)).toEqual([8, 0]);
    expect(directory.map((entry) => readZipEntryData(file, entry))).toEqual(entries.map((entry) => entry.data));
  });

  it('is reproducible: entries carry 1980-01-01 00:00, never the time of writing', () => {
    const file = writeZip(entries);
    expect(writeZip(entries)).toEqual(file);
    const view = new DataView(file.buffer);
    expect([view.getUint16(10, true), view.getUint16(12, true)]).toEqual([0, 0x21]);
  });

  it("reads another writer's zip too (fflate's zipSync)", () => {
    const file = zipSync({ _metadata: entries[0]!.data }, { mtime: new Date(2020, 0, 1) });
    expect(readZipEntryData(file, readZipDirectory(file, SNAPSHOT_FILE_LIMITS)[0]!)).toEqual(entries[0]!.data);
  });

  it('refuses trailing bytes after the end record and duplicate names', () => {
    const file = writeZip(entries);
    expect(() => readZipDirectory(new Uint8Array([...file, 0]), SNAPSHOT_FILE_LIMITS)).toThrow('zip: no end of central directory record');
    const twice = writeZip([entries[1]!, entries[1]!]);
    expect(() => readZipDirectory(twice, SNAPSHOT_FILE_LIMITS)).toThrow('entry "shared/x/1-2": appears twice in the zip');
  });
});
