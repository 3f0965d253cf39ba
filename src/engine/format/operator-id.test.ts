// Operator ids derived from uids must be Flink's, bit for bit: the vectors come from Guava 31.1's
// Hashing.murmur3_128(0) and from Flink's own SavepointMetadataTableFunction test (uid → operator-uid-hash).
import { describe, expect, it } from 'vitest';
import { murmur3x64Hash128, operatorIdOfUid } from './operator-id';

/** Printed by `Hashing.murmur3_128(0).newHasher().putString(uid, UTF_8).hash()` with Guava 31.1. */
const GUAVA_VECTORS: ReadonlyArray<readonly [string, string]> = [
  ['sum', '239c254b5ff89532b198266322bc819f'],
  ['', '00000000000000000000000000000000'],
  ['a', '897859f6655555855a890e51483ab5e6'],
  ['numbers', 'ca88eee0095684d687a1b6495617f957'],
  ['sink', '2e588ce1c86a9d46e2e85186773ce4fd'],
  ['running-sum', '17a90e8df3a584db11d3a963788d064f'],
  // 15, 16 and 17 bytes: a tail only, exactly one block, one block and a one-byte tail.
  ['abcdefghijklmno', 'fb2f0c895124be8a612a969c2d8c546a'],
  ['abcdefghijklmnop', '23b74c22a33ccac41aeb31b395d63343'],
  ['abcdefghijklmnopq', '57a6bd887f746475e40d11a19d49daec'],
  ['héllo wörld ✓ 𝄞', 'fcca0a4f40c4fcc1b808994d8b7e1ae4'],
  ['order-totals', '64d13d9aa16aa0e7527f2a20c03a2a05'],
  ['0123456789abcdef0123456789abcdef0123', '31b339fe361886a7f74449159f81e691'],
];

/** From Flink's SavepointMetadataTableFunctionTest: the operator-uid-hash column for the uids it sets. */
const FLINK_VECTORS: ReadonlyArray<readonly [string, string]> = [
  ['broadcast-source-uid', '3a6f51704798c4f418be51bfb6813b77'],
  ['keyed-broadcast-process-uid', '413c1d6f88ee8627fe4b8bc533b4cf1b'],
];

describe('operatorIdOfUid', () => {
  it.each(GUAVA_VECTORS)('hashes uid %j as Guava murmur3_128(0) does', (uid, hex) => {
    expect(operatorIdOfUid(uid)).toBe(hex);
  });

  it.each(FLINK_VECTORS)('gives uid %j the operator id Flink reports for it', (uid, hex) => {
    expect(operatorIdOfUid(uid)).toBe(hex);
  });

  it('hashes the UTF-8 bytes, so a string and its bytes agree', () => {
    const bytes = new TextEncoder().encode('héllo wörld ✓ 𝄞');
    expect(Buffer.from(murmur3x64Hash128(bytes)).toString('hex')).toBe('fcca0a4f40c4fcc1b808994d8b7e1ae4');
  });
});
