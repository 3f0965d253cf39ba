// Untrusted JSON from a saved Flink REST response, read within bounds: size and nesting are measured
// before JSON.parse runs (no deep recursion ever), and keys that could reach a prototype are refused by path.
// Nothing here throws: every refusal is a value naming the file, the field path and what was expected.
import type * as v from 'valibot';
import { nestingDepth } from '../../engine/format/untrusted-json';

/** A saved REST response (or a bundle) larger than this is not Flink's checkpoint statistics of one job. */
export const MAX_FILE_CHARS = 8 * 1024 * 1024;
/** Flink's deepest checkpoint response (overview → latest → completed → tasks → vertex) is 5 levels. */
export const MAX_JSON_DEPTH = 16;
/** Keys refused anywhere: each names or replaces a prototype if code ever assigned it. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export interface Refusal {
  /** `details.tasks["a1b2…"].state_size`, or '(file)' for the file as a whole. */
  readonly path: string;
  readonly message: string;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusal: Refusal };

export function refused(path: string, message: string): { readonly ok: false; readonly refusal: Refusal } {
  return { ok: false, refusal: { path, message } };
}

export function parseBoundedJson(text: string): Parsed<unknown> {
  if (text.length > MAX_FILE_CHARS) {
    return refused('(file)', `${formatSize(text.length)}, more than the ${formatSize(MAX_FILE_CHARS)} a checkpoint statistics file can be`);
  }
  const depth = nestingDepth(text);
  if (depth > MAX_JSON_DEPTH) return refused('(file)', `JSON nested ${depth} levels deep, more than the ${MAX_JSON_DEPTH} allowed`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return refused('(file)', `not JSON (${reason.length > 200 ? `${reason.slice(0, 200)}…` : reason})`);
  }
  const problem = findHostileValue(value);
  return problem ? { ok: false, refusal: problem } : { ok: true, value };
}

/** A forbidden key or a number JSON.parse turned into ±Infinity; iterative, so depth never matters here. */
function findHostileValue(root: unknown): Refusal | null {
  const stack: { readonly value: unknown; readonly path: readonly (string | number)[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'number' && !Number.isFinite(value)) return { path: pathText(path), message: 'a number too large for a 64-bit float' };
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      value.forEach((element, index) => stack.push({ value: element, path: [...path, index] }));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return { path: pathText(path), message: `the key "${key}" is not allowed (no Flink response has it)` };
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return null;
}

/** `history[2].tasks["5e2a…"].state_size`, from keys; identifiers with dots, anything else quoted. */
export function pathText(path: readonly (string | number)[], prefix = ''): string {
  let text = prefix;
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (/^[A-Za-z_@][A-Za-z0-9_]*$/.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key)}]`;
  }
  return text === '' ? '(root)' : text;
}

/** The first valibot issue as a refusal: its path, and valibot's message with the received value cut short. */
export function issueRefusal(issues: readonly v.BaseIssue<unknown>[], prefix = ''): Refusal {
  const issue = issues[0]!;
  const keys = (issue.path ?? []).map((item) => item.key as string | number);
  // One line, however the received value was written (valibot quotes strings as they are).
  const line = [...issue.message.slice(0, 301)].map((char) => (char < ' ' || char === '\u2028' || char === '\u2029' ? ' ' : char)).join('');
  const message = line.length > 300 ? `${line.slice(0, 300)}…` : line;
  return { path: pathText(keys, prefix), message };
}

function formatSize(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(chars / 1024)} kB`;
}
