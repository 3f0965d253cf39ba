// The indexeddb backend's working-store chunk: one IndexedDB value per key group, split into BLOCKS_PER_KEY_GROUP
// blocks by a stable hash of the key (RocksDB's data blocks, with the key group as the SST file), each block
// decodable on its own, so the backend's cache holds blocks, not whole key groups.
// Layout: magic (u32 LE), then BLOCKS_PER_KEY_GROUP + 1 offsets (u32 LE, from the end of the header), then the
// blocks' bytes; a block is the UTF-8 JSON of [stateName, [[key, value], ...]][] (values as in KeyGroupSnapshot), or empty.
import { keyHashCode, type Key } from './java-hash-code';
import { MAX_UNCACHED_KEY_LENGTH } from './key-groups';
import { mixedStringHash } from './key-hash-cache';
import { murmurHash } from './math-utils';
import type { Json } from './json';

/**
 * Blocks per key group. Finer blocks move fewer keys per miss (a miss loads, and an eviction writes, a whole
 * block): at 100k keys and parallelism 2 a block holds about 3 keys. The offset table costs 1 KiB per chunk.
 */
export const BLOCKS_PER_KEY_GROUP = 256;

const MAGIC = 0x4b474231; // "KGB1"
const HEADER_BYTES = 4 + 4 * (BLOCKS_PER_KEY_GROUP + 1);
const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One block's entries: state name → [key, snapshot value] pairs. */
export type BlockEntries = Array<[string, Array<[Key, Json]>]>;

/**
 * The block (0 ≤ block < BLOCKS_PER_KEY_GROUP) of `key` within its key group: the bits of the key's mixed hash
 * above those that chose the key group (murmurHash(hashCode) % maxParallelism), so blocks of a key group fill evenly.
 */
export function blockInKeyGroup(key: Key, maxParallelism: number): number {
  const mixed = typeof key === 'string' && key.length > MAX_UNCACHED_KEY_LENGTH ? mixedStringHash(key) : murmurHash(keyHashCode(key));
  return Math.floor(mixed / maxParallelism) % BLOCKS_PER_KEY_GROUP;
}

export function encodeBlock(entries: BlockEntries): Uint8Array {
  return entries.length === 0 ? EMPTY : encoder.encode(JSON.stringify(entries));
}

export function decodeBlock(bytes: Uint8Array): BlockEntries {
  return bytes.length === 0 ? [] : (JSON.parse(decoder.decode(bytes)) as BlockEntries);
}

/** Several blocks decoded with one TextDecoder call and one JSON.parse (small blocks cost mostly per call). */
export function decodeBlocks(blocks: readonly Uint8Array[]): BlockEntries[] {
  const present = blocks.filter((bytes) => bytes.length > 0);
  if (present.length === 0) return blocks.map(() => []);
  let total = 1 + present.length;
  for (const bytes of present) total += bytes.length;
  const joined = new Uint8Array(total);
  let offset = 0;
  joined[offset++] = 0x5b; // [
  present.forEach((bytes, i) => {
    if (i > 0) joined[offset++] = 0x2c; // ,
    joined.set(bytes, offset);
    offset += bytes.length;
  });
  joined[offset] = 0x5d; // ]
  const decoded = JSON.parse(decoder.decode(joined)) as BlockEntries[];
  let next = 0;
  return blocks.map((bytes) => (bytes.length === 0 ? [] : decoded[next++]!));
}

/** A chunk's blocks (views into it; empty ones have length 0). A missing chunk has only empty blocks. */
export function splitChunk(chunk: Uint8Array | undefined, keyGroup: number): Uint8Array[] {
  if (chunk === undefined) return Array.from({ length: BLOCKS_PER_KEY_GROUP }, () => EMPTY);
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk.byteLength < HEADER_BYTES || view.getUint32(0, true) !== MAGIC) {
    throw new Error(`The working store's chunk of key group ${keyGroup} is not a block chunk`);
  }
  const blocks: Uint8Array[] = [];
  for (let block = 0; block < BLOCKS_PER_KEY_GROUP; block++) {
    const from = view.getUint32(4 + 4 * block, true);
    const to = view.getUint32(8 + 4 * block, true);
    if (to < from || HEADER_BYTES + to > chunk.byteLength) throw new Error(`The chunk of key group ${keyGroup} has a bad offset table`);
    blocks.push(chunk.subarray(HEADER_BYTES + from, HEADER_BYTES + to));
  }
  return blocks;
}

/** The chunk of `blocks`, or null when every block is empty (the key group holds no state). */
export function joinChunk(blocks: readonly Uint8Array[]): Uint8Array | null {
  let total = 0;
  for (const block of blocks) total += block.length;
  if (total === 0) return null;
  const chunk = new Uint8Array(HEADER_BYTES + total);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, MAGIC, true);
  let offset = 0;
  for (let block = 0; block < BLOCKS_PER_KEY_GROUP; block++) {
    view.setUint32(4 + 4 * block, offset, true);
    const bytes = blocks[block] ?? EMPTY;
    chunk.set(bytes, HEADER_BYTES + offset);
    offset += bytes.length;
  }
  view.setUint32(4 + 4 * BLOCKS_PER_KEY_GROUP, offset, true);
  return chunk;
}
