import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fetchCheckpointFiles, parseClusterTarget, type Fetcher } from './flink-rest-poll';
import { loadCheckpointFiles } from './flink-rest-loader';

const SAMPLES = 'public/samples/flink-rest';
const JOB = 'a2f3c9e1b47d4d0c9f8e6b5a4c3d2e1f';

/** A fake cluster serving the sample files at Flink's endpoint paths (the sample names follow docs/flink-rest.md's curl loop). */
function sampleCluster(extra: Record<string, string> = {}): { fetcher: Fetcher; asked: string[] } {
  const routes = new Map<string, string>(Object.entries(extra));
  for (const name of readdirSync(SAMPLES).filter((file) => file.endsWith('.json'))) {
    const text = readFileSync(`${SAMPLES}/${name}`, 'utf8');
    const path = name
      .replace(/^job\.json$/, `/jobs/${JOB}`)
      .replace(/^checkpoints\.json$/, `/jobs/${JOB}/checkpoints`)
      .replace(/^checkpoints-config\.json$/, `/jobs/${JOB}/checkpoints/config`)
      .replace(/^checkpoints-details-(\d+)-subtasks-([0-9a-f]+)\.json$/, `/jobs/${JOB}/checkpoints/details/$1/subtasks/$2`)
      .replace(/^checkpoints-details-(\d+)\.json$/, `/jobs/${JOB}/checkpoints/details/$1`);
    routes.set(path, text);
  }
  const asked: string[] = [];
  const fetcher: Fetcher = async (url) => {
    const path = new URL(url).pathname;
    asked.push(path);
    const text = routes.get(path);
    return text === undefined ? { ok: false, status: 404, text: async () => '{"errors":["Not found"]}' } : { ok: true, status: 200, text: async () => text };
  };
  return { fetcher, asked };
}

describe('parseClusterTarget', () => {
  it('takes an http(s) address and an optional 32-hex job id, and says what is wrong otherwise', () => {
    expect(parseClusterTarget('http://localhost:8081/', '')).toEqual({ ok: true, target: { baseUrl: 'http://localhost:8081', jobId: null } });
    expect(parseClusterTarget(' https://flink.example/proxy/ ', JOB.toUpperCase())).toEqual({ ok: true, target: { baseUrl: 'https://flink.example/proxy', jobId: JOB } });
    expect(parseClusterTarget('localhost:8081', '')).toMatchObject({ ok: false, message: expect.stringMatching(/http:\/\/ or https:\/\//) });
    expect(parseClusterTarget('not a url', '')).toMatchObject({ ok: false, message: expect.stringMatching(/is not a URL/) });
    expect(parseClusterTarget('http://localhost:8081?x=1', '')).toMatchObject({ ok: false });
    expect(parseClusterTarget('http://localhost:8081', 'abc')).toMatchObject({ ok: false, message: expect.stringMatching(/32 hexadecimal digits/) });
  });
});

describe('fetchCheckpointFiles', () => {
  it('fetches every endpoint of the one running job, and the loader reads them as it reads saved files', async () => {
    const { fetcher, asked } = sampleCluster({ '/jobs': JSON.stringify({ jobs: [{ id: JOB, status: 'RUNNING' }, { id: 'f'.repeat(32), status: 'FINISHED' }] }) });
    const { jobId, files } = await fetchCheckpointFiles({ baseUrl: 'http://flink:8081', jobId: null }, fetcher);
    expect(jobId).toBe(JOB);
    expect(asked).toContain(`/jobs/${JOB}/checkpoints/details/4/subtasks/cbc357ccb763df2852fee8c4fc7d55f2`);
    const load = loadCheckpointFiles(files);
    expect(load.files.filter((file) => file.refused !== null)).toEqual([]);
    expect(load.source?.overview().history.map((checkpoint) => checkpoint.id)).toEqual([5, 4, 3, 2, 1]);
    expect(load.source?.subtaskDetails(4, 'cbc357ccb763df2852fee8c4fc7d55f2')?.subtasks).toHaveLength(2);
  });

  it('skips statistics Flink no longer keeps (404), and says why it cannot go on otherwise', async () => {
    const { fetcher } = sampleCluster();
    const missing: Fetcher = async (url) => (url.endsWith('/checkpoints/details/2') ? { ok: false, status: 404, text: async () => '{"errors":["gone"]}' } : fetcher(url));
    const { files } = await fetchCheckpointFiles({ baseUrl: 'http://flink:8081', jobId: JOB }, missing);
    expect(files.some((file) => file.name.endsWith('/details/2'))).toBe(false);
    await expect(fetchCheckpointFiles({ baseUrl: 'http://flink:8081', jobId: 'e'.repeat(32) }, fetcher)).rejects.toThrow(/answered HTTP 404/);
    const unreachable: Fetcher = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(fetchCheckpointFiles({ baseUrl: 'http://flink:8081', jobId: JOB }, unreachable)).rejects.toThrow(/web.access-control-allow-origin/);
    const none = sampleCluster({ '/jobs': '{"jobs":[]}' }).fetcher;
    await expect(fetchCheckpointFiles({ baseUrl: 'http://flink:8081', jobId: null }, none)).rejects.toThrow(/runs no job/);
  });
});
