// A non-transactional sink: every record is visible as soon as it is written (and said so with
// `sink-written`). After a restore the replayed records are written again, so output is at-least-once
// (duplicates, never loss).
import type { Sink } from '../graph/data-stream';
import type { OperatorContext } from '../operators/runtime-context';
import { AbstractStreamOperator } from '../operators/stream-operator';
import type { ExternalOutput } from '../ports/external-systems';

export class AtLeastOnceSink<T = unknown> implements Sink<T> {
  declare readonly __type?: T;
  constructor(readonly name: string) {}

  createWriter(): AtLeastOnceSinkWriter {
    return new AtLeastOnceSinkWriter(this.name);
  }
}

export class AtLeastOnceSinkWriter extends AbstractStreamOperator {
  #output!: ExternalOutput;

  constructor(private readonly outputName: string) {
    super();
  }

  override open(context: OperatorContext): void {
    super.open(context);
    this.#output = context.external.output(this.outputName);
  }

  processElement(value: unknown): void {
    this.#output.append([value]);
    // The task batches these into one sink-written per step (TaskEventBatch).
    const { taskInfo } = this.context;
    this.context.emit({ type: 'sink-written', time: this.context.clock.now(), taskId: taskInfo.taskId, attempt: taskInfo.attemptNumber, written: [value] });
  }
}
