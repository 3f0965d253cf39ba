import { describe, expect, it } from 'vitest';
import { OperatorStateBackend } from '../state';
import type { EngineEvent } from '../events';
import { InMemoryExternalSystems } from './external-systems';
import { TwoPhaseCommitSink, type TwoPhaseCommitSinkWriter } from './two-phase-commit-sink';

function openWriter(external = new InMemoryExternalSystems()): { writer: TwoPhaseCommitSinkWriter; events: EngineEvent[]; external: InMemoryExternalSystems } {
  const events: EngineEvent[] = [];
  const writer = new TwoPhaseCommitSink('sums').createWriter();
  writer.open({
    taskInfo: { taskId: 'sink#0', taskName: 'sink', operatorUid: 'sink', indexOfThisSubtask: 0, numberOfParallelSubtasks: 1, maxNumberOfParallelSubtasks: 128, attemptNumber: 0 },
    clock: { now: () => 0, setTimeout: () => null, clearTimeout: () => {} },
    keyedStateBackend: null,
    operatorStateBackend: new OperatorStateBackend(),
    isRestored: false,
    restoredCheckpointId: null,
    external,
    emit: (event) => events.push(event),
  });
  return { writer, events, external };
}


describe('TwoPhaseCommitSink once its input ended (FLIP-147)', () => {
  it('pre-commits the last records in the final checkpoint, begins no transaction after it, and commits them when it completes', () => {
    const { writer, events, external } = openWriter();
    writer.processElement('a');
    writer.snapshotState(1);
    writer.processElement('b');
    writer.endInput();
    writer.snapshotState(2);
    writer.notifyCheckpointComplete(2);
    expect(external.output('sums').records()).toEqual(['a', 'b']);
    // Nothing is open any more: closing aborts nothing, and a later snapshot adds no transaction.
    writer.snapshotState(3);
    writer.notifyCheckpointComplete(3);
    writer.close();
    expect(events.map((event) => event.type)).toEqual(['sink-committed', 'sink-committed']);
    expect(() => writer.processElement('c')).toThrow('sink#0 received a record after its input ended');
  });

  it('commits the last transaction with a later checkpoint when the final one was aborted', () => {
    const { writer, external } = openWriter();
    writer.processElement('a');
    writer.endInput();
    writer.snapshotState(1);
    writer.notifyCheckpointAborted(1);
    writer.snapshotState(2);
    writer.notifyCheckpointComplete(2);
    expect(external.output('sums').records()).toEqual(['a']);
  });

  it('aborts the open transaction on close while the input has not ended, as before', () => {
    const { writer, events } = openWriter();
    writer.processElement('a');
    writer.close();
    expect(events).toMatchObject([{ type: 'sink-aborted', records: 1 }]);
  });
});
