// The outcome of an asynchronous storage call, delivered to a callback (see CheckpointStorage for why
// callbacks, not promises). Shared by every storage port; it depends on nothing.
export type StorageResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };
export type StorageCallback<T> = (result: StorageResult<T>) => void;

export const ok = <T>(value: T): StorageResult<T> => ({ ok: true, value });
export const failed = <T>(error: string): StorageResult<T> => ({ ok: false, error });
