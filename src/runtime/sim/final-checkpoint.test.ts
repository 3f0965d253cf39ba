// A task's final checkpoint and checkpoints with finished tasks (FLIP-147), as scripts on the deterministic
// runtime: what a finished task acknowledges, when it is FINISHED, how the coordinator records finished
// subtasks and fully finished operators, and how a restore treats them.
import { describe, expect, it } from 'vitest';
import { runScenario, type RunScenarioOptions } from './run-scenario';
import type { Simulation } from './simulation';
import type { EngineEvent } from '../../engine/events';
import type { JobMasterMessage } from '../../engine/task/messages';
import type { CheckpointMetadata } from '../../engine/checkpoint/checkpoint-metadata';
import { MemoryCheckpointStorage } from '../../storage/memory-checkpoint-storage';

const BOUNDED: RunScenarioOptions = {
  scenario: 'running-sum',
  parallelism: 2,
  checkpointIntervalMs: 200,
  mode: 'exactly-once',
  seed: 1,
  keys: 24,
  recordsPerSecond: 40,
  bounded: true,
};

type Acknowledgement = Extract<JobMasterMessage, { type: 'acknowledge-checkpoint' }>;

/** Runs with every message to the job master recorded (the transport's view). */
function runRecordingMessages(options: RunScenarioOptions) {
  const messages: JobMasterMessage[] = [];
  const result = runScenario({
    ...options,
    onStart: (simulation) => {
      const receive = simulation.jobMaster.receive.bind(simulation.jobMaster);
      simulation.jobMaster.receive = (message) => {
        messages.push(message);
        receive(message);
      };
      options.onStart?.(simulation);
    },
  });
  const acknowledgements = messages.filter((message): message is Acknowledgement => message.type === 'acknowledge-checkpoint');
  return { result, messages, acknowledgements };
}

const ofType = <T extends EngineEvent['type']>(events: readonly EngineEvent[], type: T) => events.filter((event): event is Extract<EngineEvent, { type: T }> => event.type === type);

describe('the final checkpoint of a bounded job', () => {
  const { result, messages, acknowledgements } = runRecordingMessages(BOUNDED);
  const { events } = result;
  const finished = ofType(events, 'task-state-changed').filter((event) => event.state === 'FINISHED');
  const firstFinished = events.indexOf(finished[0]!);
  const finalCheckpoint = ofType(events.slice(0, firstFinished), 'checkpoint-completed').at(-1)!;

  it('ends every task FINISHED only once a checkpoint taken after its input ended completed, and the job FINISHED', () => {
    expect(result.jobStatus).toBe('FINISHED');
    expect(result.problems).toEqual([]);
    expect(finished.map((event) => event.taskId).sort()).toEqual(['numbers#0', 'numbers#1', 'sum#0', 'sum#1']);
    // Each task reported end of data (Flink's notifyEndOfData) before it finished, while it still ran.
    expect(messages.filter((message) => message.type === 'end-of-data').map((message) => message.taskId).sort()).toEqual(['numbers#0', 'numbers#1', 'sum#0', 'sum#1']);
    expect(ofType(events, 'job-status-changed').at(-1)).toMatchObject({ status: 'FINISHED', previous: 'RUNNING' });
  });

  it('has every task acknowledge the final checkpoint with its state, marked isTaskFinished', () => {
    const final = acknowledgements.filter((ack) => ack.checkpointId === finalCheckpoint.checkpointId);
    expect(final.map((ack) => ack.taskId).sort()).toEqual(['numbers#0', 'numbers#1', 'sum#0', 'sum#1']);
    for (const ack of final) {
      expect(ack.subtaskState.isTaskFinished, ack.taskId).toBe(true);
      expect(ack.subtaskState.operators.length, ack.taskId).toBeGreaterThan(0);
    }
    // Checkpoints before the input ended are as they always were.
    expect(acknowledgements.filter((ack) => ack.checkpointId === 1).every((ack) => ack.subtaskState.isTaskFinished === undefined)).toBe(true);
  });

  it('puts no barrier of the final checkpoint on an ended output, and the sink commits its last records with it', () => {
    expect(ofType(events, 'barrier-emitted').filter((event) => event.checkpointId === finalCheckpoint.checkpointId)).toEqual([]);
    const commits = ofType(events, 'sink-committed').filter((event) => event.checkpointId === finalCheckpoint.checkpointId);
    expect(commits.length).toBeGreaterThan(0);
    expect(ofType(events, 'sink-aborted')).toEqual([]);
    expect(result.output).toHaveLength(24 * 5);
  });
});

describe('checkpoints after some tasks finished', () => {
  /** Parallelism 3 over 4 partitions: numbers#1 and numbers#2 read one partition each, numbers#0 two, so two finish early. */
  const partly: RunScenarioOptions = { ...BOUNDED, parallelism: 3 };

  it('plan the finished tasks out: they acknowledge nothing, and the metadata names them as finished subtasks', () => {
    let simulation: Simulation | null = null;
    const withFinished: CheckpointMetadata[] = [];
    const { result, acknowledgements } = runRecordingMessages({
      ...partly,
      onStart: (started) => (simulation = started),
      onEvent: (event) => {
        if (event.type !== 'checkpoint-completed') return;
        const metadata = (simulation as unknown as Simulation).jobMaster.latestCompletedCheckpoint()!;
        if (metadata.operators.some((operator) => operator.finishedSubtasks)) withFinished.push(metadata);
      },
    });
    expect(result.jobStatus).toBe('FINISHED');
    expect(withFinished.length).toBeGreaterThan(0);
    const [first] = withFinished;
    const numbers = first!.operators.find((operator) => operator.operatorUid === 'numbers')!;
    expect(numbers.finishedSubtasks).toEqual([1, 2]);
    expect(numbers.subtaskStates[1]).toEqual({ operatorUid: 'numbers', keyed: null, operator: null });
    expect(numbers.fullyFinished).toBeUndefined();
    expect(acknowledgements.filter((ack) => ack.checkpointId === first!.checkpointId).map((ack) => ack.taskId).sort()).toEqual(['numbers#0', 'sum#0', 'sum#1', 'sum#2']);
  });

  it('restore a failure from such a checkpoint: the finished subtasks start empty and end at once, the output is exactly-once', () => {
    const clean = runScenario(partly);
    const failed = runScenario({ ...partly, faults: [{ kind: 'kill', uid: 'sum', subtask: 0, atMs: 1200 }] });
    expect(failed.numRestarts).toBe(1);
    expect(failed.jobStatus).toBe('FINISHED');
    expect(failed.problems).toEqual([]);
    expect(failed.output.map((record) => JSON.stringify(record)).sort()).toEqual(clean.output.map((record) => JSON.stringify(record)).sort());
    const deployed = ofType(failed.events, 'job-deployed').at(-1)!;
    const afterRestore = failed.events.slice(failed.events.indexOf(deployed));
    // The finished source subtasks own no partition after the restore: they read nothing and end.
    expect(ofType(afterRestore, 'source-read').filter((event) => event.taskId !== 'numbers#0')).toEqual([]);
    expect(ofType(afterRestore, 'task-state-changed').filter((event) => event.state === 'FINISHED').map((event) => event.taskId)).toContain('numbers#1');
  });
});

describe('a restore from a checkpoint whose source vertex is fully finished', () => {
  /** A checkpoint of a bounded run, as a restore would find it, with the numbers source marked fully finished. */
  function checkpointWithFinishedSource(): { metadata: CheckpointMetadata; storage: MemoryCheckpointStorage } {
    let simulation: Simulation | null = null;
    let taken: { metadata: CheckpointMetadata; storage: MemoryCheckpointStorage } | null = null;
    runScenario({
      ...BOUNDED,
      onStart: (started) => (simulation = started),
      onEvent: (event) => {
        if (event.type !== 'checkpoint-completed' || event.checkpointId !== 2) return;
        const sim = simulation as unknown as Simulation;
        taken = { metadata: sim.jobMaster.latestCompletedCheckpoint()!, storage: MemoryCheckpointStorage.copyOf(sim.memoryStorage, sim.clock) };
      },
    });
    const { metadata, storage } = taken!;
    const operators = metadata.operators.map((operator) =>
      operator.operatorUid === 'numbers'
        ? { ...operator, subtaskStates: operator.subtaskStates.map(() => ({ operatorUid: 'numbers', keyed: null, operator: null })), fullyFinished: true as const }
        : operator,
    );
    return { metadata: { ...metadata, operators }, storage };
  }

  it('deploys its tasks finished (FINISHED_ON_RESTORE): no operator runs, they acknowledge as deployed finished, and the job FINISHED', () => {
    const { metadata, storage } = checkpointWithFinishedSource();
    let simulation: Simulation | null = null;
    const completed: CheckpointMetadata[] = [];
    const { result, acknowledgements } = runRecordingMessages({
      ...BOUNDED,
      restore: { metadata, storage, pointer: 'chk-2' },
      onStart: (started) => (simulation = started),
      onEvent: (event) => {
        if (event.type === 'checkpoint-completed') completed.push((simulation as unknown as Simulation).jobMaster.latestCompletedCheckpoint()!);
      },
    });
    expect(result.jobStatus).toBe('FINISHED');
    // The source opened no reader: nothing read, nothing rewound.
    expect(ofType(result.events, 'source-read')).toEqual([]);
    expect(ofType(result.events, 'source-rewound')).toEqual([]);
    expect(ofType(result.events, 'task-restored').map((event) => event.taskId).sort()).toEqual(['numbers#0', 'numbers#1', 'sum#0', 'sum#1']);
    const sourceAcks = acknowledgements.filter((ack) => ack.taskId.startsWith('numbers#'));
    expect(sourceAcks.length).toBeGreaterThan(0);
    // Flink's TaskStateSnapshot.FINISHED_ON_RESTORE: no operator state, deployed as finished and finished.
    for (const ack of sourceAcks) expect(ack.subtaskState).toEqual({ subtaskIndex: ack.subtaskState.subtaskIndex, operators: [], isTaskDeployedAsFinished: true, isTaskFinished: true });
    // Every checkpoint after the restore keeps the vertex fully finished (reportTaskFinishedOnRestore).
    expect(completed.length).toBeGreaterThan(0);
    for (const checkpoint of completed) expect(checkpoint.operators.find((operator) => operator.operatorUid === 'numbers')!.fullyFinished).toBe(true);
    // What the restored sink had pre-committed is committed; nothing new arrives.
    expect(ofType(result.events, 'sink-aborted')).toEqual([]);
  });
});
