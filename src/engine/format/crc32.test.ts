// CRC-32 must be zip's (and zlib's): the standard check value and agreement with Node's zlib.
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Hex } from './crc32';

describe('crc32', () => {
  it('gives the standard check value cbf43926 for "123456789" and 0 for nothing', () => {
    expect(crc32Hex(new TextEncoder().encode('123456789'))).toBe('cbf43926');
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('agrees with zlib on every byte value and a longer buffer', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 131 + 7) & 0xff);
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
  });
});
