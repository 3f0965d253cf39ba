// Which checkpoint epoch last wrote each key of a task's keyed state: the id of the first checkpoint
// whose snapshot holds the key's current value (the barrier the task passes next); a key the task never
// wrote came with the restored checkpoint. The hashmap backend keeps the epoch of the last write with each
// value (HeapKeyedStateBackend.writeEpoch), so a write costs no map operation of its own; the indexeddb
// backend forgets values it evicts, so for it one map entry per key written since the task started.
import type { CheckpointId } from '../ids';
import { IndexedDbKeyedStateBackend, type HeapKeyedStateBackend, type Key } from '../state';

export class KeyWriteEpochs {
  /** Only for a backend that evicts values (indexeddb). */
  readonly #epochs: Map<Key, CheckpointId> | null;

  /** `restoredEpoch`: the checkpoint the backend was restored from (its values are held by it). */
  constructor(
    private readonly backend: HeapKeyedStateBackend,
    private readonly restoredEpoch: CheckpointId,
    firstEpoch: CheckpointId,
  ) {
    this.#epochs = backend instanceof IndexedDbKeyedStateBackend ? new Map() : null;
    const epochs = this.#epochs;
    if (epochs) backend.onKeyWritten = (key) => epochs.set(key, backend.writeEpoch);
    backend.writeEpoch = firstEpoch;
  }

  /** Writes from now on belong to `epoch`. */
  enter(epoch: CheckpointId): void {
    this.backend.writeEpoch = epoch;
  }

  epochOf(key: Key): CheckpointId {
    const written = this.#epochs ? this.#epochs.get(key) : this.backend.lastWriteEpochOf(key);
    return written ?? this.restoredEpoch;
  }
}
