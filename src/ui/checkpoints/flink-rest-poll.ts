// Reading a running Flink cluster's checkpoint statistics over HTTP, from the page: the same five endpoints
// docs/flink-rest.md saves with curl, fetched and handed to the same loader as saved files. Flink's REST
// server answers cross-origin requests by default (`web.access-control-allow-origin`, default "*",
// WebOptions.ACCESS_CONTROL_ALLOW_ORIGIN); a cluster that narrowed it, or an https page asking an http
// cluster, is refused by the browser, and the message says so.
import type { CheckpointFile } from './flink-rest-loader';
import { MAX_FILES } from './flink-rest-loader';
import { MAX_FILE_CHARS } from './flink-rest-json';

/** How often the page asks the cluster again while it shows a polled job. */
export const POLL_INTERVAL_MS = 5000;

/** Details (and their subtasks) are fetched for at most this many checkpoints: Flink keeps `web.checkpoints.history` (10). */
const MAX_CHECKPOINTS = 50;

export type Fetcher = (url: string) => Promise<{ readonly ok: boolean; readonly status: number; text(): Promise<string> }>;

export interface ClusterTarget {
  /** `http://localhost:8081`, without a trailing slash. */
  readonly baseUrl: string;
  /** Flink's 32-hex job id, or null for "the one running job". */
  readonly jobId: string | null;
}

/** The URL and job id as typed, checked before any request: a clear message, or the target. */
export function parseClusterTarget(url: string, jobId: string): { ok: true; target: ClusterTarget } | { ok: false; message: string } {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return { ok: false, message: `'${url.trim().slice(0, 80)}' is not a URL: write the cluster's REST address, e.g. http://localhost:8081.` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, message: `A Flink REST address starts with http:// or https://, not ${parsed.protocol}//.` };
  if (parsed.search || parsed.hash) return { ok: false, message: 'Give the REST address without ?query or #fragment (e.g. http://localhost:8081).' };
  const id = jobId.trim().toLowerCase();
  if (id !== '' && !/^[0-9a-f]{32}$/.test(id)) return { ok: false, message: `A Flink job id is 32 hexadecimal digits (as \`flink list\` prints it), not '${jobId.trim().slice(0, 40)}'.` };
  return { ok: true, target: { baseUrl: parsed.href.replace(/\/+$/, ''), jobId: id === '' ? null : id } };
}

/**
 * Fetches every checkpoint endpoint of the job as files for `loadCheckpointFiles`: the overview, the
 * config, the job (vertex names), and for each checkpoint in the history its details and its subtasks per
 * vertex. Throws an Error whose message is meant for the page.
 */
export async function fetchCheckpointFiles(target: ClusterTarget, fetcher: Fetcher = browserFetch): Promise<{ jobId: string; files: CheckpointFile[] }> {
  const get = async (path: string): Promise<CheckpointFile> => {
    const file = await tryGet(path, true);
    return file!;
  };
  /** `required` false: a 404 (Flink no longer keeps that checkpoint's or vertex's statistics) is no file. */
  const tryGet = async (path: string, required: boolean): Promise<CheckpointFile | null> => {
    const url = `${target.baseUrl}${path}`;
    let response: Awaited<ReturnType<Fetcher>>;
    try {
      response = await fetcher(url);
    } catch {
      throw new Error(
        `No answer from ${url}. Is the cluster reachable from this browser, and does it allow this page (web.access-control-allow-origin, Flink's default "*")? An https page cannot read an http cluster; save the files with curl instead (docs/flink-rest.md).`,
      );
    }
    const text = await response.text();
    if (!response.ok && !required && response.status === 404) return null;
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}: ${text.slice(0, 200)}`);
    if (text.length > MAX_FILE_CHARS) throw new Error(`${url} answered ${text.length} characters, more than a checkpoint statistics response can be.`);
    return { name: path, text };
  };
  const jobId = target.jobId ?? (await runningJob(await get('/jobs')));
  const job = `/jobs/${jobId}`;
  const [overview, config, details] = await Promise.all([get(`${job}/checkpoints`), get(`${job}/checkpoints/config`), get(job)]);
  const ids = checkpointIds(overview.text).slice(0, MAX_CHECKPOINTS);
  const vertices = vertexIds(details.text);
  const perCheckpoint = await Promise.all(
    ids.map(async (id) => {
      const checkpoint = await tryGet(`${job}/checkpoints/details/${id}`, false);
      if (!checkpoint) return [];
      const subtasks = await Promise.all(vertices.map((vertex) => tryGet(`${job}/checkpoints/details/${id}/subtasks/${vertex}`, false)));
      return [checkpoint, ...subtasks.filter((file): file is CheckpointFile => file !== null)];
    }),
  );
  const files = [overview, config, details, ...perCheckpoint.flat()];
  if (files.length > MAX_FILES) throw new Error(`The job has more checkpoint responses (${files.length}) than the page reads at once (${MAX_FILES}).`);
  return { jobId, files };
}

/** `GET /jobs` → the id of the one RUNNING job; otherwise a message listing what is there. */
function runningJob(jobs: CheckpointFile): string {
  const list = (readArray(jobs.text, 'jobs') as Array<{ id?: unknown; status?: unknown } | null>).filter(
    (job): job is { id: string; status: string } => typeof job?.id === 'string' && typeof job?.status === 'string',
  );
  const running = list.filter((job) => job.status === 'RUNNING');
  if (running.length === 1 && /^[0-9a-f]{32}$/.test(running[0]!.id)) return running[0]!.id;
  if (list.length === 0) throw new Error('The cluster runs no job: start one, or type a job id.');
  throw new Error(`Type the job id: the cluster has ${running.length} running jobs (${list.map((job) => `${job.id} ${job.status}`).slice(0, 5).join(', ')}).`);
}

/** The history's checkpoint ids, newest first (the loader validates everything; this only plans requests). */
function checkpointIds(text: string): number[] {
  return readArray(text, 'history')
    .map((entry) => (entry as { id?: unknown })?.id)
    .filter((id): id is number => typeof id === 'number' && Number.isSafeInteger(id) && id >= 0);
}

function vertexIds(text: string): string[] {
  return readArray(text, 'vertices')
    .map((vertex) => (vertex as { id?: unknown })?.id)
    .filter((id): id is string => typeof id === 'string' && /^[0-9a-f]{32}$/.test(id));
}

function readArray(text: string, field: string): unknown[] {
  try {
    const value = (JSON.parse(text) as Record<string, unknown> | null)?.[field];
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

const browserFetch: Fetcher = (url) => fetch(url, { headers: { Accept: 'application/json' } });
