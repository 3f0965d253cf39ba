// JSON from a file, parsed defensively: nesting is measured before JSON.parse (so no deep recursion ever
// runs), and keys that could reach an object's prototype or numbers JSON cannot hold are refused by path.
import { fail, quote, type SnapshotFileErrorKind } from './snapshot-file-error';

export interface UntrustedJsonRules {
  readonly kind: SnapshotFileErrorKind;
  /** For messages: `_metadata`, or `<entry> @ byte 12`. */
  readonly where: string;
  readonly maxDepth: number;
  readonly forbiddenKeys: ReadonlySet<string>;
}

/** Keys no object in `_metadata` may have: each would name or replace a prototype if code assigned it. */
export const METADATA_FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** State values are the user's data: only `__proto__`, which assignment would turn into a prototype, is refused. */
export const VALUE_FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__']);

export function parseUntrustedJson(text: string, rules: UntrustedJsonRules): unknown {
  const depth = nestingDepth(text);
  if (depth > rules.maxDepth) fail(rules.kind, rules.where, `JSON nested ${depth} levels deep, more than the ${rules.maxDepth} allowed`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    fail(rules.kind, rules.where, `not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  checkValue(value, '', rules);
  return value;
}

/** The deepest nesting of `[` and `{` outside strings: linear, no recursion. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x5d || char === 0x7d) depth--;
  }
  return deepest;
}

/** Recursion is bounded by the nesting checked above. */
function checkValue(value: unknown, path: string, rules: UntrustedJsonRules): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(rules.kind, at(rules.where, path), 'a number too large for a 64-bit float');
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((element, index) => checkValue(element, `${path}[${index}]`, rules));
    return;
  }
  for (const [key, element] of Object.entries(value)) {
    if (rules.forbiddenKeys.has(key)) fail(rules.kind, at(rules.where, path), `the key ${quote(key)} is not allowed`);
    checkValue(element, path === '' ? key : `${path}.${key}`, rules);
  }
}

function at(where: string, path: string): string {
  return path === '' ? where : `${where}: ${path}`;
}
