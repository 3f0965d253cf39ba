// The page's colours, one place for all views (../shared/UI.md): epochs from the colour-blind-safe
// Okabe–Ito palette (cyclic; the number is always drawn too), checkpoint statuses as Flink's Web UI
// colours them, and the per-subtask checkpoint phases in Flink's order.

/** Okabe–Ito (2008), without black: distinguishable under the common colour-vision deficiencies. */
export const EPOCH_COLORS = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7'] as const;

/** The fill for records (or state) of epoch `epoch` — the checkpoint whose barrier follows them. */
export function epochColor(epoch: number): string {
  const index = ((Math.trunc(epoch) % EPOCH_COLORS.length) + EPOCH_COLORS.length) % EPOCH_COLORS.length;
  return EPOCH_COLORS[index]!;
}

/** Checkpoint statuses as Flink's Web UI shows them: completed green, in progress blue, failed red. */
export const STATUS_COLORS = {
  COMPLETED: '#2e9e44',
  IN_PROGRESS: '#1890ff',
  FAILED: '#f5222d',
} as const;

/** Per-subtask phases in Flink's order (start delay → alignment → sync → async), the same everywhere. */
export const PHASES = ['startDelay', 'alignment', 'sync', 'async'] as const;
export type Phase = (typeof PHASES)[number];
export const PHASE_LABELS: Record<Phase, string> = { startDelay: 'start delay', alignment: 'alignment', sync: 'sync', async: 'async' };
export const PHASE_COLORS: Record<Phase, string> = { startDelay: '#bfbfbf', alignment: '#faad14', sync: '#722ed1', async: '#13c2c2' };
/**
 * The rest of a subtask's end to end duration that no phase covers (its acknowledgement travelling to the
 * job master, queueing there): not one of Flink's phases, so light and outlined, never mistaken for one.
 */
export const REMAINDER_COLOR = '#f5f5f5';
