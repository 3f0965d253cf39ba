// The storage blob codec of keyed state: every state kind round-trips from the frozen view, values decode to
// what JSON made of them, old JSON blobs and the working store's JSON chunks still decode, and a corrupt blob
// fails with a message naming it and the byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from '../state/descriptors';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend';
import { KeyGroupRange } from '../state/key-group-range';
import { materializeKeyedSnapshot, materializeKeyGroup, type KeyedStateSnapshotView } from '../state/keyed-state-snapshot';
import type { Key } from '../state/java-hash-code';
import {
  decodeKeyedStateBlob,
  decodeKeyGroupPiece,
  encodeFullSnapshotBlob,
  encodeKeyedSnapshotBlob,
  encodeKeyGroupPiece,
  encodeKeyGroupSnapshotPiece,
  encodeMetaBlob,
  encodeViewKeyGroupPiece,
  KEYED_BLOB_MAGIC,
  KeyedStateBlobError,
  MAX_TAGGED_DEPTH,
} from './keyed-state-blob';

const encoder = new TextEncoder();
const jsonOf = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function backendWithEveryKind(): HeapKeyedStateBackend {
  const backend = new HeapKeyedStateBackend({ maxParallelism: 128, keyGroupRange: new KeyGroupRange(0, 127) });
  const value = backend.getPartitionedState(new ValueStateDescriptor<unknown>('value'));
  const list = backend.getPartitionedState(new ListStateDescriptor<unknown>('list'));
  const map = backend.getPartitionedState(new MapStateDescriptor<string | number, unknown>('map'));
  const sum = backend.getPartitionedState(new ReducingStateDescriptor<number>('sum', (x, y) => x + y));
  const count = backend.getPartitionedState(
    new AggregatingStateDescriptor('count', {
      createAccumulator: () => ({ count: 0, last: '' }),
      add: (item: string, accumulator: { count: number; last: string }) => ({ count: accumulator.count + 1, last: item }),
      getResult: (accumulator: { count: number; last: string }) => accumulator.count,
    }),
  );
  const keys: Key[] = ['a', 'ключ', '🦀 crab', 7, -3, 2.5, 0, 2147483647, -2147483648, 4294967296];
  keys.forEach((key, index) => {
    backend.setCurrentKey(key);
    value.update([index, -index, index / 3, `v${index}`, index % 2 === 0, null, { nested: { deep: [1, 'two', { three: 3 }] } }]);
    list.addAll([index, 'x', 1.5e300, -0.25]);
    map.put('user', index);
    map.put(42, { n: index });
    map.put('ünï', 'çødé');
    sum.add(index + 0.5);
    count.add(`item-${index}`);
  });
  return backend;
}

describe('keyed state blobs', () => {
  it('round-trip a full snapshot of every state kind as materializeKeyedSnapshot + JSON gave it', () => {
    const view = backendWithEveryKind().snapshot();
    const bytes = encodeFullSnapshotBlob(view);
    expect(bytes[0]).toBe(KEYED_BLOB_MAGIC);
    expect(decodeKeyedStateBlob(bytes)).toEqual(jsonOf(materializeKeyedSnapshot(view)));
    // Smaller than the JSON blob it replaces.
    expect(bytes.length).toBeLessThan(encoder.encode(JSON.stringify(materializeKeyedSnapshot(view))).length);
  });

  it('restores a backend from its blob that snapshots to the same blob', () => {
    const view = backendWithEveryKind().snapshot();
    const bytes = encodeFullSnapshotBlob(view);
    const restored = HeapKeyedStateBackend.restore({ maxParallelism: 128, keyGroupRange: new KeyGroupRange(0, 127) }, [decodeKeyedStateBlob(bytes)]);
    expect(encodeFullSnapshotBlob(restored.snapshot())).toEqual(bytes);
  });

  it('writes the meta blob and the pieces of an incremental snapshot, and re-encodes decoded data to the same bytes', () => {
    const view = backendWithEveryKind().snapshot();
    const meta = encodeMetaBlob(view);
    const metaSnapshot = decodeKeyedStateBlob(meta);
    expect(metaSnapshot).toEqual({ ...(jsonOf(materializeKeyedSnapshot(view)) as object), keyGroups: [] });
    expect(encodeKeyedSnapshotBlob(metaSnapshot, true)).toEqual(meta);
    for (const keyGroup of view.keyGroups.keys()) {
      const piece = encodeViewKeyGroupPiece(view, keyGroup)!;
      const decoded = decodeKeyGroupPiece(piece);
      expect(decoded).toEqual(jsonOf(materializeKeyGroup(view, keyGroup)));
      expect(encodeKeyGroupSnapshotPiece(decoded, metaSnapshot.stateMetaInfo)).toEqual(piece);
    }
    expect(encodeViewKeyGroupPiece(view, 200)).toBeNull();
    const full = encodeFullSnapshotBlob(view);
    expect(encodeKeyedSnapshotBlob(decodeKeyedStateBlob(full))).toEqual(full);
  });

  it('merges stored chunks, binary or JSON, into a full blob by key group', () => {
    const view = backendWithEveryKind().snapshot();
    const [first, second, ...rest] = [...view.keyGroups.keys()];
    const inMemory: KeyedStateSnapshotView = { ...view, keyGroups: new Map(rest.map((keyGroup) => [keyGroup, view.keyGroups.get(keyGroup)!])) };
    const stored = new Map([
      [first!, encoder.encode(JSON.stringify(materializeKeyGroup(view, first!)))],
      [second!, encodeKeyGroupPiece(second!, view.keyGroups.get(second!)!, (name) => view.stateMetaInfo.get(name))],
    ]);
    expect(encodeFullSnapshotBlob(inMemory, stored)).toEqual(encodeFullSnapshotBlob(view));
  });

  it('decodes only the key groups asked for', () => {
    const view = backendWithEveryKind().snapshot();
    const decoded = decodeKeyedStateBlob(encodeFullSnapshotBlob(view), 'x', { keyGroups: (keyGroup) => keyGroup < 64 });
    expect(decoded.keyGroups.map((keyGroup) => keyGroup.keyGroup)).toEqual([...view.keyGroups.keys()].filter((keyGroup) => keyGroup < 64));
  });

  it('gives any value what JSON.parse(JSON.stringify(value)) gives: -0 as 0, NaN and Infinity as null, undefined members dropped', () => {
    const values: unknown[] = [
      -0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      [undefined, () => 1, Number.NEGATIVE_INFINITY],
      { a: undefined, b: 1, toString: 'x' },
      // 129 members of which 2 are skipped: the member count shrinks to one byte.
      Object.fromEntries(Array.from({ length: 129 }, (_, index) => [`m${index}`, index < 2 ? undefined : index])),
      { __proto__: 'own', constructor: 1 },
      JSON.parse('{"__proto__": {"polluted": true}}'),
      new Date(0),
      { toJSON: () => 'custom' },
      'lone \ud800 surrogate',
      { ['lone \udc00 key']: 1 },
      [1, [2, [3, [4]]]],
      Array.from({ length: MAX_TAGGED_DEPTH + 5 }).reduce<unknown>((inner) => [inner], 'deepest'),
      new Map([['not', 'MAP state']]),
      2 ** 31,
      -(2 ** 31) - 1,
      Number.MAX_SAFE_INTEGER,
      5e-324,
      '',
      'x'.repeat(200),
      'é'.repeat(50),
    ];
    for (const value of values) {
      const piece = encodeKeyGroupPiece(3, [['value', new Map([['k', { value }]])]], () => 'VALUE');
      expect(decodeKeyGroupPiece(piece).states.value, JSON.stringify(value)).toEqual([['k', jsonOf(value)]]);
    }
    const proto = encodeKeyGroupPiece(3, [['value', new Map([['k', { value: JSON.parse('{"__proto__": {"polluted": true}}') as unknown }]])]], () => 'VALUE');
    const decoded = decodeKeyGroupPiece(proto).states.value![0]![1] as object;
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });

  it('gives any JSON value back (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), fc.jsonValue())), (entries) => {
        const cells = new Map(entries.map(([key, value]) => [key, { value }] as const));
        const piece = encodeKeyGroupPiece(9, [['value', cells]], () => 'VALUE');
        expect(decodeKeyGroupPiece(piece)).toEqual({ keyGroup: 9, states: { value: jsonOf([...cells].map(([key, cell]) => [key, cell.value])) } });
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('keys a key that is no well-formed string or finite number by its JSON text, as the JSON blobs did', () => {
    const piece = encodeKeyGroupPiece(0, [['value', new Map<Key, { value: unknown }>([['\udfff', { value: 1 }], [Number.NaN, { value: 2 }], [-0, { value: 3 }]])]], () => 'VALUE');
    expect(decodeKeyGroupPiece(piece).states.value).toEqual([['\udfff', 1], [null, 2], [0, 3]]);
  });

  it('still reads the JSON blobs of older checkpoints and the working store’s JSON chunks', () => {
    const view = backendWithEveryKind().snapshot();
    const full = materializeKeyedSnapshot(view);
    expect(decodeKeyedStateBlob(encoder.encode(JSON.stringify(full)))).toEqual(jsonOf(full));
    const meta = materializeKeyedSnapshot({ ...view, keyGroups: new Map() });
    expect(decodeKeyedStateBlob(encoder.encode(JSON.stringify(meta)))).toEqual(jsonOf(meta));
    const keyGroup = [...view.keyGroups.keys()][0]!;
    const chunk = materializeKeyGroup(view, keyGroup);
    expect(decodeKeyGroupPiece(encoder.encode(JSON.stringify(chunk)))).toEqual(jsonOf(chunk));
  });

  it('refuses a corrupt blob with a message naming it and the byte', () => {
    const view = backendWithEveryKind().snapshot();
    const full = encodeFullSnapshotBlob(view);
    const piece = encodeViewKeyGroupPiece(view, [...view.keyGroups.keys()][0]!)!;
    const refusal = (bytes: Uint8Array, decode: (bytes: Uint8Array, where: string) => unknown = decodeKeyedStateBlob) => {
      try {
        decode(bytes, "'chk-1/blob'");
      } catch (error) {
        expect(error).toBeInstanceOf(KeyedStateBlobError);
        return (error as Error).message;
      }
      throw new Error('decoded');
    };
    expect(refusal(new Uint8Array())).toBe("Keyed state blob 'chk-1/blob' is empty");
    expect(refusal(new Uint8Array([0x00, 1, 2]))).toBe("Keyed state blob 'chk-1/blob', byte 0: starts with byte 0, neither a keyed state blob (188) nor JSON ('{')");
    expect(refusal(encoder.encode('{"keyGroups": ['))).toMatch(/^Keyed state blob 'chk-1\/blob' is not JSON: /);
    expect(refusal(Uint8Array.of(KEYED_BLOB_MAGIC, 9, 1))).toBe("Keyed state blob 'chk-1/blob', byte 1: version 9; this reader knows 1");
    expect(refusal(piece)).toBe("Keyed state blob 'chk-1/blob', byte 2: is a key-group piece, not a full snapshot blob");
    expect(refusal(full, decodeKeyGroupPiece)).toBe("Keyed state blob 'chk-1/blob', byte 2: is a full snapshot blob, not a key-group piece");
    expect(refusal(full.subarray(0, full.length - 3))).toMatch(/^Keyed state blob 'chk-1\/blob', byte \d+: /);
    expect(refusal(Uint8Array.of(...full, 0))).toMatch(/1 bytes follow the last key group$/);
    expect(refusal(encoder.encode('{"keyGroup": "x"}'), decodeKeyGroupPiece)).toMatch(/is not a key group's state/);
    // Every truncation and every flipped byte either decodes or fails with this error, never anything else.
    for (let length = 0; length < full.length; length += 7) refusal(full.subarray(0, length));
    for (let at = 3; at < Math.min(full.length, 400); at++) {
      const flipped = Uint8Array.from(full);
      flipped[at] = flipped[at]! ^ 0xff;
      try {
        decodeKeyedStateBlob(flipped);
      } catch (error) {
        expect(error, `byte ${at}`).toBeInstanceOf(KeyedStateBlobError);
      }
    }
  });
});
