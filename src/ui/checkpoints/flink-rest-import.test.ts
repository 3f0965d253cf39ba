import { describe, expect, it } from 'vitest';
import { CHECKPOINTING_DISABLED_INTERVAL } from '../../engine/config/checkpoint-config-info';
import { loadCheckpointFiles, type CheckpointFile } from './flink-rest-loader';
import { MAX_FILE_CHARS, MAX_JSON_DEPTH } from './flink-rest-json';
import { SAMPLE_JOB_ID, SOURCE_VERTEX, WINDOW_VERTEX, sampleFile, sampleFiles, sampleJson } from './flink-rest-samples.fixture';

const file = (name: string, value: unknown): CheckpointFile => ({ name, text: typeof value === 'string' ? value : JSON.stringify(value) });
const refusalOf = (files: CheckpointFile[]) => loadCheckpointFiles(files).files[0]!.refused;

describe('loading the sample job saved from Flink', () => {
  const load = loadCheckpointFiles(sampleFiles());
  const source = load.source!;

  it('recognises every file by its shape, refuses none, and has nothing to warn about', () => {
    expect(load.files.filter((report) => report.refused !== null)).toEqual([]);
    expect(load.warnings).toEqual([]);
    expect(load.files.find((report) => report.name === 'checkpoints.json')!.recognisedAs).toBe('GET /jobs/:jobid/checkpoints');
    expect(load.files.find((report) => report.name === 'checkpoints-details-4.json')!.recognisedAs).toBe('GET /jobs/:jobid/checkpoints/details/4');
    expect(load.files.find((report) => report.name === `checkpoints-details-2-subtasks-${WINDOW_VERTEX}.json`)!.recognisedAs).toBe(
      `GET /jobs/:jobid/checkpoints/details/2/subtasks/${WINDOW_VERTEX}`,
    );
  });

  it('names the job and its vertices from GET /jobs/:jobid, in topological order', () => {
    expect(load.jobId).toBe(SAMPLE_JOB_ID);
    expect(source.label).toBe('Flink job Windowed word count (a2f3c9e1…) (files)');
    expect(source.vertices()).toEqual([
      { id: SOURCE_VERTEX, name: 'Source: Kafka words -> Flat Map', parallelism: 2 },
      { id: WINDOW_VERTEX, name: 'TumblingEventTimeWindows -> Sink: Print', parallelism: 2 },
    ]);
  });

  it('reads the overview: counts, latest completed / savepoint / failed / restored, and the history newest first', () => {
    const overview = source.overview();
    expect(overview.counts).toEqual({ restored: 1, total: 5, in_progress: 1, completed: 3, failed: 1 });
    expect(overview.history.map((entry) => [entry.id, entry['@class'], entry.checkpoint_type])).toEqual([
      [5, 'in_progress', 'CHECKPOINT'],
      [4, 'completed', 'UNALIGNED_CHECKPOINT'],
      [3, 'completed', 'SAVEPOINT'],
      [2, 'failed', 'CHECKPOINT'],
      [1, 'completed', 'CHECKPOINT'],
    ]);
    expect(overview.latest.savepoint!.id).toBe(3);
    expect(overview.latest.failed!.failure_message).toBe('Checkpoint expired before completing.');
    expect(overview.latest.restored).toEqual({ id: 3, restore_timestamp: 1717000645000, is_savepoint: true, external_path: 'file:/flink/savepoints/savepoint-a2f3c9-6d1b2c3e4f5a' });
  });

  it('keeps an UNALIGNED_CHECKPOINT as its type, and its subtasks say they were unaligned', () => {
    expect(source.details(4)!.checkpoint_type).toBe('UNALIGNED_CHECKPOINT');
    expect(source.details(4)!.persisted_data).toBe(524_288 + 786_432);
    const windows = source.subtaskDetails(4, WINDOW_VERTEX)!;
    expect(windows.subtasks.map((subtask) => subtask.unaligned_checkpoint)).toEqual([true, true]);
    expect(windows.summary.alignment.persisted).toMatchObject({ min: 524_288, max: 786_432 });
  });

  it('keeps a pending subtask as Flink sends it, and turns the percentiles Jackson writes as "NaN" into NaN', () => {
    const pending = source.subtaskDetails(5, WINDOW_VERTEX)!;
    expect(pending.subtasks).toEqual([
      { index: 0, status: 'pending_or_failed' },
      { index: 1, status: 'pending_or_failed' },
    ]);
    expect(pending.summary.end_to_end_duration.p50).toBeNaN();
    expect(pending.summary.end_to_end_duration.min).toBe(0);
  });

  it('reads the config as Flink reports it', () => {
    expect(source.config()).toMatchObject({ mode: 'exactly_once', interval: 10_000, unaligned_checkpoints: true, aligned_checkpoint_timeout: 30_000, checkpoint_storage: 'FileSystemCheckpointStorage' });
  });

  it('answers null for what was not loaded', () => {
    expect(source.details(99)).toBeNull();
    expect(source.subtaskDetails(1, 'ffffffffffffffffffffffffffffffff')).toBeNull();
  });

  it('loads the same files in any order', () => {
    const reversed = loadCheckpointFiles(sampleFiles().reverse());
    expect(reversed.source!.subtaskDetails(2, WINDOW_VERTEX)).toEqual(source.subtaskDetails(2, WINDOW_VERTEX));
    expect(reversed.source!.overview()).toEqual(source.overview());
  });
});

describe('what older and newer Flink versions send', () => {
  it('reads Flink 1.11: state_size as the checkpointed size, unreported data as NaN, Flink defaults for newer options', () => {
    const load = loadCheckpointFiles(sampleFiles('flink-1.11'));
    expect(load.files.map((report) => report.refused)).toEqual([null, null, null]);
    const source = load.source!;
    const details = source.details(1)!;
    expect(details.checkpointed_size).toBe(details.state_size);
    expect(details.processed_data).toBeNaN();
    expect(details.checkpoint_type).toBe('CHECKPOINT');
    expect(source.overview().summary.end_to_end_duration.p99).toBeNaN();
    expect(source.overview().summary.checkpointed_size).toEqual(source.overview().summary.state_size);
    expect(source.overview().summary.persisted_data.max).toBeNaN();
    expect(source.config()).toMatchObject({ interval: CHECKPOINTING_DISABLED_INTERVAL, unaligned_checkpoints: false, tolerable_failed_checkpoints: 0, checkpoints_after_tasks_finish: false });
    expect(load.files.find((report) => report.name === 'checkpoints-config.json')!.notes[0]).toMatch(/defaults used: checkpoint_storage, unaligned_checkpoints/);
  });

  it('reads the discriminator whichever name the version gave it (@class, clazz, className), and ignores fields it does not know', () => {
    const details = sampleJson('checkpoints-details-1.json');
    const { '@class': _class, ...rest } = details;
    for (const variant of [{ ...rest, className: 'completed' }, { ...rest, clazz: 'completed' }, rest, { ...details, brand_new_field: { nested: [1, 2] } }]) {
      const load = loadCheckpointFiles([file('d.json', variant)]);
      expect(load.files[0]!.refused).toBeNull();
      expect(load.source!.details(1)!['@class']).toBe('completed');
      expect(load.source!.details(1)).not.toHaveProperty('brand_new_field');
    }
  });

  it('reads 1.12–1.13 alignment_timeout as aligned_checkpoint_timeout, and an upper-case mode', () => {
    const config = { ...sampleJson('checkpoints-config.json'), mode: 'AT_LEAST_ONCE', aligned_checkpoint_timeout: undefined, alignment_timeout: 5000 };
    const source = loadCheckpointFiles([file('c.json', config), sampleFile('checkpoints.json')]).source!;
    expect(source.config()).toMatchObject({ mode: 'at_least_once', aligned_checkpoint_timeout: 5000 });
  });

  it('falls back to is_savepoint for a checkpoint type it does not know', () => {
    const details = { ...sampleJson('checkpoints-details-3.json'), checkpoint_type: 'FUTURE_SAVEPOINT_KIND' };
    expect(loadCheckpointFiles([file('d.json', details)]).source!.details(3)!.checkpoint_type).toBe('SAVEPOINT');
  });
});

describe('finding a subtask file its vertex', () => {
  const subtasks = sampleFile(`checkpoints-details-4-subtasks-${WINDOW_VERTEX}.json`).text;

  it('matches its numbers with the details when the file name does not say', () => {
    const load = loadCheckpointFiles([file('sub.json', subtasks), sampleFile('checkpoints-details-4.json')]);
    expect(load.files[0]!.recognisedAs).toBe(`GET /jobs/:jobid/checkpoints/details/4/subtasks/${WINDOW_VERTEX}`);
    expect(load.files[0]!.notes).toEqual([`vertex ${WINDOW_VERTEX} found by its numbers in checkpoint 4's details`]);
  });

  it('takes the vertex id from the name when no details came with it, and says so', () => {
    const load = loadCheckpointFiles([file(`x-${WINDOW_VERTEX}.json`, subtasks)]);
    expect(load.files[0]!.notes[0]).toMatch(/no details file for checkpoint 4: vertex 90bea66d/);
    expect(load.warnings).toEqual([`subtask details of checkpoint 4, vertex ${WINDOW_VERTEX}, without that checkpoint's details`]);
  });

  it('refuses one it cannot place', () => {
    expect(refusalOf([file('sub.json', subtasks)])).toMatch(/no details file for checkpoint 4 tells which vertex it is/);
    const other = { ...JSON.parse(subtasks), latest_ack_timestamp: 1 };
    expect(refusalOf([file('sub.json', other), sampleFile('checkpoints-details-4.json')])).toMatch(/no vertex of checkpoint 4's details has its numbers/);
  });
});

describe('checks across files', () => {
  it('warns of details the overview does not list, and of history without details', () => {
    const details = { ...sampleJson('checkpoints-details-1.json'), id: 42 };
    const load = loadCheckpointFiles([sampleFile('checkpoints.json'), file('d.json', details)]);
    expect(load.warnings).toEqual([
      'details of checkpoint 42, which the overview does not list (saved at another moment, or the history rolled on)',
      'no details file for checkpoints 5, 4, 3, 2, 1: their operators and subtasks are not shown',
    ]);
  });

  it('refuses a second, different file of the same endpoint, and takes an identical one', () => {
    const changed = { ...sampleJson('checkpoints-details-1.json'), trigger_timestamp: 1 };
    const load = loadCheckpointFiles([sampleFile('checkpoints-details-1.json'), sampleFile('checkpoints-details-1.json'), file('again.json', changed)]);
    expect(load.files.map((report) => report.refused)).toEqual([null, null, 'a second, different details of checkpoint 1 (the first came from checkpoints-details-1.json)']);
  });

  it('warns when the vertices are not the job file\'s, or the paths name another job', () => {
    const job = { ...sampleJson('job.json'), jid: 'ffffffffffffffffffffffffffffffff', vertices: [{ id: 'aaaa', name: 'other', parallelism: 1 }] };
    const load = loadCheckpointFiles([file('job.json', job), sampleFile('checkpoints-details-1.json')]);
    expect(load.jobId).toBe('ffffffffffffffffffffffffffffffff');
    expect(load.warnings).toEqual([
      `the job file names no vertex ${SOURCE_VERTEX}, ${WINDOW_VERTEX}, which the details list: files of different jobs?`,
      `checkpoint paths name job ${SAMPLE_JOB_ID}, the job file ffffffffffffffffffffffffffffffff: files of different jobs?`,
    ]);
  });

  it('computes the overview from the details when no overview file came, and takes the job id from the checkpoint paths', () => {
    const load = loadCheckpointFiles(sampleFiles().filter((report) => report.name.startsWith('checkpoints-details-') && !report.name.includes('subtasks')));
    expect(load.jobId).toBe(SAMPLE_JOB_ID);
    const overview = load.source!.overview();
    expect(overview.counts).toEqual({ restored: 0, total: 5, in_progress: 1, completed: 3, failed: 1 });
    expect([overview.latest.completed!.id, overview.latest.savepoint!.id, overview.latest.failed!.id]).toEqual([4, 3, 2]);
    expect(load.source!.vertices().map((vertex) => vertex.name)).toEqual([SOURCE_VERTEX, WINDOW_VERTEX]);
  });
});

describe('refusals, each naming the field and what was expected', () => {
  it('names the field path of a wrong type', () => {
    const overview = sampleJson('checkpoints.json') as { history: Record<string, unknown>[] };
    overview.history[2]!['trigger_timestamp'] = 'yesterday';
    expect(refusalOf([file('o.json', overview)])).toBe('as GET /jobs/:jobid/checkpoints: history[2].trigger_timestamp: Invalid type: Expected number but received "yesterday"');
  });

  it('names a bad key of the tasks map', () => {
    const details = sampleJson('checkpoints-details-1.json') as { tasks: Record<string, unknown> };
    details.tasks['not a vertex!'] = details.tasks[SOURCE_VERTEX];
    expect(refusalOf([file('d.json', details)])).toMatch(/^as GET \/jobs\/:jobid\/checkpoints\/details\/:checkpointid: tasks\["not a vertex!"\]: Invalid vertex id/);
  });

  it('says what a file is not', () => {
    expect(refusalOf([file('a.json', '[1,2]')])).toBe('(root): expected a JSON object (every Flink REST response is one), found an array');
    expect(refusalOf([file('a.json', '{"errors":["Job 1234 not found"]}')])).toBe('errors: Flink answered with an error, not statistics: Job 1234 not found');
    expect(refusalOf([file('a.json', '{"taskmanagers":[]}')])).toMatch(/^\(root\): not a response of any checkpoint endpoint this page reads .*; its keys are "taskmanagers"$/);
    expect(refusalOf([file('a.json', '{"counts": ')])).toMatch(/^not JSON \(/);
    expect(refusalOf([file('a.json', '{"a": 1e400}')])).toBe('a: a number too large for a 64-bit float');
  });

  it('refuses files over the size and nesting bounds before parsing them', () => {
    expect(refusalOf([file('big.json', `"${'x'.repeat(MAX_FILE_CHARS)}"`)])).toMatch(/^8\.0 MB, more than the 8\.0 MB a checkpoint statistics file can be$/);
    expect(refusalOf([file('deep.json', '['.repeat(100_000) + ']'.repeat(100_000))])).toBe(`JSON nested 100000 levels deep, more than the ${MAX_JSON_DEPTH} allowed`);
  });

  it('refuses __proto__ and constructor keys, and nothing reaches a prototype', () => {
    const hostile = sampleFile('checkpoints-details-1.json').text.replace('"tasks": {', '"tasks": {"__proto__": {"polluted": true},');
    expect(refusalOf([file('d.json', hostile)])).toBe('tasks: the key "__proto__" is not allowed (no Flink response has it)');
    expect(refusalOf([file('c.json', '{"mode":"exactly_once","interval":1,"constructor":{"prototype":{"polluted":true}}}')])).toMatch(/the key "constructor" is not allowed/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('returns no source when nothing drawable came', () => {
    const load = loadCheckpointFiles([sampleFile('checkpoints-config.json'), sampleFile('job.json')]);
    expect(load.source).toBeNull();
    expect(load.files.map((report) => report.refused)).toEqual([null, null]);
  });
});
