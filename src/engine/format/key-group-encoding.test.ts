// The binary encoding of keyed state, byte for byte as docs/snapshot-format.md defines it, and its
// refusals: keys must hash to their key group, states must be declared, varints minimal.
import { describe, expect, it } from 'vitest';
import { ByteReader } from './byte-reader';
import { ByteWriter } from './byte-writer';
import { readKeyedStateHeader, readKeyGroupBlock, writeKeyedStateHeader, writeKeyGroupBlock, type KeyGroupBlockContext } from './key-group-encoding';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const context: KeyGroupBlockContext = { maxParallelism: 4, start: 0, end: 3, stateMetaInfo: { sum: { kind: 'VALUE' }, seen: { kind: 'MAP' } }, maxJsonDepth: 64 };

function written(write: (writer: ByteWriter) => void): Uint8Array {
  const writer = new ByteWriter();
  write(writer);
  return writer.finish();
}

describe('the keyed state encoding', () => {
  it('writes a header as version, backend and (name, kind) per state', () => {
    const bytes = written((writer) => writeKeyedStateHeader(writer, { backend: 'hashmap', stateMetaInfo: { sum: { kind: 'VALUE' } } }));
    // 01 | 07 "hashmap" | 01 state | 03 "sum" 01=VALUE
    expect(hex(bytes)).toBe('01' + '07' + hex(Buffer.from('hashmap')) + '01' + '03' + hex(Buffer.from('sum')) + '01');
    expect(readKeyedStateHeader(new ByteReader(bytes, 'e'))).toEqual({ backend: 'hashmap', stateMetaInfo: { sum: { kind: 'VALUE' } } });
  });

  it('writes a key group as its number, then per state its name and [key, JSON value] entries', () => {
    const bytes = written((writer) => writeKeyGroupBlock(writer, { keyGroup: 2, states: { sum: [['key-1', 1]] } }));
    // 02 key group | 01 state | 03 "sum" | 01 entry | 01=string key 05 "key-1" | 01 "1"
    expect(hex(bytes)).toBe('02' + '01' + '03' + hex(Buffer.from('sum')) + '01' + '01' + '05' + hex(Buffer.from('key-1')) + '01' + hex(Buffer.from('1')));
    expect(readKeyGroupBlock(new ByteReader(bytes, 'e'), context)).toEqual({ keyGroup: 2, states: { sum: [['key-1', 1]] } });
  });

  it('tags int32 keys as zig-zag varints and other numbers as big-endian float64', () => {
    // Key groups of 7, -3 and 2.5 with max parallelism 4 are 1, 0 and 0.
    for (const [keyGroup, key, encoded] of [[1, 7, '020e'], [0, -3, '0205'], [0, 2.5, '034004000000000000']] as const) {
      const bytes = written((writer) => writeKeyGroupBlock(writer, { keyGroup, states: { sum: [[key, 0]] } }));
      expect(hex(bytes)).toContain(encoded);
      expect(readKeyGroupBlock(new ByteReader(bytes, 'e'), context).states['sum']).toEqual([[key, 0]]);
    }
  });

  it('refuses a key filed under a key group it does not hash to, naming the byte', () => {
    const bytes = written((writer) => writeKeyGroupBlock(writer, { keyGroup: 1, states: { sum: [['key-1', 1]] } }));
    expect(() => readKeyGroupBlock(new ByteReader(bytes, 'entry'), context)).toThrow('entry @ byte 7: key "key-1" is filed under key group 1 but hashes to 2');
  });

  it('refuses a state the meta info does not declare, and MAP values that are not pairs', () => {
    const unknown = written((writer) => writeKeyGroupBlock(writer, { keyGroup: 2, states: { other: [['key-1', 1]] } }));
    expect(() => readKeyGroupBlock(new ByteReader(unknown, 'entry'), context)).toThrow('state "other" is not in the state meta info');
    const map = written((writer) => writeKeyGroupBlock(writer, { keyGroup: 2, states: { seen: [['key-1', 1]] } }));
    expect(() => readKeyGroupBlock(new ByteReader(map, 'entry'), context)).toThrow('a value of MAP state "seen" is not a list of [userKey, value] pairs');
  });

  it('reads varints up to 2^53 and refuses redundant or overlong ones', () => {
    for (const value of [0, 127, 128, 300, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
      expect(new ByteReader(written((writer) => writer.varuint(value)), 'e').varuint('v')).toBe(value);
    }
    expect(() => new ByteReader(Uint8Array.from([0x80, 0x00]), 'e').varuint('v')).toThrow('e @ byte 0: v is a varuint with a redundant last byte');
    expect(() => new ByteReader(new Uint8Array(9).fill(0xff), 'e').varuint('v')).toThrow('v is a varuint longer than 8 bytes');
    expect(() => new ByteReader(Uint8Array.from([0x80]), 'e').varuint('v')).toThrow('e @ byte 1: ends before v');
  });
});
