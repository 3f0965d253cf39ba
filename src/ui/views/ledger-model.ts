// What the output ledger compares against: the failure-free expectation of a scenario's committed output,
// per key (helpers in src/scenarios implement it per scenario), and the per-key verdict the ledger shows.

/** A scenario's failure-free output, per key, as text values in the order they are committed. */
export interface LedgerExpectation {
  keyOf(record: unknown): string;
  valueOf(record: unknown): string;
  expected(key: string): readonly string[];
}

export interface KeyVerdict {
  /** Every expected value was committed at least once. */
  readonly complete: boolean;
  /** Expected values missing although a later expected value was committed (or the key is otherwise complete). */
  readonly lost: readonly string[];
  /** Extra copies: values committed more than once (each copy beyond the first counts). */
  readonly duplicated: number;
  /** Committed values the failure-free run never produces for this key. */
  readonly unexpected: number;
}

/** Compares one key's committed values with its expectation (a multiset comparison that respects order of expectation). */
export function judgeKey(committed: readonly string[], expected: readonly string[]): KeyVerdict {
  const counts = new Map<string, number>();
  for (const value of committed) counts.set(value, (counts.get(value) ?? 0) + 1);
  let lastPresent = -1;
  expected.forEach((value, index) => {
    if ((counts.get(value) ?? 0) > 0) lastPresent = index;
  });
  const lost = expected.filter((value, index) => index < lastPresent && (counts.get(value) ?? 0) === 0);
  const expectedSet = new Set(expected);
  let duplicated = 0;
  let unexpected = 0;
  for (const [value, count] of counts) {
    duplicated += count - 1;
    if (!expectedSet.has(value)) unexpected += count;
  }
  const complete = expected.length > 0 && expected.every((value) => (counts.get(value) ?? 0) > 0);
  return { complete, lost, duplicated, unexpected };
}

/** The running-sum scenario's expectation (values 1..5 → sums 1,3,6,10,15 per key): for tests and as an example. */
export const runningSumExpectation: LedgerExpectation = {
  keyOf: (record) => String((record as { key: unknown }).key),
  valueOf: (record) => String((record as { value: unknown }).value),
  expected: () => ['1', '3', '6', '10', '15'],
};

export type ChipKind = 'ok' | 'duplicate' | 'lost' | 'missing' | 'unexpected';
export interface LedgerChip {
  readonly value: string;
  readonly count: number;
  readonly kind: ChipKind;
}

/** One key's row as drawn: each expected value with how often it was committed, then the values never expected. */
export function ledgerChips(committed: readonly string[], expected: readonly string[], verdict: KeyVerdict): LedgerChip[] {
  const counts = new Map<string, number>();
  for (const value of committed) counts.set(value, (counts.get(value) ?? 0) + 1);
  const lost = new Set(verdict.lost);
  const chips: LedgerChip[] = expected.map((value) => {
    const count = counts.get(value) ?? 0;
    return { value, count, kind: count > 1 ? 'duplicate' : count === 1 ? 'ok' : lost.has(value) ? 'lost' : 'missing' };
  });
  const expectedSet = new Set(expected);
  for (const [value, count] of counts) if (!expectedSet.has(value)) chips.push({ value, count, kind: 'unexpected' });
  return chips;
}
