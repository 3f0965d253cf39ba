// Option readers: turn one raw value (flink-conf string, URL parameter, or JSON scalar) into a typed value.
// A reader never throws: it returns the value or a sentence saying what is allowed.
import { DURATION_UNITS, formatDuration, parseDuration } from './duration';

export type RawValue = string | number | boolean;

export type ReadResult<T> = { ok: true; value: T } | { ok: false; allowed: string };

export interface OptionReader<T> {
  read(raw: RawValue): ReadResult<T>;
  /** The value as Flink would write it in a configuration file. */
  format(value: T): string;
}

export function integerOption(minimum: number, maximum = 2_147_483_647): OptionReader<number> {
  const allowed =
    maximum === 2_147_483_647 ? `a whole number ≥ ${minimum}` : `a whole number from ${minimum} to ${maximum}`;
  return {
    read(raw) {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
      return Number.isSafeInteger(value) && value >= minimum && value <= maximum
        ? { ok: true, value }
        : { ok: false, allowed };
    },
    format: (value) => String(value),
  };
}

/** A whole number, or -1 meaning "not set" (Flink's convention for pipeline.max-parallelism). */
export function integerOrUnsetOption(minimum: number, maximum: number): OptionReader<number> {
  const integer = integerOption(minimum, maximum);
  return {
    read(raw) {
      if (raw === -1 || (typeof raw === 'string' && raw.trim() === '-1')) return { ok: true, value: -1 };
      const result = integer.read(raw);
      return result.ok ? result : { ok: false, allowed: `-1 (unset) or ${result.allowed}` };
    },
    format: (value) => String(value),
  };
}

export interface NumberBounds {
  readonly minimum: number;
  readonly minimumExclusive?: boolean;
  readonly maximum?: number;
}

export function doubleOption(bounds: NumberBounds): OptionReader<number> {
  const lower = `${bounds.minimumExclusive === true ? '>' : '≥'} ${bounds.minimum}`;
  const allowed = bounds.maximum === undefined ? `a number ${lower}` : `a number ${lower} and ≤ ${bounds.maximum}`;
  return {
    read(raw) {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      const aboveMinimum = bounds.minimumExclusive === true ? value > bounds.minimum : value >= bounds.minimum;
      const belowMaximum = bounds.maximum === undefined || value <= bounds.maximum;
      return Number.isFinite(value) && aboveMinimum && belowMaximum ? { ok: true, value } : { ok: false, allowed };
    },
    format: (value) => String(value),
  };
}

/** Booleans as Flink reads them: true/false, case-insensitive. */
export function booleanOption(): OptionReader<boolean> {
  return {
    read(raw) {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const text = String(raw).trim().toLowerCase();
      if (text === 'true') return { ok: true, value: true };
      if (text === 'false') return { ok: true, value: false };
      return { ok: false, allowed: 'true or false' };
    },
    format: (value) => String(value),
  };
}

export function durationOption(minimumMs: number, maximumMs = Number.POSITIVE_INFINITY): OptionReader<number> {
  const range = Number.isFinite(maximumMs) ? `from ${formatDuration(minimumMs)} to ${formatDuration(maximumMs)}` : `≥ ${formatDuration(minimumMs)}`;
  const allowed = `a duration ${range} (a whole number with a unit: ${DURATION_UNITS}; a bare number is milliseconds)`;
  return {
    read(raw) {
      if (typeof raw === 'boolean') return { ok: false, allowed };
      const parsed = parseDuration(raw);
      if (!parsed.ok) return { ok: false, allowed: `${allowed}; ${parsed.reason}` };
      return parsed.milliseconds >= minimumMs && parsed.milliseconds <= maximumMs ? { ok: true, value: parsed.milliseconds } : { ok: false, allowed };
    },
    format: formatDuration,
  };
}

/**
 * An enumeration read case-insensitively, as Flink does; `aliases` maps other accepted spellings to the
 * canonical value (restart-strategy.type accepts "off" for "disable").
 */
export function enumOption<T extends string>(
  values: readonly T[],
  aliases: Readonly<Record<string, T>> = {},
  hints: Readonly<Record<string, string>> = {},
): OptionReader<T> {
  const spellings = [...values, ...Object.keys(aliases)];
  // Own keys only: a value such as "constructor" must not find Object.prototype's.
  const own = <V>(table: Readonly<Record<string, V>>, key: string): V | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);
  return {
    read(raw) {
      const text = String(raw).trim().toLowerCase();
      const canonical = values.find((value) => value.toLowerCase() === text) ?? own(aliases, text);
      if (canonical !== undefined) return { ok: true, value: canonical };
      const hint = own(hints, text);
      return { ok: false, allowed: `one of ${spellings.join(', ')}${hint === undefined ? '' : ` (${hint})`}` };
    },
    format: (value) => value,
  };
}
