// CheckpointStorage for a Worker that cannot open IndexedDB itself (the in-memory fallback lives on
// the main thread): each call is posted to the main thread and its result posted back.
import type { CheckpointStorage, StateWriteRequest, StorageCallback, StorageResult } from '../../engine/ports/checkpoint-storage';
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';

export type StorageCall = (requestId: number, method: string, args: readonly unknown[]) => void;

export class ProxyCheckpointStorage implements CheckpointStorage {
  readonly #pending = new Map<number, StorageCallback<unknown>>();
  #nextRequestId = 0;

  constructor(private readonly call: StorageCall) {}

  /** The main thread's answer to request `requestId`. */
  resolve(requestId: number, result: StorageResult<unknown>): void {
    const callback = this.#pending.get(requestId);
    this.#pending.delete(requestId);
    callback?.(result);
  }

  writeState(request: StateWriteRequest, done: StorageCallback<string>): void {
    this.invoke('writeState', [request], done);
  }

  readState(storageKey: string, done: StorageCallback<Uint8Array>): void {
    this.invoke('readState', [storageKey], done);
  }

  writeMetadata(metadata: CheckpointMetadata, done: StorageCallback<void>): void {
    this.invoke('writeMetadata', [metadata], done);
  }

  listCompleted(jobId: string, done: StorageCallback<CheckpointMetadata[]>): void {
    this.invoke('listCompleted', [jobId], done);
  }

  discard(...args: Parameters<CheckpointStorage['discard']>): void {
    const done = args.at(-1) as StorageCallback<void>;
    this.invoke('discard', args.slice(0, -1), done);
  }

  private invoke<T>(method: string, args: readonly unknown[], done: StorageCallback<T>): void {
    const requestId = this.#nextRequestId++;
    this.#pending.set(requestId, done as StorageCallback<unknown>);
    this.call(requestId, method, args);
  }
}

/** Main-thread side: run a proxied call against the real storage. */
export function serveStorageCall(storage: CheckpointStorage, method: string, args: readonly unknown[], reply: (result: StorageResult<unknown>) => void): void {
  const target = storage as unknown as Record<string, (...callArgs: unknown[]) => void>;
  if (!['writeState', 'readState', 'writeMetadata', 'listCompleted', 'discard'].includes(method) || typeof target[method] !== 'function') {
    reply({ ok: false, error: `Unknown storage method '${method}'` });
    return;
  }
  target[method]!.call(storage, ...args, reply);
}
