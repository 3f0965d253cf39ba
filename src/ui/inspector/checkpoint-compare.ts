// Compare the state of two checkpoints (or a checkpoint and now), key by key, over the sampled keys: for
// each subtask, checkpoint n's values are those of its first sample after barrier n whose epoch is ≤ n
// (./state-inspector-fold.ts); a key written again before that sample is "not known" at n, a key past the
// sample's SAMPLE_KEY_LIMIT smallest is "beyond the sample". Assumes a key is never deleted (no job here
// clears state), so a key missing from a sample that covers it was absent. Pure; no Svelte.
import type { CheckpointId, TaskId } from '../../engine/ids';
import { compareKeys } from '../../engine/task/keyed-state-sample';
import type { InspectedSubtask, RememberedCheckpoint, SampledKeyedState, SourceOffsets, StateInspectorView } from './state-inspector-fold';

/** One side of a comparison: a remembered completed checkpoint, or each subtask's latest sample. */
export type CompareSide = { readonly kind: 'checkpoint'; readonly checkpointId: CheckpointId } | { readonly kind: 'now' };

/** What one side says about one key. */
export type KeyCell =
  | { readonly kind: 'value'; readonly value: unknown; readonly epoch: CheckpointId }
  /** The sample covers the key and does not hold it. */
  | { readonly kind: 'absent' }
  /**
   * Written again (in epoch `epoch`) after the checkpoint's barrier and before the sample: its value at the checkpoint
   * is not known. `before`: what the last sample before the barrier showed — the checkpoint holds that or a later write.
   */
  | { readonly kind: 'rewritten'; readonly epoch: CheckpointId; readonly sampledAt: number; readonly before: BeforeBarrier | null }
  /** The sample lists only the smallest keys, and this one is past them. */
  | { readonly kind: 'beyond-sample' }
  /** No remembered sample shows this subtask's state at that checkpoint. */
  | { readonly kind: 'not-sampled' };

/** A key in the last sample before a barrier: its value (and epoch), or absent from a sample that covers it. */
export interface BeforeBarrier {
  readonly sampledAt: number;
  readonly value: { readonly value: unknown; readonly epoch: CheckpointId } | null;
}

export type KeyChangeKind = 'added' | 'removed' | 'changed' | 'unchanged' | 'unknown';

export const KEY_CHANGE_KINDS: readonly KeyChangeKind[] = ['added', 'removed', 'changed', 'unchanged', 'unknown'];

export interface KeyChange {
  readonly key: string;
  readonly taskId: TaskId;
  readonly kind: KeyChangeKind;
  readonly from: KeyCell;
  readonly to: KeyCell;
}

export interface SourceOffsetChange {
  readonly source: string;
  readonly partition: string;
  /** Null: the side does not say (a source not sampled yet, or a checkpoint without that partition). */
  readonly from: number | null;
  readonly to: number | null;
}

export interface StateComparison {
  /** Every key either side shows, in natural key order (then by subtask). */
  readonly changes: readonly KeyChange[];
  readonly counts: Readonly<Record<KeyChangeKind, number>>;
  /** Per compared subtask, the sample each side comes from (null: not sampled at that checkpoint). */
  readonly sampled: ReadonlyArray<{ readonly taskId: TaskId; readonly from: SampledKeyedState | null; readonly to: SampledKeyedState | null }>;
  readonly sources: readonly SourceOffsetChange[];
}

/** What to compare in a view: one subtask's state, or all subtasks of its operator. */
export function compareStates(view: StateInspectorView, subtasks: readonly InspectedSubtask[], from: CompareSide, to: CompareSide): StateComparison {
  const sampled = subtasks.map((subtask) => ({ taskId: subtask.taskId, from: stateAt(view, subtask, from), to: stateAt(view, subtask, to) }));
  const changes = sampled.flatMap(({ taskId, from: before, to: after }) => keyChanges(taskId, before, after));
  changes.sort((a, b) => compareKeys(a.key, b.key) || (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0));
  const counts = { added: 0, removed: 0, changed: 0, unchanged: 0, unknown: 0 };
  for (const change of changes) counts[change.kind] += 1;
  return { changes, counts, sampled, sources: sourceChanges(offsetsAt(view, from), offsetsAt(view, to)) };
}

export function stateAt(view: StateInspectorView, subtask: InspectedSubtask, side: CompareSide): SampledKeyedState | null {
  if (side.kind === 'now') return subtask.now;
  const index = view.checkpoints.findIndex((checkpoint) => checkpoint.checkpointId === side.checkpointId);
  return index < 0 ? null : (subtask.atCheckpoints[index] ?? null);
}

function keyChanges(taskId: TaskId, from: SampledKeyedState | null, to: SampledKeyedState | null): KeyChange[] {
  const fromKeys = new Map((from?.keys ?? []).map((entry) => [entry.key, entry]));
  const toKeys = new Map((to?.keys ?? []).map((entry) => [entry.key, entry]));
  const keys = new Set([...fromKeys.keys(), ...toKeys.keys()]);
  return [...keys].map((key) => {
    const before = cellOf(from, key, fromKeys.get(key));
    const after = cellOf(to, key, toKeys.get(key));
    return { key, taskId, kind: changeKind(before, after), from: before, to: after };
  });
}

/** What `state` says about `key` (`entry`: its sampled entry, if looked up already): see the module comment. */
export function cellOf(state: SampledKeyedState | null, key: string, entry = state?.keys.find((candidate) => candidate.key === key)): KeyCell {
  if (!state) return { kind: 'not-sampled' };
  if (entry) {
    if (state.checkpointId !== null && entry.epoch > state.checkpointId) return { kind: 'rewritten', epoch: entry.epoch, sampledAt: state.sampledAt, before: beforeBarrier(state, key) };
    return { kind: 'value', value: entry.value, epoch: entry.epoch };
  }
  return covers(state, key) ? { kind: 'absent' } : { kind: 'beyond-sample' };
}

/** Whether a sample of these keys would list `key` if the subtask held it (it lists the smallest keys in natural order). */
function covers(sample: { readonly keys: SampledKeyedState['keys']; readonly totalKeys: number }, key: string): boolean {
  const last = sample.keys.at(-1);
  return sample.totalKeys <= sample.keys.length || (last !== undefined && compareKeys(key, last.key) < 0);
}

function beforeBarrier(state: SampledKeyedState, key: string): BeforeBarrier | null {
  const before = state.beforeBarrier;
  if (!before) return null;
  const entry = before.keys.find((candidate) => candidate.key === key);
  if (entry) return { sampledAt: before.sampledAt, value: { value: entry.value, epoch: entry.epoch } };
  return covers(before, key) ? { sampledAt: before.sampledAt, value: null } : null;
}

export function changeKind(from: KeyCell, to: KeyCell): KeyChangeKind {
  if (from.kind === 'value' && to.kind === 'value') return sameValue(from.value, to.value) ? 'unchanged' : 'changed';
  if (from.kind === 'absent' && to.kind === 'value') return 'added';
  if (from.kind === 'value' && to.kind === 'absent') return 'removed';
  return 'unknown';
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function offsetsAt(view: StateInspectorView, side: CompareSide): SourceOffsets | null {
  if (side.kind === 'now') return view.sourceOffsetsNow?.offsets ?? null;
  return view.checkpoints.find((checkpoint) => checkpoint.checkpointId === side.checkpointId)?.sourceOffsets ?? null;
}

function sourceChanges(from: SourceOffsets | null, to: SourceOffsets | null): SourceOffsetChange[] {
  const partitions = new Map<string, { source: string; partition: string }>();
  for (const offsets of [from, to]) {
    for (const [source, byPartition] of Object.entries(offsets ?? {})) {
      for (const partition of Object.keys(byPartition)) partitions.set(`${source}\u0000${partition}`, { source, partition });
    }
  }
  return [...partitions.values()]
    .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : compareKeys(a.partition, b.partition)))
    .map(({ source, partition }) => ({ source, partition, from: from?.[source]?.[partition] ?? null, to: to?.[source]?.[partition] ?? null }));
}

/** The moments one can pick, oldest first: the remembered checkpoints, then now. */
export function compareSides(view: StateInspectorView): CompareSide[] {
  return [...view.checkpoints.map((checkpoint): CompareSide => ({ kind: 'checkpoint', checkpointId: checkpoint.checkpointId })), { kind: 'now' }];
}

/**
 * The comparison shown first: the two newest retained checkpoints; with one retained, the newest subsumed one
 * the inspector remembers before it; with only one completed, it against now; none: null.
 */
export function defaultSides(view: StateInspectorView): { readonly from: CompareSide; readonly to: CompareSide } | null {
  const retained = view.checkpoints.filter((checkpoint) => checkpoint.retained);
  const newest = retained.at(-1) ?? view.checkpoints.at(-1);
  if (!newest) return null;
  const older = retained.at(-2) ?? view.checkpoints.filter((checkpoint) => checkpoint.checkpointId < newest.checkpointId).at(-1);
  const side = (checkpoint: RememberedCheckpoint): CompareSide => ({ kind: 'checkpoint', checkpointId: checkpoint.checkpointId });
  return older ? { from: side(older), to: side(newest) } : { from: side(newest), to: { kind: 'now' } };
}

export function sideKey(side: CompareSide): string {
  return side.kind === 'now' ? 'now' : String(side.checkpointId);
}

export function sideOf(key: string): CompareSide {
  return key === 'now' ? { kind: 'now' } : { kind: 'checkpoint', checkpointId: Number(key) };
}
