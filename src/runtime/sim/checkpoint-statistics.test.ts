// One fact in one place: the job master's checkpoint statistics are the fold of its run's events, so
// folding a recorded events.jsonl gives what the job master reported, and the event's end to end
// duration is the REST view's. Completed checkpoints carry the source offsets they store.
import { describe, expect, it } from 'vitest';
import type { EngineEvent, EventOf } from '../../engine/events';
import { foldCheckpointStatistics } from '../../engine/checkpoint/checkpoint-stats-fold';
import { parseFault } from './fault-plan';
import { DEFAULT_RECORDS_PER_SECOND, runScenario, sourceOffsetsOf, type RunScenarioOptions } from './run-scenario';
import { prepareScenarioJob } from './scenario-job';

const RUNS: ReadonlyArray<readonly [string, RunScenarioOptions]> = [
  ['a kill and a restore', { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 200, mode: 'exactly-once', seed: 3, keys: 20, faults: [parseFault('kill:sum#1@700')] }],
  [
    'a failed snapshot, incremental, at parallelism 3',
    {
      scenario: 'running-sum',
      parallelism: 3,
      checkpointIntervalMs: 150,
      mode: 'exactly-once',
      seed: 5,
      keys: 30,
      faults: [parseFault('fail-snapshot:sum#0@2')],
      configuration: { 'execution.checkpointing.incremental': true, 'execution.checkpointing.tolerable-failed-checkpoints': 3 },
    },
  ],
  ['stop-with-savepoint', { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 200, mode: 'exactly-once', seed: 1, keys: 20, stopWithSavepointAtMs: 900 }],
];

/** What an events.jsonl holds: every event through JSON and back. */
const recorded = (events: readonly EngineEvent[]): EngineEvent[] => events.map((event) => JSON.parse(JSON.stringify(event)) as EngineEvent);

const ofType = <T extends EngineEvent['type']>(events: readonly EngineEvent[], type: T) => events.filter((event): event is EventOf<T> => event.type === type);

describe.each(RUNS)('checkpoint statistics of a run with %s', (_name, options) => {
  const run = runScenario(options);
  const events = recorded(run.events);

  it('are the fold of its recorded events', () => {
    expect(ofType(events, 'checkpoint-completed').length).toBeGreaterThan(1);
    const folded = foldCheckpointStatistics(events);
    expect(folded.statistics()).toEqual(run.checkpoints);
    expect(folded.statistics()).toEqual(run.simulation.jobMaster.stats.statistics());
    for (const entry of run.checkpoints.history) {
      for (const vertexId of Object.keys(entry.tasks)) {
        expect(folded.subtaskDetails(entry.id, vertexId)).toEqual(run.simulation.jobMaster.stats.subtaskDetails(entry.id, vertexId));
      }
    }
  });

  it("give every completed checkpoint the event's end to end duration: trigger to the latest acknowledgement", () => {
    const everything = foldCheckpointStatistics(events, { historySize: Number.MAX_SAFE_INTEGER });
    for (const completion of ofType(events, 'checkpoint-completed')) {
      const trigger = ofType(events, 'checkpoint-triggered').find((event) => event.checkpointId === completion.checkpointId)!;
      const latestAck = Math.max(...ofType(events, 'checkpoint-acknowledged').filter((ack) => ack.checkpointId === completion.checkpointId && ack.time <= completion.time).map((ack) => ack.time));
      expect(completion.endToEndDurationMs, `checkpoint ${completion.checkpointId}`).toBe(latestAck - trigger.time);
      expect(everything.details(completion.checkpointId), `checkpoint ${completion.checkpointId}`).toMatchObject({
        end_to_end_duration: completion.endToEndDurationMs,
        state_size: completion.stateSizeBytes,
        checkpointed_size: completion.checkpointedSizeBytes,
        external_path: completion.externalPath,
      });
    }
  });

  it('carries in each completion the source offsets the checkpoint stores', () => {
    const latest = run.simulation.jobMaster.store.latest()!;
    const completion = ofType(events, 'checkpoint-completed').find((event) => event.checkpointId === latest.checkpointId)!;
    const sourceUids = prepareScenarioJob({ ...options, keys: options.keys!, recordsPerSecond: DEFAULT_RECORDS_PER_SECOND }).built.sources.keys();
    const uids = [...sourceUids];
    const stored = sourceOffsetsOf(latest, uids);
    expect(Object.keys(completion.sourceOffsets).sort()).toEqual(uids.sort());
    expect(stored.size).toBeGreaterThan(0);
    for (const [uid, offsets] of stored) {
      expect(completion.sourceOffsets[uid]).toEqual(Object.fromEntries([...offsets].map(([partition, offset]) => [String(partition), offset])));
    }
  });
});
