// HeapKeyedStateBackend: Flink's "hashmap" backend — keyed state on the heap, scoped to the current key,
// stored by key group so snapshots and restores work per key group. Snapshots are copy-on-write views.
import { CopyOnWriteStateTable, NOT_WRITTEN } from './copy-on-write-state-table';
import type {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  StateDescriptorInfo,
  StateKind,
  ValueStateDescriptor,
} from './descriptors';
import { HeapAggregatingState } from './heap-aggregating-state';
import { HeapListState } from './heap-list-state';
import { HeapMapState } from './heap-map-state';
import { HeapReducingState } from './heap-reducing-state';
import { restoreKeyedState } from './heap-restore-operation';
import { HeapValueState } from './heap-value-state';
import { checkKey, type Key } from './java-hash-code';
import { copyJson, type Json } from './json';
import { KeyGroupRange } from './key-group-range';
import { assignToKeyGroup, assignToKeyGroupPrechecked, checkParallelismPreconditions } from './key-groups';
import type { KeyedStateAccess } from './keyed-state-access';
import { toSnapshotValue, type KeyedStateBackendName, type KeyedStateSnapshot, type KeyedStateSnapshotView } from './keyed-state-snapshot';
import type { AggregatingState, ListState, MapState, ReducingState, State, ValueState } from './state-interfaces';

export interface HeapKeyedStateBackendOptions {
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange | { readonly start: number; readonly end: number };
}

export class HeapKeyedStateBackend {
  readonly backend: KeyedStateBackendName = 'hashmap';
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  protected readonly table = new CopyOnWriteStateTable();
  private readonly stateKinds = new Map<string, StateKind>();
  private readonly states = new Map<string, { readonly descriptor: StateDescriptorInfo; readonly state: State }>();
  private currentKey: Key | null = null;
  /** Told of every change to a key's state (put, clear, a value handed out to change in place), if set. */
  onKeyWritten: ((key: Key) => void) | null = null;
  /**
   * The epoch writes happen in now (the task's checkpoint epoch): every change to a key's state stores it with
   * the value, so lastWriteEpochOf costs the writes no map operation of their own (samples read it).
   */
  writeEpoch = 0;
  /** Keys whose state was cleared, with the epoch of their last clear (a cleared value leaves no cell behind). */
  readonly #clearedAt = new Map<Key, number>();
  private currentKeyGroup = -1;
  /** keyGroupRange's bounds, read on every setCurrentKey. */
  readonly #startKeyGroup: number;
  readonly #endKeyGroup: number;

  constructor(options: HeapKeyedStateBackendOptions) {
    checkParallelismPreconditions(options.maxParallelism);
    const range = options.keyGroupRange;
    this.keyGroupRange = range instanceof KeyGroupRange ? range : KeyGroupRange.fromJson(range);
    if (this.keyGroupRange.endKeyGroup >= options.maxParallelism) {
      throw new RangeError(`${this.keyGroupRange} exceeds the maximum parallelism ${options.maxParallelism}`);
    }
    this.maxParallelism = options.maxParallelism;
    this.#startKeyGroup = this.keyGroupRange.startKeyGroup;
    this.#endKeyGroup = this.keyGroupRange.endKeyGroup;
  }

  /** A backend for `options`, holding every key group of its range found in `snapshots`. */
  static restore(options: HeapKeyedStateBackendOptions, snapshots: readonly KeyedStateSnapshot[]): HeapKeyedStateBackend {
    const backend = new HeapKeyedStateBackend(options);
    backend.restoreFrom(snapshots);
    return backend;
  }

  /** Restores `snapshots` into this (new) backend; see restore(). */
  protected restoreFrom(snapshots: readonly KeyedStateSnapshot[]): void {
    restoreKeyedState(
      {
        maxParallelism: this.maxParallelism,
        keyGroupRange: this.keyGroupRange,
        registerRestoredState: (stateName, kind) => this.registerStateKind(stateName, kind),
        restoreValue: (keyGroup, stateName, key, value) => this.table.restore(keyGroup, stateName, key, value),
      },
      snapshots,
    );
  }

  /** Registers a state name found in stored state (a restored snapshot or a loaded chunk). */
  protected registerStateKind(stateName: string, kind: StateKind): void {
    const known = this.stateKinds.get(stateName);
    if (known !== undefined && known !== kind) {
      throw new Error(
        `Incompatible key/value state types for state "${stateName}". Was [${known}], registered with [${kind}].`,
      );
    }
    this.stateKinds.set(stateName, kind);
  }

  /** Called before a state of `keyGroup` may change (put, clear, or a value handed out to change in place). */
  protected keyGroupChanging(keyGroup: number): void {
    void keyGroup;
  }

  /** Scopes every state to `key`; throws when its key group is not this backend's. */
  setCurrentKey(key: Key): void {
    checkKey(key);
    // maxParallelism was checked by the constructor.
    const keyGroup = assignToKeyGroupPrechecked(key, this.maxParallelism);
    if (keyGroup < this.#startKeyGroup || keyGroup > this.#endKeyGroup) {
      throw new RangeError(
        `Key group ${keyGroup} is not in ${this.keyGroupRange}. Unless you're directly using low level state ` +
          `access APIs, this is most likely caused by non-deterministic shuffle key (hashCode and equals implementation).`,
      );
    }
    this.currentKey = key;
    this.currentKeyGroup = keyGroup;
  }

  /** The epoch of the last change to `key`'s state in this backend (writeEpoch then), or undefined if it only holds restored values. */
  lastWriteEpochOf(key: Key): number | undefined {
    const written = Math.max(this.table.lastWritten(assignToKeyGroup(key, this.maxParallelism), key), this.#clearedAt.get(key) ?? NOT_WRITTEN);
    return written === NOT_WRITTEN ? undefined : written;
  }

  getCurrentKey(): Key | null {
    return this.currentKey;
  }

  /** The current key's key group, or -1 before any key is set. */
  getCurrentKeyGroupIndex(): number {
    return this.currentKeyGroup;
  }

  getPartitionedState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
  getPartitionedState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getPartitionedState<UK extends string | number, V>(descriptor: MapStateDescriptor<UK, V>): MapState<UK, V>;
  getPartitionedState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
  getPartitionedState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT>;
  getPartitionedState(descriptor: StateDescriptorInfo): State {
    const cached = this.states.get(descriptor.name);
    if (cached !== undefined && cached.descriptor === descriptor) return cached.state;
    this.registerStateKind(descriptor.name, descriptor.kind);
    const state = this.createState(descriptor, this.accessFor(descriptor.name));
    this.states.set(descriptor.name, { descriptor, state });
    return state;
  }

  /** The synchronous part of a snapshot: O(key groups in use); later writes never change it. */
  snapshot(): KeyedStateSnapshotView {
    return {
      backend: this.backend,
      maxParallelism: this.maxParallelism,
      keyGroupRange: this.keyGroupRange,
      stateMetaInfo: new Map(this.stateKinds),
      keyGroups: this.table.snapshot(),
    };
  }

  /** Registered and restored state names, in registration order. */
  getRegisteredStateNames(): string[] {
    return Array.from(this.stateKinds.keys());
  }

  getStateKind(stateName: string): StateKind | undefined {
    return this.stateKinds.get(stateName);
  }

  /** The keys that hold `stateName`, by ascending key group. */
  *keys(stateName: string): Generator<Key> {
    for (const [, key] of this.table.entries(stateName)) yield key;
  }

  /** [key, value] of `stateName` as snapshot JSON (MAP values as pairs), by ascending key group. Read-only. */
  *entries(stateName: string): Generator<[Key, Json]> {
    const kind = this.stateKinds.get(stateName);
    if (kind === undefined) return;
    for (const [, key, value] of this.table.entries(stateName)) yield [key, toSnapshotValue(kind, value)];
  }

  /** How many keys hold `stateName`, or, without a name, how many distinct keys hold any state. */
  numberOfKeys(stateName?: string): number {
    if (stateName !== undefined) return Array.from(this.table.entries(stateName)).length;
    const keys = new Set<Key>();
    for (const name of this.stateKinds.keys()) for (const [, key] of this.table.entries(name)) keys.add(key);
    return keys.size;
  }

  /** The key groups that hold any state, ascending. */
  keyGroupsInUse(): number[] {
    return this.table.keyGroupsInUse();
  }

  private accessFor(stateName: string): KeyedStateAccess {
    const table = this.table;
    // No tuple per access: this runs for every state read and write.
    const keyOrThrow = (): Key => {
      const key = this.currentKey;
      if (key === null) throw new Error('No key set. This method should not be called outside of a keyed context.');
      return key;
    };
    return {
      get: () => {
        const key = keyOrThrow();
        return table.get(this.currentKeyGroup, stateName, key);
      },
      getOwned: () => {
        const key = keyOrThrow();
        const keyGroup = this.currentKeyGroup;
        const value = table.ownedValue(keyGroup, stateName, key, copyJson, this.writeEpoch);
        // Only an object can be changed in place by whoever holds it; a primitive read changes nothing.
        if (value !== null && typeof value === 'object') {
          this.keyGroupChanging(keyGroup);
          this.onKeyWritten?.(key);
        }
        return value;
      },
      put: (value) => {
        const key = keyOrThrow();
        const keyGroup = this.currentKeyGroup;
        this.keyGroupChanging(keyGroup);
        this.onKeyWritten?.(key);
        table.put(keyGroup, stateName, key, value, this.writeEpoch);
      },
      clear: () => {
        const key = keyOrThrow();
        const keyGroup = this.currentKeyGroup;
        this.keyGroupChanging(keyGroup);
        this.onKeyWritten?.(key);
        this.#clearedAt.set(key, this.writeEpoch);
        table.remove(keyGroup, stateName, key);
      },
    };
  }

  private createState(descriptor: StateDescriptorInfo, access: KeyedStateAccess): State {
    switch (descriptor.kind) {
      case 'VALUE':
        return new HeapValueState(descriptor as ValueStateDescriptor<unknown>, access);
      case 'LIST':
        return new HeapListState(access);
      case 'MAP':
        return new HeapMapState(access);
      case 'REDUCING':
        return new HeapReducingState(descriptor as ReducingStateDescriptor<unknown>, access);
      case 'AGGREGATING':
        return new HeapAggregatingState(descriptor as AggregatingStateDescriptor<unknown, unknown, unknown>, access);
      default:
        throw new TypeError(`Unknown state kind ${String((descriptor as { kind: unknown }).kind)}`);
    }
  }
}
