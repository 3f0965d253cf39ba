// The page's URL parameters (`?runtime=…&rate=…&storage=…`), validated: a bad or unknown value never
// crashes the page; it yields a problem in words for the page to show, and the default is used instead.
import { closestKey } from '../engine/config/did-you-mean';

export type RuntimeKind = 'worker' | 'deterministic';
export type StorageRequest = 'indexeddb' | 'memory';

export interface PageParameters {
  /** Which runtime runs the job: real Web Workers (default) or the deterministic replay. */
  readonly runtime: RuntimeKind;
  /** Source emission rate per source subtask, in records per second. */
  readonly recordsPerSecond: number;
  /** `memory` keeps checkpoints in memory even where IndexedDB works (to see the fallback). */
  readonly storage: StorageRequest;
}

export const DEFAULT_PAGE_PARAMETERS: PageParameters = { runtime: 'worker', recordsPerSecond: 25, storage: 'indexeddb' };

/** Bounds of `rate`: above ~10k records/s per subtask the page only shows a blur. */
export const MIN_RECORDS_PER_SECOND = 1;
export const MAX_RECORDS_PER_SECOND = 10_000;

export interface ParsedPageParameters {
  readonly parameters: PageParameters;
  /** One sentence per rejected parameter; empty when all were valid. */
  readonly problems: readonly string[];
}

const KNOWN = ['runtime', 'rate', 'storage'] as const;
type Known = (typeof KNOWN)[number];

export function parsePageParameters(search: string): ParsedPageParameters {
  const query = new URLSearchParams(search);
  const problems: string[] = [];
  const values = new Map<Known, string>();
  for (const [name, value] of query) {
    if (!isKnown(name)) {
      const suggestion = closestKey(name, KNOWN);
      problems.push(`Unknown URL parameter '${name}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; known: ${KNOWN.join(', ')}.`);
    } else if (values.has(name)) {
      problems.push(`URL parameter '${name}' is given more than once; using the first value.`);
    } else {
      values.set(name, value);
    }
  }
  const runtime = oneOf(values.get('runtime'), 'runtime', ['worker', 'deterministic'], DEFAULT_PAGE_PARAMETERS.runtime, problems);
  const storage = oneOf(values.get('storage'), 'storage', ['indexeddb', 'memory'], DEFAULT_PAGE_PARAMETERS.storage, problems);
  const recordsPerSecond = rate(values.get('rate'), problems);
  return { parameters: { runtime, recordsPerSecond, storage }, problems };
}

function isKnown(name: string): name is Known {
  return (KNOWN as readonly string[]).includes(name);
}

function oneOf<T extends string>(value: string | undefined, name: string, allowed: readonly T[], fallback: T, problems: string[]): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push(`URL parameter '${name}' must be one of ${allowed.join(', ')}, got '${value}'; using '${fallback}'.`);
  return fallback;
}

function rate(value: string | undefined, problems: string[]): number {
  const fallback = DEFAULT_PAGE_PARAMETERS.recordsPerSecond;
  if (value === undefined) return fallback;
  const parsed = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (Number.isSafeInteger(parsed) && parsed >= MIN_RECORDS_PER_SECOND && parsed <= MAX_RECORDS_PER_SECOND) return parsed;
  problems.push(
    `URL parameter 'rate' must be a whole number of records per second from ${MIN_RECORDS_PER_SECOND} to ${MAX_RECORDS_PER_SECOND}, got '${value}'; using ${fallback}.`,
  );
  return fallback;
}
