// The words of the checkpoint comparison: how a side, a key's cell and a change read on the page.
import { formatTime, listOf } from '../format';
import type { CompareSide, KeyCell, KeyChangeKind } from './checkpoint-compare';
import type { RememberedCheckpoint } from './state-inspector-fold';

export const CHANGE_LABELS: Record<KeyChangeKind, string> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  unchanged: 'unchanged',
  unknown: 'not known',
};

/** "checkpoint 4", "savepoint 5", "now". */
export function sideName(side: CompareSide, checkpoints: readonly RememberedCheckpoint[]): string {
  if (side.kind === 'now') return 'now';
  const checkpoint = checkpoints.find((candidate) => candidate.checkpointId === side.checkpointId);
  return `${checkpoint?.isSavepoint ? 'savepoint' : 'checkpoint'} ${side.checkpointId}`;
}

/** An option of the pickers: "checkpoint 4, completed at 3,204 ms". */
export function checkpointOption(checkpoint: RememberedCheckpoint, originMs: number): string {
  return `${checkpoint.isSavepoint ? 'savepoint' : 'checkpoint'} ${checkpoint.checkpointId}, completed at ${formatTime(checkpoint.completedAt - originMs)}`;
}

export function showValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
}

/** A cell other than a value, in words (a value is drawn with its epoch). */
export function cellText(cell: Exclude<KeyCell, { kind: 'value' }>): string {
  switch (cell.kind) {
    case 'absent':
      return 'absent';
    case 'rewritten':
      return 'not known';
    case 'beyond-sample':
      return 'beyond the sampled keys';
    case 'not-sampled':
      return 'not sampled';
  }
}

/** Under a "not known" cell: what bounds it ("3 at 2,400 ms, before the barrier; rewritten by 2,600 ms"). */
export function rewrittenText(cell: Extract<KeyCell, { kind: 'rewritten' }>, originMs: number): string {
  const rewritten = `rewritten by ${formatTime(cell.sampledAt - originMs)}`;
  if (!cell.before) return `${rewritten}, the first sample after the barrier`;
  const before = cell.before.value === null ? 'absent' : showValue(cell.before.value.value);
  return `${before} at ${formatTime(cell.before.sampledAt - originMs)}, before the barrier; ${rewritten}`;
}

/** "sum#0 and sum#1 at 600 ms", "sum#0 at 600 ms and sum#1 not sampled": when each subtask's side was sampled. */
export function sampledTimes(entries: ReadonlyArray<{ readonly taskId: string; readonly sampledAt: number | null }>, originMs: number): string {
  const byTime = new Map<number | null, string[]>();
  for (const { taskId, sampledAt } of entries) byTime.set(sampledAt, [...(byTime.get(sampledAt) ?? []), taskId]);
  return listOf([...byTime].map(([time, tasks]) => `${listOf(tasks)} ${time === null ? 'not sampled' : `at ${formatTime(time - originMs)}`}`));
}
