// The page's URL parameters (`?runtime=…&rate=…&storage=…`), validated before any work: a bad, unknown,
// repeated or nameless parameter never crashes the page; it yields one problem in words (never two alike)
// for the page to show, and the default is used instead. Problems are bounded, whatever the URL holds.
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

/** Unknown names reported one by one; the rest are counted in one more sentence. */
export const MAX_UNKNOWN_NAMES_REPORTED = 5;
/** Longest name or value quoted in a problem; longer ones are cut with an ellipsis. */
const MAX_QUOTED_LENGTH = 40;

export interface ParsedPageParameters {
  readonly parameters: PageParameters;
  /** One sentence per rejected parameter, all different; empty when all were valid. */
  readonly problems: readonly string[];
}

const KNOWN = ['runtime', 'rate', 'storage'] as const;
type Known = (typeof KNOWN)[number];

export function parsePageParameters(search: string): ParsedPageParameters {
  const problems: string[] = [];
  const byName = groupByName(search);
  const values = new Map<Known, string>();
  const unknown: string[] = [];
  for (const [name, given] of byName) {
    if (name === '') continue;
    if (!isKnown(name)) unknown.push(name);
    else if (given.length === 1) values.set(name, given[0]!);
    else problems.push(repeated(name, given));
  }
  reportUnknown(unknown, byName, problems);
  const nameless = byName.get('')?.length ?? 0;
  if (nameless > 0) problems.push(`Ignored ${nameless === 1 ? 'a URL parameter' : `${nameless} URL parameters`} without a name (such as '=' or '=value').`);
  const runtime = oneOf(values.get('runtime'), 'runtime', ['worker', 'deterministic'], DEFAULT_PAGE_PARAMETERS.runtime, problems);
  const storage = oneOf(values.get('storage'), 'storage', ['indexeddb', 'memory'], DEFAULT_PAGE_PARAMETERS.storage, problems);
  const recordsPerSecond = rate(values.get('rate'), problems);
  return { parameters: { runtime, recordsPerSecond, storage }, problems };
}

/** Every value of each name, in URL order; names keep their first position. */
function groupByName(search: string): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(search)) {
    const given = byName.get(name);
    if (given) given.push(value);
    else byName.set(name, [value]);
  }
  return byName;
}

function isKnown(name: string): name is Known {
  return (KNOWN as readonly string[]).includes(name);
}

/** Which of several values was meant cannot be known, so none is guessed: the default is used. */
function repeated(name: Known, given: readonly string[]): string {
  const listed = given.length <= 3 ? ` (${given.map(quote).join(', ')})` : '';
  return `URL parameter '${name}' is given ${given.length} times${listed}; give it once. Using the default, ${defaultOf(name)}.`;
}

function defaultOf(name: Known): string {
  return name === 'rate' ? String(DEFAULT_PAGE_PARAMETERS.recordsPerSecond) : `'${DEFAULT_PAGE_PARAMETERS[name]}'`;
}

function reportUnknown(unknown: readonly string[], byName: ReadonlyMap<string, readonly string[]>, problems: string[]): void {
  for (const name of unknown.slice(0, MAX_UNKNOWN_NAMES_REPORTED)) {
    const suggestion = closestKey(name, KNOWN);
    const times = byName.get(name)!.length;
    problems.push(
      `Unknown URL parameter ${quote(name)}${times > 1 ? ` (given ${times} times)` : ''}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; known: ${KNOWN.join(', ')}.`,
    );
  }
  const more = unknown.length - MAX_UNKNOWN_NAMES_REPORTED;
  if (more > 0) problems.push(`${more} more unknown URL parameter${more === 1 ? ' is' : 's are'} ignored too.`);
}

function quote(text: string): string {
  return `'${text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}…` : text}'`;
}

function oneOf<T extends string>(value: string | undefined, name: string, allowed: readonly T[], fallback: T, problems: string[]): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push(`URL parameter '${name}' must be one of ${allowed.join(', ')}, got ${quote(value)}; using '${fallback}'.`);
  return fallback;
}

function rate(value: string | undefined, problems: string[]): number {
  const fallback = DEFAULT_PAGE_PARAMETERS.recordsPerSecond;
  if (value === undefined) return fallback;
  const parsed = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (Number.isSafeInteger(parsed) && parsed >= MIN_RECORDS_PER_SECOND && parsed <= MAX_RECORDS_PER_SECOND) return parsed;
  problems.push(
    `URL parameter 'rate' must be a whole number of records per second from ${MIN_RECORDS_PER_SECOND} to ${MAX_RECORDS_PER_SECOND}, got ${quote(value)}; using ${fallback}.`,
  );
  return fallback;
}
