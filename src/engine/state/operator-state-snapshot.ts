// Operator state snapshots: each named list with its redistribution mode, as plain JSON data (Flink's
// OperatorStateHandle.StateMetaInfo with the entries inlined instead of offsets into a stream).
import type { Json } from './json';

/** Flink's OperatorStateHandle.Mode, less BROADCAST (not modelled yet). */
export type OperatorStateDistributionMode = 'SPLIT_DISTRIBUTE' | 'UNION';

export interface OperatorListStateSnapshot {
  readonly mode: OperatorStateDistributionMode;
  readonly entries: readonly Json[];
}

/** One subtask's operator state: state name → its list and mode. */
export interface OperatorStateSnapshot {
  readonly states: Readonly<Record<string, OperatorListStateSnapshot>>;
}

const MODES: ReadonlySet<string> = new Set(['SPLIT_DISTRIBUTE', 'UNION']);

/** Throws a clear error unless `snapshot` has the OperatorStateSnapshot shape (it may come from a file). */
export function checkOperatorStateSnapshot(snapshot: unknown, where = 'operator state snapshot'): asserts snapshot is OperatorStateSnapshot {
  const states = (snapshot as { states?: unknown } | null)?.states;
  if (states === null || typeof states !== 'object') throw new TypeError(`The ${where} has no states object`);
  for (const [name, state] of Object.entries(states as Record<string, unknown>)) {
    const { mode, entries } = (state ?? {}) as { mode?: unknown; entries?: unknown };
    if (typeof mode !== 'string' || !MODES.has(mode)) {
      throw new TypeError(`State "${name}" in the ${where} has an unknown mode ${String(mode)}`);
    }
    if (!Array.isArray(entries)) throw new TypeError(`State "${name}" in the ${where} has no entries array`);
  }
}
