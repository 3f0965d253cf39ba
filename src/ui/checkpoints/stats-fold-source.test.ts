import { describe, expect, it } from 'vitest';
import { foldCheckpointStatistics } from '../../engine/checkpoint/checkpoint-stats-fold';
import { checkpointConfigInfo } from '../../engine/config/checkpoint-config-info';
import { deployedRun } from '../graph/deployed-run.fixture';
import { RECORDED_RUN } from './checkpoints.fixture';
import type { CheckpointsSource } from './checkpoints-source';
import { checkpointsBundle } from './checkpoints-bundle';
import { loadCheckpointFiles } from './flink-rest-loader';
import { sampleFiles } from './flink-rest-samples.fixture';
import { statsFoldSource } from './stats-fold-source';
import { parseJobConfiguration } from '../../engine/config/parse-job-configuration';

/** Everything a view can ask a source, over every checkpoint and vertex it names. */
function views(source: CheckpointsSource) {
  const overview = source.overview();
  const ids = overview.history.map((entry) => entry.id);
  const vertices = source.vertices();
  return {
    overview,
    config: source.config(),
    vertices,
    details: ids.map((id) => source.details(id)),
    subtasks: ids.flatMap((id) => vertices.map((vertex) => source.subtaskDetails(id, vertex.id))),
  };
}

function recordedRun() {
  const events = deployedRun(RECORDED_RUN);
  const deployed = events.find((event) => event.type === 'job-deployed');
  const vertices = deployed?.type === 'job-deployed' ? deployed.vertices.map((v) => ({ id: v.vertexId, name: v.name, parallelism: v.parallelism })) : [];
  const config = checkpointConfigInfo(parseJobConfiguration({ 'execution.checkpointing.interval': '200 ms' }));
  return statsFoldSource(foldCheckpointStatistics(events), config, vertices);
}

describe('the page\'s run as a source, exported and imported', () => {
  const run = recordedRun();

  it('answers from the fold: completed, failed and in-progress checkpoints with their subtasks', () => {
    const { overview, details, subtasks } = views(run);
    expect(new Set(overview.history.map((entry) => entry.status))).toEqual(new Set(['COMPLETED', 'FAILED', 'IN_PROGRESS']));
    expect(details.every((entry) => entry !== null)).toBe(true);
    expect(subtasks.some((entry) => entry?.subtasks.some((subtask) => subtask.status === 'completed'))).toBe(true);
    expect(run.vertices().length).toBeGreaterThan(1);
  });

  it('survives fold → bundle → JSON → import with the same views', () => {
    const text = JSON.stringify(checkpointsBundle(run));
    const load = loadCheckpointFiles([{ name: 'barrierscope-checkpoints.json', text }]);
    expect(load.files[0]!.refused).toBeNull();
    expect(load.files[0]!.recognisedAs).toMatch(/^a Barrierscope checkpoints bundle \(\d+ details, \d+ subtask files\)$/);
    expect(load.warnings).toEqual([]);
    expect(load.source!.label).toBe("this page's run");
    expect(views(load.source!)).toEqual(views(run));
  });

  it('keeps a real Flink job\'s views through a bundle, NaN ("not reported") included', () => {
    for (const folder of ['', 'flink-1.11']) {
      const imported = loadCheckpointFiles(sampleFiles(folder)).source!;
      const again = loadCheckpointFiles([{ name: 'bundle.json', text: JSON.stringify(checkpointsBundle(imported)) }]);
      expect(again.files[0]!.refused).toBeNull();
      expect(views(again.source!)).toEqual(views(imported));
    }
  });

  it('is a pure function of the source', () => {
    expect(JSON.stringify(checkpointsBundle(run))).toBe(JSON.stringify(checkpointsBundle(recordedRun())));
  });

  it('refuses a bundle of another version or with a part that is not Flink\'s shape, naming the part', () => {
    const bundle = JSON.parse(JSON.stringify(checkpointsBundle(run))) as Record<string, Record<string, Record<string, unknown>>>;
    const refusal = (value: unknown) => loadCheckpointFiles([{ name: 'b.json', text: JSON.stringify(value) }]).files[0]!.refused;
    expect(refusal({ ...bundle, version: 2 })).toBe('bundle: version: Invalid version: this page reads version 1');
    const id = Object.keys(bundle['details']!)[0]!;
    const broken = { ...bundle, details: { ...bundle['details'], [id]: { ...bundle['details']![id], status: 'DONE' } } };
    expect(refusal(broken)).toMatch(new RegExp(`^bundle: details\\["${id}"\\]\\.status: Invalid type: Expected \\("IN_PROGRESS" \\| "COMPLETED" \\| "FAILED"\\)`));
  });
});
