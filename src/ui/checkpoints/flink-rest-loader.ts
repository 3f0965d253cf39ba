// Several saved files at once (dropped or picked) → one job's CheckpointsSource, and per file what it was
// recognised as or why it was refused. Each file's endpoint comes from its shape, not its name; a subtask
// file's vertex from the details it matches (or a vertex id in its name). Never throws.
import type { CheckpointStatistics, CheckpointingStatistics } from '../../engine/checkpoint/checkpoint-stats';
import type { CheckpointConfigInfo } from '../../engine/config/checkpoint-config-info';
import { subtasksKey } from './checkpoints-bundle';
import type { CheckpointsSource, CheckpointsVertex, VertexCheckpointDetails } from './checkpoints-source';
import { unpackBundle } from './flink-rest-bundle';
import { ENDPOINT_PATHS, parsePart, readTopLevel, type FlinkRestPart } from './flink-rest-import';
import type { Refusal } from './flink-rest-json';
import { checkConsistency, findVertex } from './flink-rest-consistency';
import { partsSource } from './flink-rest-source';

export const MAX_FILES = 5_000;

export interface CheckpointFile {
  readonly name: string;
  readonly text: string;
}

export interface FileReport {
  readonly name: string;
  /** `GET /jobs/:jobid/checkpoints/details/7`, or null when refused. */
  readonly recognisedAs: string | null;
  /** Why the file was not used: `history[2].id: Invalid type: Expected number but received "x"`. */
  readonly refused: string | null;
  /** What was tolerated: defaulted fields, a vertex found by matching. */
  readonly notes: readonly string[];
}

export interface CheckpointsLoad {
  /** Null when no file gave an overview or a checkpoint's details. */
  readonly source: CheckpointsSource | null;
  readonly jobId: string | null;
  readonly files: readonly FileReport[];
  /** Inconsistencies between files that did not stop the load. */
  readonly warnings: readonly string[];
}

interface Pool {
  overview: { readonly value: CheckpointingStatistics; readonly file: string } | null;
  config: { readonly value: CheckpointConfigInfo; readonly file: string } | null;
  job: { readonly jobId: string | null; readonly name: string | null; readonly vertices: readonly CheckpointsVertex[]; readonly file: string } | null;
  readonly details: Map<number, { readonly value: CheckpointStatistics; readonly file: string }>;
  readonly subtasks: Map<string, { readonly value: VertexCheckpointDetails; readonly file: string }>;
  bundleLabel: string | null;
}

export function loadCheckpointFiles(files: readonly CheckpointFile[]): CheckpointsLoad {
  try {
    return load(files);
  } catch (error) {
    // Not expected: every refusal is a value. Still, a bug here must not take the page down.
    const message = error instanceof Error ? error.message : String(error);
    return { source: null, jobId: null, files: files.map((file) => ({ name: String(file.name), recognisedAs: null, refused: `could not be read (${message.slice(0, 200)})`, notes: [] })), warnings: [] };
  }
}

function load(files: readonly CheckpointFile[]): CheckpointsLoad {
  const pool: Pool = { overview: null, config: null, job: null, details: new Map(), subtasks: new Map(), bundleLabel: null };
  const reports: FileReport[] = [];
  const lone: { readonly file: string; readonly part: Extract<FlinkRestPart, { endpoint: 'subtasks' }>; readonly index: number }[] = [];
  files.forEach((file, index) => {
    if (index >= MAX_FILES) return reports.push({ name: file.name, recognisedAs: null, refused: `more than ${MAX_FILES} files at once`, notes: [] });
    const top = readTopLevel(file.text);
    if (!top.ok) return reports.push(refusal(file.name, top.refusal));
    if (top.value.endpoint === 'bundle') {
      const bundle = unpackBundle(top.value.json);
      if (!bundle.ok) return reports.push(refusal(file.name, bundle.refusal, 'bundle: '));
      pool.bundleLabel ??= bundle.value.label;
      const problems = bundle.value.parts.map((part) => add(pool, part, file.name)).filter((problem) => problem !== null);
      const counts = `${bundle.value.parts.filter((part) => part.endpoint === 'details').length} details, ${bundle.value.parts.filter((part) => part.endpoint === 'subtasks').length} subtask files`;
      return reports.push({ name: file.name, recognisedAs: `${ENDPOINT_PATHS.bundle} (${counts})`, refused: problems.length > 0 ? problems.join('; ') : null, notes: [] });
    }
    const part = parsePart(top.value.endpoint, top.value.json);
    if (!part.ok) return reports.push(refusal(file.name, part.refusal, `as ${ENDPOINT_PATHS[top.value.endpoint]}: `));
    if (part.value.endpoint === 'subtasks') {
      lone.push({ file: file.name, part: part.value, index: reports.length });
      return reports.push({ name: file.name, recognisedAs: null, refused: null, notes: [] });
    }
    const problem = add(pool, part.value, file.name);
    const notes = part.value.endpoint === 'config' && part.value.defaulted.length > 0 ? [`not in this Flink version's response, Flink's defaults used: ${part.value.defaulted.join(', ')}`] : [];
    return reports.push({ name: file.name, recognisedAs: describe(part.value), refused: problem, notes });
  });
  // Subtask files last: their vertex is found in the details, whichever order the files came in.
  for (const { file, part, index } of lone) {
    const found = findVertex(part, file, pool.details, pool.job?.vertices ?? null);
    if (!found.ok) {
      reports[index] = { name: file, recognisedAs: null, refused: `as ${ENDPOINT_PATHS.subtasks}: ${found.refusal.message}`, notes: [] };
      continue;
    }
    const placed = { ...part, checkpointId: found.value.checkpointId, vertexId: found.value.vertexId };
    reports[index] = { name: file, recognisedAs: describe(placed), refused: add(pool, placed, file), notes: found.value.notes };
  }
  const sourceParts = {
    overview: pool.overview?.value ?? null,
    config: pool.config?.value ?? null,
    details: new Map([...pool.details].map(([id, entry]) => [id, entry.value])),
    subtasks: new Map([...pool.subtasks].map(([key, entry]) => [key, entry.value])),
    vertices: pool.job?.vertices ?? null,
  };
  const { jobId, warnings } = checkConsistency(sourceParts, pool.job?.jobId ?? null);
  const usable = sourceParts.overview !== null || sourceParts.details.size > 0;
  const label = pool.bundleLabel ?? jobLabel(pool.job?.name ?? null, jobId);
  return { source: usable ? partsSource(sourceParts, label) : null, jobId, files: reports, warnings };
}

/** Into the pool, or why not: a second, different file of the same endpoint and ids is refused. */
function add(pool: Pool, part: FlinkRestPart, file: string): string | null {
  const clash = (what: string, first: { readonly file: string; readonly value: unknown } | null | undefined, value: unknown) =>
    first && JSON.stringify(first.value) !== JSON.stringify(value) ? `a second, different ${what} (the first came from ${first.file})` : null;
  switch (part.endpoint) {
    case 'overview':
      return clash('overview', pool.overview, part.overview) ?? ((pool.overview ??= { value: part.overview, file }), null);
    case 'config':
      return clash('config', pool.config, part.config) ?? ((pool.config ??= { value: part.config, file }), null);
    case 'job': {
      const problem = clash('job', pool.job && { file: pool.job.file, value: { jobId: pool.job.jobId, vertices: pool.job.vertices } }, { jobId: part.jobId, vertices: part.vertices });
      return problem ?? ((pool.job ??= { jobId: part.jobId, name: part.name, vertices: part.vertices, file }), null);
    }
    case 'details': {
      const problem = clash(`details of checkpoint ${part.details.id}`, pool.details.get(part.details.id), part.details);
      if (!problem && !pool.details.has(part.details.id)) pool.details.set(part.details.id, { value: part.details, file });
      return problem;
    }
    case 'subtasks': {
      if (part.checkpointId === null || part.vertexId === null) return 'no checkpoint id or vertex id';
      const key = subtasksKey(part.checkpointId, part.vertexId);
      const problem = clash(`subtask details of checkpoint ${part.checkpointId}, vertex ${part.vertexId}`, pool.subtasks.get(key), part.subtasks);
      if (!problem && !pool.subtasks.has(key)) pool.subtasks.set(key, { value: part.subtasks, file });
      return problem;
    }
  }
}

function describe(part: FlinkRestPart): string {
  switch (part.endpoint) {
    case 'details':
      return ENDPOINT_PATHS.details.replace(':checkpointid', String(part.details.id));
    case 'subtasks':
      return ENDPOINT_PATHS.subtasks.replace(':checkpointid', String(part.checkpointId)).replace(':vertexid', String(part.vertexId));
    case 'job':
      return part.jobId ? ENDPOINT_PATHS.job.replace(':jobid', part.jobId) : ENDPOINT_PATHS.job;
    default:
      return ENDPOINT_PATHS[part.endpoint];
  }
}

function refusal(name: string, { path, message }: Refusal, prefix = ''): FileReport {
  return { name, recognisedAs: null, refused: `${prefix}${path === '(file)' ? '' : `${path}: `}${message}`, notes: [] };
}

function jobLabel(name: string | null, jobId: string | null): string {
  const id = jobId ? `${jobId.slice(0, 8)}…` : null;
  if (name) return `Flink job ${name}${id ? ` (${id})` : ''} (files)`;
  return id ? `Flink job ${id} (files)` : 'Flink job (files)';
}
