// Serialized size of a record or state value, as UTF-8 JSON bytes: what processed_data,
// persisted_data and state sizes are measured in. Cheap paths for the common primitive shapes.
const encoder = new TextEncoder();

export function serializedSizeBytes(value: unknown): number {
  if (typeof value === 'number') return 8;
  if (typeof value === 'string') return value.length + 2;
  if (value === null || value === undefined || typeof value === 'boolean') return 4;
  if (typeof value === 'object' && !Array.isArray(value)) return flatObjectSize(value as Record<string, unknown>);
  return encoder.encode(JSON.stringify(value)).length;
}

/** Records are mostly flat objects of strings and numbers: size them without serialising (hot path). */
function flatObjectSize(record: Record<string, unknown>): number {
  let size = 2;
  for (const key in record) {
    const field = record[key];
    size += key.length + 4;
    if (typeof field === 'number') size += 8;
    else if (typeof field === 'string') size += field.length + 2;
    else size += serializedSizeBytes(field);
  }
  return size;
}

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

const decoder = new TextDecoder();

export function decodeJson(bytes: Uint8Array): unknown {
  return JSON.parse(decoder.decode(bytes));
}
