// Duration: Flink's textual durations ("10 min", "500 ms", "5 s", "1h"; a bare number is milliseconds).
// Parsing follows Flink's TimeUtils.parseDuration (integer amount, optional unit); never throws, returns a problem.

const MILLISECONDS_PER_UNIT: ReadonlyArray<readonly [readonly string[], number]> = [
  [['d', 'day', 'days'], 86_400_000],
  [['h', 'hour', 'hours'], 3_600_000],
  [['min', 'm', 'minute', 'minutes'], 60_000],
  [['s', 'sec', 'secs', 'second', 'seconds'], 1_000],
  [['ms', 'milli', 'millis', 'millisecond', 'milliseconds'], 1],
];

/** The unit names Flink accepts, for error messages. */
export const DURATION_UNITS = 'd, h, min, s, ms (or day(s), hour(s), minute(s), second(s), milli(s))';

export type DurationParse = { ok: true; milliseconds: number } | { ok: false; reason: string };

/**
 * Parses a Flink duration. Like Flink, the amount must be a whole number ("1.5 s" is rejected) and
 * the unit is case-insensitive; a number value (not a string) is taken as milliseconds.
 */
export function parseDuration(value: string | number): DurationParse {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0
      ? { ok: true, milliseconds: value }
      : { ok: false, reason: 'a duration in milliseconds must be a whole number ≥ 0' };
  }
  const match = /^\s*(\d+)\s*([a-zA-Zµ]*)\s*$/.exec(value);
  if (match === null) {
    return { ok: false, reason: `expected a whole number with an optional unit (${DURATION_UNITS}), e.g. "10 min"` };
  }
  const amount = Number(match[1]);
  const unit = (match[2] ?? '').toLowerCase();
  const factor = unit === '' ? 1 : unitFactor(unit);
  if (factor === undefined) {
    return { ok: false, reason: `unknown time unit "${match[2] ?? ''}"; use one of ${DURATION_UNITS}` };
  }
  const milliseconds = amount * factor;
  if (!Number.isSafeInteger(milliseconds)) return { ok: false, reason: 'the duration is too large' };
  return { ok: true, milliseconds };
}

function unitFactor(unit: string): number | undefined {
  for (const [labels, factor] of MILLISECONDS_PER_UNIT) {
    if (labels.includes(unit)) return factor;
  }
  return undefined;
}

/** Formats with the largest unit that divides evenly, as Flink's TimeUtils.formatWithHighestUnit: "10 min". */
export function formatDuration(milliseconds: number): string {
  if (milliseconds === 0) return '0 ms';
  for (const [labels, factor] of MILLISECONDS_PER_UNIT) {
    if (milliseconds % factor === 0) return `${milliseconds / factor} ${labels[0] ?? 'ms'}`;
  }
  return `${milliseconds} ms`;
}
