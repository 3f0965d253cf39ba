// An entry's bytes, inflated in small steps so output is counted as it is produced: an entry that inflates
// past its declared size is stopped within one step (a zip bomb costs at most its declared size plus ~4 MiB).
import { Inflate } from 'fflate';
import { crc32 } from './crc32';
import { fail, quote } from './snapshot-file-error';
import { METHOD_STORED } from './zip-layout';
import type { ZipEntry } from './zip-reader';

/** Compressed bytes fed to the inflater per step: at most 1032× this comes out of one step. */
const INFLATE_STEP_BYTES = 4096;

/** The entry's uncompressed bytes, checked against its declared size and CRC-32. Never mutates `file`. */
export function readZipEntryData(file: Uint8Array, entry: ZipEntry): Uint8Array {
  const named = `entry ${quote(entry.name)}`;
  const stored = file.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  const data = entry.method === METHOD_STORED ? stored.slice() : inflateBounded(stored, entry.size, named);
  const actual = crc32(data);
  if (actual !== entry.crc32) fail('checksum-mismatch', named, `CRC-32 is ${hex(actual)}, the zip directory says ${hex(entry.crc32)}`);
  return data;
}

function inflateBounded(stored: Uint8Array, declaredSize: number, named: string): Uint8Array {
  if (stored.length === 0) fail('corrupt-zip', named, 'is deflated but has no data');
  const out = new Uint8Array(declaredSize);
  let produced = 0;
  let overflow = false;
  const inflater = new Inflate((chunk) => {
    if (overflow || produced + chunk.length > declaredSize) {
      overflow = true;
      return;
    }
    out.set(chunk, produced);
    produced += chunk.length;
  });
  try {
    for (let offset = 0; offset < stored.length && !overflow; offset += INFLATE_STEP_BYTES) {
      const stepEnd = Math.min(offset + INFLATE_STEP_BYTES, stored.length);
      inflater.push(stored.subarray(offset, stepEnd), stepEnd === stored.length);
    }
  } catch (error) {
    if (!overflow) fail('corrupt-zip', named, `has invalid deflate data (${error instanceof Error ? error.message : String(error)})`);
  }
  if (overflow) fail('zip-bomb', named, `inflates to more than the ${declaredSize} bytes it declares`);
  if (produced !== declaredSize) fail('corrupt-zip', named, `inflates to ${produced} bytes, but declares ${declaredSize}`);
  return out;
}

function hex(crc: number): string {
  return crc.toString(16).padStart(8, '0');
}
