// The page's panels as a fold of events alone: over a deterministic run with a kill, the committed output
// is the sink's external system's, record for record, the subtasks' states and restarts are the job
// master's, and the retained checkpoints are the store's.
import { expect, it } from 'vitest';
import type { EngineEvent } from '../engine/events';
import { SimulationSession } from '../runtime/sim/simulation-session';
import { foldAll } from './model/event-fold';
import { JobPanelsFold } from './job-view-fold';

it('folds status, subtasks, restarts, retained checkpoints and committed output from the events alone', () => {
  const session = new SimulationSession({
    job: { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 300, mode: 'exactly-once', keys: 20, recordsPerSecond: 100, seed: 5, faults: [{ kind: 'kill', uid: 'sum', subtask: 1, atMs: 700 }] },
    frames: null,
  });
  const events: EngineEvent[] = [];
  session.subscribeEvents((batch) => events.push(...batch));
  session.advance(8000);
  const { simulation, job } = session.run;
  const view = foldAll(() => new JobPanelsFold(job), events).view(session.now());
  expect(view.status).toBe(simulation.jobMaster.status);
  expect(view.numRestarts).toBe(simulation.jobMaster.numRestarts);
  expect(view.taskStates).toEqual(Object.fromEntries(simulation.jobMaster.taskStates()));
  expect(view.retainedIds).toEqual(simulation.jobMaster.store.retained().map((metadata) => metadata.checkpointId));
  expect(view.committedRecords).toBe(session.run.output().length);
  expect(view.verdict).toEqual({ kind: 'verified' });
  expect(view.restarts).toHaveLength(1);
  session.close();
});
