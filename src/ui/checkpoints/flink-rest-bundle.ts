// Reading a checkpoints bundle (./checkpoints-bundle.ts) back: its outer object first, then every part
// with the same schema as the Flink file of that endpoint. One bad part refuses the bundle, naming it.
import * as v from 'valibot';
import { CHECKPOINTS_BUNDLE_FORMAT, CHECKPOINTS_BUNDLE_VERSION } from './checkpoints-bundle';
import { parsePart, type FlinkRestPart } from './flink-rest-import';
import { issueRefusal, type Parsed } from './flink-rest-json';
import { vertexIdSchema } from './flink-rest-schemas';

const MAX_PARTS = 100_000;

const bundleSchema = v.object({
  format: v.optional(v.literal(CHECKPOINTS_BUNDLE_FORMAT, `Invalid format: Expected "${CHECKPOINTS_BUNDLE_FORMAT}"`)),
  version: v.optional(v.literal(CHECKPOINTS_BUNDLE_VERSION, `Invalid version: this page reads version ${CHECKPOINTS_BUNDLE_VERSION}`)),
  label: v.optional(v.pipe(v.string(), v.maxLength(200))),
  checkpoints: v.optional(v.nullable(v.unknown())),
  config: v.optional(v.nullable(v.unknown())),
  details: v.optional(v.record(v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'Invalid key: Expected a checkpoint id')), v.unknown())),
  subtasks: v.optional(v.record(v.pipe(v.string(), v.regex(/^\d{1,15}\/.+$/, 'Invalid key: Expected "<checkpointid>/<vertexid>"')), v.unknown())),
  job: v.optional(v.nullable(v.unknown())),
});

export interface UnpackedBundle {
  readonly label: string | null;
  readonly parts: readonly FlinkRestPart[];
}

export function unpackBundle(json: unknown): Parsed<UnpackedBundle> {
  const outer = v.safeParse(bundleSchema, json);
  if (!outer.success) return { ok: false, refusal: issueRefusal(outer.issues) };
  const bundle = outer.output;
  const parts: FlinkRestPart[] = [];
  const add = (part: Parsed<FlinkRestPart>): Parsed<unknown> | null => {
    if (!part.ok) return part;
    parts.push(part.value);
    return null;
  };
  const singles = [
    ['overview', 'checkpoints', bundle.checkpoints],
    ['config', 'config', bundle.config],
    ['job', 'job', bundle.job],
  ] as const;
  for (const [endpoint, key, value] of singles) {
    if (value === undefined || value === null) continue;
    const failed = add(parsePart(endpoint, value, key));
    if (failed && !failed.ok) return failed;
  }
  const details = Object.entries(bundle.details ?? {});
  const subtasks = Object.entries(bundle.subtasks ?? {});
  if (details.length + subtasks.length > MAX_PARTS) return { ok: false, refusal: { path: 'details', message: `more than ${MAX_PARTS} parts` } };
  for (const [id, value] of details) {
    const failed = add(parsePart('details', value, `details[${JSON.stringify(id)}]`));
    if (failed && !failed.ok) return failed;
    const part = parts.at(-1)!;
    if (part.endpoint === 'details' && part.details.id !== Number(id)) {
      return { ok: false, refusal: { path: `details[${JSON.stringify(id)}].id`, message: `the key says checkpoint ${id}, the statistics say ${part.details.id}` } };
    }
  }
  for (const [key, value] of subtasks) {
    const slash = key.indexOf('/');
    const vertexId = key.slice(slash + 1);
    const path = `subtasks[${JSON.stringify(key)}]`;
    if (!v.is(vertexIdSchema, vertexId)) return { ok: false, refusal: { path, message: 'Invalid key: the vertex id after "/" is not one' } };
    const failed = add(parsePart('subtasks', value, path, vertexId));
    if (failed && !failed.ok) return failed;
    const part = parts.at(-1)!;
    if (part.endpoint === 'subtasks') parts[parts.length - 1] = { ...part, checkpointId: Number(key.slice(0, slash)) };
  }
  return { ok: true, value: { label: bundle.label ?? null, parts } };
}
