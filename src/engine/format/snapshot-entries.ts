// The entries of a snapshot file being written: each added once under a unique name, referenced from
// `_metadata` by name, size and CRC-32. Written in the order added, after `_metadata`.
import { crc32Hex } from './crc32';
import { SnapshotEncodingError } from './snapshot-file-error';
import type { EntryReference } from './snapshot-metadata-schema';
import type { ZipEntryInput } from './zip-writer';

export class SnapshotEntries {
  readonly #entries: ZipEntryInput[] = [];
  readonly #names = new Set<string>();

  add(name: string, data: Uint8Array): EntryReference {
    if (this.#names.has(name)) throw new SnapshotEncodingError(`Two state handles would be written to the same entry ${JSON.stringify(name)}`);
    this.#names.add(name);
    this.#entries.push({ name, data });
    return { name, sizeBytes: data.length, crc32: crc32Hex(data) };
  }

  list(): readonly ZipEntryInput[] {
    return this.#entries;
  }
}
