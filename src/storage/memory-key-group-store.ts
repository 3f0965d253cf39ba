// In-memory working stores for the indexeddb keyed backend (the deterministic runtime's "local disk"):
// calls take effect at once, in call order, and call back after a modelled latency on the injected Clock.
import type { Clock } from '../engine/ports/clock';
import { ok, type StorageCallback } from '../engine/ports/checkpoint-storage';
import type { KeyGroupStore, KeyGroupStores, KeyGroupStoreScope } from '../engine/ports/key-group-store';
import { DEFAULT_MAX_RESIDENT_KEY_GROUPS } from '../engine/ports/key-group-store';
import type { StorageLatency } from './memory-checkpoint-storage';

/** A local disk: faster than checkpoint storage (no upload), not free. */
export const DEFAULT_KEY_GROUP_STORE_LATENCY: StorageLatency = { fixedMs: 1, bytesPerMs: 200_000 };

function scopeKey(scope: KeyGroupStoreScope): string {
  return JSON.stringify([scope.jobId, scope.attempt, scope.operatorUid, scope.subtaskIndex]);
}

export class MemoryKeyGroupStores implements KeyGroupStores {
  readonly #stores = new Map<string, { readonly scope: KeyGroupStoreScope; readonly chunks: Map<number, Uint8Array> }>();

  constructor(
    private readonly clock: Clock,
    readonly maxResidentKeyGroups: number = DEFAULT_MAX_RESIDENT_KEY_GROUPS,
    private readonly latency: StorageLatency = DEFAULT_KEY_GROUP_STORE_LATENCY,
  ) {}

  open(scope: KeyGroupStoreScope, done: StorageCallback<KeyGroupStore>): void {
    for (const [key, store] of this.#stores) {
      if (store.scope.jobId === scope.jobId && store.scope.attempt < scope.attempt) this.#stores.delete(key);
    }
    const chunks = new Map<number, Uint8Array>();
    this.#stores.set(scopeKey(scope), { scope, chunks });
    this.later(0, () => done(ok(new MemoryKeyGroupStore(chunks, (bytes, callback) => this.later(bytes, callback)))));
  }

  /** How many chunks the working stores of `jobId` (or of every job) hold. */
  chunkCount(jobId?: string): number {
    let count = 0;
    for (const { scope, chunks } of this.#stores.values()) if (jobId === undefined || scope.jobId === jobId) count += chunks.size;
    return count;
  }

  /** The attempts whose working stores are still kept, ascending. */
  attempts(): number[] {
    return [...new Set([...this.#stores.values()].map(({ scope }) => scope.attempt))].sort((a, b) => a - b);
  }

  private later(bytes: number, callback: () => void): void {
    this.clock.setTimeout(callback, this.latency.fixedMs + Math.ceil(bytes / this.latency.bytesPerMs));
  }
}

class MemoryKeyGroupStore implements KeyGroupStore {
  constructor(
    private readonly chunks: Map<number, Uint8Array>,
    private readonly later: (bytes: number, callback: () => void) => void,
  ) {}

  load(keyGroups: readonly number[], done: StorageCallback<ReadonlyMap<number, Uint8Array>>): void {
    const loaded = new Map<number, Uint8Array>();
    let bytes = 0;
    for (const keyGroup of keyGroups) {
      const chunk = this.chunks.get(keyGroup);
      if (chunk === undefined) continue;
      loaded.set(keyGroup, chunk);
      bytes += chunk.length;
    }
    this.later(bytes, () => done(ok(loaded)));
  }

  write(chunks: ReadonlyMap<number, Uint8Array | null>, done: StorageCallback<void>): void {
    let bytes = 0;
    for (const [keyGroup, chunk] of chunks) {
      if (chunk === null) this.chunks.delete(keyGroup);
      else this.chunks.set(keyGroup, chunk);
      bytes += chunk?.length ?? 0;
    }
    this.later(bytes, () => done(ok(undefined)));
  }
}
