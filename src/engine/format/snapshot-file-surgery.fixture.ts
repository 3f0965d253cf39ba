// Test support: take a valid snapshot file apart and put it back together changed — `_metadata` edited,
// entries replaced, removed or added — with every checksum and size made right again unless told otherwise.
import { unzipSync } from 'fflate';
import { crc32Hex } from './crc32';
import { METADATA_ENTRY } from './entry-name';
import { writeZip, type ZipEntryInput } from './zip-writer';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Surgery {
  /** Edit the parsed `_metadata` (return a replacement, or mutate the copy given). */
  readonly metadata?: (document: Record<string, Json>) => Json | void;
  /** `_metadata` as this exact text instead. */
  readonly metadataText?: string;
  /** Edit the state entries (not `_metadata`); references in `_metadata` are fixed up afterwards. */
  readonly entries?: (entries: ZipEntryInput[]) => ZipEntryInput[];
  /** Recompute every reference's sizeBytes and crc32 from the entries (default true). */
  readonly fixReferences?: boolean;
}

export function entriesOf(file: Uint8Array): ZipEntryInput[] {
  const files = unzipSync(file);
  return Object.entries(files).map(([name, data]) => ({ name, data }));
}

export function metadataOf(file: Uint8Array): Record<string, Json> {
  return JSON.parse(new TextDecoder().decode(unzipSync(file)[METADATA_ENTRY]!)) as Record<string, Json>;
}

export function operate(file: Uint8Array, surgery: Surgery): Uint8Array {
  const all = entriesOf(file);
  let entries: ZipEntryInput[] = all.filter((entry) => entry.name !== METADATA_ENTRY).map((entry) => ({ ...entry, data: entry.data.slice() }));
  if (surgery.entries) entries = surgery.entries(entries);
  let document: Json = metadataOf(file);
  if (surgery.metadata) document = surgery.metadata(document as Record<string, Json>) ?? document;
  if (surgery.fixReferences !== false) fixReferences(document, new Map(entries.map((entry) => [entry.name, entry.data])));
  const text = surgery.metadataText ?? JSON.stringify(document, null, 2);
  return writeZip([{ name: METADATA_ENTRY, data: new TextEncoder().encode(text) }, ...entries]);
}

/** Every `{ name, sizeBytes, crc32 }` object naming an existing entry gets that entry's true size and CRC. */
function fixReferences(value: Json, data: ReadonlyMap<string, Uint8Array>): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) return value.forEach((element) => fixReferences(element, data));
  const bytes = typeof value['name'] === 'string' && 'crc32' in value ? data.get(value['name']) : undefined;
  if (bytes) {
    value['sizeBytes'] = bytes.length;
    value['crc32'] = crc32Hex(bytes);
  }
  for (const element of Object.values(value)) fixReferences(element, data);
}

/** Reads and writes little-endian fields of a zip in place (on a copy). */
export function patchUint32(file: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = file.slice();
  new DataView(copy.buffer).setUint32(offset, value, true);
  return copy;
}
