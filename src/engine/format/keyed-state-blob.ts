// The bytes of keyed state in checkpoint storage (one owner for the format, docs/storage.md "Keyed state
// blobs"): a full snapshot blob, an incremental snapshot's meta blob and one piece per key group. Binary,
// written straight from the frozen copy-on-write view in one pass, with common values tagged (int32, float64,
// string, boolean, null, arrays, plain objects, MAP state's maps) and any other value as its JSON text. A value
// decodes to what JSON.parse(JSON.stringify(value)) gives, so restored state is what the JSON blobs gave.
// The decoder still reads the JSON blobs written before (their first byte is '{'), so old checkpoints restore.
import type { StateKind } from '../state/descriptors';
import type { FrozenKeyGroup } from '../state/copy-on-write-state-table';
import type { Key } from '../state/java-hash-code';
import type { Json } from '../state/json';
import type { KeyedStateBackendName, KeyedStateSnapshot, KeyedStateSnapshotView, KeyGroupSnapshot, StateMetaInfoSnapshot } from '../state/keyed-state-snapshot';
import { isWellFormed } from './byte-writer';
import { KEY_TAG_FLOAT64, KEY_TAG_INT32, KEY_TAG_STRING, STATE_KIND_CODES } from './key-group-encoding';

/** The first byte of every binary blob; a JSON blob's is '{' (0x7b). */
export const KEYED_BLOB_MAGIC = 0xbc;
/** The second byte: the layout below. */
export const KEYED_BLOB_VERSION = 1;
/** The third byte: what the blob holds. */
export const BLOB_TYPE_FULL = 1;
export const BLOB_TYPE_META = 2;
export const BLOB_TYPE_PIECE = 3;

/** A key that is neither a well-formed string nor a finite number: its JSON text (what the JSON blobs held). */
export const KEY_TAG_JSON = 4;

export const VALUE_TAG_NULL = 0;
export const VALUE_TAG_FALSE = 1;
export const VALUE_TAG_TRUE = 2;
export const VALUE_TAG_INT32 = 3;
export const VALUE_TAG_FLOAT64 = 4;
export const VALUE_TAG_STRING = 5;
export const VALUE_TAG_ARRAY = 6;
export const VALUE_TAG_OBJECT = 7;
/** MAP state's value: [userKey, value] pairs, user keys encoded as keys. */
export const VALUE_TAG_MAP = 8;
/** Anything else: the value's JSON text. */
export const VALUE_TAG_JSON = 9;

/** Arrays and objects nest as tags this deep; deeper ones are JSON text, so decoding never recurses further. */
export const MAX_TAGGED_DEPTH = 32;

const BACKEND_CODES: Readonly<Record<KeyedStateBackendName, number>> = { hashmap: 1, indexeddb: 2 };
const BACKENDS_BY_CODE: ReadonlyMap<number, KeyedStateBackendName> = new Map(Object.entries(BACKEND_CODES).map(([name, code]) => [code, name as KeyedStateBackendName]));
const KINDS_BY_CODE: ReadonlyMap<number, StateKind> = new Map(Object.entries(STATE_KIND_CODES).map(([kind, code]) => [code, kind as StateKind]));
const JSON_OPEN_BRACE = 0x7b;

const encoder = new TextEncoder();
const fatalDecoder = new TextDecoder('utf-8', { fatal: true });
const jsonDecoder = new TextDecoder();
const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;
const wellFormed: (text: string) => boolean = nativeIsWellFormed ? (text) => nativeIsWellFormed.call(text) : isWellFormed;

/** The cells of one state in one key group, as the copy-on-write table (and the indexeddb backend) hold them. */
export type KeyCells = ReadonlyMap<Key, { readonly value: unknown }>;

// ---------------------------------------------------------------------------------------------- writing

/** A growable buffer with the primitives of the blob layout: little-endian, minimal LEB128 varints. */
class BlobWriter {
  buffer: Uint8Array;
  view: DataView;
  length = 0;

  constructor(capacity = 1 << 16) {
    this.buffer = new Uint8Array(capacity);
    this.view = new DataView(this.buffer.buffer);
  }

  reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + bytes));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  varuint(value: number): void {
    this.reserve(8);
    const buffer = this.buffer;
    let rest = value;
    if (rest < 0x80000000) {
      while (rest >= 0x80) {
        buffer[this.length++] = (rest & 0x7f) | 0x80;
        rest >>>= 7;
      }
    } else {
      while (rest >= 0x80) {
        buffer[this.length++] = (rest % 0x80) | 0x80;
        rest = Math.floor(rest / 0x80);
      }
    }
    buffer[this.length++] = rest;
  }

  /** Overwrites bytes from `at` with a varuint no longer than what is there (no growing); returns where it ends. */
  varuintAt(at: number, value: number): number {
    let rest = value;
    let end = at;
    while (rest >= 0x80) {
      this.buffer[end++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[end++] = rest;
    return end;
  }

  float64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  /** Reserves 4 bytes for a u32 patched later; returns where. */
  u32Placeholder(): number {
    this.reserve(4);
    const at = this.length;
    this.length += 4;
    return at;
  }

  patchU32(at: number, value: number): void {
    this.view.setUint32(at, value, true);
  }

  /** varuint UTF-8 length, then the bytes; false (nothing written) when `text` has a lone surrogate. */
  string(text: string): boolean {
    const units = text.length;
    if (units < 0x80) {
      // Short strings, mostly ASCII (keys, names): copy the code units while they are ASCII.
      this.reserve(1 + units * 3);
      const buffer = this.buffer;
      const lengthAt = this.length;
      let at = lengthAt + 1;
      let index = 0;
      for (; index < units; index++) {
        const unit = text.charCodeAt(index);
        if (unit >= 0x80) break;
        buffer[at++] = unit;
      }
      if (index === units) {
        buffer[lengthAt] = units;
        this.length = at;
        return true;
      }
    }
    if (!wellFormed(text)) return false;
    const maxBytes = units * 3;
    const lengthBytes = varuintSize(maxBytes);
    this.reserve(lengthBytes + maxBytes);
    const start = this.length + lengthBytes;
    const { written } = encoder.encodeInto(text, this.buffer.subarray(start, start + maxBytes));
    const actualLengthBytes = varuintSize(written);
    if (actualLengthBytes !== lengthBytes) this.buffer.copyWithin(this.length + actualLengthBytes, start, start + written);
    this.varuint(written);
    this.length += written;
    return true;
  }

  /** A string known to be well formed (JSON text, names checked before). */
  text(text: string): void {
    if (!this.string(text)) throw new RangeError(`String ${JSON.stringify(text)} has a lone surrogate`);
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

function varuintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) size++;
  return size;
}

function writeKey(writer: BlobWriter, key: unknown): void {
  if (typeof key === 'string') {
    const at = writer.length;
    writer.u8(KEY_TAG_STRING);
    if (writer.string(key)) return;
    writer.length = at;
  } else if (typeof key === 'number') {
    if ((key | 0) === key) {
      // -0 too: JSON wrote it as 0.
      writer.u8(KEY_TAG_INT32);
      writer.varuint(((key << 1) ^ (key >> 31)) >>> 0);
      return;
    }
    if (Number.isFinite(key)) {
      writer.u8(KEY_TAG_FLOAT64);
      writer.float64(key);
      return;
    }
  }
  writer.u8(KEY_TAG_JSON);
  writer.text(JSON.stringify(key) ?? 'null');
}

/** One value, as JSON.stringify would see it inside an array (undefined, functions and symbols are null). */
function writeValue(writer: BlobWriter, value: unknown, depth: number): void {
  switch (typeof value) {
    case 'number':
      if ((value | 0) === value) {
        writer.u8(VALUE_TAG_INT32);
        writer.varuint(((value << 1) ^ (value >> 31)) >>> 0);
      } else if (Number.isFinite(value)) {
        writer.u8(VALUE_TAG_FLOAT64);
        writer.float64(value);
      } else writer.u8(VALUE_TAG_NULL);
      return;
    case 'string': {
      const at = writer.length;
      writer.u8(VALUE_TAG_STRING);
      if (writer.string(value)) return;
      writer.length = at;
      return writeJsonText(writer, value);
    }
    case 'boolean':
      writer.u8(value ? VALUE_TAG_TRUE : VALUE_TAG_FALSE);
      return;
    case 'undefined':
    case 'function':
    case 'symbol':
      writer.u8(VALUE_TAG_NULL);
      return;
    case 'object':
      if (value === null) return writer.u8(VALUE_TAG_NULL);
      if (depth < MAX_TAGGED_DEPTH) {
        if (Array.isArray(value)) return writeArray(writer, value, depth + 1);
        if (isPlainObject(value) && writeObject(writer, value as Record<string, unknown>, depth + 1)) return;
      }
      return writeJsonText(writer, value);
    default:
      return writeJsonText(writer, value); // a bigint: JSON.stringify throws, as the JSON blobs' writer did
  }
}

function writeJsonText(writer: BlobWriter, value: unknown): void {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) return writer.u8(VALUE_TAG_NULL);
  writer.u8(VALUE_TAG_JSON);
  writer.text(text);
}

function writeArray(writer: BlobWriter, array: readonly unknown[], depth: number): void {
  writer.u8(VALUE_TAG_ARRAY);
  const length = array.length;
  writer.varuint(length);
  for (let index = 0; index < length; index++) writeValue(writer, array[index], depth);
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** A plain object's own enumerable properties, skipping what JSON skips; false (nothing written) for a key with a lone surrogate. */
function writeObject(writer: BlobWriter, object: Record<string, unknown>, depth: number): boolean {
  const start = writer.length;
  const names = Object.keys(object);
  writer.u8(VALUE_TAG_OBJECT);
  // One pass: the member count is written for all names and patched when JSON skips some (fewer never
  // needs more varuint bytes; the rare shrink of its length moves the members down).
  const countAt = writer.length;
  writer.varuint(names.length);
  const countBytes = writer.length - countAt;
  let count = 0;
  for (let index = 0; index < names.length; index++) {
    const name = names[index]!;
    const member = object[name];
    const type = typeof member;
    if (type === 'undefined' || type === 'function' || type === 'symbol') continue;
    if (!writer.string(name)) {
      writer.length = start;
      return false;
    }
    writeValue(writer, member, depth);
    count++;
  }
  if (count !== names.length) {
    const membersAt = countAt + countBytes;
    const membersEnd = writer.length;
    const countEnd = writer.varuintAt(countAt, count);
    const shift = membersAt - countEnd;
    if (shift > 0) writer.buffer.copyWithin(countEnd, membersAt, membersEnd);
    writer.length = membersEnd - shift;
  }
  return true;
}

/** A MAP state's value: its Map as [userKey, value] pairs (what toSnapshotValue gives), or whatever else it is. */
function writeMapValue(writer: BlobWriter, value: unknown): void {
  if (value instanceof Map) {
    writer.u8(VALUE_TAG_MAP);
    writer.varuint(value.size);
    for (const [userKey, element] of value as Map<unknown, unknown>) {
      writeKey(writer, userKey);
      writeValue(writer, element, 1);
    }
  } else if (isPairs(value)) {
    writer.u8(VALUE_TAG_MAP);
    writer.varuint(value.length);
    for (const [userKey, element] of value) {
      writeKey(writer, userKey);
      writeValue(writer, element, 1);
    }
  } else writeValue(writer, value, 0);
}

function isPairs(value: unknown): value is ReadonlyArray<readonly [Key, unknown]> {
  if (!Array.isArray(value)) return false;
  for (const pair of value as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2) return false;
    const key: unknown = pair[0];
    if (typeof key !== 'string' && typeof key !== 'number') return false;
  }
  return true;
}

function writeName(writer: BlobWriter, name: string): void {
  if (!writer.string(name)) throw new RangeError(`State name ${JSON.stringify(name)} has a lone surrogate`);
}

/** A key group block: keyGroup, then per state its name, entry count and [key, value] entries. */
function writeKeyGroupBlockFromCells(writer: BlobWriter, keyGroup: number, states: Iterable<readonly [string, KeyCells]>, kindOf: (stateName: string) => StateKind | undefined): void {
  writer.varuint(keyGroup);
  const list = Array.isArray(states) ? (states as ReadonlyArray<readonly [string, KeyCells]>) : Array.from(states);
  writer.varuint(list.length);
  for (const [stateName, cells] of list) {
    const kind = kindOf(stateName);
    if (kind === undefined) throw new Error(`State "${stateName}" has no registered kind`);
    writeName(writer, stateName);
    writer.varuint(cells.size);
    // forEach: no entry array per key (the hot loop of a snapshot).
    if (kind === 'MAP') {
      cells.forEach((cell, key) => {
        writeKey(writer, key);
        writeMapValue(writer, cell.value);
      });
    } else {
      cells.forEach((cell, key) => {
        writeKey(writer, key);
        writeValue(writer, cell.value, 0);
      });
    }
  }
}

function writeKeyGroupBlockFromSnapshot(writer: BlobWriter, snapshot: KeyGroupSnapshot, kindOf: (stateName: string) => StateKind | undefined): void {
  writer.varuint(snapshot.keyGroup);
  const states = Object.entries(snapshot.states);
  writer.varuint(states.length);
  for (const [stateName, entries] of states) {
    const isMap = kindOf(stateName) === 'MAP';
    writeName(writer, stateName);
    writer.varuint(entries.length);
    for (const [key, value] of entries) {
      writeKey(writer, key);
      if (isMap) writeMapValue(writer, value);
      else writeValue(writer, value, 0);
    }
  }
}

interface BlobHeader {
  readonly backend: KeyedStateBackendName;
  readonly maxParallelism: number;
  readonly keyGroupRange: { readonly start: number; readonly end: number };
  readonly states: ReadonlyArray<readonly [string, StateKind]>;
}

function writeHeader(writer: BlobWriter, type: number, header: BlobHeader): void {
  writer.u8(KEYED_BLOB_MAGIC);
  writer.u8(KEYED_BLOB_VERSION);
  writer.u8(type);
  writer.u8(BACKEND_CODES[header.backend]);
  writer.varuint(header.maxParallelism);
  writer.varuint(header.keyGroupRange.start);
  writer.varuint(header.keyGroupRange.end);
  writer.varuint(header.states.length);
  for (const [name, kind] of header.states) {
    writeName(writer, name);
    writer.u8(STATE_KIND_CODES[kind]);
  }
}

function viewHeader(view: KeyedStateSnapshotView): BlobHeader {
  return { backend: view.backend, maxParallelism: view.maxParallelism, keyGroupRange: view.keyGroupRange.toJson(), states: Array.from(view.stateMetaInfo) };
}

function snapshotHeader(snapshot: KeyedStateSnapshot): BlobHeader {
  return {
    backend: snapshot.backend,
    maxParallelism: snapshot.maxParallelism,
    keyGroupRange: snapshot.keyGroupRange,
    states: Object.entries(snapshot.stateMetaInfo).map(([name, info]) => [name, info.kind] as const),
  };
}

/** Writes the key groups: a count, then each as a u32 byte length and its block (so a reader can skip one). */
function writeKeyGroups(writer: BlobWriter, count: number, each: (writeBlock: (block: () => void) => void) => void): void {
  writer.varuint(count);
  let written = 0;
  each((block) => {
    const at = writer.u32Placeholder();
    block();
    writer.patchU32(at, writer.length - at - 4);
    written++;
  });
  if (written !== count) throw new Error(`Wrote ${written} key groups, announced ${count}`);
}

/**
 * The full snapshot blob (Flink's KeyGroupsStateHandle) of a view, written from its frozen key groups in one
 * pass, with `storedPieces` (the indexeddb backend's working-store chunks of key groups not in memory, any
 * piece encoding) merged in by ascending key group.
 */
export function encodeFullSnapshotBlob(view: KeyedStateSnapshotView, storedPieces: ReadonlyMap<number, Uint8Array> = new Map()): Uint8Array {
  const writer = new BlobWriter(initialCapacity(view));
  writeHeader(writer, BLOB_TYPE_FULL, viewHeader(view));
  const kindOf = (stateName: string) => view.stateMetaInfo.get(stateName);
  const inMemory = Array.from(view.keyGroups.keys());
  const stored = Array.from(storedPieces.keys()).sort((a, b) => a - b);
  const sorted = stored.length === 0 ? inMemory : [...inMemory, ...stored].sort((a, b) => a - b);
  writeKeyGroups(writer, sorted.length, (writeBlock) => {
    for (const keyGroup of sorted) {
      const frozen = view.keyGroups.get(keyGroup);
      if (frozen !== undefined) writeBlock(() => writeKeyGroupBlockFromCells(writer, keyGroup, frozen, kindOf));
      else writeBlock(() => writeStoredPiece(writer, keyGroup, storedPieces.get(keyGroup)!, kindOf));
    }
  });
  return writer.finish();
}

/** A stored piece as a block: a binary piece's block is copied as it is, a JSON one re-encoded. */
function writeStoredPiece(writer: BlobWriter, keyGroup: number, piece: Uint8Array, kindOf: (stateName: string) => StateKind | undefined): void {
  if (piece[0] === KEYED_BLOB_MAGIC) {
    const reader = new BlobReader(piece, `the stored chunk of key group ${keyGroup}`);
    reader.header(BLOB_TYPE_PIECE);
    const blockStart = reader.offset;
    const found = reader.varuint('the key group');
    if (found !== keyGroup) reader.fail(`holds key group ${found}, not ${keyGroup}`, blockStart);
    writer.reserve(piece.length - blockStart);
    writer.buffer.set(piece.subarray(blockStart), writer.length);
    writer.length += piece.length - blockStart;
    return;
  }
  const snapshot = decodeKeyGroupPiece(piece, `the stored chunk of key group ${keyGroup}`);
  if (snapshot.keyGroup !== keyGroup) throw new Error(`The stored chunk of key group ${keyGroup} holds key group ${String(snapshot.keyGroup)}`);
  writeKeyGroupBlockFromSnapshot(writer, snapshot, kindOf);
}

/** A rough size, so most blobs are written without growing the buffer: 16 bytes per entry. */
function initialCapacity(view: KeyedStateSnapshotView): number {
  let entries = 0;
  for (const states of view.keyGroups.values()) for (const cells of states.values()) entries += cells.size;
  return Math.min(Math.max(1024, entries * 16), 1 << 28);
}

/** The meta blob of an incremental snapshot (Flink's metaStateHandle): the header, every registered state and its kind. */
export function encodeMetaBlob(view: KeyedStateSnapshotView): Uint8Array {
  const writer = new BlobWriter(256);
  writeHeader(writer, BLOB_TYPE_META, viewHeader(view));
  return writer.finish();
}

/** One key group of a view as an incremental snapshot's piece (null when the view does not hold it in memory). */
export function encodeViewKeyGroupPiece(view: KeyedStateSnapshotView, keyGroup: number): Uint8Array | null {
  const frozen: FrozenKeyGroup | undefined = view.keyGroups.get(keyGroup);
  if (frozen === undefined) return null;
  return encodeKeyGroupPiece(keyGroup, frozen, (stateName) => view.stateMetaInfo.get(stateName));
}

/**
 * One key group as a piece — also what the indexeddb backend's working store may hold as a chunk (its
 * encodeChunk / decodeChunk can switch to this pair: decodeKeyGroupPiece reads these and the JSON chunks).
 */
export function encodeKeyGroupPiece(keyGroup: number, states: Iterable<readonly [string, KeyCells]>, kindOf: (stateName: string) => StateKind | undefined): Uint8Array {
  let entries = 0;
  const list = Array.from(states);
  for (const [, cells] of list) entries += cells.size;
  const writer = new BlobWriter(Math.max(64, entries * 16));
  writer.u8(KEYED_BLOB_MAGIC);
  writer.u8(KEYED_BLOB_VERSION);
  writer.u8(BLOB_TYPE_PIECE);
  writeKeyGroupBlockFromCells(writer, keyGroup, list, kindOf);
  return writer.finish();
}

/** The blob a decoded keyed snapshot was written as (a full one, or a meta blob when it holds no key groups and `meta`). */
export function encodeKeyedSnapshotBlob(snapshot: KeyedStateSnapshot, meta = false): Uint8Array {
  const writer = new BlobWriter(1024);
  const header = snapshotHeader(snapshot);
  if (meta) {
    if (snapshot.keyGroups.length > 0) throw new Error('A meta blob holds no key groups');
    writeHeader(writer, BLOB_TYPE_META, header);
    return writer.finish();
  }
  writeHeader(writer, BLOB_TYPE_FULL, header);
  const kinds = new Map(header.states);
  const kindOf = (stateName: string) => kinds.get(stateName);
  writeKeyGroups(writer, snapshot.keyGroups.length, (writeBlock) => {
    for (const keyGroup of snapshot.keyGroups) writeBlock(() => writeKeyGroupBlockFromSnapshot(writer, keyGroup, kindOf));
  });
  return writer.finish();
}

/** A decoded piece as its blob; `stateMetaInfo` (the meta blob's) tells MAP states. */
export function encodeKeyGroupSnapshotPiece(snapshot: KeyGroupSnapshot, stateMetaInfo: Readonly<Record<string, StateMetaInfoSnapshot>>): Uint8Array {
  const writer = new BlobWriter(1024);
  writer.u8(KEYED_BLOB_MAGIC);
  writer.u8(KEYED_BLOB_VERSION);
  writer.u8(BLOB_TYPE_PIECE);
  writeKeyGroupBlockFromSnapshot(writer, snapshot, (stateName) => (Object.hasOwn(stateMetaInfo, stateName) ? stateMetaInfo[stateName]!.kind : undefined));
  return writer.finish();
}

// ---------------------------------------------------------------------------------------------- reading

/** A corrupt or unknown blob; the message names the blob and the byte. */
export class KeyedStateBlobError extends Error {
  override name = 'KeyedStateBlobError';
}

class BlobReader {
  offset = 0;
  readonly #view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly where: string,
  ) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(detail: string, at = this.offset): never {
    throw new KeyedStateBlobError(`Keyed state blob ${this.where}, byte ${at}: ${detail}`);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  header(type: number): void {
    const magic = this.u8('the magic byte');
    if (magic !== KEYED_BLOB_MAGIC) this.fail(`starts with byte ${magic}, neither a keyed state blob (${KEYED_BLOB_MAGIC}) nor JSON ('{')`, 0);
    const version = this.u8('the version');
    if (version !== KEYED_BLOB_VERSION) this.fail(`version ${version}; this reader knows ${KEYED_BLOB_VERSION}`, 1);
    const found = this.u8('the blob type');
    if (found !== type) this.fail(`is a ${typeName(found)}, not a ${typeName(type)}`, 2);
  }

  u8(what: string): number {
    if (this.offset >= this.bytes.length) this.fail(`ends before ${what}`);
    return this.bytes[this.offset++]!;
  }

  varuint(what: string): number {
    const bytes = this.bytes;
    let at = this.offset;
    const first = bytes[at];
    if (first !== undefined && first < 0x80) {
      this.offset = at + 1;
      return first;
    }
    const start = at;
    let value = 0;
    let scale = 1;
    for (let index = 0; index < 8; index++) {
      if (at >= bytes.length) this.fail(`ends inside ${what}`, start);
      const byte = bytes[at++]!;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (!Number.isSafeInteger(value)) this.fail(`${what} is beyond 2^53`, start);
        this.offset = at;
        return value;
      }
      scale *= 0x80;
    }
    return this.fail(`${what} is a varuint longer than 8 bytes`, start);
  }

  /** A count of items that take at least one byte each. */
  count(what: string): number {
    const at = this.offset;
    const value = this.varuint(what);
    if (value > this.remaining) this.fail(`${what} is ${value}, more than the ${this.remaining} bytes left can hold`, at);
    return value;
  }

  zigzag32(what: string): number {
    const at = this.offset;
    const raw = this.varuint(what);
    if (raw > 0xffffffff) this.fail(`${what} is not a zig-zag int32`, at);
    return (raw >>> 1) ^ -(raw & 1);
  }

  float64(what: string): number {
    if (this.remaining < 8) this.fail(`ends inside ${what}`);
    const value = this.#view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
  }

  u32(what: string): number {
    if (this.remaining < 4) this.fail(`ends inside ${what}`);
    const value = this.#view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }

  string(what: string): string {
    const at = this.offset;
    // The message only on failure: strings are most of what a blob reads.
    const bytes = this.bytes;
    const first = bytes[at];
    const length = first !== undefined && first < 0x80 ? ((this.offset = at + 1), first) : this.varuint(`the length of ${what}`);
    if (length > this.remaining) this.fail(`the length of ${what} is ${length}, more than the ${this.remaining} bytes left can hold`, at);
    const start = this.offset;
    const end = start + length;
    if (length <= 32) {
      let text = '';
      let index = start;
      for (; index < end; index++) {
        const byte = bytes[index]!;
        if (byte >= 0x80) break;
        text += String.fromCharCode(byte);
      }
      if (index === end) {
        this.offset = end;
        return text;
      }
    }
    this.offset = end;
    try {
      return fatalDecoder.decode(bytes.subarray(start, end));
    } catch {
      return this.fail(`${what} is not valid UTF-8`, at);
    }
  }

  json(what: string): Json {
    const at = this.offset;
    const text = this.string(what);
    try {
      return JSON.parse(text) as Json;
    } catch (error) {
      return this.fail(`${what} is not JSON: ${error instanceof Error ? error.message : String(error)}`, at);
    }
  }

  key(): Key {
    const at = this.offset;
    const tag = this.u8('a key');
    if (tag === KEY_TAG_STRING) return this.string('a string key');
    if (tag === KEY_TAG_INT32) return this.zigzag32('an int32 key');
    if (tag === KEY_TAG_FLOAT64) return this.float64('a float64 key');
    if (tag === KEY_TAG_JSON) return this.json('a key as JSON') as Key;
    return this.fail(`unknown key tag ${tag}`, at);
  }

  value(depth: number): Json {
    const at = this.offset;
    const tag = this.u8('a value');
    switch (tag) {
      case VALUE_TAG_NULL:
        return null;
      case VALUE_TAG_FALSE:
        return false;
      case VALUE_TAG_TRUE:
        return true;
      case VALUE_TAG_INT32:
        return this.zigzag32('an int32 value');
      case VALUE_TAG_FLOAT64:
        return this.float64('a float64 value');
      case VALUE_TAG_STRING:
        return this.string('a string value');
      case VALUE_TAG_JSON:
        return this.json('a value as JSON');
      case VALUE_TAG_ARRAY: {
        if (depth >= MAX_TAGGED_DEPTH) this.fail(`an array nests deeper than ${MAX_TAGGED_DEPTH}`, at);
        const length = this.count('the length of an array');
        const array: Json[] = new Array<Json>(length);
        for (let index = 0; index < length; index++) array[index] = this.value(depth + 1);
        return array;
      }
      case VALUE_TAG_OBJECT: {
        if (depth >= MAX_TAGGED_DEPTH) this.fail(`an object nests deeper than ${MAX_TAGGED_DEPTH}`, at);
        const count = this.count('the number of members of an object');
        const object: Record<string, Json> = {};
        for (let index = 0; index < count; index++) {
          const name = this.string('a member name');
          const member = this.value(depth + 1);
          // As JSON.parse: "__proto__" is an own data property, never the prototype.
          if (name === '__proto__') Object.defineProperty(object, name, { value: member, enumerable: true, writable: true, configurable: true });
          else object[name] = member;
        }
        return object;
      }
      case VALUE_TAG_MAP: {
        if (depth > 0) this.fail('a MAP value inside another value', at);
        const count = this.count('the number of entries of a MAP value');
        const pairs: Json[] = new Array<Json>(count);
        for (let index = 0; index < count; index++) {
          const userKey = this.key();
          pairs[index] = [userKey, this.value(1)];
        }
        return pairs;
      }
      default:
        return this.fail(`unknown value tag ${tag}`, at);
    }
  }

  /** A key group block (see writeKeyGroupBlockFromCells) as data. */
  block(): KeyGroupSnapshot {
    const keyGroup = this.varuint('the key group');
    const stateCount = this.count('the number of states');
    const states: Record<string, Array<[Key, Json]>> = {};
    for (let index = 0; index < stateCount; index++) {
      const at = this.offset;
      const name = this.string('a state name');
      if (Object.hasOwn(states, name)) this.fail(`state "${name}" appears twice in key group ${keyGroup}`, at);
      const count = this.count(`the number of entries of state "${name}"`);
      const entries = new Array<[Key, Json]>(count);
      for (let entry = 0; entry < count; entry++) {
        const key = this.key();
        entries[entry] = [key, this.value(0)];
      }
      Object.defineProperty(states, name, { value: entries, enumerable: true, writable: true, configurable: true });
    }
    return { keyGroup, states };
  }

  readHeader(): Omit<KeyedStateSnapshot, 'keyGroups'> {
    const at = this.offset;
    const code = this.u8('the backend');
    const backend = BACKENDS_BY_CODE.get(code) ?? this.fail(`unknown backend code ${code}`, at);
    const maxParallelism = this.varuint('the max parallelism');
    const start = this.varuint('the first key group');
    const end = this.varuint('the last key group');
    const count = this.count('the number of states');
    const stateMetaInfo: Record<string, StateMetaInfoSnapshot> = {};
    for (let index = 0; index < count; index++) {
      const nameAt = this.offset;
      const name = this.string('a state name');
      if (Object.hasOwn(stateMetaInfo, name)) this.fail(`state "${name}" appears twice`, nameAt);
      const kindAt = this.offset;
      const kindCode = this.u8(`the kind of state "${name}"`);
      const kind = KINDS_BY_CODE.get(kindCode) ?? this.fail(`state "${name}" has unknown kind code ${kindCode}`, kindAt);
      Object.defineProperty(stateMetaInfo, name, { value: { kind }, enumerable: true, writable: true, configurable: true });
    }
    return { backend, maxParallelism, keyGroupRange: { start, end }, stateMetaInfo };
  }

  expectEnd(what: string): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} bytes follow ${what}`);
  }
}

function typeName(type: number): string {
  if (type === BLOB_TYPE_FULL) return 'full snapshot blob';
  if (type === BLOB_TYPE_META) return 'meta blob';
  if (type === BLOB_TYPE_PIECE) return 'key-group piece';
  return `blob of unknown type ${type}`;
}

function parseJsonBlob(bytes: Uint8Array, where: string): unknown {
  try {
    return JSON.parse(jsonDecoder.decode(bytes));
  } catch (error) {
    throw new KeyedStateBlobError(`Keyed state blob ${where} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function blobType(bytes: Uint8Array, where: string): number | 'json' {
  if (bytes.length === 0) throw new KeyedStateBlobError(`Keyed state blob ${where} is empty`);
  if (bytes[0] === JSON_OPEN_BRACE) return 'json';
  if (bytes[0] !== KEYED_BLOB_MAGIC) throw new KeyedStateBlobError(`Keyed state blob ${where}, byte 0: starts with byte ${bytes[0]}, neither a keyed state blob (${KEYED_BLOB_MAGIC}) nor JSON ('{')`);
  if (bytes.length < 3) throw new KeyedStateBlobError(`Keyed state blob ${where} ends inside its header`);
  return bytes[2]!;
}

export interface DecodeKeyedStateOptions {
  /** Decode only the key groups this accepts (the others are skipped by their byte length); default all. */
  readonly keyGroups?: (keyGroup: number) => boolean;
}

/**
 * A full snapshot blob or a meta blob (then without key groups), binary or JSON, as the plain
 * KeyedStateSnapshot data restore reads. A JSON blob is returned as parsed (restore checks its shape).
 */
export function decodeKeyedStateBlob(bytes: Uint8Array, where = 'a keyed state blob', options: DecodeKeyedStateOptions = {}): KeyedStateSnapshot {
  const type = blobType(bytes, where);
  if (type === 'json') return parseJsonBlob(bytes, where) as KeyedStateSnapshot;
  const reader = new BlobReader(bytes, where);
  if (type === BLOB_TYPE_META) {
    reader.header(BLOB_TYPE_META);
    const header = reader.readHeader();
    reader.expectEnd('the state meta info');
    return { ...header, keyGroups: [] };
  }
  reader.header(BLOB_TYPE_FULL);
  const header = reader.readHeader();
  const count = reader.count('the number of key groups');
  const keyGroups: KeyGroupSnapshot[] = [];
  const accept = options.keyGroups;
  for (let index = 0; index < count; index++) {
    const lengthAt = reader.offset;
    const length = reader.u32('the length of a key group');
    if (length > reader.remaining) reader.fail(`a key group of ${length} bytes, more than the ${reader.remaining} left`, lengthAt);
    const end = reader.offset + length;
    if (accept !== undefined) {
      const keyGroupAt = reader.offset;
      const keyGroup = reader.varuint('the key group');
      reader.offset = keyGroupAt;
      if (!accept(keyGroup)) {
        reader.offset = end;
        continue;
      }
    }
    keyGroups.push(reader.block());
    if (reader.offset !== end) reader.fail(`the key group ends at byte ${reader.offset}, its length says ${end}`, lengthAt);
  }
  reader.expectEnd('the last key group');
  return { ...header, keyGroups };
}

/** An incremental snapshot's piece (binary, or the JSON KeyGroupSnapshot of old checkpoints and of the indexeddb working store's chunks). */
export function decodeKeyGroupPiece(bytes: Uint8Array, where = 'a key-group piece'): KeyGroupSnapshot {
  const type = blobType(bytes, where);
  if (type === 'json') {
    const parsed = parseJsonBlob(bytes, where) as KeyGroupSnapshot | null;
    if (parsed === null || typeof parsed !== 'object' || !Number.isInteger(parsed.keyGroup) || parsed.states === null || typeof parsed.states !== 'object') {
      throw new KeyedStateBlobError(`Keyed state blob ${where} is not a key group's state ({ keyGroup, states })`);
    }
    return parsed;
  }
  const reader = new BlobReader(bytes, where);
  reader.header(BLOB_TYPE_PIECE);
  const block = reader.block();
  reader.expectEnd('the key group');
  return block;
}

/** Whether `bytes` is a binary blob of this module (false: a JSON one, or not a keyed blob at all). */
export function isBinaryKeyedBlob(bytes: Uint8Array): boolean {
  return bytes[0] === KEYED_BLOB_MAGIC;
}
