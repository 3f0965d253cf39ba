// `_metadata` from untrusted JSON to a checked document: magic and version first, then the valibot schema,
// then the facts a schema cannot say (uid hashes, key-group ranges, subtask counts). Errors name the field path.
import * as v from 'valibot';
import { fail, quote } from './snapshot-file-error';
import { METADATA_ENTRY } from './entry-name';
import { checkMetadataDocument } from './check-metadata-document';
import { SNAPSHOT_FORMAT, SNAPSHOT_FORMAT_VERSIONS, snapshotMetadataSchema, type SnapshotMetadataDocument } from './snapshot-metadata-schema';

export function readMetadataDocument(json: unknown): SnapshotMetadataDocument {
  checkMagicAndVersion(json);
  const parsed = v.safeParse(snapshotMetadataSchema, json, { abortEarly: true });
  if (!parsed.success) {
    const issue = parsed.issues[0];
    fail('invalid-metadata', `${METADATA_ENTRY}: ${issuePath(issue.path)}`, issue.message);
  }
  checkMetadataDocument(parsed.output);
  return parsed.output;
}

function checkMagicAndVersion(json: unknown): void {
  const metadataDocument = json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
  const format = metadataDocument && Object.hasOwn(metadataDocument, 'format') ? metadataDocument['format'] : undefined;
  if (format !== SNAPSHOT_FORMAT) {
    const found = typeof format === 'string' ? quote(format) : format === undefined ? 'none' : typeof format;
    fail('bad-magic', `${METADATA_ENTRY}: format`, `expected ${quote(SNAPSHOT_FORMAT)}, found ${found}: not a Barrierscope snapshot`);
  }
  const version = metadataDocument!['formatVersion'];
  if (!(SNAPSHOT_FORMAT_VERSIONS as readonly unknown[]).includes(version)) {
    const found = typeof version === 'number' ? String(version) : typeof version;
    fail('unsupported-version', `${METADATA_ENTRY}: formatVersion`, `version ${found}; this reader reads versions ${SNAPSHOT_FORMAT_VERSIONS.join(' and ')}`);
  }
}

/** `operators[0].subtaskStates[1].managedKeyedState`, from valibot's issue path. */
function issuePath(path: readonly v.IssuePathItem[] | undefined): string {
  if (!path || path.length === 0) return '(root)';
  let text = '';
  for (const item of path) {
    const key = item.key as unknown;
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${quote(String(key), 60)}]`;
  }
  return text;
}
