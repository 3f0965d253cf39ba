// The world outside the job that sinks write to (a database or Kafka topic in miniature). It outlives
// job restarts, so committed output can be checked for exactly-once. Injected by the runtime.

export interface OutputRecord {
  readonly value: unknown;
}

export interface ExternalOutput {
  /** Idempotent: committing a transaction id again changes nothing (Flink requires commits to be). */
  commitTransaction(transactionId: string, records: readonly unknown[]): boolean;
  /** Non-transactional write (at-least-once sinks). */
  append(records: readonly unknown[]): void;
  isCommitted(transactionId: string): boolean;
  /** All visible output in the order it became visible. */
  records(): readonly unknown[];
}

export interface ExternalSystems {
  output(name: string): ExternalOutput;
}

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
