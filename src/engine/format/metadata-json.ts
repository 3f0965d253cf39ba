// `_metadata` as text: indented JSON, with arrays of primitives and small flat objects kept on one line, so
// the file is readable when unzipped and its bytes depend only on the document. Any JSON reader reads it.

/** A flat object or array of primitives stays on one line up to this many characters. */
const MAX_INLINE_LENGTH = 100;

export function formatMetadataJson(value: unknown): string {
  return `${format(value, '')}\n`;
}

function format(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isPrimitive)) return `[${value.map((element) => JSON.stringify(element)).join(', ')}]`;
    return `[\n${value.map((element) => inner + format(element, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  if (entries.every(([, element]) => isPrimitive(element))) {
    const line = `{ ${entries.map(([key, element]) => `${JSON.stringify(key)}: ${JSON.stringify(element)}`).join(', ')} }`;
    if (line.length <= MAX_INLINE_LENGTH) return line;
  }
  return `{\n${entries.map(([key, element]) => `${inner}${JSON.stringify(key)}: ${format(element, inner)}`).join(',\n')}\n${indent}}`;
}

function isPrimitive(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}
