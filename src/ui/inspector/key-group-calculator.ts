// The key-group calculator's model: a typed key, max parallelism and parallelism → the key's Java
// hashCode, its murmur hash, its key group and the subtask (operator index) that owns it, computed by
// the engine's KeyGroupRangeAssignment port (never re-implemented here); bad input gives a message per field.
import {
  assignToKeyGroup,
  computeKeyGroupRangeForOperatorIndex,
  computeOperatorIndexForKeyGroup,
  keyHashCode,
  murmurHash,
  UPPER_BOUND_MAX_PARALLELISM,
} from '../../engine/state/key-groups';

/** How Flink would see the key: a java.lang.String, or a java.lang.Integer (Integer.hashCode is the value). */
export type KeyType = 'string' | 'integer';

export interface CalculatorInput {
  readonly key: string;
  readonly keyType: KeyType;
  readonly maxParallelism: string;
  readonly parallelism: string;
}

export interface CalculatorErrors {
  readonly key?: string;
  readonly maxParallelism?: string;
  readonly parallelism?: string;
}

export type CalculatorResult =
  | {
      readonly ok: true;
      /** The key's hashCode() as the JVM computes it (int32). */
      readonly hashCode: number;
      /** MathUtils.murmurHash(hashCode): non-negative. */
      readonly murmurHash: number;
      /** murmurHash % maxParallelism. */
      readonly keyGroup: number;
      /** keyGroup * parallelism / maxParallelism: the subtask index that owns the key group. */
      readonly operatorIndex: number;
      /** The key groups that subtask owns (inclusive). */
      readonly keyGroupRange: { readonly start: number; readonly end: number };
    }
  | { readonly ok: false; readonly errors: CalculatorErrors };

const INTEGER = /^[+-]?\d+$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export function calculateKeyGroup(input: CalculatorInput): CalculatorResult {
  const errors: { key?: string; maxParallelism?: string; parallelism?: string } = {};
  const key = parseKey(input.key, input.keyType, errors);
  const maxParallelism = parseBounded(input.maxParallelism, 1, UPPER_BOUND_MAX_PARALLELISM);
  if (typeof maxParallelism === 'string') errors.maxParallelism = `Max parallelism ${maxParallelism}`;
  const parallelism = parseBounded(input.parallelism, 1, UPPER_BOUND_MAX_PARALLELISM);
  if (typeof parallelism === 'string') errors.parallelism = `Parallelism ${parallelism}`;
  else if (typeof maxParallelism === 'number' && parallelism > maxParallelism) {
    errors.parallelism = `Parallelism must not be larger than max parallelism (${maxParallelism}).`;
  }
  if (key === null || typeof maxParallelism !== 'number' || typeof parallelism !== 'number' || Object.keys(errors).length > 0) {
    return { ok: false, errors };
  }
  const hashCode = keyHashCode(key);
  const keyGroup = assignToKeyGroup(key, maxParallelism);
  const operatorIndex = computeOperatorIndexForKeyGroup(maxParallelism, parallelism, keyGroup);
  const range = computeKeyGroupRangeForOperatorIndex(maxParallelism, parallelism, operatorIndex);
  return { ok: true, hashCode, murmurHash: murmurHash(hashCode), keyGroup, operatorIndex, keyGroupRange: { start: range.startKeyGroup, end: range.endKeyGroup } };
}

function parseKey(text: string, keyType: KeyType, errors: { key?: string }): string | number | null {
  if (keyType === 'string') return text;
  const trimmed = text.trim();
  if (!INTEGER.test(trimmed)) {
    errors.key = 'An Integer key must be a whole number, e.g. 42 or -7.';
    return null;
  }
  const value = Number(trimmed);
  if (value < INT32_MIN || value > INT32_MAX) {
    errors.key = `An Integer key must lie in ${INT32_MIN}…${INT32_MAX} (Java's int).`;
    return null;
  }
  return value;
}

/** The whole number in `text` within [min, max], or the reason it is not one (completing "Max parallelism …"). */
function parseBounded(text: string, min: number, max: number): number | string {
  const trimmed = text.trim();
  if (trimmed === '') return 'is required.';
  if (!INTEGER.test(trimmed)) return 'must be a whole number.';
  const value = Number(trimmed);
  if (value < min || value > max) return `must lie in ${min}…${max}.`;
  return value;
}
