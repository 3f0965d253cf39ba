import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/events';
import { heartbeatTimeoutCause } from '../runtime/worker/worker-cluster';
import { runScenario, type RunScenarioOptions } from '../runtime/sim/run-scenario';
import { MAX_EXPLANATIONS, RestartExplainer, type RestartExplanation } from './restart-explanations';

function explain(events: readonly EngineEvent[], tolerableFailedCheckpoints = 0): readonly RestartExplanation[] {
  const explainer = new RestartExplainer({ tolerableFailedCheckpoints });
  for (const event of events) explainer.record(event);
  return explainer.explanations;
}

const RUNNING_SUM: RunScenarioOptions = { scenario: 'running-sum', parallelism: 2, checkpointIntervalMs: 100, mode: 'exactly-once', seed: 1, untilMs: 2000 };
const QUICK_RESTARTS = { 'restart-strategy.type': 'fixed-delay', 'restart-strategy.fixed-delay.attempts': 100, 'restart-strategy.fixed-delay.delay': '10 ms' };

/** Events as the Worker runtime orders them: the job master's status change after what caused it. */
const restarting = (time: number, cause: string): EngineEvent => ({ type: 'job-status-changed', time, status: 'RESTARTING', previous: 'RUNNING', cause });
const running = (time: number): EngineEvent => ({ type: 'job-status-changed', time, status: 'RUNNING', previous: 'RESTARTING' });
const injected = (time: number, fault: string): EngineEvent => ({ type: 'fault-injected', time, fault });

describe('restart explanations on the deterministic runtime', () => {
  it('explains a kill injected into a subtask as the cause of the restart', () => {
    const { events } = runScenario({ ...RUNNING_SUM, faults: [{ kind: 'kill', uid: 'sum', subtask: 1, atMs: 450 }] });
    expect(explain(events)).toEqual([
      expect.objectContaining({ sequence: 1, status: 'RESTARTING', injected: true, sentence: 'The job restarted because sum#1 was killed (its Worker terminated), as injected from this page.' }),
    ]);
  });

  it('explains an injected snapshot upload failure through the checkpoint it failed', () => {
    const { events } = runScenario({ ...RUNNING_SUM, faults: [{ kind: 'fail-snapshot', uid: 'sum', subtask: 0, checkpointId: 3 }] });
    expect(explain(events).map((explanation) => [explanation.injected, explanation.sentence])).toEqual([
      [true, 'The job restarted because checkpoint 3 failed (a snapshot upload failed) and execution.checkpointing.tolerable-failed-checkpoints tolerates none, as injected from this page.'],
    ]);
  });

  it('tells a checkpoint that expired on its own from an injected failure, with the options that decided', () => {
    const { events } = runScenario({ ...RUNNING_SUM, untilMs: 400, configuration: { ...QUICK_RESTARTS, 'execution.checkpointing.timeout': '10 ms' } });
    const [first] = explain(events);
    expect(first).toMatchObject({ injected: false, cause: 'Exceeded checkpoint tolerable failure threshold.' });
    expect(first!.sentence).toBe(
      'The job restarted because checkpoint 1 failed (it did not complete within execution.checkpointing.timeout) and execution.checkpointing.tolerable-failed-checkpoints tolerates none. ' +
        "Nothing was injected: it failed on its own. Flink's failure cause: “Exceeded checkpoint tolerable failure threshold.”",
    );
  });
});

describe('restart explanations of Worker runtime failures', () => {
  it('says in plain words that a subtask sent no heartbeat, naming heartbeat.timeout, when nothing was injected', () => {
    const cause = `sum#1: ${heartbeatTimeoutCause('sum#1', 50_000)}`;
    expect(explain([running(0), restarting(61_000, cause)])).toEqual([
      {
        sequence: 1,
        timeMs: 61_000,
        status: 'RESTARTING',
        injected: false,
        reason: 'sum#1 sent no heartbeat for 50 s (heartbeat.timeout)',
        cause,
        sentence:
          'The job restarted because sum#1 sent no heartbeat for 50 s (heartbeat.timeout). Nothing was injected: it failed on its own. ' +
          "Flink's failure cause: “sum#1: The heartbeat of TaskManager with id sum#1 timed out: nothing heard for 50 s (heartbeat.timeout)”",
      },
    ]);
  });

  it('attributes a failure to an injected fault only when the fault hit the failing subtask', () => {
    const explanations = explain([
      injected(10, 'kill:sum#0@10 (from the page)'),
      restarting(11, 'sum#0: Worker terminated (killed)'),
      running(20),
      injected(30, 'crash:sum#1@30 (from the page)'),
      restarting(31, 'sum#1: Injected crash in user code: thrown from the page'),
      running(40),
      injected(50, 'kill:sum#0@50 (from the page)'),
      restarting(51, 'numbers#1: Worker error: Uncaught TypeError: boom'),
    ]);
    expect(explanations.map((explanation) => [explanation.injected, explanation.reason])).toEqual([
      [true, 'sum#0 was killed (its Worker terminated)'],
      [true, 'the operator of sum#1 threw an exception'],
      [false, 'the Worker of numbers#1 stopped with an uncaught error (Uncaught TypeError: boom)'],
    ]);
  });

  it('forgets an injected fault once the job status changed, so a later failure of that subtask is its own', () => {
    const explanations = explain([injected(10, 'crash:sum#1@10 (from the page)'), restarting(11, 'sum#0: Worker terminated (killed)'), running(20), restarting(30, 'sum#1: boom')]);
    expect(explanations.map((explanation) => explanation.injected)).toEqual([false, false]);
    expect(explanations[1]!.reason).toBe('sum#1 failed (boom)');
  });

  it('says when the restart strategy allowed no more restarts', () => {
    const [failing] = explain([{ type: 'job-status-changed', time: 5, status: 'FAILING', previous: 'RUNNING', cause: 'sum#0: State restore failed: chunk 3 is missing' }]);
    expect(failing!.sentence).toMatch(/^The job failed \(its restart strategy allows no more restarts\) because sum#0 could not restore its state \(chunk 3 is missing\)\./);
  });

  it(`keeps the newest ${MAX_EXPLANATIONS} explanations and keeps counting`, () => {
    const events = Array.from({ length: MAX_EXPLANATIONS + 5 }, (_, i) => [running(2 * i), restarting(2 * i + 1, `sum#0: failure ${i}`)]).flat();
    const explanations = explain(events);
    expect(explanations).toHaveLength(MAX_EXPLANATIONS);
    expect(explanations.at(-1)!.sequence).toBe(MAX_EXPLANATIONS + 5);
  });
});
