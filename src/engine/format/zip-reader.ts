// A strict zip reader for untrusted files: the central directory is parsed and cross-checked with every
// local header, sizes are checked against the limits and entries may not overlap — all before inflating.
import { fail, quote } from './snapshot-file-error';
import type { SnapshotFileLimits } from './snapshot-file-limits';
import { checkEntryName } from './entry-name';
import {
  CENTRAL_DIRECTORY_HEADER_BYTES,
  CENTRAL_DIRECTORY_HEADER_SIGNATURE,
  END_OF_CENTRAL_DIRECTORY_BYTES,
  END_OF_CENTRAL_DIRECTORY_SIGNATURE,
  FLAG_DATA_DESCRIPTOR,
  FLAGS_ENCRYPTED,
  LOCAL_FILE_HEADER_BYTES,
  LOCAL_FILE_HEADER_SIGNATURE,
  MAX_DEFLATE_RATIO,
  MAX_ZIP_COMMENT_BYTES,
  METHOD_DEFLATED,
  METHOD_STORED,
} from './zip-layout';

export interface ZipEntry {
  readonly name: string;
  readonly method: typeof METHOD_STORED | typeof METHOD_DEFLATED;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
  /** Where the stored (maybe deflated) bytes begin. */
  readonly dataOffset: number;
}

const nameDecoder = new TextDecoder('utf-8', { fatal: true });

/** Every entry of the zip, in central directory order, after all structural checks. */
export function readZipDirectory(bytes: Uint8Array, limits: SnapshotFileLimits): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < END_OF_CENTRAL_DIRECTORY_BYTES) fail('not-a-zip', 'file', `${bytes.length} bytes, too short for a zip (at least 22)`);
  const first = view.getUint32(0, true);
  if (first !== LOCAL_FILE_HEADER_SIGNATURE && first !== END_OF_CENTRAL_DIRECTORY_SIGNATURE) {
    fail('not-a-zip', 'file', `does not start with a zip signature (PK\\3\\4), but with 0x${first.toString(16).padStart(8, '0')} (little-endian)`);
  }
  const end = findEndOfCentralDirectory(view);
  const count = view.getUint16(end + 10, true);
  const directoryBytes = view.getUint32(end + 12, true);
  const directoryOffset = view.getUint32(end + 16, true);
  if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 6, true) !== 0 || view.getUint16(end + 8, true) !== count) {
    fail('corrupt-zip', 'zip end of central directory', 'spans several disks (split archives are not read)');
  }
  if (count === 0xffff || directoryBytes === 0xffffffff || directoryOffset === 0xffffffff) fail('corrupt-zip', 'zip end of central directory', 'is zip64, which is not read');
  if (count > limits.maxEntries) fail('zip-bomb', 'zip', `${count} entries, more than the ${limits.maxEntries} allowed`);
  if (directoryOffset + directoryBytes !== end) {
    fail('corrupt-zip', 'zip central directory', `declared at bytes ${directoryOffset}+${directoryBytes}, but the end record is at byte ${end}`);
  }
  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  for (let index = 0; index < count; index++) {
    const entry = readCentralHeader(bytes, view, at, end, index);
    entries.push(entry.entry);
    at = entry.next;
  }
  if (at !== end) fail('corrupt-zip', 'zip central directory', `${end - at} bytes after the ${count} declared entries`);
  checkNamesAndSizes(entries, limits);
  checkNoOverlap(entries, directoryOffset);
  return entries;
}

function findEndOfCentralDirectory(view: DataView): number {
  const lowest = Math.max(0, view.byteLength - END_OF_CENTRAL_DIRECTORY_BYTES - MAX_ZIP_COMMENT_BYTES);
  for (let at = view.byteLength - END_OF_CENTRAL_DIRECTORY_BYTES; at >= lowest; at--) {
    if (view.getUint32(at, true) !== END_OF_CENTRAL_DIRECTORY_SIGNATURE) continue;
    if (at + END_OF_CENTRAL_DIRECTORY_BYTES + view.getUint16(at + 20, true) === view.byteLength) return at;
  }
  return fail('corrupt-zip', 'zip', 'no end of central directory record at the end of the file (truncated?)');
}

function readCentralHeader(bytes: Uint8Array, view: DataView, at: number, end: number, index: number): { entry: ZipEntry; next: number } {
  const where = `zip central directory entry ${index}`;
  if (at + CENTRAL_DIRECTORY_HEADER_BYTES > end || view.getUint32(at, true) !== CENTRAL_DIRECTORY_HEADER_SIGNATURE) {
    fail('corrupt-zip', where, `no central directory header at byte ${at}`);
  }
  const flags = view.getUint16(at + 8, true);
  const method = view.getUint16(at + 10, true);
  const nameLength = view.getUint16(at + 28, true);
  const next = at + CENTRAL_DIRECTORY_HEADER_BYTES + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  if (next > end) fail('corrupt-zip', where, 'runs past the end of the central directory');
  const nameBytes = bytes.subarray(at + CENTRAL_DIRECTORY_HEADER_BYTES, at + CENTRAL_DIRECTORY_HEADER_BYTES + nameLength);
  let name: string;
  try {
    name = nameDecoder.decode(nameBytes);
  } catch {
    return fail('corrupt-zip', where, 'has a name that is not UTF-8');
  }
  const named = `entry ${quote(name)}`;
  if (flags & FLAGS_ENCRYPTED) fail('corrupt-zip', named, 'is encrypted');
  if (method !== METHOD_STORED && method !== METHOD_DEFLATED) fail('corrupt-zip', named, `uses compression method ${method} (only 0, stored, and 8, deflate, are read)`);
  const entry = {
    name,
    method: method as ZipEntry['method'],
    crc32: view.getUint32(at + 16, true),
    compressedSize: view.getUint32(at + 20, true),
    size: view.getUint32(at + 24, true),
    localHeaderOffset: view.getUint32(at + 42, true),
  };
  if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.localHeaderOffset === 0xffffffff) fail('corrupt-zip', named, 'is zip64, which is not read');
  return { entry: { ...entry, dataOffset: readLocalHeader(bytes, view, entry, nameBytes, flags, named) }, next };
}

/** Checks the local header repeats the central directory's facts; returns where the data begins. */
function readLocalHeader(
  bytes: Uint8Array,
  view: DataView,
  entry: Omit<ZipEntry, 'dataOffset'>,
  nameBytes: Uint8Array,
  flags: number,
  named: string,
): number {
  const at = entry.localHeaderOffset;
  if (at + LOCAL_FILE_HEADER_BYTES > view.byteLength || view.getUint32(at, true) !== LOCAL_FILE_HEADER_SIGNATURE) {
    fail('corrupt-zip', named, `no local file header at byte ${at}`);
  }
  const nameLength = view.getUint16(at + 26, true);
  const dataOffset = at + LOCAL_FILE_HEADER_BYTES + nameLength + view.getUint16(at + 28, true);
  const localName = bytes.subarray(at + LOCAL_FILE_HEADER_BYTES, at + LOCAL_FILE_HEADER_BYTES + nameLength);
  if (nameLength !== nameBytes.length || !localName.every((byte, i) => byte === nameBytes[i])) fail('corrupt-zip', named, 'has a different name in its local header');
  if (view.getUint16(at + 8, true) !== entry.method) fail('corrupt-zip', named, 'has a different compression method in its local header');
  const described = (flags & FLAG_DATA_DESCRIPTOR) === 0;
  if (described && (view.getUint32(at + 14, true) !== entry.crc32 || view.getUint32(at + 18, true) !== entry.compressedSize || view.getUint32(at + 22, true) !== entry.size)) {
    fail('corrupt-zip', named, 'has a different CRC-32 or size in its local header');
  }
  if (dataOffset + entry.compressedSize > view.byteLength) fail('corrupt-zip', named, `its ${entry.compressedSize} bytes run past the end of the file (truncated?)`);
  return dataOffset;
}

function checkNamesAndSizes(entries: readonly ZipEntry[], limits: SnapshotFileLimits): void {
  const names = new Set<string>();
  let total = 0;
  for (const entry of entries) {
    const named = `entry ${quote(entry.name)}`;
    checkEntryName(entry.name);
    if (names.has(entry.name)) fail('corrupt-zip', named, 'appears twice in the zip');
    names.add(entry.name);
    if (entry.method === METHOD_STORED && entry.compressedSize !== entry.size) fail('corrupt-zip', named, 'is stored, yet its compressed and uncompressed sizes differ');
    if (entry.method === METHOD_DEFLATED && entry.size > entry.compressedSize * MAX_DEFLATE_RATIO) {
      fail('zip-bomb', named, `declares ${entry.size} bytes from ${entry.compressedSize} compressed, more than DEFLATE can expand (${MAX_DEFLATE_RATIO}:1)`);
    }
    total += entry.size;
    if (total > limits.maxUncompressedBytes) fail('zip-bomb', 'zip', `entries declare more than ${limits.maxUncompressedBytes} bytes uncompressed (the limit)`);
  }
}

/** Overlapping entries are how non-recursive zip bombs reuse one compressed stream many times. */
function checkNoOverlap(entries: readonly ZipEntry[], directoryOffset: number): void {
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  byOffset.forEach((entry, i) => {
    const next = byOffset[i + 1];
    const limit = next?.localHeaderOffset ?? directoryOffset;
    if (entry.dataOffset + entry.compressedSize > limit) {
      fail('zip-bomb', `entry ${quote(entry.name)}`, next ? `overlaps entry ${quote(next.name)}` : 'runs into the central directory');
    }
  });
}
