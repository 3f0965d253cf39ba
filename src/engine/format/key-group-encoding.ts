// The binary encoding of keyed state: a header with the state meta info (Flink's KeyedBackendSerializationProxy)
// and one self-contained block per key group. Decoding checks every key hashes to the key group it is filed under.
import type { StateKind } from '../state/descriptors';
import type { Key } from '../state/java-hash-code';
import type { Json } from '../state/json';
import type { KeyedStateBackendName, KeyGroupSnapshot, StateMetaInfoSnapshot } from '../state/keyed-state-snapshot';
import { assignToKeyGroup } from '../state/key-groups';
import type { ByteReader } from './byte-reader';
import type { ByteWriter } from './byte-writer';
import { quote } from './snapshot-file-error';
import { MAX_NAME_LENGTH } from './snapshot-file-limits';
import { parseUntrustedJson, VALUE_FORBIDDEN_KEYS } from './untrusted-json';

/** The first byte of every keyed-state and meta-state entry. */
export const KEYED_STATE_ENCODING_VERSION = 1;

export const STATE_KIND_CODES: Readonly<Record<StateKind, number>> = { VALUE: 1, LIST: 2, MAP: 3, REDUCING: 4, AGGREGATING: 5 };
const KINDS_BY_CODE: ReadonlyMap<number, StateKind> = new Map(Object.entries(STATE_KIND_CODES).map(([kind, code]) => [code, kind as StateKind]));
const BACKENDS: ReadonlySet<string> = new Set<KeyedStateBackendName>(['hashmap', 'indexeddb']);

export const KEY_TAG_STRING = 1;
export const KEY_TAG_INT32 = 2;
export const KEY_TAG_FLOAT64 = 3;

export interface KeyedStateHeader {
  readonly backend: KeyedStateBackendName;
  readonly stateMetaInfo: Readonly<Record<string, StateMetaInfoSnapshot>>;
}

export function writeKeyedStateHeader(writer: ByteWriter, header: KeyedStateHeader): void {
  writer.u8(KEYED_STATE_ENCODING_VERSION);
  writer.string(header.backend);
  const states = Object.entries(header.stateMetaInfo);
  writer.varuint(states.length);
  for (const [name, { kind }] of states) {
    writer.string(name);
    writer.u8(STATE_KIND_CODES[kind]);
  }
}

export function readKeyedStateHeader(reader: ByteReader): KeyedStateHeader {
  const version = reader.u8('the encoding version');
  if (version !== KEYED_STATE_ENCODING_VERSION) reader.fail(`encoding version ${version}; this reader knows ${KEYED_STATE_ENCODING_VERSION}`, reader.offset - 1);
  const backend = reader.string('the backend name', MAX_NAME_LENGTH);
  if (!BACKENDS.has(backend)) reader.fail(`unknown backend ${quote(backend)}`);
  const count = reader.count('the number of states', 2);
  const states: Array<[string, StateMetaInfoSnapshot]> = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const name = readStateName(reader, seen);
    const code = reader.u8(`the kind of state ${quote(name)}`);
    const kind = KINDS_BY_CODE.get(code) ?? reader.fail(`state ${quote(name)} has unknown kind code ${code}`, reader.offset - 1);
    states.push([name, { kind }]);
  }
  return { backend: backend as KeyedStateBackendName, stateMetaInfo: Object.fromEntries(states) };
}

export function writeKeyGroupBlock(writer: ByteWriter, snapshot: KeyGroupSnapshot): void {
  writer.varuint(snapshot.keyGroup);
  const states = Object.entries(snapshot.states);
  writer.varuint(states.length);
  for (const [name, entries] of states) {
    writer.string(name);
    writer.varuint(entries.length);
    for (const [key, value] of entries) {
      writeKey(writer, key);
      writer.json(value);
    }
  }
}

/** What a block must agree with: the handle's key groups and the states its header (or meta state) declares. */
export interface KeyGroupBlockContext {
  readonly maxParallelism: number;
  readonly start: number;
  readonly end: number;
  readonly stateMetaInfo: Readonly<Record<string, StateMetaInfoSnapshot>>;
  readonly maxJsonDepth: number;
}

export function readKeyGroupBlock(reader: ByteReader, context: KeyGroupBlockContext): KeyGroupSnapshot {
  const keyGroup = reader.varuint('the key group');
  if (keyGroup < context.start || keyGroup > context.end) reader.fail(`key group ${keyGroup} is outside the handle's range ${context.start}-${context.end}`);
  const count = reader.count('the number of states', 2);
  const states: Array<[string, Array<[Key, Json]>]> = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const name = readStateName(reader, seen);
    const kind = Object.hasOwn(context.stateMetaInfo, name) ? context.stateMetaInfo[name]!.kind : reader.fail(`state ${quote(name)} is not in the state meta info`);
    states.push([name, readEntries(reader, keyGroup, name, kind, context)]);
  }
  return { keyGroup, states: Object.fromEntries(states) };
}

function readEntries(reader: ByteReader, keyGroup: number, name: string, kind: StateKind, context: KeyGroupBlockContext): Array<[Key, Json]> {
  const count = reader.count(`the number of entries of state ${quote(name)}`, 2);
  const entries: Array<[Key, Json]> = [];
  const keys = new Set<string>();
  for (let i = 0; i < count; i++) {
    const at = reader.offset;
    const key = readKey(reader);
    const token = `${typeof key}:${String(key)}`;
    if (keys.has(token)) reader.fail(`key ${JSON.stringify(key)} appears twice in state ${quote(name)}`, at);
    keys.add(token);
    const expected = assignToKeyGroup(key, context.maxParallelism);
    if (expected !== keyGroup) reader.fail(`key ${JSON.stringify(key)} is filed under key group ${keyGroup} but hashes to ${expected}`, at);
    entries.push([key, readValue(reader, name, kind, context.maxJsonDepth)]);
  }
  return entries;
}

function readValue(reader: ByteReader, name: string, kind: StateKind, maxJsonDepth: number): Json {
  const at = reader.offset;
  const text = reader.string(`a value of state ${quote(name)}`, Number.MAX_SAFE_INTEGER);
  const where = `${reader.entry} @ byte ${at}`;
  const value = parseUntrustedJson(text, { kind: 'invalid-entry', where, maxDepth: maxJsonDepth, forbiddenKeys: VALUE_FORBIDDEN_KEYS }) as Json;
  if (kind === 'MAP' && !isMapValue(value)) reader.fail(`a value of MAP state ${quote(name)} is not a list of [userKey, value] pairs`, at);
  return value;
}

function isMapValue(value: Json): boolean {
  if (!Array.isArray(value)) return false;
  return value.every((pair: Json) => Array.isArray(pair) && pair.length === 2 && isKey(pair[0]));
}

function isKey(value: unknown): value is Key {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function writeKey(writer: ByteWriter, key: Key): void {
  if (typeof key === 'string') {
    writer.u8(KEY_TAG_STRING);
    writer.string(key);
  } else if ((key | 0) === key && !Object.is(key, -0)) {
    writer.u8(KEY_TAG_INT32);
    writer.zigzag32(key);
  } else if (Number.isFinite(key)) {
    writer.u8(KEY_TAG_FLOAT64);
    writer.float64(key);
  } else throw new TypeError(`A key must be a string or a finite number, got ${String(key)}`);
}

function readKey(reader: ByteReader): Key {
  const at = reader.offset;
  const tag = reader.u8('a key');
  if (tag === KEY_TAG_STRING) return reader.string('a string key', MAX_NAME_LENGTH * 64);
  if (tag === KEY_TAG_INT32) return reader.zigzag32('an int32 key');
  if (tag !== KEY_TAG_FLOAT64) return reader.fail(`unknown key tag ${tag}`, at);
  const value = reader.float64('a float64 key');
  if (!Number.isFinite(value) || ((value | 0) === value && !Object.is(value, -0))) reader.fail(`float64 key ${value} must be a finite number that is not an int32`, at);
  return value;
}

function readStateName(reader: ByteReader, seen: Set<string>): string {
  const at = reader.offset;
  const name = reader.string('a state name', MAX_NAME_LENGTH);
  if (name.length === 0 || VALUE_FORBIDDEN_KEYS.has(name)) reader.fail(`state name ${quote(name)} is not allowed`, at);
  if (seen.has(name)) reader.fail(`state ${quote(name)} appears twice`, at);
  seen.add(name);
  return name;
}
