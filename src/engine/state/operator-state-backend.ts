// OperatorStateBackend: per-subtask (non-keyed) list state, redistributed on rescale by even split or
// union (Flink's DefaultOperatorStateBackend). Snapshots deep-copy the lists, as Flink's sync phase does.
import type { ListStateDescriptor } from './descriptors';
import { checkListElements } from './heap-list-state';
import { copyJson, type Json } from './json';
import {
  checkOperatorStateSnapshot,
  type OperatorStateDistributionMode,
  type OperatorStateSnapshot,
} from './operator-state-snapshot';
import type { ListState } from './state-interfaces';

/** Flink's PartitionableListState: one named list of a subtask. */
class PartitionableListState<T> implements ListState<T> {
  constructor(
    readonly mode: OperatorStateDistributionMode,
    private entries: T[] = [],
  ) {}

  get(): readonly T[] {
    return this.entries;
  }

  add(value: T): void {
    this.addAll([value]);
  }

  addAll(values: readonly T[]): void {
    checkListElements(values, 'addAll');
    this.entries.push(...values);
  }

  update(values: readonly T[]): void {
    checkListElements(values, 'update');
    this.entries = [...values];
  }

  clear(): void {
    this.entries = [];
  }
}

export class OperatorStateBackend {
  private readonly states = new Map<string, PartitionableListState<unknown>>();

  /** A backend holding the lists of `snapshot` (copied, so the snapshot stays as it was). */
  static restore(snapshot: OperatorStateSnapshot): OperatorStateBackend {
    checkOperatorStateSnapshot(snapshot);
    const backend = new OperatorStateBackend();
    for (const [name, state] of Object.entries(snapshot.states)) {
      backend.states.set(name, new PartitionableListState(state.mode, copyJson([...state.entries])));
    }
    return backend;
  }

  /** List state that is split evenly across subtasks on rescale (SPLIT_DISTRIBUTE). */
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.getOrCreate(descriptor.name, 'SPLIT_DISTRIBUTE') as ListState<T>;
  }

  /** List state of which every subtask gets the union of all subtasks' lists on restore (UNION). */
  getUnionListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.getOrCreate(descriptor.name, 'UNION') as ListState<T>;
  }

  getRegisteredStateNames(): string[] {
    return Array.from(this.states.keys());
  }

  getDistributionMode(name: string): OperatorStateDistributionMode | undefined {
    return this.states.get(name)?.mode;
  }

  /** Every registered list, deep-copied: later changes to the backend never reach the snapshot. */
  snapshot(): OperatorStateSnapshot {
    const states = Array.from(this.states, ([name, state]) => [
      name,
      { mode: state.mode, entries: copyJson(state.get() as readonly Json[]) },
    ]);
    return { states: Object.fromEntries(states) };
  }

  private getOrCreate(name: string, mode: OperatorStateDistributionMode): ListState<unknown> {
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('A state name must be a non-empty string');
    const existing = this.states.get(name);
    if (existing === undefined) {
      const state = new PartitionableListState<unknown>(mode);
      this.states.set(name, state);
      return state;
    }
    if (existing.mode !== mode) {
      throw new Error(`Incompatible assignment mode for state "${name}". Provided: ${mode}, expected: ${existing.mode}.`);
    }
    return existing;
  }
}
