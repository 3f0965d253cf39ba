// One saved file → what it is. A file's endpoint is recognised by its shape (Flink's responses carry no
// name of their own): the overview, the config, one checkpoint's details, one vertex's subtask details,
// the job, or a Barrierscope bundle of all of them. Never throws; a refusal names the field path.
import * as v from 'valibot';
import type { CheckpointStatistics, CheckpointingStatistics } from '../../engine/checkpoint/checkpoint-stats';
import type { CheckpointConfigInfo } from '../../engine/config/checkpoint-config-info';
import type { CheckpointsVertex, VertexCheckpointDetails } from './checkpoints-source';
import { issueRefusal, parseBoundedJson, refused, type Parsed } from './flink-rest-json';
import { checkpointConfig, checkpointingStatistics, checkpointStatistics, missingConfigFields, vertexCheckpointDetails } from './flink-rest-normalise';
import {
  checkpointConfigSchema,
  checkpointingStatisticsSchema,
  checkpointStatisticsSchema,
  jobDetailsSchema,
  subtaskDetailsSchema,
  type RawSubtaskDetails,
} from './flink-rest-schemas';

export type FlinkRestPart =
  | { readonly endpoint: 'overview'; readonly overview: CheckpointingStatistics }
  | { readonly endpoint: 'config'; readonly config: CheckpointConfigInfo; readonly defaulted: readonly string[] }
  | { readonly endpoint: 'details'; readonly details: CheckpointStatistics }
  | {
      readonly endpoint: 'subtasks';
      readonly subtasks: VertexCheckpointDetails;
      /** The checkpoint id the file says (its task fields), and its task fields for finding the vertex. */
      readonly checkpointId: number | null;
      readonly raw: RawSubtaskDetails;
      /** Known only inside a bundle (its key); a lone file's vertex is found by the loader. */
      readonly vertexId: string | null;
    }
  | { readonly endpoint: 'job'; readonly jobId: string | null; readonly name: string | null; readonly vertices: readonly CheckpointsVertex[] };

export type FlinkRestEndpoint = FlinkRestPart['endpoint'] | 'bundle';

/** How each endpoint reads in a report. */
export const ENDPOINT_PATHS: Readonly<Record<FlinkRestEndpoint, string>> = {
  overview: 'GET /jobs/:jobid/checkpoints',
  config: 'GET /jobs/:jobid/checkpoints/config',
  details: 'GET /jobs/:jobid/checkpoints/details/:checkpointid',
  subtasks: 'GET /jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid',
  job: 'GET /jobs/:jobid',
  bundle: 'a Barrierscope checkpoints bundle',
};

const has = (object: object, key: string) => Object.hasOwn(object, key);

/** The endpoint whose response has this shape, or null. Checked most specific first. */
export function recogniseEndpoint(json: object): FlinkRestEndpoint | null {
  if (has(json, 'format') || (has(json, 'checkpoints') && !has(json, 'counts'))) return 'bundle';
  if (has(json, 'counts') && has(json, 'history')) return 'overview';
  if (has(json, 'subtasks') && has(json, 'summary')) return 'subtasks';
  if (has(json, 'tasks') && has(json, 'trigger_timestamp')) return 'details';
  if (has(json, 'externalization') || (has(json, 'mode') && has(json, 'interval'))) return 'config';
  if (has(json, 'vertices') && (has(json, 'jid') || has(json, 'name') || has(json, 'plan'))) return 'job';
  return null;
}

/** Parse one saved response whose endpoint is known (a bundle's part, or a recognised file). */
export function parsePart(endpoint: Exclude<FlinkRestEndpoint, 'bundle'>, json: unknown, prefix = '', vertexId: string | null = null): Parsed<FlinkRestPart> {
  switch (endpoint) {
    case 'overview': {
      const parsed = v.safeParse(checkpointingStatisticsSchema, json);
      return parsed.success ? { ok: true, value: { endpoint, overview: checkpointingStatistics(parsed.output) } } : { ok: false, refusal: issueRefusal(parsed.issues, prefix) };
    }
    case 'config': {
      const parsed = v.safeParse(checkpointConfigSchema, json);
      return parsed.success
        ? { ok: true, value: { endpoint, config: checkpointConfig(parsed.output), defaulted: missingConfigFields(parsed.output) } }
        : { ok: false, refusal: issueRefusal(parsed.issues, prefix) };
    }
    case 'details': {
      const parsed = v.safeParse(checkpointStatisticsSchema, json);
      return parsed.success ? { ok: true, value: { endpoint, details: checkpointStatistics(parsed.output) } } : { ok: false, refusal: issueRefusal(parsed.issues, prefix) };
    }
    case 'subtasks': {
      const parsed = v.safeParse(subtaskDetailsSchema, json);
      if (!parsed.success) return { ok: false, refusal: issueRefusal(parsed.issues, prefix) };
      const raw = parsed.output;
      return { ok: true, value: { endpoint, subtasks: vertexCheckpointDetails(raw), checkpointId: raw.id ?? null, raw, vertexId } };
    }
    case 'job': {
      const parsed = v.safeParse(jobDetailsSchema, json);
      if (!parsed.success) return { ok: false, refusal: issueRefusal(parsed.issues, prefix) };
      const { jid, name, vertices } = parsed.output;
      return { ok: true, value: { endpoint, jobId: jid ?? null, name: name ?? null, vertices: vertices.map((vertex) => ({ id: vertex.id, name: vertex.name, parallelism: vertex.parallelism })) } };
    }
  }
}

/** The top of a file: bounded JSON, an object, not Flink's `{"errors": […]}`, and a shape this page knows. */
export function readTopLevel(text: string): Parsed<{ readonly endpoint: FlinkRestEndpoint; readonly json: object }> {
  const parsed = parseBoundedJson(text);
  if (!parsed.ok) return parsed;
  const json = parsed.value;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return refused('(root)', `expected a JSON object (every Flink REST response is one), found ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}`);
  }
  if (has(json, 'errors') && Array.isArray((json as { errors: unknown }).errors)) {
    const first = (json as { errors: unknown[] }).errors.find((error) => typeof error === 'string') as string | undefined;
    return refused('errors', `Flink answered with an error, not statistics${first ? `: ${first.slice(0, 300)}` : ''}`);
  }
  const endpoint = recogniseEndpoint(json);
  if (endpoint === null) {
    const keys = Object.keys(json).slice(0, 8);
    return refused('(root)', `not a response of any checkpoint endpoint this page reads (${Object.values(ENDPOINT_PATHS).join('; ')}); its keys are ${keys.length === 0 ? 'none' : keys.map((key) => JSON.stringify(key.slice(0, 40))).join(', ')}`);
  }
  return { ok: true, value: { endpoint, json } };
}
