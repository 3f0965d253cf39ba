// Which checkpoint epoch last wrote each key of a task's keyed state: the id of the first checkpoint
// whose snapshot holds the key's current value (the barrier the task passes next). One map entry per
// key written since the task started; a key it never wrote came with the restored checkpoint.
import type { CheckpointId } from '../ids';
import type { Key } from '../state';

export class KeyWriteEpochs {
  readonly #epochs = new Map<Key, CheckpointId>();

  /** `restoredEpoch`: the checkpoint the backend was restored from (its values are held by it). */
  constructor(private readonly restoredEpoch: CheckpointId) {}

  written(key: Key, epoch: CheckpointId): void {
    this.#epochs.set(key, epoch);
  }

  epochOf(key: Key): CheckpointId {
    return this.#epochs.get(key) ?? this.restoredEpoch;
  }
}
