// The external systems as a Worker sees them: writes are forwarded to the main thread, which owns
// the (shared, restart-surviving) outputs and applies commits idempotently by transaction id.
import type { ExternalOutput, ExternalSystems } from '../../engine/ports/external-systems';

export type ExternalWrite = (output: string, operation: 'commit' | 'append', transactionId: string | null, records: readonly unknown[]) => void;

export class ForwardingExternalSystems implements ExternalSystems {
  constructor(private readonly write: ExternalWrite) {}

  output(name: string): ExternalOutput {
    return {
      commitTransaction: (transactionId, records) => {
        this.write(name, 'commit', transactionId, records);
        return true;
      },
      append: (records) => this.write(name, 'append', null, records),
      isCommitted: () => {
        throw new Error('A Worker cannot read the external output; it lives on the main thread');
      },
      records: () => {
        throw new Error('A Worker cannot read the external output; it lives on the main thread');
      },
    };
  }
}
