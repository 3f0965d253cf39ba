// Redistributes operator state to a new parallelism as Flink's RoundRobinOperatorStateRepartitioner
// (flink-runtime/.../checkpoint/): even split in contiguous slices with a rotating start, union to all.
// Flink walks state names in HashMap order; here they go in sorted order, so results are deterministic.
import type { Json } from './json';
import {
  checkOperatorStateSnapshot,
  type OperatorListStateSnapshot,
  type OperatorStateDistributionMode,
  type OperatorStateSnapshot,
} from './operator-state-snapshot';

/**
 * The operator state of each new subtask, from `previous` (one snapshot per old subtask, in subtask
 * order). Same parallelism: each subtask keeps its SPLIT_DISTRIBUTE lists and UNION lists are still
 * unioned, as Flink does. Entries are shared with `previous`, not copied.
 */
export function repartitionOperatorState(
  previous: readonly OperatorStateSnapshot[],
  newParallelism: number,
): OperatorStateSnapshot[] {
  if (!Number.isInteger(newParallelism) || newParallelism <= 0) {
    throw new RangeError(`The new parallelism must be a positive integer, got ${newParallelism}`);
  }
  if (previous.length === 0) throw new RangeError('Operator state needs the snapshots of at least one old subtask');
  previous.forEach((snapshot, index) => checkOperatorStateSnapshot(snapshot, `operator state snapshot of subtask ${index}`));
  const byName = groupByStateName(previous);
  const result: Array<Record<string, OperatorListStateSnapshot>> = Array.from({ length: newParallelism }, () => ({}));
  const keepSplitState = newParallelism === previous.length;
  let startSubtask = 0;
  for (const [name, { mode, lists }] of byName) {
    if (mode === 'UNION') {
      const union = lists.flat();
      for (const states of result) define(states, name, { mode, entries: union });
    } else if (keepSplitState) {
      lists.forEach((entries, subtask) => define(result[subtask]!, name, { mode, entries }));
    } else {
      const slices = splitEvenly(lists.flat(), newParallelism, startSubtask);
      startSubtask = slices.nextStartSubtask;
      slices.entries.forEach((entries, subtask) => define(result[subtask]!, name, { mode, entries }));
    }
  }
  return result.map((states) => ({ states }));
}

/** State name → its mode and each old subtask's list (empty where a subtask lacks the name). */
function groupByStateName(
  previous: readonly OperatorStateSnapshot[],
): Map<string, { mode: OperatorStateDistributionMode; lists: Array<readonly Json[]> }> {
  const names = new Set(previous.flatMap((snapshot) => Object.keys(snapshot.states)));
  const byName = new Map<string, { mode: OperatorStateDistributionMode; lists: Array<readonly Json[]> }>();
  for (const name of Array.from(names).sort()) {
    let mode: OperatorStateDistributionMode | undefined;
    const lists = previous.map((snapshot) => {
      const state = Object.hasOwn(snapshot.states, name) ? snapshot.states[name] : undefined;
      if (state === undefined) return [];
      if (mode !== undefined && mode !== state.mode) {
        throw new Error(`Operator state "${name}" is ${mode} in one subtask and ${state.mode} in another`);
      }
      mode = state.mode;
      return state.entries;
    });
    byName.set(name, { mode: mode!, lists });
  }
  return byName;
}

/**
 * RoundRobinOperatorStateRepartitioner.repartitionSplitState for one name: contiguous slices of
 * total/p entries, handed out from `startSubtask` on; the first total%p slices get one more entry,
 * and the next name starts at the first subtask that got no extra entry.
 */
export function splitEvenly(
  entries: readonly Json[],
  parallelism: number,
  startSubtask: number,
): { entries: Json[][]; nextStartSubtask: number } {
  const sliced: Json[][] = Array.from({ length: parallelism }, () => []);
  const baseFraction = Math.floor(entries.length / parallelism);
  let remainder = entries.length % parallelism;
  let nextStartSubtask = startSubtask;
  let offset = 0;
  for (let i = 0; i < parallelism; i++) {
    const subtask = (i + startSubtask) % parallelism;
    let count = baseFraction;
    if (remainder > 0) {
      count++;
      remainder--;
    } else if (remainder === 0) {
      nextStartSubtask = subtask;
      remainder--;
    }
    sliced[subtask] = entries.slice(offset, offset + count);
    offset += count;
  }
  return { entries: sliced, nextStartSubtask };
}

/** Sets an own property even for names such as "__proto__". */
function define(states: Record<string, OperatorListStateSnapshot>, name: string, state: OperatorListStateSnapshot): void {
  Object.defineProperty(states, name, { value: state, enumerable: true, writable: true, configurable: true });
}
