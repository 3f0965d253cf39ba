// KeyedStateAccess: what a heap state object sees of its backend — the cell of one state name under
// the backend's current key. Keeps state objects ignorant of key groups and copy-on-write.

export interface KeyedStateAccess {
  /** The current key's value or undefined; shared with snapshots, so never change it. */
  get(): unknown;
  /** The current key's value or undefined, owned by the live state so it may be changed in place. */
  getOwned(): unknown;
  /** Stores a value for the current key; the value then belongs to the state (do not change it later). */
  put(value: unknown): void;
  /** Removes the current key's value. */
  clear(): void;
}
