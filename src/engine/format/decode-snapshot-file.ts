// Reading a `.bscp` file from untrusted bytes: sizes and structure before inflating, checksums before parsing,
// the schema before use. Returns the snapshot or one clear error; never throws, never mutates its input.
import { METADATA_ENTRY } from './entry-name';
import { decodeSnapshotState, type EntryBytes } from './decode-snapshot-state';
import { readMetadataDocument } from './read-metadata-document';
import { referencedEntries } from './check-metadata-document';
import { fail, quote, SnapshotFileFailure } from './snapshot-file-error';
import { SNAPSHOT_FILE_LIMITS, type SnapshotFileLimits } from './snapshot-file-limits';
import type { SnapshotFile, SnapshotFileResult } from './snapshot-file';
import type { SnapshotMetadataDocument } from './snapshot-metadata-schema';
import { METADATA_FORBIDDEN_KEYS, parseUntrustedJson } from './untrusted-json';
import { readZipEntryData } from './zip-entry-data';
import { readZipDirectory, type ZipEntry } from './zip-reader';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeSnapshotFile(bytes: Uint8Array, limits: SnapshotFileLimits = SNAPSHOT_FILE_LIMITS): SnapshotFileResult {
  try {
    return { ok: true, value: decode(bytes, limits) };
  } catch (error) {
    if (error instanceof SnapshotFileFailure) return { ok: false, error: error.toError() };
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, error: { kind: 'internal', where: 'decoder', message: `decoder: unexpected failure (${detail})`.replace(/[\r\n]+/g, ' ') } };
  }
}

function decode(bytes: Uint8Array, limits: SnapshotFileLimits): SnapshotFile {
  if (!(bytes instanceof Uint8Array)) fail('not-a-zip', 'file', 'is not bytes (a Uint8Array)');
  if (bytes.length > limits.maxFileBytes) fail('too-large', 'file', `${bytes.length} bytes, more than the ${limits.maxFileBytes} allowed`);
  const zip = readZipDirectory(bytes, limits);
  const byName = new Map(zip.map((entry) => [entry.name, entry]));
  const metadataDocument = readMetadata(bytes, byName.get(METADATA_ENTRY), limits);
  checkEntrySet(metadataDocument, zip, byName);
  const entryBytes: EntryBytes = (reference) => readZipEntryData(bytes, byName.get(reference.name)!);
  const { metadata, blobs } = decodeSnapshotState(metadataDocument, entryBytes, limits.maxJsonDepth);
  return {
    formatVersion: metadataDocument.formatVersion,
    checkpointType: metadataDocument.checkpointType,
    properties: metadataDocument.properties,
    metadata,
    blobs,
    job: {
      jobName: metadataDocument.jobName,
      configuration: metadataDocument.configuration,
      operatorNames: new Map(metadataDocument.operators.flatMap((operator) => (operator.operatorName === null ? [] : [[operator.operatorUid, operator.operatorName] as const]))),
    },
    document: metadataDocument,
    entries: zip
      .slice()
      .sort((a, b) => a.localHeaderOffset - b.localHeaderOffset)
      .map((entry) => ({ name: entry.name, sizeBytes: entry.size, compressedSizeBytes: entry.compressedSize, crc32: crcHex(entry) })),
    fileSizeBytes: bytes.length,
  };
}

function readMetadata(bytes: Uint8Array, entry: ZipEntry | undefined, limits: SnapshotFileLimits): SnapshotMetadataDocument {
  if (!entry) fail('missing-entry', METADATA_ENTRY, 'the file has no _metadata entry (is it a Barrierscope snapshot?)');
  if (entry.size > limits.maxMetadataBytes) fail('too-large', METADATA_ENTRY, `${entry.size} bytes, more than the ${limits.maxMetadataBytes} allowed`);
  let text: string;
  try {
    text = utf8.decode(readZipEntryData(bytes, entry));
  } catch (error) {
    if (error instanceof SnapshotFileFailure) throw error;
    return fail('invalid-metadata', METADATA_ENTRY, 'is not UTF-8 text');
  }
  const json = parseUntrustedJson(text, { kind: 'invalid-metadata', where: METADATA_ENTRY, maxDepth: limits.maxJsonDepth, forbiddenKeys: METADATA_FORBIDDEN_KEYS });
  return readMetadataDocument(json);
}

/** Every entry `_metadata` references is in the zip with its size and CRC-32, and the zip holds nothing else. */
function checkEntrySet(metadataDocument: SnapshotMetadataDocument, zip: readonly ZipEntry[], byName: ReadonlyMap<string, ZipEntry>): void {
  const referenced = new Set<string>([METADATA_ENTRY]);
  for (const reference of referencedEntries(metadataDocument)) {
    const entry = byName.get(reference.name);
    if (!entry) fail('missing-entry', `entry ${quote(reference.name)}`, 'is referenced by _metadata but not in the file');
    if (entry.size !== reference.sizeBytes) fail('invalid-metadata', `entry ${quote(reference.name)}`, `is ${entry.size} bytes, _metadata says ${reference.sizeBytes}`);
    if (crcHex(entry) !== reference.crc32) fail('checksum-mismatch', `entry ${quote(reference.name)}`, `has CRC-32 ${crcHex(entry)} in the zip, _metadata says ${reference.crc32}`);
    referenced.add(reference.name);
  }
  const extra = zip.find((entry) => !referenced.has(entry.name));
  if (extra) fail('unexpected-entry', `entry ${quote(extra.name)}`, 'is in the file but _metadata does not reference it');
}

function crcHex(entry: ZipEntry): string {
  return entry.crc32.toString(16).padStart(8, '0');
}
