// In-memory external systems: outputs that outlive job restarts, so committed output can be checked for
// exactly-once. The runtimes own them; sinks see them through the ExternalSystems port.
import type { ExternalOutput, ExternalSystems } from '../ports/external-systems';

export type { ExternalOutput, ExternalSystems, OutputRecord } from '../ports/external-systems';

export class InMemoryExternalOutput implements ExternalOutput {
  readonly #visible: unknown[] = [];
  readonly #committed = new Set<string>();

  commitTransaction(transactionId: string, records: readonly unknown[]): boolean {
    if (this.#committed.has(transactionId)) return false;
    this.#committed.add(transactionId);
    this.#visible.push(...records);
    return true;
  }

  append(records: readonly unknown[]): void {
    this.#visible.push(...records);
  }

  isCommitted(transactionId: string): boolean {
    return this.#committed.has(transactionId);
  }

  records(): readonly unknown[] {
    return this.#visible;
  }
}

export class InMemoryExternalSystems implements ExternalSystems {
  readonly #outputs = new Map<string, InMemoryExternalOutput>();

  output(name: string): InMemoryExternalOutput {
    let output = this.#outputs.get(name);
    if (!output) {
      output = new InMemoryExternalOutput();
      this.#outputs.set(name, output);
    }
    return output;
  }
}
