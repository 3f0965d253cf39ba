// IndexedDB's own write bandwidth on this machine and profile, measured in the same run as the snapshot
// figures it is the reference of: chunked ArrayBuffer puts into an object store, nothing encoded, no engine.
import { deleteDB, openDB } from 'idb';

export interface RawPutFigure {
  readonly mbPerS: number;
  readonly chunkBytes: number;
  readonly chunksPerTransaction: number;
  /** One `chunkBytes` put per transaction (as one subtask's full snapshot upload is), first put to `complete`: median ms. */
  readonly singlePutMsP50: number;
}

const RAW_DATABASE = 'barrierscope-bench-raw';
const STORE = 'chunks';

/**
 * Best of `repeats` transactions of `chunks` puts of `chunkBytes` fresh ArrayBuffers each (1 MiB, the size of a
 * subtask's full snapshot blob at 100k keys; random bytes, so nothing below could compress them), timed from the
 * first put to the transaction's completion — what a checkpoint's upload waits for.
 */
export async function rawPutMbPerS(chunkBytes = 1 << 20, chunks = 32, repeats = 3): Promise<RawPutFigure> {
  await deleteDB(RAW_DATABASE);
  const db = await openDB(RAW_DATABASE, 1, { upgrade: (database) => database.createObjectStore(STORE) });
  try {
    const template = new Uint8Array(chunkBytes);
    for (let offset = 0; offset < chunkBytes; offset += 65_536) crypto.getRandomValues(template.subarray(offset, Math.min(chunkBytes, offset + 65_536)));
    let best = 0;
    for (let repeat = 0; repeat < repeats; repeat++) {
      const buffers = Array.from({ length: chunks }, (_, i) => {
        const copy = template.slice();
        copy[0] = i;
        return copy.buffer;
      });
      const start = performance.now();
      const transaction = db.transaction(STORE, 'readwrite');
      for (let i = 0; i < chunks; i++) void transaction.store.put(buffers[i], `${repeat}/${i}`);
      await transaction.done;
      const seconds = (performance.now() - start) / 1000;
      best = Math.max(best, (chunkBytes * chunks) / 1e6 / seconds);
      await db.clear(STORE);
    }
    const single: number[] = [];
    for (let repeat = 0; repeat < 10; repeat++) {
      const buffer = template.slice().buffer;
      const start = performance.now();
      const transaction = db.transaction(STORE, 'readwrite');
      void transaction.store.put(buffer, `single/${repeat}`);
      await transaction.done;
      single.push(performance.now() - start);
    }
    single.sort((a, b) => a - b);
    return { mbPerS: best, chunkBytes, chunksPerTransaction: chunks, singlePutMsP50: single[Math.floor(single.length / 2)]! };
  } finally {
    db.close();
    await deleteDB(RAW_DATABASE);
  }
}
