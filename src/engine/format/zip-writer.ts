// A deterministic zip writer: entries in the given order, each deflated (fflate) when that makes it
// smaller and stored otherwise, fixed timestamps, UTF-8 names. The same entries always give the same bytes.
import { deflateSync } from 'fflate';
import { crc32 } from './crc32';
import {
  CENTRAL_DIRECTORY_HEADER_BYTES,
  CENTRAL_DIRECTORY_HEADER_SIGNATURE,
  DOS_DATE,
  DOS_TIME,
  END_OF_CENTRAL_DIRECTORY_BYTES,
  END_OF_CENTRAL_DIRECTORY_SIGNATURE,
  FLAG_UTF8_NAMES,
  LOCAL_FILE_HEADER_BYTES,
  LOCAL_FILE_HEADER_SIGNATURE,
  METHOD_DEFLATED,
  METHOD_STORED,
  ZIP_VERSION,
} from './zip-layout';

export interface ZipEntryInput {
  readonly name: string;
  readonly data: Uint8Array;
}

/** fflate's default level: a good ratio at a fraction of level 9's time. */
export const DEFLATE_LEVEL = 6;

const encoder = new TextEncoder();

interface Prepared {
  readonly name: Uint8Array;
  readonly method: number;
  readonly crc: number;
  readonly size: number;
  readonly stored: Uint8Array;
  readonly offset: number;
}

export function writeZip(entries: readonly ZipEntryInput[]): Uint8Array {
  if (entries.length > 0xffff) throw new RangeError(`A zip without zip64 holds at most 65,535 entries, not ${entries.length}`);
  let offset = 0;
  const prepared: Prepared[] = entries.map(({ name, data }) => {
    const deflated = deflateSync(data, { level: DEFLATE_LEVEL });
    const useDeflate = deflated.length < data.length;
    const entry = {
      name: encoder.encode(name),
      method: useDeflate ? METHOD_DEFLATED : METHOD_STORED,
      crc: crc32(data),
      size: data.length,
      stored: useDeflate ? deflated : data,
      offset,
    };
    offset += LOCAL_FILE_HEADER_BYTES + entry.name.length + entry.stored.length;
    return entry;
  });
  const directoryOffset = offset;
  const directoryBytes = prepared.reduce((sum, entry) => sum + CENTRAL_DIRECTORY_HEADER_BYTES + entry.name.length, 0);
  const out = new Uint8Array(directoryOffset + directoryBytes + END_OF_CENTRAL_DIRECTORY_BYTES);
  const view = new DataView(out.buffer);
  for (const entry of prepared) {
    writeLocalHeader(view, entry);
    out.set(entry.name, entry.offset + LOCAL_FILE_HEADER_BYTES);
    out.set(entry.stored, entry.offset + LOCAL_FILE_HEADER_BYTES + entry.name.length);
  }
  let at = directoryOffset;
  for (const entry of prepared) {
    writeCentralHeader(view, at, entry);
    out.set(entry.name, at + CENTRAL_DIRECTORY_HEADER_BYTES);
    at += CENTRAL_DIRECTORY_HEADER_BYTES + entry.name.length;
  }
  view.setUint32(at, END_OF_CENTRAL_DIRECTORY_SIGNATURE, true);
  view.setUint16(at + 8, prepared.length, true);
  view.setUint16(at + 10, prepared.length, true);
  view.setUint32(at + 12, directoryBytes, true);
  view.setUint32(at + 16, directoryOffset, true);
  return out;
}

/** Fields shared by both headers, from "version needed" to the extra field length. */
function writeCommonFields(view: DataView, at: number, entry: Prepared): void {
  view.setUint16(at, ZIP_VERSION, true);
  view.setUint16(at + 2, FLAG_UTF8_NAMES, true);
  view.setUint16(at + 4, entry.method, true);
  view.setUint16(at + 6, DOS_TIME, true);
  view.setUint16(at + 8, DOS_DATE, true);
  view.setUint32(at + 10, entry.crc, true);
  view.setUint32(at + 14, entry.stored.length, true);
  view.setUint32(at + 18, entry.size, true);
  view.setUint16(at + 22, entry.name.length, true);
  view.setUint16(at + 24, 0, true);
}

function writeLocalHeader(view: DataView, entry: Prepared): void {
  view.setUint32(entry.offset, LOCAL_FILE_HEADER_SIGNATURE, true);
  writeCommonFields(view, entry.offset + 4, entry);
}

function writeCentralHeader(view: DataView, at: number, entry: Prepared): void {
  view.setUint32(at, CENTRAL_DIRECTORY_HEADER_SIGNATURE, true);
  view.setUint16(at + 4, ZIP_VERSION, true);
  writeCommonFields(view, at + 6, entry);
  // comment length, disk number, internal and external attributes: all 0 (the buffer is zeroed).
  view.setUint32(at + 42, entry.offset, true);
}
