// `_metadata` as text: indented JSON with arrays of numbers, strings and nulls kept on one line, so the
// file is readable when unzipped and its bytes depend only on the document. Any JSON reader reads it.

export function formatMetadataJson(value: unknown): string {
  return `${format(value, '')}\n`;
}

function format(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((element) => element === null || typeof element !== 'object')) return `[${value.map((element) => JSON.stringify(element)).join(', ')}]`;
    return `[\n${value.map((element) => inner + format(element, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([key, element]) => `${inner}${JSON.stringify(key)}: ${format(element, inner)}`).join(',\n')}\n${indent}}`;
}
