// Facts that hold across files of one job: a subtask file belongs to a vertex of its checkpoint's details,
// details belong to checkpoints the overview lists, vertices are the job's, and the job id is one.
import type { CheckpointStatistics } from '../../engine/checkpoint/checkpoint-stats';
import type { CheckpointsVertex } from './checkpoints-source';
import type { FlinkRestPart } from './flink-rest-import';
import type { Parsed } from './flink-rest-json';
import type { LoadedParts } from './flink-rest-source';

type SubtasksPart = Extract<FlinkRestPart, { endpoint: 'subtasks' }>;

/** Where a lone subtask file belongs: a vertex id in its name that its checkpoint's details list, else the one vertex whose numbers it repeats. */
export function findVertex(
  part: SubtasksPart,
  fileName: string,
  details: ReadonlyMap<number, { readonly value: CheckpointStatistics }>,
  jobVertices: readonly CheckpointsVertex[] | null,
): Parsed<{ readonly checkpointId: number; readonly vertexId: string; readonly notes: readonly string[] }> {
  const checkpointId = part.checkpointId;
  if (checkpointId === null) return fail('it has no "id", so which checkpoint it belongs to is unknown (Flink\'s response always has one)');
  const tasks = details.get(checkpointId)?.value.tasks;
  const named = [...new Set(fileName.match(/[0-9a-f]{32}/gi) ?? [])].map((id) => id.toLowerCase());
  if (tasks) {
    const byName = named.filter((id) => Object.hasOwn(tasks, id));
    if (byName.length === 1) return found(checkpointId, byName[0]!, []);
    const { raw } = part;
    const matching = Object.entries(tasks).filter(
      ([, task]) =>
        task.num_subtasks === (raw.num_subtasks ?? raw.subtasks.length) &&
        (raw.num_acknowledged_subtasks === undefined || task.num_acknowledged_subtasks === raw.num_acknowledged_subtasks) &&
        (raw.latest_ack_timestamp === undefined || task.latest_ack_timestamp === raw.latest_ack_timestamp) &&
        (raw.end_to_end_duration === undefined || task.end_to_end_duration === raw.end_to_end_duration) &&
        (raw.state_size === undefined || raw.state_size === null || task.state_size === raw.state_size),
    );
    if (matching.length === 1) return found(checkpointId, matching[0]![0], [`vertex ${matching[0]![0]} found by its numbers in checkpoint ${checkpointId}'s details`]);
    if (matching.length > 1) {
      return fail(`its numbers fit vertices ${matching.map(([id]) => id).join(' and ')} of checkpoint ${checkpointId} alike; put the vertex id in the file name (…-subtasks-<vertexid>.json)`);
    }
    return fail(`no vertex of checkpoint ${checkpointId}'s details has its numbers (num_subtasks ${raw.num_subtasks ?? raw.subtasks.length}, latest_ack_timestamp ${raw.latest_ack_timestamp ?? '?'}): a file of another job or another moment?`);
  }
  const known = named.filter((id) => jobVertices === null || jobVertices.some((vertex) => vertex.id === id));
  if (known.length === 1) return found(checkpointId, known[0]!, [`no details file for checkpoint ${checkpointId}: vertex ${known[0]} taken from the file name`]);
  return fail(`no details file for checkpoint ${checkpointId} tells which vertex it is; load that checkpoint's details too, or put the vertex id in the file name`);
}

function found(checkpointId: number, vertexId: string, notes: readonly string[]) {
  return { ok: true as const, value: { checkpointId, vertexId, notes } };
}

function fail(message: string) {
  return { ok: false as const, refusal: { path: '(file)', message } };
}

/** `file:/flink/checkpoints/<job id>/chk-17`: Flink's checkpoint directory layout names the job. */
const JOB_ID_IN_PATH = /\/([0-9a-f]{32})\/chk-\d+/;

export function checkConsistency(parts: LoadedParts, jobFileId: string | null): { readonly jobId: string | null; readonly warnings: readonly string[] } {
  const warnings: string[] = [];
  const { overview, details, subtasks, vertices } = parts;
  if (overview) {
    const listed = new Set([...overview.history, overview.latest.completed, overview.latest.savepoint, overview.latest.failed].flatMap((entry) => (entry ? [entry.id] : [])));
    const unlisted = [...details.keys()].filter((id) => !listed.has(id)).sort((a, b) => a - b);
    if (unlisted.length > 0) warnings.push(`details of checkpoint${plural(unlisted)} ${unlisted.join(', ')}, which the overview does not list (saved at another moment, or the history rolled on)`);
    const missing = overview.history.map((entry) => entry.id).filter((id) => !details.has(id));
    if (missing.length > 0 && details.size > 0) warnings.push(`no details file for checkpoint${plural(missing)} ${missing.join(', ')}: their operators and subtasks are not shown`);
  }
  if (vertices) {
    const known = new Set(vertices.map((vertex) => vertex.id));
    const strangers = new Set([...details.values()].flatMap((entry) => Object.keys(entry.tasks).filter((id) => !known.has(id))));
    if (strangers.size > 0) warnings.push(`the job file names no vertex ${[...strangers].join(', ')}, which the details list: files of different jobs?`);
  }
  for (const [key, perSubtask] of subtasks) {
    const [id, vertexId] = [Number(key.slice(0, key.indexOf('/'))), key.slice(key.indexOf('/') + 1)];
    const task = details.get(id)?.tasks[vertexId];
    if (!details.has(id)) warnings.push(`subtask details of checkpoint ${id}, vertex ${vertexId}, without that checkpoint's details`);
    else if (!task) warnings.push(`subtask details of vertex ${vertexId}, which checkpoint ${id}'s details do not list`);
    else if (task.num_subtasks !== perSubtask.subtasks.length) warnings.push(`checkpoint ${id}, vertex ${vertexId}: the details say ${task.num_subtasks} subtasks, the subtask file has ${perSubtask.subtasks.length}`);
  }
  const fromPaths = new Set(
    [...details.values(), ...(overview?.history ?? [])].flatMap((entry) => {
      const match = JOB_ID_IN_PATH.exec(entry.external_path ?? '');
      return match ? [match[1]!] : [];
    }),
  );
  if (jobFileId && [...fromPaths].some((id) => id !== jobFileId)) warnings.push(`checkpoint paths name job ${[...fromPaths].join(', ')}, the job file ${jobFileId}: files of different jobs?`);
  if (!jobFileId && fromPaths.size > 1) warnings.push(`checkpoint paths name ${fromPaths.size} jobs: ${[...fromPaths].join(', ')}`);
  const jobId = jobFileId ?? (fromPaths.size === 1 ? [...fromPaths][0]! : null);
  return { jobId, warnings };
}

function plural(list: readonly unknown[]): string {
  return list.length === 1 ? '' : 's';
}
